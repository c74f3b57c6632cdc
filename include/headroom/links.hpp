#pragma once
/// @file links.hpp
/// Link models: how fast GPUs of one node talk to each other (NVLink generations, 2-GPU bridges, PCIe
/// 3/4/5 with peer-to-peer, PCIe without peer-to-peer staged through host memory, AMD Infinity Fabric) and
/// how nodes talk (InfiniBand 200/400/800, Ethernet 100/25).
///
/// Every constant is in one constexpr table that mirrors data/links/links.json (unit and source of each
/// value there); tests/io/links_json_test.cpp checks that the two agree. Change both together.
/// docs/scaling.md explains how the values enter the collective model (collectives.hpp).

#include <array>
#include <cstddef>
#include <string_view>

#include "headroom/gpu.hpp"
#include "headroom/job.hpp"
#include "headroom/units.hpp"

namespace headroom {

enum class LinkKind {
  nvlink2, nvlink3, nvlink4, nvlink5,  ///< NVLink through NVSwitch or a mesh: every GPU of the node at full speed
  nvlink_bridge,                       ///< NVLink bridge between two cards (pairs only)
  pcie3, pcie4, pcie5,                 ///< PCIe peer-to-peer
  pcie3_host, pcie4_host, pcie5_host,  ///< PCIe without peer access: staged through host memory (NCCL SHM)
  fabric,                              ///< AMD Infinity Fabric (xGMI) mesh
  ib_200, ib_400, ib_800, eth_100, eth_25  ///< between nodes, one NIC
};

struct LinkModel {
  LinkKind kind = LinkKind::pcie4;
  std::string_view id;
  double peak_gbps = 0;      ///< per direction, GB/s (per GPU; per NIC between nodes); 0 = from the GPU record
  double efficiency = 0;     ///< achievable fraction of the peak for large collectives (busbw / peak)
  double step_latency_us = 0;  ///< latency per algorithm step (NCCL hwLat)
  bool inter_node = false;
  /// Between nodes: NICs per node; 0 = one per GPU of the node (rail-optimised DGX/HGX design).
  int nics_per_node = 0;
};

/// Collective constants that do not depend on the link.
struct CollectiveConstants {
  double base_latency_us = 8.4;  ///< per collective call (NCCL baseLat, Ring/Simple)
};

/// The table of data/links/links.json (same order as LinkKind).
inline constexpr auto link_models = std::to_array<LinkModel>({
    {LinkKind::nvlink2, "nvlink2", 0, 0.78, 3.4, false, 0},
    {LinkKind::nvlink3, "nvlink3", 0, 0.78, 3.4, false, 0},
    {LinkKind::nvlink4, "nvlink4", 0, 0.84, 3.4, false, 0},
    {LinkKind::nvlink5, "nvlink5", 0, 0.84, 3.4, false, 0},
    {LinkKind::nvlink_bridge, "nvlink_bridge", 0, 0.78, 3.4, false, 0},
    {LinkKind::pcie3, "pcie3", 15.75, 0.76, 5.7, false, 0},
    {LinkKind::pcie4, "pcie4", 31.5, 0.76, 5.7, false, 0},
    {LinkKind::pcie5, "pcie5", 63.0, 0.84, 5.7, false, 0},
    {LinkKind::pcie3_host, "pcie3_host", 15.75, 0.41, 11.4, false, 0},
    {LinkKind::pcie4_host, "pcie4_host", 31.5, 0.41, 11.4, false, 0},
    {LinkKind::pcie5_host, "pcie5_host", 63.0, 0.41, 11.4, false, 0},
    {LinkKind::fabric, "fabric", 448.0, 0.70, 3.4, false, 0},
    {LinkKind::ib_200, "ib_200", 25.0, 0.90, 9.6, true, 0},
    {LinkKind::ib_400, "ib_400", 50.0, 0.90, 9.6, true, 0},
    {LinkKind::ib_800, "ib_800", 100.0, 0.90, 9.6, true, 0},
    {LinkKind::eth_100, "eth_100", 12.5, 0.70, 9.6, true, 1},
    {LinkKind::eth_25, "eth_25", 3.125, 0.70, 9.6, true, 1},
});
static_assert([] {
  for (std::size_t i = 0; i < link_models.size(); ++i)
    if (link_models[i].kind != static_cast<LinkKind>(i)) return false;
  return link_models.back().kind == LinkKind::eth_25;  // the last LinkKind: every kind has a row
}(), "link_models lists every LinkKind once, in enum order");

inline constexpr CollectiveConstants collective_constants{};

/// The host of a node, where GPU traffic leaves the GPUs (data/links/links.json "host"): PCIe without
/// peer-to-peer stages every byte through host memory (written once, read once), CPU offload runs the
/// optimizer step on the host.
struct HostConstants {
  double memory_gbps = 448;        ///< host DRAM bandwidth host-staged GPU traffic of a node can use, GB/s
  double cpu_optimizer_gbps = 54;  ///< optimizer bytes per second a node's CPU Adam step streams, GB/s
};
inline constexpr HostConstants host_constants{};

[[nodiscard]] constexpr const LinkModel& link_model(LinkKind k) noexcept {
  return link_models[static_cast<std::size_t>(k)];
}

/// A link as used: its model and the achievable bandwidth per direction.
struct Link {
  const LinkModel* model = &link_models[0];
  Bandwidth peak{};        ///< per direction (per GPU inside a node, per NIC between nodes)
  Bandwidth achievable{};  ///< peak x efficiency

