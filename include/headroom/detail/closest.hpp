#pragma once
/// @file detail/closest.hpp
/// "Did you mean": the candidates closest to a misspelt id or key. Standard library only.

#include <algorithm>
#include <cstddef>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace headroom::detail {

/// ASCII lower case of `s`.
[[nodiscard]] inline std::string to_lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

/// Whether `a` and `b` are equal ignoring ASCII case.
[[nodiscard]] constexpr bool equal_ignoring_case(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

/// Whether `a` and `b` name the same thing as people type names: equal ignoring ASCII case, with
/// ' ', '_' and '-' all the same separator ("RTX 5060 Ti" and "rtx-5060-ti", "apple_m4_max" and "apple-m4-max"),
/// and a '+' in `b` read as "-plus", the kebab-case spelling of product names with a plus ("Ryzen AI Max+ 395"
/// and "ryzen-ai-max-plus-395").
[[nodiscard]] constexpr bool same_name(std::string_view a, std::string_view b) noexcept {
  const auto fold = [](char c) {
    if (c == ' ' || c == '_') return '-';
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  };
  constexpr std::string_view plus = "-plus";
  std::size_t i = 0;
  for (const char c : b) {
    if (c == '+') {
      if (a.size() - i < plus.size()) return false;
      for (const char p : plus)
        if (fold(a[i++]) != p) return false;
    } else if (i == a.size() || fold(a[i++]) != fold(c)) {
      return false;
    }
  }
  return i == a.size();
}

/// Levenshtein distance (insert, delete, substitute: cost 1 each), two-row form.
[[nodiscard]] inline std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

/// Length of the longest common prefix of `a` and `b`.
[[nodiscard]] inline std::size_t common_prefix(std::string_view a, std::string_view b) noexcept {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) ++n;
  return n;
}

/// Up to `max` candidates that look like `query`, best first, compared case-insensitively:
/// an exact match, then candidates that start with the query (or that the query starts with),
/// then candidates that contain the query (or that the query contains, for candidates of at
/// least 3 characters), then candidates within edit distance max(2, query length / 3) or sharing
/// a long prefix with the query (at least max(4, 2/3 of its length): "flash_attn" -> "flash_attention").
/// Within a tier, smaller edit distance first, then the order of `candidates`. Duplicates are
/// dropped; an empty query matches nothing.
///
/// @param candidates any range whose elements convert to std::string_view (std::string,
///        std::string_view, const char*).
/// @code
/// closest("rtx4090", std::array{"rtx-4090", "rtx-3090", "a100-sxm4-80gb"})  // {"rtx-4090", "rtx-3090"}
/// @endcode
template <class Range>
[[nodiscard]] std::vector<std::string> closest(std::string_view query, const Range& candidates,
                                               std::size_t max = 3) {
  std::vector<std::string> out;
  if (query.empty() || max == 0) return out;
  const std::string q = to_lower_ascii(query);
  const std::size_t threshold = std::max<std::size_t>(2, q.size() / 3);
  const std::size_t long_prefix = std::max<std::size_t>(4, (2 * q.size() + 2) / 3);

  // (tier, distance, position, candidate)
  std::vector<std::tuple<int, std::size_t, std::size_t, std::string>> scored;
  std::size_t position = 0;
  for (const auto& item : candidates) {
    const std::string_view original{item};
    const std::string c = to_lower_ascii(original);
    const std::size_t distance = edit_distance(q, c);
    int tier = -1;
    if (c == q) tier = 0;
    else if (c.starts_with(q) || q.starts_with(c)) tier = 1;
    else if (c.find(q) != std::string::npos || (c.size() >= 3 && q.find(c) != std::string::npos)) tier = 2;
    else if (distance <= threshold || common_prefix(q, c) >= long_prefix) tier = 3;
    if (tier >= 0) scored.emplace_back(tier, distance, position, std::string(original));
    ++position;
  }
  std::sort(scored.begin(), scored.end());
  for (const auto& entry : scored) {
    const std::string& name = std::get<3>(entry);
    if (std::find(out.begin(), out.end(), name) != out.end()) continue;
    out.push_back(name);
    if (out.size() == max) break;
  }
  return out;
}

}  // namespace headroom::detail
