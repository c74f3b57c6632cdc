#include "headroom/io/efficiency_json.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "headroom/time_model.hpp"
#include "../unit/hand_records.hpp"

using namespace headroom;

namespace {
const std::filesystem::path builtin_file = std::filesystem::path(HEADROOM_SOURCE_DIR) / "data/efficiency/builtin.json";

nlohmann::json builtin_json() { return efficiency_to_json(builtin_efficiency); }

std::string error_of(const nlohmann::json& j) {
  StringStore store;
  try {
    (void)efficiency_from_json(j, store, "test");
  } catch (const DataError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("data/efficiency/builtin.json equals the constexpr built-in profile", "[io][efficiency]") {
  StringStore store;
  const EfficiencyProfile loaded = load_efficiency(builtin_file, store);
  // Field by field first, for a readable failure; then the whole aggregate.
  for (std::size_t i = 0; i < names::count<GpuFamily>; ++i) {
    INFO("family " << std::string(to_string(static_cast<GpuFamily>(i))));
    REQUIRE(loaded.family[i] == builtin_efficiency.family[i]);
  }
  for (std::size_t i = 0; i < names::count<Runtime>; ++i) {
    INFO("runtime " << std::string(to_string(static_cast<Runtime>(i))));
    REQUIRE(loaded.runtime[i] == builtin_efficiency.runtime[i]);
  }
  REQUIRE(loaded == builtin_efficiency);
}

TEST_CASE("a profile survives a JSON round trip and drives the model", "[io][efficiency]") {
  StringStore store;
  const EfficiencyProfile p = efficiency_from_json(nlohmann::json::parse(builtin_json().dump()), store);
  REQUIRE(p == builtin_efficiency);

  // A calibration replaces numbers: a slower copy bandwidth on Ada slows memory-bound decode in proportion.
  nlohmann::json j = builtin_json();
  j["name"] = "measured";
  j["families"]["ada"]["memory"]["eta_max"] = 0.45;
  const EfficiencyProfile slow = efficiency_from_json(j, store);
  REQUIRE(slow.name == "measured");
  Job w;  // Llama-3-8B decode on an RTX 4090 (Ada), records written by hand (tests/unit/hand_records.hpp)
  w.hardware.gpu = &test_records::rtx4090;
  w.model = &test_records::llama3_8b;
  w.runtime = Runtime::tensorrt_llm;
  w.inference.prompt = 0;
  const double fast = estimate_time(w, builtin_efficiency).decode_tokens_per_s;
  const double halved = estimate_time(w, slow).decode_tokens_per_s;
  REQUIRE(halved < 0.6 * fast);
  REQUIRE(halved > 0.45 * fast);
}

TEST_CASE("efficiency JSON errors name the object and the field", "[io][efficiency]") {
  nlohmann::json j = builtin_json();
  j["runtimes"]["vllm"]["gemm_scal"] = 1.0;
  REQUIRE(error_of(j).find("runtimes.vllm") != std::string::npos);
  REQUIRE(error_of(j).find("gemm_scal") != std::string::npos);

  j = builtin_json();
  j["families"].erase("hopper");
  REQUIRE(error_of(j).find("hopper") != std::string::npos);

  j = builtin_json();
  j["families"]["turing"]["gemm"]["eta_max"]["bf16"] = "high";
  REQUIRE(error_of(j).find("bf16") != std::string::npos);

  j = builtin_json();
  j["runtimes"]["hf"]["quant_call_sync"]["fp8"] = 2;  // a flag: the call ends with a device sync or not
  REQUIRE(error_of(j).find("runtimes.hf.quant_call_sync.fp8") != std::string::npos);
  REQUIRE(error_of(j).find("must be 0") != std::string::npos);

  j = builtin_json();
  j["families"]["tpu"] = j["families"]["ada"];
  REQUIRE(error_of(j).find("unknown GPU family") != std::string::npos);

  j = builtin_json();
  j["runtimes"]["llama.cpp"]["prefill_chunk_tokens"] = 512.5;
  REQUIRE(error_of(j).find("whole number") != std::string::npos);

  j = builtin_json();
  j["schema"] = 2;
  REQUIRE(error_of(j).find("schema") != std::string::npos);

  StringStore store;
  REQUIRE_THROWS_AS(load_efficiency("/nonexistent/profile.json", store), IoError);
}

TEST_CASE("efficiency JSON: values out of their physical range are rejected", "[io][efficiency]") {
  // An efficiency is a share of a peak: (0, 1]. A scale multiplies a rate: > 0.
  nlohmann::json j = builtin_json();
  j["families"]["hopper"]["gemm"]["eta_max"]["bf16"] = 1.2;
  CHECK(error_of(j).find("families.hopper.gemm.eta_max.bf16") != std::string::npos);
  CHECK(error_of(j).find("(0, 1]") != std::string::npos);

  j = builtin_json();
  j["families"]["ada"]["memory"]["eta_max"] = 0;
  CHECK(error_of(j).find("families.ada.memory.eta_max") != std::string::npos);

  j = builtin_json();
  j["runtimes"]["vllm"]["gemm_scale"] = 0;
  CHECK(error_of(j).find("runtimes.vllm.gemm_scale") != std::string::npos);
  CHECK(error_of(j).find("> 0") != std::string::npos);

  j = builtin_json();
  j["runtimes"]["llama.cpp"]["family_gemm_scale"]["apple"] = -1;
  CHECK(error_of(j).find("family_gemm_scale.apple") != std::string::npos);

  j = builtin_json();
  j["runtimes"]["pytorch"]["serving_scale"] = 1.5;
  CHECK(error_of(j).find("serving_scale") != std::string::npos);

  j = builtin_json();
  j["families"]["ada"]["attention_fwd"] = 0;  // 0: not set, allowed
  CHECK(error_of(j).empty());
  j["families"]["ada"]["attention_fwd"] = 1.01;
  CHECK(error_of(j).find("attention_fwd") != std::string::npos);

  j = builtin_json();
  j["runtimes"]["llama.cpp"]["family_gemm_scale"]["apple"] = 1.8;  // a scale may exceed 1
  CHECK(error_of(j).empty());
}