  [[nodiscard]] constexpr std::string_view id() const noexcept { return model->id; }
  [[nodiscard]] constexpr Seconds step_latency() const noexcept { return Seconds{model->step_latency_us * 1e-6}; }
};

[[nodiscard]] constexpr Link make_link(LinkKind k, Bandwidth peak) noexcept {
  const LinkModel& m = link_model(k);
  const Bandwidth p = peak.value() > 0 ? peak : gb_per_s(m.peak_gbps);
  return Link{&m, p, p * m.efficiency};
}

namespace detail {
[[nodiscard]] constexpr LinkKind nvlink_kind(std::string_view generation) noexcept {
  if (generation.ends_with('2')) return LinkKind::nvlink2;
  if (generation.ends_with('3')) return LinkKind::nvlink3;
  if (generation.ends_with('5')) return LinkKind::nvlink5;
  return LinkKind::nvlink4;
}
[[nodiscard]] constexpr LinkKind pcie_kind(int generation, bool p2p) noexcept {
  if (generation <= 3) return p2p ? LinkKind::pcie3 : LinkKind::pcie3_host;
  if (generation == 4) return p2p ? LinkKind::pcie4 : LinkKind::pcie4_host;
  return p2p ? LinkKind::pcie5 : LinkKind::pcie5_host;
}
}  // namespace detail

/// The PCIe link of a GPU (its own lanes when published).
[[nodiscard]] constexpr Link pcie_link(const GpuSpec& g, bool p2p) noexcept {
  return make_link(detail::pcie_kind(g.pcie_generation > 0 ? g.pcie_generation : 4, p2p), g.pcie_per_direction);
}

/// The link between GPUs of one node for `members` GPUs of a group. `interconnect` from_gpu follows the
/// GPU record (peer_access). An NVLink bridge joins pairs only: a group of more than two goes over PCIe.
/// Asking for NVLink on a GPU without it falls back to PCIe peer-to-peer.
[[nodiscard]] constexpr Link intra_node_link(const GpuSpec& g, Interconnect ic, int members) noexcept {
  Interconnect use = ic;
  if (use == Interconnect::from_gpu) {
    switch (g.peer_access) {
      case PeerAccess::nvlink: use = Interconnect::nvlink; break;
      case PeerAccess::nvlink_bridge: use = Interconnect::nvlink_bridge; break;
      case PeerAccess::pcie: use = Interconnect::pcie; break;
      case PeerAccess::fabric: return make_link(LinkKind::fabric, Bandwidth{});
      case PeerAccess::host:
      case PeerAccess::none: use = Interconnect::pcie_no_p2p; break;
    }
  }
  const bool has_nvlink = g.nvlink_bidirectional.value() > 0;
  switch (use) {
    case Interconnect::nvlink:
      if (has_nvlink && g.nvlink_topology != LinkTopology::bridge)
        return make_link(detail::nvlink_kind(g.nvlink_generation), g.nvlink_per_direction());
      if (has_nvlink && members <= 2) return make_link(LinkKind::nvlink_bridge, g.nvlink_per_direction());
      return pcie_link(g, true);
    case Interconnect::nvlink_bridge:
      if (has_nvlink && members <= 2) return make_link(LinkKind::nvlink_bridge, g.nvlink_per_direction());
      return pcie_link(g, true);
    case Interconnect::pcie: return pcie_link(g, true);
    case Interconnect::pcie_no_p2p:
    case Interconnect::from_gpu: break;
  }
  return pcie_link(g, false);
}

[[nodiscard]] constexpr LinkKind network_kind(Network n) noexcept {
  switch (n) {
    case Network::ib_200: return LinkKind::ib_200;
    case Network::ib_400: return LinkKind::ib_400;
    case Network::ib_800: return LinkKind::ib_800;
    case Network::eth_100: return LinkKind::eth_100;
    case Network::eth_25: return LinkKind::eth_25;
  }
  return LinkKind::ib_400;
}

/// A link staged through host memory (pcie*_host) shared by the `gpus` GPUs of a node that communicate
/// at once: each byte a GPU sends is written to and read from host DRAM, so per GPU and direction at most
/// memory_gbps / (2·gpus) (NVIDIA/nccl#1639: 8 flows of 28 GB/s each way on a dual-socket host). Other links
/// are returned unchanged.
[[nodiscard]] constexpr Link share_host(Link l, int gpus) noexcept {
  const LinkKind k = l.model->kind;
  if (k != LinkKind::pcie3_host && k != LinkKind::pcie4_host && k != LinkKind::pcie5_host) return l;
  const Bandwidth cap = gb_per_s(host_constants.memory_gbps / (2.0 * (gpus > 1 ? gpus : 1)));
  if (cap < l.achievable) l.achievable = cap;
  return l;
}

/// Where a job's GPUs sit: the link inside a node, the network between nodes and the node size.
struct Fabric {
  Link intra{};        ///< GPU to GPU inside a node, per GPU per direction
  Link inter{};        ///< one NIC, per direction
  int node_size = 1;   ///< GPUs per node
  int nics_per_node = 1;

