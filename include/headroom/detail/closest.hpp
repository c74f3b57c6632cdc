#pragma once
/// @file detail/closest.hpp
/// "Did you mean": the candidates closest to a mistyped id or key.

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace headroom::detail {

inline std::string lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

/// Levenshtein distance (insert, delete, substitute: cost 1 each).
inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0u : 1u)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

/// Up to `max` candidates closest to `query`, case-insensitive: candidates that contain the query
/// (or that it contains) first, then those within an edit distance of max(2, |query|/3).
template <class Range>
std::vector<std::string> closest(std::string_view query, const Range& candidates, std::size_t max = 3) {
  const std::string q = lower(query);
  const std::size_t limit = std::max<std::size_t>(2, q.size() / 3);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& cand : candidates) {
    const std::string c(cand);
    const std::string lc = lower(c);
    std::size_t score = edit_distance(q, lc);
    const bool contains = !q.empty() && (lc.find(q) != std::string::npos || q.find(lc) != std::string::npos);
    if (contains) score = std::min(score, std::size_t{1});
    if (score <= limit) scored.emplace_back(score, c);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < scored.size() && i < max; ++i) out.push_back(scored[i].second);
  return out;
}

}  // namespace headroom::detail
