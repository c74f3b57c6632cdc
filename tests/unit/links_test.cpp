// Link models: which link a GPU pair uses and how fast it is (expected values from the datasheet
// arithmetic in docs/reference/formulas.md §4.2, not from the code).
#include <catch2/catch.hpp>

#include "headroom/links.hpp"

using namespace headroom;

namespace {
GpuSpec gpu(PeerAccess p, double nvlink_bidir, int pcie_gen, LinkTopology topo = LinkTopology::none) {
  GpuSpec g;
  g.peer_access = p;
  g.nvlink_bidirectional = gb_per_s(nvlink_bidir);
  g.nvlink_topology = topo;
  g.nvlink_generation = nvlink_bidir > 0 ? "NVLink 3" : "";
  g.pcie_generation = pcie_gen;
  g.pcie_per_direction = gb_per_s(pcie_gen == 4 ? 31.5 : 63.0);
  return g;
}
}  // namespace

TEST_CASE("NVLink through NVSwitch runs at half the bidirectional figure times the NCCL cap", "[links]") {
  const GpuSpec a100 = gpu(PeerAccess::nvlink, 600, 4, LinkTopology::nvswitch);
  const Link l = intra_node_link(a100, Interconnect::from_gpu, 8);
  CHECK(l.id() == "nvlink3");
  CHECK(to_gb_per_s(l.peak) == Approx(300));
  CHECK(to_gb_per_s(l.achievable) == Approx(235).epsilon(0.01));  // tuning.cc sm80 cap
}

TEST_CASE("a bridge joins pairs only: four bridged cards talk over PCIe", "[links]") {
  const GpuSpec a100p = gpu(PeerAccess::nvlink_bridge, 600, 4, LinkTopology::bridge);
  CHECK(intra_node_link(a100p, Interconnect::from_gpu, 2).id() == "nvlink_bridge");
  CHECK(intra_node_link(a100p, Interconnect::from_gpu, 4).id() == "pcie4");
}

TEST_CASE("GeForce without P2P goes through host memory at the measured 12.9 GB/s per direction", "[links]") {
  const GpuSpec g4090 = gpu(PeerAccess::host, 0, 4);
  const Link l = intra_node_link(g4090, Interconnect::from_gpu, 8);
  CHECK(l.id() == "pcie4_host");
  // 25.8 GB/s bidirectional for a pair (tinygrad/open-gpu-kernel-modules#6) = 12.9 per direction.
  CHECK(to_gb_per_s(l.achievable) == Approx(12.9).epsilon(0.01));
  // A patched driver with P2P: PCIe 4 x16 31.5 GB/s, 22-26 GB/s measured GPU to GPU.
  const Link p2p = intra_node_link(g4090, Interconnect::pcie, 2);
  CHECK(to_gb_per_s(p2p.achievable) > 22);
  CHECK(to_gb_per_s(p2p.achievable) < 26);
  // NVLink asked for on a card without it falls back to PCIe peer-to-peer.
  CHECK(intra_node_link(g4090, Interconnect::nvlink, 2).id() == "pcie4");
}

TEST_CASE("InfiniBand NDR is 400 Gb/s = 50 GB/s per NIC, one NIC per GPU", "[links]") {
  const GpuSpec g = gpu(PeerAccess::nvlink, 900, 5, LinkTopology::nvswitch);
  Job w;
  w.hardware.gpu = &g;
  w.hardware.count = 16;
  w.hardware.network = Network::ib_400;
  const Fabric f = fabric_of(w);
  CHECK(to_gb_per_s(f.inter.peak) == Approx(50));
  CHECK(f.node_size == 8);
  CHECK(f.nics_per_node == 8);
  w.hardware.network = Network::eth_100;
  CHECK(fabric_of(w).nics_per_node == 1);
  CHECK(to_gb_per_s(fabric_of(w).inter.peak) == Approx(12.5));
}
