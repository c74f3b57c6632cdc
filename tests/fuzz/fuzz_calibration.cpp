/// @file tests/fuzz/fuzz_calibration.cpp
/// Fuzz target: the calibration file reader (io/calibration_json.hpp), the way `--profile` reads a
/// file (load_profile_file: a calibration when it has `kind`, else a bare profile). A calibration it
/// accepts must be written and read back to the same JSON.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "headroom/io/calibration_json.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using headroom::fuzz::require;
  using namespace headroom;
  Calibration first;
  StringStore store;
  try {
    const auto j = fuzz::parse_input(data, size);
    if (!j) return 0;
    if (!(j->is_object() && j->contains("kind"))) {
      (void)efficiency_from_json(*j, store, "fuzz.json");
      return 0;
    }
    first = calibration_from_json(*j, store, "fuzz.json");
  } catch (const Error&) {
    return 0;
  }
  const nlohmann::json written = calibration_to_json(first);
  const Calibration second = calibration_from_json(nlohmann::json::parse(written.dump()), store, "written.json");
  require(calibration_to_json(second) == written, "a calibration written and read back gives the same JSON");
  require(second.profile == first.profile, "the profile of a calibration survives the round trip");
  return 0;
}
