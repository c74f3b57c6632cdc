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
inline constexpr std::array<IntervalBand, 14> interval_bands{{
    {"memory.per_gpu_gib", "any", 0.901, 1.154, 64, 0.797},
    {"memory.per_gpu_gib", "inference", 0.959, 1.153, 22, 0.773},
    {"memory.per_gpu_gib", "training", 0.884, 1.175, 42, 0.762},
    {"time.decode_tokens_per_s", "any", 0.859, 1.133, 144, 0.792},
    {"time.decode_tokens_per_s", "compute", 0.838, 1.138, 31, 0.742},
    {"time.decode_tokens_per_s", "memory", 0.866, 1.121, 113, 0.788},
    {"time.mfu", "any", 0.667, 0.87, 9, 0.778},
    {"time.mfu", "compute", 0.667, 0.87, 9, 0.778},
    {"time.prefill_tokens_per_s", "any", 0.566, 1.241, 76, 0.789},
    {"time.prefill_tokens_per_s", "compute", 0.589, 1.245, 71, 0.789},
    {"time.step_time_s", "any", 0.527, 0.961, 5, 0.6},
    {"time.train_tokens_per_s_per_gpu", "any", 0.764, 0.952, 159, 0.799},
    {"time.train_tokens_per_s_per_gpu", "compute", 0.764, 0.952, 159, 0.799},
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

}  // namespace headroom
