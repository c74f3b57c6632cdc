// α–β collectives against hand arithmetic: ring all-reduce of S bytes over n GPUs moves 2(n-1)/n·S per
// GPU; all-gather/reduce-scatter (n-1)/n·S (nccl-tests doc/PERFORMANCE.md).
#include <catch2/catch.hpp>

#include "headroom/collectives.hpp"

using namespace headroom;

namespace {
Fabric simple_fabric(double intra_gbps, double nic_gbps, int node) {
  static LinkModel intra{LinkKind::nvlink3, "test-intra", intra_gbps, 1.0, 0.0, false, 0};
  static LinkModel inter{LinkKind::ib_400, "test-net", nic_gbps, 1.0, 0.0, true, 0};
  intra.peak_gbps = intra_gbps;
  inter.peak_gbps = nic_gbps;
  Fabric f;
  f.intra = Link{&intra, gb_per_s(intra_gbps), gb_per_s(intra_gbps)};
  f.inter = Link{&inter, gb_per_s(nic_gbps), gb_per_s(nic_gbps)};
  f.node_size = node;
  f.nics_per_node = node;
  return f;
}
constexpr double base = 8.4e-6;  // NCCL baseLat
}  // namespace

TEST_CASE("bus factors of nccl-tests", "[collectives]") {
  CHECK(bus_factor(Collective::all_reduce, 8) == Approx(1.75));
  CHECK(bus_factor(Collective::all_gather, 8) == Approx(0.875));
  CHECK(bus_factor(Collective::reduce_scatter, 4) == Approx(0.75));
  CHECK(bus_factor(Collective::all_to_all, 2) == Approx(0.5));
  CHECK(bus_factor(Collective::send_recv, 2) == Approx(1));
  CHECK(bus_factor(Collective::all_reduce, 1) == 0);
}

TEST_CASE("ring all-reduce inside a node: 2(n-1)/n S over the link", "[collectives]") {
  const Fabric f = simple_fabric(100, 50, 8);
  // 1 GB over 8 GPUs at 100 GB/s: 1.75 GB / 100 GB/s = 17.5 ms (+ base latency, no step latency here).
  const CollectiveTime t = collective_time(f, Collective::all_reduce, gb(1), CommGroup{8, 8});
  CHECK(t.time.value() == Approx(0.0175 + base));
  CHECK(to_gb_per_s(t.busbw) == Approx(100).epsilon(0.001));  // busbw = the link for large messages
  // all-gather of the same array moves half as much.
  const CollectiveTime ag = collective_time(f, Collective::all_gather, gb(1), CommGroup{8, 8});
  CHECK(ag.time.value() == Approx(0.00875 + base));
}

TEST_CASE("across nodes the ring runs at the slower of the node link and the node's NICs", "[collectives]") {
  // 8 GPUs per node, 8 NICs of 25 GB/s: 200 GB/s out of a node; NVLink-class 300 inside.
  const Fabric f = simple_fabric(300, 25, 8);
  const CollectiveTime t = collective_time(f, Collective::all_reduce, gb(1), CommGroup{16, 8});
  CHECK(t.crosses_nodes);
  CHECK(to_gb_per_s(t.link) == Approx(200));
  // 2·15/16 GB / 200 GB/s = 9.375 ms; latency: base only (step latencies 0 here).
  CHECK(t.time.value() == Approx(2 * 15.0 / 16 / 200 + base));
  // One GPU per node (e.g. tp 8 inside): the group sees one NIC, 25 GB/s.
  const CollectiveTime one = collective_time(f, Collective::all_reduce, gb(1), CommGroup{4, 1});
  CHECK(to_gb_per_s(one.link) == Approx(25));
}

TEST_CASE("send/recv and latency", "[collectives]") {
  const Fabric f = simple_fabric(10, 10, 2);
  const CollectiveTime t = collective_time(f, Collective::send_recv, gb(1), CommGroup{2, 2});
  CHECK(t.time.value() == Approx(0.1 + base));
  CHECK(collective_time(f, Collective::all_reduce, Bytes{0}, CommGroup{8, 8}).time.value() == 0);
  CHECK(collective_time(f, Collective::all_reduce, gb(1), CommGroup{1, 1}).time.value() == 0);
}

TEST_CASE("a collective case answers busbw and is communication-bound", "[collectives]") {
  GpuSpec g;
  g.peer_access = PeerAccess::nvlink;
  g.nvlink_bidirectional = gb_per_s(600);
  g.nvlink_topology = LinkTopology::nvswitch;
  g.nvlink_generation = "NVLink 3";
  Job w;
  w.task = Task::collective;
  w.hardware.gpu = &g;
  w.hardware.count = 8;
  w.collective.op = Collective::all_reduce;
  w.collective.bytes = 8e9;
  const TimeResult r = estimate_collective(w);
  CHECK(r.bound == Bound::communication);
  // Large messages approach the achievable 235 GB/s (tuning.cc cap for A100).
  CHECK(r.busbw_gbps == Approx(234).epsilon(0.01));
}
