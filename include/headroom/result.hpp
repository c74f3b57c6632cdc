#pragma once
/// @file result.hpp
/// What an evaluation answers: memory (fit), time, solved limits and the uncertainty band.
/// Model outcomes live here as values; "does not fit" is a result, not an error.

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

struct MemoryResult {
  MemoryBreakdown breakdown{};
  Bytes per_gpu{};   ///< breakdown.total(): peak of the busiest GPU
  Bytes capacity{};  ///< the GPU's memory
  bool fits = false;
  bool may_page = false;  ///< does not fit, but paged optimizer state could spill to host memory
  Component limiting = Component::weights;  ///< largest component

  [[nodiscard]] constexpr Bytes headroom() const noexcept { return capacity - per_gpu; }
};

enum class Bound { none, compute, memory, communication };

/// Time answers; a key that does not apply to the task stays at 0 and is not written.
struct TimeResult {
  Bound bound = Bound::none;
  double prefill_tokens_per_s = 0;
  double decode_tokens_per_s = 0;
  double ttft_s = 0;
  double step_time_s = 0;
  double train_tokens_per_s_per_gpu = 0;
  double mfu = 0;
  double busbw_gbps = 0;
  double intensity = 0;  ///< FLOP per byte of the dominant phase
};

/// Limits found by `solve`; -1 = not asked. 0 = even the smallest setting does not fit.
struct Limits {
  std::int64_t max_batch = -1;
  std::int64_t max_seq = -1;
  std::int64_t max_context = -1;
};

/// measured/predicted ratio band expected to hold 80% of the time.
struct Interval {
  double low = 0, high = 0;
  [[nodiscard]] constexpr bool present() const noexcept { return high > 0; }
};

struct Answer {
  bool has_memory = false;
  MemoryResult memory{};
  bool has_time = false;
  TimeResult time{};
  Limits limits{};
  Interval interval{};
};

}  // namespace headroom
