/// @file tests/fuzz/fuzz_efficiency.cpp
/// Fuzz target: the efficiency profile reader (io/efficiency_json.hpp). A profile it accepts must
/// be written and read back equal.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "headroom/io/efficiency_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using headroom::fuzz::require;
  using namespace headroom;
  EfficiencyProfile first;
  StringStore store;
  try {
    const auto j = fuzz::parse_input(data, size);
    if (!j) return 0;
    first = efficiency_from_json(*j, store, "fuzz.json");
  } catch (const Error&) {
    return 0;
  }
  const nlohmann::json written = efficiency_to_json(first);
  const EfficiencyProfile second = efficiency_from_json(nlohmann::json::parse(written.dump()), store, "written.json");
  require(second == first, "a profile written and read back is equal");
  return 0;
}
