#pragma once
// Hand-made validation cases and answers shared by tests/io/validation_test.cpp and
// tests/cli/validation_report_test.cpp (no evaluation involved).

#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "headroom/io/validation.hpp"

namespace validation_hand {

namespace hr = headroom;
using json = nlohmann::json;

inline hr::ValidationCase make_case(const std::string& row, const std::string& key, double value, const std::string& confidence,
                             json c = json{{"gpu", "rtx-4090"}, {"model", "llama-3-8b"}}) {
  hr::ValidationCase v;
  v.file = "hand.jsonl";
  v.source_row = row;
  v.key = key;
  v.expected = value;
  v.confidence = confidence;
  v.kind = "measured";
  v.notes = "notes of " + row;
  v.case_text = c.dump();
  return v;
}

/// A report from hand-made cases and answers (no evaluation involved).
inline hr::ValidationReport hand_report(const std::vector<std::pair<hr::ValidationCase, json>>& rows) {
  hr::ValidationReport rep;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    rep.cases.push_back(rows[i].first);
    rep.results.push_back(hr::detail::validation_impl::score(rows[i].first, i, rows[i].second));
  }
  return rep;
}

/// A memory answer at the three levels: reserved = per_gpu + 0.25, device = per_gpu + 0.5 GiB.
inline json memory_answer(double per_gpu, bool fits = true) {
  return json{{"id", "x"},
              {"ok", true},
              {"memory",
               {{"per_gpu_gib", per_gpu},
                {"reserved_gib", per_gpu + 0.25},
                {"device_gib", per_gpu + 0.5},
                {"capacity_gib", 24.0},
                {"usable_gib", 24.0},
                {"fits", fits}}}};
}

/// 4 memory cases (APE 0.1, 0.2, 0.3, 0.4), 2 fits cases (one wrong), 1 time case not predicted,
/// 1 error.
inline hr::ValidationReport sample_report() {
  auto fits_ok = make_case("SRCB-1", "memory.fits", 0, "medium");
  fits_ok.expected_fits = true;
  auto fits_wrong = make_case("SRCB-2", "memory.fits", 0, "low");
  fits_wrong.expected_fits = false;
  json llama{{"gpu", "rtx-3090"}, {"model", "m"}, {"runtime", "llama.cpp"}};
  auto rep = hand_report({
      {make_case("SRCA-1", "memory.per_gpu_gib", 10, "high"), memory_answer(11)},
      {make_case("SRCA-2", "memory.per_gpu_gib", 10, "high"), memory_answer(8)},
      {make_case("SRCA-3", "memory.per_gpu_gib", 10, "medium", llama), memory_answer(13)},
      {make_case("SRCB-3", "memory.per_gpu_gib", 10, "low", llama), memory_answer(6)},
      {fits_ok, memory_answer(20, true)},
      {fits_wrong, memory_answer(20, true)},
      {make_case("SRCC-1", "time.decode_tokens_per_s", 40, "high"), memory_answer(5)},
      {make_case("SRCC-2", "memory.per_gpu_gib", 10, "high"), hr::error_to_json("SRCC-2", "'model': unknown")},
  });
  return rep;
}

}  // namespace validation_hand
