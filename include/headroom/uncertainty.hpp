#pragma once
/// @file uncertainty.hpp
/// The 80% prediction band of an answer: the measured/predicted ratio range expected to hold 80% of the
/// time (docs/cases.md `interval`), per answer key and regime, derived from the residuals of the public
/// validation cases (docs/calibration.md "Uncertainty bands"):
///
///   r_i = ln(measured_i / predicted_i) over the scored cases of one (key, regime);
///   low = exp(10th percentile of r), high = exp(90th percentile of r)   (linear interpolation)
///
/// A (key, regime) group with fewer than `min_cases` cases uses the key's pooled row (regime "any").
/// The regime is the answer's bound for time keys ("compute", "memory", "communication") and the task
/// for memory.per_gpu_gib ("inference", "training"). With a measured profile the band is widened by
/// the profile fit's own 80% half-width in log space, combined in quadrature (docs/reference/formulas.md §5.4).
///
/// Every numeric key an answer writes gets its own band in `Answer::intervals` (fill_intervals, through
/// band_for); `interval` is the headline key's.
///
/// data/uncertainty/intervals.json mirrors `interval_bands` (a test checks that they are equal);
/// data/uncertainty/derive_intervals.py regenerates both from `headroom validate --json`.

#include <array>
#include <cmath>
#include <string_view>

#include "headroom/job.hpp"
#include "headroom/names.hpp"
#include "headroom/result.hpp"

namespace headroom {

/// One row of the band table.
struct IntervalBand {
  std::string_view key;     ///< answer key, e.g. "time.decode_tokens_per_s"
  std::string_view regime;  ///< "compute", "memory", "communication", "inference", "training" or "any"
  double low = 0, high = 0;  ///< measured/predicted band
  int cases = 0;             ///< validation cases it was derived from
  double coverage = 0;       ///< share of those cases inside [low, high]

