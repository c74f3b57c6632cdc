#pragma once
/// @file collectives.hpp
/// α–β time of NCCL-style collectives (all-reduce, all-gather, reduce-scatter, all-to-all, send/recv) on
/// the links of links.hpp, inside one node and across nodes.
///
///   t(S) = α + S·f(n)/busBW          f(n): 2(n−1)/n all-reduce, (n−1)/n all-gather, reduce-scatter and
///                                          all-to-all (S = the whole gathered array), 1 send/recv
///   busbw = S·f(n)/t                 the nccl-tests convention (NVIDIA/nccl-tests doc/PERFORMANCE.md)
///
/// - One node: busBW = the link's achievable per-direction bandwidth (links.json efficiency × peak);
///   α = baseLat + steps·hwLat with 2(n−1) ring steps for all-reduce, n−1 for AG/RS (NCCL tuning.cc).
/// - Across nodes (hierarchical): NCCL builds one ring per NIC and each ring crosses every node
///   boundary once, so the ring runs at min(intra-node busBW, the group's share of the node's NICs);
///   α follows NCCL's tree: baseLat + 2·((g−1)·hwLat_intra + ⌈log2 N⌉·hwLat_net) for all-reduce (half
///   for AG/RS). All-to-all sends (n−g)/n of the data over the network and (g−1)/n over the node link,
///   both at once. Send/recv between nodes uses one GPU's share of the NICs.
///
/// Everything is constexpr, noexcept and allocation-free.

#include "headroom/job.hpp"
#include "headroom/links.hpp"
#include "headroom/result.hpp"
#include "headroom/units.hpp"

namespace headroom {

/// A communicator: `n` GPUs of which `per_node` share a node (1 = every member on its own node).
struct CommGroup {
  int n = 1;
  int per_node = 1;

  [[nodiscard]] constexpr int nodes() const noexcept {
    const int g = per_node > 0 ? per_node : 1;
    return (n + g - 1) / g;
  }
};

/// The nccl-tests bus-bandwidth factor f(n).
[[nodiscard]] constexpr double bus_factor(Collective c, int n) noexcept {
  if (n <= 1) return 0;
  const double r = static_cast<double>(n - 1) / static_cast<double>(n);
  switch (c) {
    case Collective::all_reduce: return 2 * r;
    case Collective::all_gather:
    case Collective::reduce_scatter:
    case Collective::all_to_all: return r;
    case Collective::send_recv: return 1;
    case Collective::none: return 0;
  }
  return 0;
}

/// Ring algorithm steps (each pays one hwLat).
[[nodiscard]] constexpr double ring_steps(Collective c, int n) noexcept {
  const double k = static_cast<double>(n > 1 ? n - 1 : 0);
  switch (c) {
    case Collective::all_reduce: return 2 * k;
    case Collective::all_gather:
    case Collective::reduce_scatter: return k;
    case Collective::all_to_all:
    case Collective::send_recv: return k > 0 ? 1 : 0;
    case Collective::none: return 0;
  }
  return 0;
}

struct CollectiveTime {
  Seconds time{};
  Seconds latency{};   ///< the α part
  Bandwidth busbw{};   ///< S·f(n)/t
  Bandwidth link{};    ///< the bottleneck bandwidth the β part ran at
  bool crosses_nodes = false;
};

namespace detail {
[[nodiscard]] constexpr double ceil_log2(int n) noexcept {
  double k = 0;
  for (long v = 1; v < n; v *= 2) k += 1;
  return k;
}
}  // namespace detail

/// Time of one collective of `size` bytes over a group on a fabric.
[[nodiscard]] constexpr CollectiveTime collective_time(const Fabric& fab, Collective c, Bytes size,
                                                       CommGroup g) noexcept {
  CollectiveTime r;
  if (g.n <= 1 || size.value() <= 0 || c == Collective::none) return r;
  const int per_node = g.per_node < 1 ? 1 : (g.per_node > g.n ? g.n : g.per_node);
  const int nodes = CommGroup{g.n, per_node}.nodes();
  const double f = bus_factor(c, g.n);
  const Seconds base{collective_constants.base_latency_us * 1e-6};
  const Bandwidth intra = fab.intra.achievable;
  if (nodes <= 1) {
    r.latency = base + fab.intra.step_latency() * ring_steps(c, g.n);
    r.link = intra;
    r.time = r.latency + size * f / intra;
  } else {
    r.crosses_nodes = true;
    const Bandwidth per_gpu_net = fab.network_per_gpu();
    const Bandwidth group_net = per_gpu_net * static_cast<double>(per_node);
    const double intra_hops = static_cast<double>(per_node - 1);
    const double inter_hops = detail::ceil_log2(nodes);
    const Seconds hw_i = fab.intra.step_latency(), hw_n = fab.inter.step_latency();
    switch (c) {
      case Collective::all_to_all: {
        r.latency = base + hw_i + hw_n;
        const double n = static_cast<double>(g.n);
        const Seconds t_in = per_node > 1 ? size * (intra_hops / n) / intra : Seconds{};
        const Seconds t_out = size * ((n - per_node) / n) / per_gpu_net;
        r.link = t_in < t_out ? per_gpu_net : intra;
        r.time = r.latency + max(t_in, t_out);
        break;
      }
      case Collective::send_recv:
        r.latency = base + hw_n;
        r.link = per_gpu_net;
        r.time = r.latency + size / per_gpu_net;
        break;
      default: {
        const double k = c == Collective::all_reduce ? 2.0 : 1.0;
        r.latency = base + (hw_i * intra_hops + hw_n * inter_hops) * k;
        r.link = per_node > 1 && intra < group_net ? intra : group_net;
        r.time = r.latency + size * f / r.link;
        break;
      }
    }
  }
  r.busbw = r.time.value() > 0 ? size * f / r.time : Bandwidth{};
  return r;
}

/// The answer of a `task: collective` case: busbw over all `gpus`, nodes of `gpus_per_node`.
[[nodiscard]] constexpr TimeResult estimate_collective(const Job& w) noexcept {
  TimeResult r;
  if (w.task != Task::collective || w.hardware.count <= 1) return r;
  const CommGroup g{w.hardware.count, w.hardware.node_size()};
  const CollectiveTime t = collective_time(fabric_of(w, g.per_node), w.collective.op, Bytes{w.collective.bytes}, g);
  if (t.time.value() <= 0) return r;
  r.busbw_gbps = to_gb_per_s(t.busbw);
  r.step_time_s = t.time.value();
  r.bound = Bound::communication;
  return r;
}

}  // namespace headroom
