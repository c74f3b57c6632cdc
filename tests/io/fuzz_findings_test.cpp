// Regression tests for what the fuzz campaign found (docs/reliability.md "Campaign log"). The
// minimized inputs are in tests/fuzz/corpus/<target>/regress-*, replayed by fuzz-<target>-corpus.

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>

#include "headroom/catalog.hpp"
#include "headroom/io/calibration_json.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/io/efficiency_json.hpp"
#include "headroom/io/gpu_json.hpp"

namespace hr = headroom;
using json = nlohmann::json;
using Catch::Matchers::Contains;

TEST_CASE("fuzz finding: a collective of 1e308 bytes is an error, not a NaN busbw", "[io][fuzz]") {
  // 2(n-1)/n x 1e308 bytes overflows a double: time = inf, busbw = inf / inf = NaN, printed as null
  // in an answer that said ok: true.
  const std::string line = R"({"task":"collective","gpu":"rtx-4090","gpus":2,"parallel":{"dp":2},)"
                           R"("collective":"all_reduce","bytes":1e308})";
  const json answer = hr::eval_line(line, hr::Catalog::builtin(), 1);
  CHECK(answer.at("ok") == false);
  CHECK_THAT(answer.at("error").get<std::string>(), Contains("'bytes'") && Contains("1e+308") && Contains("2^60"));

  // The limit itself, 2^60 bytes (1 EiB), is accepted and answers a finite busbw.
  const json at_limit = hr::eval_line(R"({"task":"collective","gpu":"rtx-4090","gpus":2,"parallel":{"dp":2},)"
                                      R"("collective":"all_reduce","bytes":1152921504606846976})",
                                      hr::Catalog::builtin(), 1);
  REQUIRE(at_limit.at("ok") == true);
  CHECK(std::isfinite(at_limit.at("time").at("busbw_gbps").get<double>()));
  CHECK(at_limit.at("time").at("busbw_gbps").get<double>() > 0);
}

namespace {

/// A minimal GPU record: 1 GiB at 1 GB/s, no peaks.
json small_gpu() {
  return json::parse(R"({"schema":1,"id":"x","name":"x","memory":{"capacity_gib":1,"bandwidth_gbps":1},)"
                     R"("dense_tflops":{},"sources":["s"]})");
}

/// The message of the DataError that reading `j` throws ("" when it does not throw).
std::string gpu_error(const json& j) {
  hr::StringStore store;
  try {
    (void)hr::gpu_from_json(j, store, "gpu.json");
  } catch (const hr::DataError& e) {
    return e.what();
  }
  return "";
}

/// The record read, written and read again.
hr::GpuRecord round_trip(const json& j, hr::StringStore& store) {
  const hr::GpuRecord r = hr::gpu_from_json(j, store, "gpu.json");
  return hr::gpu_from_json(json::parse(hr::gpu_to_json(r.spec, r.provenance).dump()), store, "written.json");
}

}  // namespace

TEST_CASE("fuzz finding: GPU numbers that would not survive the writer are errors", "[io][fuzz][gpu]") {
  // 1e300 GiB is 1e300 x 2^30 bytes = infinity: written as null, which does not read back.
  json huge = small_gpu();
  huge["memory"]["capacity_gib"] = 1e300;
  CHECK_THAT(gpu_error(huge), Contains("memory.capacity_gib") && Contains("1e+300") && Contains("1e+09"));
  // 1e303 TFLOPS = 1e315 FLOP/s = infinity.
  json fast = small_gpu();
  fast["dense_tflops"]["bf16"] = 1e303;
  CHECK_THAT(gpu_error(fast), Contains("dense_tflops.bf16") && Contains("outside the range"));
  // Below the writer's 6 decimals a capacity is written as 0, which "must be greater than 0".
  json tiny = small_gpu();
  tiny["memory"]["capacity_gib"] = 1e-300;
  CHECK_THAT(gpu_error(tiny), Contains("memory.capacity_gib") && Contains("1e-06"));
  json tiny_peak = small_gpu();
  tiny_peak["dense_tflops"]["fp32"] = 1e-9;
  CHECK_THAT(gpu_error(tiny_peak), Contains("dense_tflops.fp32"));
  // 2^31 - 1 lanes: a PCIe link has at most 32.
  json lanes = small_gpu();
  lanes["interconnect"] = {{"pcie", {{"generation", 4}, {"lanes", 2147483647}}}, {"peer_access", "pcie"}};
  CHECK_THAT(gpu_error(lanes), Contains("interconnect.pcie.lanes") && Contains("32"));
}

