#pragma once
/// @file stats.hpp
/// The error statistics of validation: absolute percentage error, median, percentiles, and
/// grouping helpers. Standard library only.
///
/// Percentile definition: linear interpolation between closest ranks (Hyndman & Fan type 7, the
/// default of NumPy `percentile`, R `quantile` and Excel `PERCENTILE.INC`). For n sorted values
/// x[0..n-1] the p-th percentile sits at the fractional index i = (p/100)·(n-1):
/// x[floor(i)] + (i - floor(i))·(x[floor(i)+1] - x[floor(i)]). So percentile 0 is the minimum,
/// 100 the maximum and 50 the median (the mean of the two middle values for even n). An empty
/// input gives NaN.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <limits>
#include <map>
#include <span>
#include <type_traits>
#include <utility>
#include <vector>

namespace headroom::stats {

inline constexpr double nan_value = std::numeric_limits<double>::quiet_NaN();

/// |predicted − measured| / |measured|, as a fraction (0.1 = 10%). NaN when measured is 0 or either
/// value is not finite.
[[nodiscard]] inline double ape(double predicted, double measured) noexcept {
  if (measured == 0 || !std::isfinite(measured) || !std::isfinite(predicted)) return nan_value;
  return std::fabs(predicted - measured) / std::fabs(measured);
}

/// The p-th percentile (0 ≤ p ≤ 100) by linear interpolation (see the file comment). NaN values
/// are ignored; NaN when nothing is left. `p` outside [0, 100] is clamped.
[[nodiscard]] inline double percentile(std::span<const double> values, double p) {
  std::vector<double> v;
  v.reserve(values.size());
  for (double x : values)
    if (!std::isnan(x)) v.push_back(x);
  if (v.empty()) return nan_value;
  std::sort(v.begin(), v.end());
  const double q = std::clamp(p, 0.0, 100.0) / 100.0;
  const double index = q * static_cast<double>(v.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(index));
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  const double frac = index - static_cast<double>(lo);
  return v[lo] + frac * (v[hi] - v[lo]);
}

/// The median: percentile 50 (the mean of the two middle values for an even count).
[[nodiscard]] inline double median(std::span<const double> values) { return percentile(values, 50); }

/// The arithmetic mean of the non-NaN values; NaN when there are none.
[[nodiscard]] inline double mean(std::span<const double> values) noexcept {
  double sum = 0;
  std::size_t n = 0;
  for (double x : values)
    if (!std::isnan(x)) {
      sum += x;
      ++n;
    }
  return n ? sum / static_cast<double>(n) : nan_value;
}

/// correct / total as a fraction; NaN when total is 0.
[[nodiscard]] constexpr double share(std::size_t correct, std::size_t total) noexcept {
  return total ? static_cast<double>(correct) / static_cast<double>(total) : nan_value;
}

/// Summary of a set of errors: count, median, 90th percentile, mean and maximum.
struct Summary {
  std::size_t n = 0;
  double median = nan_value;
  double p90 = nan_value;
  double mean = nan_value;
  double max = nan_value;
};

/// Summarises the non-NaN values.
[[nodiscard]] inline Summary summarize(std::span<const double> values) {
  Summary s;
  for (double x : values)
    if (!std::isnan(x)) {
      ++s.n;
      s.max = std::isnan(s.max) ? x : std::max(s.max, x);
    }
  s.median = median(values);
  s.p90 = percentile(values, 90);
  s.mean = mean(values);
  return s;
}

/// Groups the items of `items` by `key(item)`, keeping their order inside each group; the groups
/// come out ordered by key (std::map).
template <class T, class KeyFn>
[[nodiscard]] auto group_by(std::span<const T> items, KeyFn key) {
  using Key = std::decay_t<std::invoke_result_t<KeyFn&, const T&>>;
  std::map<Key, std::vector<const T*>> groups;
  for (const T& item : items) groups[key(item)].push_back(&item);
  return groups;
}

template <class T, class KeyFn>
[[nodiscard]] auto group_by(const std::vector<T>& items, KeyFn key) {
  return group_by(std::span<const T>(items), std::move(key));
}

/// The values `value(item)` of the items of one group.
template <class T, class ValueFn>
[[nodiscard]] std::vector<double> values_of(const std::vector<const T*>& group, ValueFn value) {
  std::vector<double> out;
  out.reserve(group.size());
  for (const T* item : group) out.push_back(value(*item));
  return out;
}

}  // namespace headroom::stats
