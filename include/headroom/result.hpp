#pragma once
/// @file result.hpp
/// What an evaluation answers: memory (fit), time, solved limits and the uncertainty band.
/// Model outcomes live here as values; "does not fit" is a result, not an error.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "headroom/units.hpp"

namespace headroom {

/// Memory components, in the order of docs/cases.md `breakdown_gib`; spelled in names.hpp.
enum class Component { weights, quant_constants, lora, gradients, optimizer, activations, logits, kv_cache, runtime };
/// Peak device memory of the busiest GPU, by component.
struct MemoryBreakdown {
  Bytes weights{}, quant_constants{}, lora{}, gradients{}, optimizer{}, activations{}, logits{}, kv_cache{}, runtime{};

  [[nodiscard]] constexpr Bytes total() const noexcept {
    return weights + quant_constants + lora + gradients + optimizer + activations + logits + kv_cache + runtime;
  }
  [[nodiscard]] constexpr Bytes operator[](Component c) const noexcept {
    switch (c) {
      case Component::weights: return weights;
      case Component::quant_constants: return quant_constants;
      case Component::lora: return lora;
      case Component::gradients: return gradients;
      case Component::optimizer: return optimizer;
      case Component::activations: return activations;
      case Component::logits: return logits;
      case Component::kv_cache: return kv_cache;
      case Component::runtime: return runtime;
    }
    return Bytes{};
  }
  /// The largest component: what to shrink first.
  [[nodiscard]] constexpr Component largest() const noexcept {
    Component best = Component::weights;
    for (int i = 1; i <= static_cast<int>(Component::runtime); ++i) {  // runtime is the last (names.hpp checks)
      const auto c = static_cast<Component>(i);
      if ((*this)[best] < (*this)[c]) best = c;
    }
    return best;
  }
};

/// The memory answer at three levels (docs/memory.md "Allocated, reserved, device"):
/// per_gpu (allocated) <= reserved (caching allocator) <= device (what nvidia-smi shows).
struct MemoryResult {
  MemoryBreakdown breakdown{};
  Bytes per_gpu{};   ///< breakdown.total(): allocated peak of the busiest GPU (max_memory_allocated class)
  Bytes reserved{};  ///< per_gpu + allocator fragmentation and cached blocks (max_memory_reserved)
  Bytes device{};    ///< reserved + CUDA context + buffers outside the allocator (NCCL): nvidia-smi
  Bytes capacity{};  ///< the GPU's memory (the GPU's share of unified memory)
  Bytes usable{};    ///< what the runtime lets the job use: capacity, or less (vLLM gpu_memory_utilization)
  bool fits = false;      ///< fits_in(*this): device <= usable
  bool may_page = false;  ///< does not fit, but paged optimizer state could spill to host memory
  Component limiting = Component::weights;  ///< largest component

  /// usable - device; negative when the job does not fit.
  [[nodiscard]] constexpr Bytes headroom() const noexcept { return usable - device; }
};

/// The one fit verdict (estimate_memory sets MemoryResult::fits from it; solve_limits, suggest and
/// plan read that): the device memory the job needs is within what the runtime may use, i.e.
/// headroom() >= 0, so `fits` and `headroom_gib` never disagree.
[[nodiscard]] constexpr bool fits_in(const MemoryResult& m) noexcept { return m.headroom().value() >= 0; }

enum class Bound { none, compute, memory, communication };

/// Time answers; a key that does not apply to the task stays at 0 and is not written.
struct TimeResult {
  Bound bound = Bound::none;
  double prefill_tokens_per_s = 0;
  double decode_tokens_per_s = 0;
  double ttft_s = 0;
  double step_time_s = 0;
  double train_tokens_per_s_per_gpu = 0;
  double mfu = 0;  ///< model FLOPs (no recompute) / dense BF16 peak (docs/time.md)
  double hfu = 0;  ///< the same with recomputed FLOPs counted
  double busbw_gbps = 0;
  double intensity = 0;  ///< FLOP per byte of the dominant phase
};

/// Serving answers (task serving, docs/cases.md "serving"): what a closed-loop benchmark at the
/// case's concurrency reports, or with a request rate the same with queueing. Times in seconds.
struct ServingResult {
  double ttft_s = 0;      ///< mean time from sending a request to its first output token
  double ttft_p90_s = 0;
  double ttft_p99_s = 0;
  double tpot_s = 0;      ///< mean per request of (e2e - ttft) / (generate - 1)
  double tpot_p90_s = 0;
  double tpot_p99_s = 0;
  double e2e_s = 0;       ///< mean end-to-end latency of a request
  double output_tokens_per_s = 0;  ///< all output tokens / duration, steady state, whole deployment
  double requests_per_s = 0;
  double kv_capacity_tokens = 0;   ///< tokens the KV pool holds across the deployment
};

/// Limits found by `solve`; -1 = not asked. 0 = even the smallest setting does not fit.
struct Limits {
  std::int64_t max_batch = -1;
  std::int64_t max_seq = -1;
  std::int64_t max_context = -1;
  std::int64_t max_concurrency = -1;  ///< serving: largest concurrency that fits and meets the slo
};

/// measured/predicted ratio band expected to hold 80% of the time.
struct Interval {
  double low = 0, high = 0;
  [[nodiscard]] constexpr bool present() const noexcept { return high > 0; }
};

/// The runtime class of a band cell (uncertainty.hpp): runtimes whose prediction errors share their
/// causes, so that a band derived on some of them is expected to hold on the others.
enum class RuntimeClass { eager, distributed, server, local, collective };

/// How the GPUs share a job, for the band cell: one GPU, data parallel only (dp, ZeRO/FSDP), or any
/// model parallelism (tp, pp, cp or ep above 1).
enum class ParallelRegime { one_gpu, data_parallel, model_parallel };

/// The numeric answer keys that carry a band in `intervals` (docs/cases.md), spelled in names.hpp
/// ("memory.per_gpu_gib", ...). `limits_max_concurrency` is the last (names.hpp checks).
enum class AnswerKey {
  memory_per_gpu_gib,
  memory_reserved_gib,
  memory_device_gib,
  time_prefill_tokens_per_s,
  time_decode_tokens_per_s,
  time_ttft_s,
  time_step_time_s,
  time_train_tokens_per_s_per_gpu,
  time_mfu,
  time_hfu,
  time_busbw_gbps,
  limits_max_batch,
  limits_max_seq,
  limits_max_context,
  serving_ttft_s,
  serving_ttft_p90_s,
  serving_ttft_p99_s,
  serving_tpot_s,
  serving_tpot_p90_s,
  serving_tpot_p99_s,
  serving_e2e_s,
  serving_output_tokens_per_s,
  serving_requests_per_s,
  serving_kv_capacity_tokens,
  limits_max_concurrency
};

/// One band per answer key, indexed by AnswerKey; a key the answer does not write has none.
struct Intervals {
  std::array<Interval, static_cast<std::size_t>(AnswerKey::limits_max_concurrency) + 1> band{};
  [[nodiscard]] constexpr Interval& operator[](AnswerKey k) noexcept { return band[static_cast<std::size_t>(k)]; }
  [[nodiscard]] constexpr const Interval& operator[](AnswerKey k) const noexcept {
    return band[static_cast<std::size_t>(k)];
  }
};

struct Answer {
  bool has_memory = false;
  MemoryResult memory{};
  bool has_time = false;
  TimeResult time{};
  bool has_serving = false;
  ServingResult serving{};
  Limits limits{};
  Interval interval{};    ///< the band of the headline key (intervals[headline])
  Intervals intervals{};  ///< the band of every numeric key the answer has
};

}  // namespace headroom