TEST_CASE("fuzz finding: the ends of the GPU number range round-trip", "[io][fuzz][gpu]") {
  json ends = small_gpu();
  ends["memory"]["capacity_gib"] = 1e9;
  ends["memory"]["bandwidth_gbps"] = 1e-6;
  ends["dense_tflops"]["bf16"] = 1e9;
  ends["dense_tflops"]["fp32"] = 1e-6;
  ends["interconnect"] = {{"pcie", {{"generation", 5}, {"lanes", 32}}}, {"peer_access", "pcie"}};
  hr::StringStore store;
  const hr::GpuRecord r = round_trip(ends, store);
  CHECK(hr::to_gib(r.spec.memory) == 1e9);
  CHECK(hr::to_gb_per_s(r.spec.memory_bandwidth) == Approx(1e-6).epsilon(1e-12));
  CHECK(hr::to_tflops(r.spec.peak.bf16) == Approx(1e9).epsilon(1e-12));
  CHECK(hr::to_tflops(r.spec.peak.fp32) == Approx(1e-6).epsilon(1e-12));
  CHECK(hr::to_gb_per_s(r.spec.pcie_per_direction) == Approx(32 * 63.0 / 16).epsilon(1e-12));  // 126 GB/s
}

TEST_CASE("fuzz finding: a prefill chunk beyond int64 is an error, not an undefined cast", "[io][fuzz][efficiency]") {
  // 1e300 tokens was cast to int64 before the whole-number check (UBSan: float-cast-overflow).
  json p = hr::efficiency_to_json(hr::builtin_efficiency);
  p["runtimes"]["pytorch"]["prefill_chunk_tokens"] = 1e300;
  hr::StringStore store;
  CHECK_THROWS_WITH(hr::efficiency_from_json(p, store, "profile.json"),
                    Contains("runtimes.pytorch.prefill_chunk_tokens") && Contains("2^30") && Contains("1e+300"));
  p["runtimes"]["pytorch"]["prefill_chunk_tokens"] = 2.5;
  CHECK_THROWS_WITH(hr::efficiency_from_json(p, store, "profile.json"), Contains("whole number"));
  p["runtimes"]["pytorch"]["prefill_chunk_tokens"] = 1073741824;  // 2^30: the limit itself
  CHECK(hr::efficiency_from_json(p, store, "profile.json").runtime[0].prefill_chunk == 1073741824);
}

TEST_CASE("fuzz finding: JSON nested 100,000 deep is an error, not a stack overflow", "[io][fuzz][strict_json]") {
  // The value of "gpu" was shown in the error message by the recursive writer: one frame per level.
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const json answer = hr::eval_line(R"({"gpu":)" + deep + R"(,"model":"gpt2"})", hr::Catalog::builtin(), 2);
  CHECK(answer.at("ok") == false);
  CHECK(answer.at("error") == "line 2: 'gpu': objects and arrays nested deeper than 64 levels (no headroom format nests more than 6)");
  // 64 levels (the top object and 63 below it) still parse; the 65th does not.
  CHECK_NOTHROW(hr::strict_json::parse("{\"a\":" + std::string(63, '[') + std::string(63, ']') + "}"));
  CHECK_THROWS_WITH(hr::strict_json::parse("{\"a\":" + std::string(64, '[') + std::string(64, ']') + "}", "f.json"),
                    "f.json: field 'a': objects and arrays nested deeper than 64 levels (no headroom format nests more than 6)");
}

TEST_CASE("fuzz finding: a calibration integer beyond its type is an error, not an undefined cast", "[io][fuzz][calibration]") {
  const std::filesystem::path seed =
      std::filesystem::path(HEADROOM_SOURCE_DIR) / "tests/fuzz/corpus/calibration/seed-calibration.json";
  const json good = hr::read_json_file(seed);
  hr::StringStore store;
  REQUIRE(hr::calibration_from_json(good, store, "cal.json").samples.device.sm_count == 128);
  auto error_with = [&](const char* object, const char* key, const json& value) {
    json c = good;
    c[object][key] = value;
    try {
      (void)hr::calibration_from_json(c, store, "cal.json");
    } catch (const hr::DataError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  // 1e300 as an int: nlohmann's plain cast (UBSan: float-cast-overflow).
  CHECK_THAT(error_with("device", "index", 1e300),
             Contains("cal.json: field 'device.index': expected a whole number from -2147483648 to 2147483647") &&
                 Contains("1e+300"));
  // 2^32 + 1 wrapped to 1 before.
  CHECK_THAT(error_with("device", "sm_count", std::int64_t{4294967297}), Contains("device.sm_count") && Contains("4294967297"));
  CHECK_THAT(error_with("device", "sm_count", 2.5), Contains("device.sm_count") && Contains("whole number"));
  // A whole number written as a float still reads.
  json c = good;
  c["device"]["sm_count"] = 132.0;
  CHECK(hr::calibration_from_json(c, store, "cal.json").samples.device.sm_count == 132);
  // std::int64_t fields: 2^63 does not fit, -2^63 does.
  c = good;
  c["samples"]["gemm"][0]["m"] = 9223372036854775808.0;
  CHECK_THROWS_WITH(hr::calibration_from_json(c, store, "cal.json"), Contains("samples.gemm.m"));
  c["samples"]["gemm"][0]["m"] = -9223372036854775808.0;
  CHECK(hr::calibration_from_json(c, store, "cal.json").samples.gemm.at(0).m == std::numeric_limits<std::int64_t>::min());
}