  /// Network bandwidth a node can push out (all NICs), achievable, per direction.
  [[nodiscard]] constexpr Bandwidth node_network() const noexcept {
    return inter.achievable * static_cast<double>(nics_per_node);
  }
  /// Network bandwidth per GPU when every GPU of the node sends at once.
  [[nodiscard]] constexpr Bandwidth network_per_gpu() const noexcept {
    return node_network() / static_cast<double>(node_size > 0 ? node_size : 1);
  }
};

/// The fabric of a job; `members` sizes the intra-node group (an NVLink bridge serves pairs only).
[[nodiscard]] constexpr Fabric fabric_of(const Job& w, int members) noexcept {
  Fabric f;
  f.node_size = w.hardware.node_size() > 0 ? w.hardware.node_size() : 1;
  const int local = members < f.node_size ? members : f.node_size;
  f.intra = intra_node_link(*w.hardware.gpu, w.hardware.interconnect, local);
  f.intra = share_host(f.intra, w.hardware.count < f.node_size ? w.hardware.count : f.node_size);
  f.inter = make_link(network_kind(w.hardware.network), Bandwidth{});
  f.nics_per_node = f.inter.model->nics_per_node > 0 ? f.inter.model->nics_per_node : f.node_size;
  return f;
}

[[nodiscard]] constexpr Fabric fabric_of(const Job& w) noexcept { return fabric_of(w, w.hardware.node_size()); }

}  // namespace headroom
