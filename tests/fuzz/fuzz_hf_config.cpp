/// @file tests/fuzz/fuzz_hf_config.cpp
/// Fuzz target: the Hugging Face config.json reader (io/hf_config.hpp). A config it accepts must be
/// within ModelLimits, and its parameter counts (model_to_json) must be non-negative and ordered.

#include <cstddef>
#include <cstdint>

#include "fuzz_common.hpp"
#include "headroom/io/hf_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using headroom::fuzz::require;
  try {
    const auto j = headroom::fuzz::parse_input(data, size);
    if (!j) return 0;
    headroom::StringStore store;
    const headroom::ModelArch m = headroom::model_from_hf_config(*j, store, "fuzz.json");
    require(headroom::valid(m), "an accepted config is within ModelLimits");
    const headroom::ParamCounts p = headroom::count_params(m);
    require(p.total > 0 && p.active > 0 && p.active <= p.total, "0 < params_active <= params_total");
    require(p.embedding >= 0 && p.lm_head >= 0 && p.blocks >= 0 && p.final_norm >= 0 && p.vision >= 0,
            "parameter parts >= 0");
    require(p.embedding + p.lm_head + p.blocks + p.final_norm + p.vision == p.total, "parameter parts sum to the total");
    require(p.block_linear >= 0 && p.block_linear <= p.blocks, "0 <= block_linear <= blocks");
    require(p.largest_linear > 0 && p.largest_linear <= p.block_linear, "0 < largest_linear <= block_linear");
    require(headroom::kv_elements_per_token(m) >= 0, "kv_elements_per_token >= 0");
    (void)headroom::model_to_json(m).dump();
  } catch (const headroom::Error&) {
    // A typed error naming the field is the contract for bad input.
  }
  return 0;
}