  constexpr bool operator==(const IntervalBand&) const noexcept = default;
};

inline constexpr int interval_min_cases = 8;

// BEGIN GENERATED BAND TABLE (data/uncertainty/derive_intervals.py)
inline constexpr std::array<IntervalBand, 16> interval_bands{{
    {"memory.per_gpu_gib", "any", 0.882, 1.188, 86, 0.791},
    {"memory.per_gpu_gib", "inference", 0.879, 1.208, 46, 0.783},
    {"memory.per_gpu_gib", "training", 0.903, 1.14, 40, 0.8},
    {"memory.reserved_gib", "any", 0.94, 1.216, 28, 0.786},
    {"memory.reserved_gib", "training", 0.94, 1.216, 28, 0.786},
    {"time.decode_tokens_per_s", "any", 0.741, 1.159, 174, 0.793},
    {"time.decode_tokens_per_s", "compute", 0.838, 1.138, 31, 0.742},
    {"time.decode_tokens_per_s", "memory", 0.606, 1.167, 143, 0.79},
    {"time.mfu", "any", 0.703, 0.883, 9, 0.778},
    {"time.mfu", "compute", 0.703, 0.883, 9, 0.778},
    {"time.prefill_tokens_per_s", "any", 0.566, 1.241, 76, 0.789},
    {"time.prefill_tokens_per_s", "compute", 0.589, 1.245, 71, 0.789},
    {"time.step_time_s", "any", 0.527, 0.961, 5, 0.6},
    {"time.train_tokens_per_s_per_gpu", "any", 0.73, 0.973, 194, 0.794},
    {"time.train_tokens_per_s_per_gpu", "compute", 0.73, 0.959, 189, 0.794},
    {"time.ttft_s", "any", 1.091, 1.304, 9, 0.778},
}};
// END GENERATED BAND TABLE

/// The band of (key, regime), else the key's "any" row, else none (present() is false).
[[nodiscard]] constexpr Interval interval_for(std::string_view key, std::string_view regime) noexcept {
  const IntervalBand* any = nullptr;
  for (const auto& b : interval_bands) {
    if (b.key != key) continue;
    if (b.regime == regime) return Interval{b.low, b.high};
    if (b.regime == "any") any = &b;
  }
  return any ? Interval{any->low, any->high} : Interval{};
}

/// The band of a key with no row at all: x/÷2 (issue 11: a cell without a source gets x/÷2).
inline constexpr Interval no_data_band{0.5, 2.0};

/// The band of one answer key in one regime: its own row (interval_for), else, for the reserved and
/// device memory keys, the allocated memory's row of the regime (a memory band, never a throughput
/// one), else no_data_band. A small function over the table, so a per-cell derivation can replace
/// the table without touching its callers.
[[nodiscard]] constexpr Interval band_for(AnswerKey k, std::string_view regime) noexcept {
  const Interval own = interval_for(to_string(k), regime);
  if (own.present()) return own;
  if (k == AnswerKey::memory_reserved_gib || k == AnswerKey::memory_device_gib) {
    const Interval allocated = interval_for(to_string(AnswerKey::memory_per_gpu_gib), regime);
    if (allocated.present()) return allocated;
  }
  return no_data_band;
}

/// The band of a key given by its spelling (validation scoring); none for a key that is not an
/// AnswerKey (memory.fits).
[[nodiscard]] constexpr Interval band_for(std::string_view key, std::string_view regime) noexcept {
  const auto k = names::value<AnswerKey>(key, false);
  return k ? band_for(*k, regime) : Interval{};
}

/// `band` widened by a profile fit's 80% half-width `log_half_width` (ln units), in quadrature on the
/// log half-width around the band's log centre.
[[nodiscard]] inline Interval widen(Interval band, double log_half_width) noexcept {
  if (!band.present() || !(log_half_width > 0)) return band;
  const double lo = std::log(band.low), hi = std::log(band.high);
  const double c = 0.5 * (lo + hi), h = 0.5 * (hi - lo);
  const double w = std::sqrt(h * h + log_half_width * log_half_width);
  return Interval{std::exp(c - w), std::exp(c + w)};
}

/// The regime of a time key's answer.
[[nodiscard]] constexpr std::string_view regime_of(Bound b) noexcept {
  return b == Bound::none ? std::string_view("any") : to_string(b);
}

/// The answer key `interval` describes: the task's time key when the answer has time (inference:
/// decode_tokens_per_s, or prefill_tokens_per_s without generated tokens; training:
/// train_tokens_per_s_per_gpu; collective: busbw_gbps), else memory.per_gpu_gib.
[[nodiscard]] constexpr std::string_view headline_key(const Job& w, const Answer& a) noexcept {
  if (a.has_time) {
    switch (w.task) {
      case Task::inference:
        return w.inference.generate > 0 && a.time.decode_tokens_per_s > 0 ? "time.decode_tokens_per_s"
                                                                 : "time.prefill_tokens_per_s";
      case Task::training: return "time.train_tokens_per_s_per_gpu";
      case Task::collective: return "time.busbw_gbps";
      case Task::serving: return "";  // not modelled yet
    }
  }
  return a.has_memory ? "memory.per_gpu_gib" : "";
}

/// The regime of the headline key (see the file comment).
[[nodiscard]] constexpr std::string_view headline_regime(const Job& w, const Answer& a) noexcept {
  if (a.has_time) return regime_of(a.time.bound);
  return w.task == Task::training ? "training" : "inference";
}

/// The value an answer gives a key (0: the answer does not write it; limits: -1 when not asked).
[[nodiscard]] constexpr double answer_value(const Answer& a, AnswerKey k) noexcept {
  const MemoryResult& m = a.memory;
  const TimeResult& t = a.time;
  switch (k) {
    case AnswerKey::memory_per_gpu_gib: return a.has_memory ? m.per_gpu.value() : 0;
    case AnswerKey::memory_reserved_gib: return a.has_memory ? m.reserved.value() : 0;
    case AnswerKey::memory_device_gib: return a.has_memory ? m.device.value() : 0;
    case AnswerKey::time_prefill_tokens_per_s: return a.has_time ? t.prefill_tokens_per_s : 0;
    case AnswerKey::time_decode_tokens_per_s: return a.has_time ? t.decode_tokens_per_s : 0;
    case AnswerKey::time_ttft_s: return a.has_time ? t.ttft_s : 0;
    case AnswerKey::time_step_time_s: return a.has_time ? t.step_time_s : 0;
    case AnswerKey::time_train_tokens_per_s_per_gpu: return a.has_time ? t.train_tokens_per_s_per_gpu : 0;
    case AnswerKey::time_mfu: return a.has_time ? t.mfu : 0;
    case AnswerKey::time_hfu: return a.has_time ? t.hfu : 0;
    case AnswerKey::time_busbw_gbps: return a.has_time ? t.busbw_gbps : 0;
    case AnswerKey::limits_max_batch: return static_cast<double>(a.limits.max_batch);
    case AnswerKey::limits_max_seq: return static_cast<double>(a.limits.max_seq);
    case AnswerKey::limits_max_context: return static_cast<double>(a.limits.max_context);
  }
  return 0;
}

/// The regime of one key's band: the answer's bound for time keys, the task for memory keys and
/// limits (memory decides them).
[[nodiscard]] constexpr std::string_view regime_for(AnswerKey k, const Job& w, const Answer& a) noexcept {
  const std::string_view key = to_string(k);
  if (key.starts_with("time.")) return regime_of(a.time.bound);
  return w.task == Task::training ? "training" : "inference";
}

/// Fills `a.intervals` for every key the answer writes (limits: the one `solve` asked for, when it
/// is positive; a limit of 0 or a not-asked -1 has no ratio) and sets `a.interval` to the headline
/// key's band.
constexpr void fill_intervals(const Job& w, Answer& a) noexcept {
  for (int i = 0; i < names::count<AnswerKey>; ++i) {
    const auto k = static_cast<AnswerKey>(i);
    const std::string_view key = to_string(k);
    const bool limit = key.starts_with("limits.");
    const bool asked = !limit || key.substr(7) == to_string(w.question.solve);
    a.intervals[k] = answer_value(a, k) > 0 && asked ? band_for(k, regime_for(k, w, a)) : Interval{};
  }
  const auto head = names::value<AnswerKey>(headline_key(w, a), false);
  a.interval = head ? a.intervals[*head] : Interval{};
}

}  // namespace headroom
