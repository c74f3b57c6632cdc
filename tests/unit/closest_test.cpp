#include <catch2/catch.hpp>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "headroom/detail/closest.hpp"

using headroom::detail::closest;
using headroom::detail::edit_distance;

TEST_CASE("edit distance", "[closest]") {
  CHECK(edit_distance("", "") == 0);
  CHECK(edit_distance("abc", "") == 3);
  CHECK(edit_distance("kitten", "sitting") == 3);
  CHECK(edit_distance("bandwith_gbps", "bandwidth_gbps") == 1);
}

TEST_CASE("closest ids: exact, prefix, substring, then edit distance", "[closest]") {
  const std::vector<std::string> ids{"a10", "a100-sxm4-80gb", "h100-pcie-80gb", "h100-sxm5-80gb", "rtx-3090", "rtx-4090"};
  // Case-insensitive exact match first.
  CHECK(closest("RTX-4090", ids) == std::vector<std::string>{"rtx-4090", "rtx-3090"});
  // Prefixes before anything else, in catalog order; then "a10", 2 edits away (threshold max(2, 4/3)).
  CHECK(closest("h100", ids) == std::vector<std::string>{"h100-pcie-80gb", "h100-sxm5-80gb", "a10"});
  CHECK(closest("h100", ids, 2) == std::vector<std::string>{"h100-pcie-80gb", "h100-sxm5-80gb"});
  // A query that extends a candidate (candidate is a prefix of the query).
  CHECK(closest("rtx-4090-24gb", ids).front() == "rtx-4090");
  // Substring: "4090" sits inside "rtx-4090".
  CHECK(closest("4090", ids).front() == "rtx-4090");
  // Edit distance: a missing hyphen.
  CHECK(closest("rtx4090", ids).front() == "rtx-4090");
  // A long shared prefix counts even when the edit distance is large (5 here, threshold 3).
  const std::vector<std::string> keys{"flash_attention", "flops", "fp8"};
  CHECK(closest("flash_attn", keys) == std::vector<std::string>{"flash_attention"});
  // Nothing close: no suggestion rather than a wild guess.
  CHECK(closest("zzzzzzzzzz", ids).empty());
  CHECK(closest("", ids).empty());
  CHECK(closest("rtx-4090", ids, 0).empty());
}

TEST_CASE("closest accepts any range of string-like values", "[closest]") {
  constexpr std::array<std::string_view, 3> keys{"capacity_gib", "bandwidth_gbps", "bus_bits"};
  CHECK(closest("bandwith_gbps", keys, 1) == std::vector<std::string>{"bandwidth_gbps"});
  const std::array<const char*, 2> raw{"fp16", "fp16"};  // duplicates collapse
  CHECK(closest("FP16", raw) == std::vector<std::string>{"fp16"});
}
