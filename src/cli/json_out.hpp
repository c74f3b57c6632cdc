#pragma once
// JSON output of the commands, with numbers rounded as in answers (docs/cases.md): GiB figures
// (keys ending in _gib) to 4 decimals, every other non-integer to 5 significant digits.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "headroom/io/cases.hpp"

namespace headroom::cli {

inline nlohmann::json rounded(const nlohmann::json& j, std::string_view key = {}) {
  if (j.is_number_float()) {
    const double v = j.get<double>();
    return key.size() >= 4 && key.substr(key.size() - 4) == "_gib"
               ? detail::case_parse::round_to(v, answer_gib_decimals)
               : detail::case_parse::round_sig(v, answer_time_digits);
  }
  if (j.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : j.items()) out[k] = rounded(v, k);
    return out;
  }
  if (j.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : j) out.push_back(rounded(v, key));
    return out;
  }
  return j;
}

/// `j` rounded and pretty-printed, numbers in their shortest form.
inline std::string json_text(const nlohmann::json& j) { return answer_text(rounded(j), 2); }

}  // namespace headroom::cli
