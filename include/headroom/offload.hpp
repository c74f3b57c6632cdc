#pragma once
/// @file offload.hpp
/// Time of CPU offload in training (docs/time.md §11): ZeRO-Offload, FSDP CPU offload and activation
/// offload move bytes over the GPU's PCIe link each step, and optimizer offload runs the optimizer
/// step on the host, whose memory bandwidth the node's GPUs share.
///
///   CPU step  = ranks_per_node · Ψ_rank · B_opt / BW_cpu            not overlapped (runs after backward)
///   optimizer: per micro-batch D2H 2·Ψ_rank (hidden behind the backward), after the step H2D 2·Ψ_rank
///   params:    per micro-batch H2D 2·P_rank·b_w (forward and backward) + D2H 2·Ψ_rank, prefetched:
///              exposed max(0, copies − T_mb)
///   activation offload: per micro-batch D2H + H2D of the saved activations on a side stream:
///              exposed max(0, copies − T_mb)
///
/// Everything is constexpr, noexcept and allocation-free.

#include "headroom/job.hpp"
#include "headroom/links.hpp"
#include "headroom/model.hpp"
#include "headroom/operators.hpp"
#include "headroom/quant.hpp"
#include "headroom/units.hpp"

namespace headroom {

/// What one rank holds and who shares its host.
struct OffloadShare {
  double trainable = 0;  ///< parameters this rank's optimizer updates (its ZeRO partition)
  double params = 0;     ///< weight elements this rank copies in (its shard under ZeRO-3/FSDP)
  int ranks_per_node = 1;  ///< GPUs of the node whose CPU steps share the host
};

struct OffloadTime {
  double cpu_step_s = 0;  ///< the optimizer step on the host (replaces the GPU optimizer step)
  double pcie_s = 0;      ///< all host<->GPU copies of one step
  double exposed_s = 0;   ///< of the copies, the part on the critical path
  [[nodiscard]] constexpr bool any() const noexcept { return cpu_step_s > 0 || pcie_s > 0; }
};

namespace detail {
[[nodiscard]] constexpr double positive(double v) noexcept { return v > 0 ? v : 0; }

/// Saved activation bytes of one micro-batch that activation offload moves: the layer inputs under full
/// recompute (b·s·h·2 B per layer), else Korthikanti et al. 2022's 34·s·b·h per layer (flash attention:
/// no s² term).
[[nodiscard]] constexpr double offloaded_activation_bytes(const Job& w) noexcept {
  const ModelDims d = model_dims(*w.model);
  const double b = static_cast<double>(w.batch > 0 ? w.batch : 1);
  const double s = static_cast<double>(w.training.seq > 0 ? w.training.seq : 1);
  const double per_token = w.training.checkpointing == Checkpointing::full ? activation_bytes(w.compute) : 34.0;
  return d.layers * b * s * d.h * per_token;
}
}  // namespace detail

/// Offload time of one optimizer step of `w` (the rank's shard job) with `m` micro-batches of `t_mb`
/// seconds each; `t_bwd` is the backward share of a micro-batch.
[[nodiscard]] constexpr OffloadTime offload_time(const Job& w, const OffloadShare& sh, double m, double t_mb,
                                                 double t_bwd) noexcept {
  OffloadTime r;
  if (w.task != Task::training || w.hardware.gpu == nullptr) return r;
  const double bw = pcie_link(*w.hardware.gpu, true).achievable.value();  // host<->device, per direction
  if (bw <= 0) return r;
  const double grad = 2 * sh.trainable;  // 16-bit gradients go down
  if (w.training.offload != Offload::none) {
    const double cpu = gb_per_s(host_constants.cpu_optimizer_gbps).value();
    const int ranks = sh.ranks_per_node > 1 ? sh.ranks_per_node : 1;
    r.cpu_step_s = ranks * sh.trainable * optimizer_bytes_per_param(w) / cpu;
    if (w.training.offload == Offload::optimizer) {
      const double d2h = grad / bw, h2d = 2 * sh.trainable / bw;
      r.pcie_s += m * d2h + h2d;
      r.exposed_s += m * detail::positive(d2h - t_bwd) + h2d;
    } else {
      const double wb = bits_per_weight(*normalize(w).weights) / 8;
      const double mb = (2 * sh.params * wb + grad) / bw;
      r.pcie_s += m * mb;
      r.exposed_s += m * detail::positive(mb - t_mb);
    }
  }
  if (w.training.activation_offload) {
    const double mb = 2 * detail::offloaded_activation_bytes(w) / bw;
    r.pcie_s += m * mb;
    r.exposed_s += m * detail::positive(mb - t_mb);
  }
  return r;
}

}  // namespace headroom
