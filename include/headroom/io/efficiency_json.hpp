#pragma once
/// @file io/efficiency_json.hpp
/// Opt-in (needs nlohmann_json): EfficiencyProfile <-> JSON, so that a measured calibration profile
/// replaces the built-in one. data/efficiency/builtin.json mirrors `builtin_efficiency`
/// (tests/io/efficiency_json_test.cpp checks that they are equal).
///
/// Layout (keys carry their unit; times in seconds, sizes in bytes, efficiencies as fractions):
///
///     {"schema": 1, "name": "...", "source": "...",
///      "families": {"ada": {"gemm": {"eta_max": {"fp32": 0.92, ...}, "m_half": 64, "n_half": 64, "k_half": 64},
///                           "memory": {"eta_max": 0.9, "half_bytes": 1048576},
///                           "kernel_launch_s": 3e-06, "source": "..."}, ...},
///      "runtimes": {"llama.cpp": {"gemm_scale": 0.55, "family_gemm_scale": {"apple": 1.8, ...}, ...}, ...}}
///
/// Every family and runtime must be present (a calibration states all of them, copying the built-in
/// values it did not measure); unknown keys are errors, so a typo cannot fall back silently.

#include <array>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "headroom/efficiency.hpp"
#include "headroom/error.hpp"
#include "headroom/io/json_file.hpp"
#include "headroom/string_store.hpp"

namespace headroom {

inline constexpr int efficiency_json_schema = 1;

namespace detail::eff_json {

using json = nlohmann::json;

inline constexpr std::array<std::string_view, 5> top_keys_all{"schema", "name", "source", "families", "runtimes"};
inline constexpr std::array<std::string_view, 6> family_keys{"gemm",   "memory",        "kernel_launch_s",
                                                            "source", "attention_fwd", "attention_bwd"};
inline constexpr std::array<std::string_view, 4> gemm_keys{"eta_max", "m_half", "n_half", "k_half"};
inline constexpr std::array<std::string_view, 2> memory_keys{"eta_max", "half_bytes"};
inline constexpr std::array<std::string_view, 17> runtime_keys{"gemm_scale",
                                                               "family_gemm_scale",
                                                               "fp16_accumulate",
                                                               "attention_scale",
                                                               "stream_scale",
                                                               "gemv_cycles_per_weight",
                                                               "quant_call_s",
                                                               "fusion",
                                                               "compile_fusion",
                                                               "host_per_kernel_s",
                                                               "compile_host_per_kernel_s",
                                                               "step_overhead_s",
                                                               "prefill_chunk_tokens",
                                                               "dequant_for_prefill",
                                                               "paged_kv",
                                                               "serving_scale",
                                                               "source"};

template <std::size_t N>
inline void check_keys(const json& j, const std::array<std::string_view, N>& allowed, const std::string& where) {
  if (!j.is_object()) throw DataError(where, "", "must be an object");
  for (const auto& [key, value] : j.items()) {
    bool ok = false;
    for (const auto k : allowed) ok = ok || k == key;
    if (!ok) throw DataError(where, key, "unknown key");
  }
}

[[nodiscard]] inline const json& at(const json& j, std::string_view key, const std::string& where) {
  const auto it = j.find(std::string(key));
  if (it == j.end()) throw DataError(where, std::string(key), "missing");
  return *it;
}

[[nodiscard]] inline double number(const json& j, std::string_view key, const std::string& where, double lo = 0) {
  const json& v = at(j, key, where);
  if (!v.is_number()) throw DataError(where, std::string(key), "must be a number");
  const double d = v.get<double>();
  if (!(d >= lo)) throw DataError(where, std::string(key), "must be >= " + std::to_string(lo));
  return d;
}

[[nodiscard]] inline bool boolean(const json& j, std::string_view key, const std::string& where) {
  const json& v = at(j, key, where);
  if (!v.is_boolean()) throw DataError(where, std::string(key), "must be true or false");
  return v.get<bool>();
}

[[nodiscard]] inline std::string_view text(const json& j, std::string_view key, const std::string& where,
                                           StringStore& store) {
  const json& v = at(j, key, where);
  if (!v.is_string()) throw DataError(where, std::string(key), "must be a string");
  return store.keep(v.get<std::string>());
}

/// An object with exactly the keys name(0..N-1), each a number.
template <std::size_t N, class Name>
[[nodiscard]] inline std::array<double, N> table(const json& j, std::string_view key, const std::string& where,
                                                 Name name) {
  const json& v = at(j, key, where);
  const std::string here = where + "." + std::string(key);
  if (!v.is_object()) throw DataError(here, "", "must be an object");
  std::array<double, N> out{};
  for (const auto& [k, value] : v.items()) {
    bool ok = false;
    for (std::size_t i = 0; i < N; ++i) ok = ok || name(i) == k;
    if (!ok) throw DataError(here, k, "unknown key");
  }
  for (std::size_t i = 0; i < N; ++i) out[i] = number(v, name(i), here);
  return out;
}

[[nodiscard]] inline std::string_view precision_name(std::size_t i) { return to_string(static_cast<Precision>(i)); }
[[nodiscard]] inline std::string_view family_name(std::size_t i) { return to_string(static_cast<GpuFamily>(i)); }
[[nodiscard]] inline std::string_view kernel_name(std::size_t i) { return to_string(static_cast<WeightKernel>(i)); }
[[nodiscard]] inline std::string_view runtime_name(std::size_t i) { return to_string(static_cast<Runtime>(i)); }

template <std::size_t N, class Name>
[[nodiscard]] inline json table_to_json(const std::array<double, N>& a, Name name) {
  json o = json::object();
  for (std::size_t i = 0; i < N; ++i) o[std::string(name(i))] = a[i];
  return o;
}

}  // namespace detail::eff_json

/// Parses a profile; its strings are kept in `store`. @throws DataError naming the object and field.
[[nodiscard]] inline EfficiencyProfile efficiency_from_json(const nlohmann::json& j, StringStore& store,
                                                            std::string_view where = "efficiency profile") {
  using namespace detail::eff_json;
  const std::string top(where);
  check_keys(j, top_keys_all, top);
  const double schema = number(j, "schema", top, 1);
  if (schema != efficiency_json_schema)
    throw DataError(top, "schema", "unsupported schema version " + std::to_string(schema));
  EfficiencyProfile p;
  p.name = text(j, "name", top, store);
  p.source = text(j, "source", top, store);

  const json& fams = at(j, "families", top);
  if (!fams.is_object()) throw DataError(top, "families", "must be an object");
  for (const auto& [k, v] : fams.items()) {
    bool ok = false;
    for (std::size_t i = 0; i < gpu_family_count; ++i) ok = ok || family_name(i) == k;
    if (!ok) throw DataError(top + ".families", k, "unknown GPU family");
  }
  for (std::size_t i = 0; i < gpu_family_count; ++i) {
    const std::string here = top + ".families." + std::string(family_name(i));
    const json& f = at(fams, family_name(i), top + ".families");
    check_keys(f, family_keys, here);
    FamilyEfficiency& fe = p.family[i];
    const json& g = at(f, "gemm", here);
    check_keys(g, gemm_keys, here + ".gemm");
    fe.gemm.eta_max = table<precision_count>(g, "eta_max", here + ".gemm", precision_name);
    fe.gemm.m_half = number(g, "m_half", here + ".gemm");
    fe.gemm.n_half = number(g, "n_half", here + ".gemm");
    fe.gemm.k_half = number(g, "k_half", here + ".gemm");
    const json& m = at(f, "memory", here);
    check_keys(m, memory_keys, here + ".memory");
    fe.memory.eta_max = number(m, "eta_max", here + ".memory");
    fe.memory.half_bytes = Bytes{number(m, "half_bytes", here + ".memory")};
    fe.kernel_launch = Seconds{number(f, "kernel_launch_s", here)};
    fe.source = text(f, "source", here, store);
    // Optional (0 = the GEMM best shape): the fused attention kernel's fraction of the peak.
    if (f.contains("attention_fwd")) fe.attention_fwd = number(f, "attention_fwd", here);
    if (f.contains("attention_bwd")) fe.attention_bwd = number(f, "attention_bwd", here);
  }

  const json& rts = at(j, "runtimes", top);
  if (!rts.is_object()) throw DataError(top, "runtimes", "must be an object");
  for (const auto& [k, v] : rts.items()) {
    bool ok = false;
    for (std::size_t i = 0; i < runtime_count; ++i) ok = ok || runtime_name(i) == k;
    if (!ok) throw DataError(top + ".runtimes", k, "unknown runtime");
  }
  for (std::size_t i = 0; i < runtime_count; ++i) {
    const std::string here = top + ".runtimes." + std::string(runtime_name(i));
    const json& r = at(rts, runtime_name(i), top + ".runtimes");
    check_keys(r, runtime_keys, here);
    RuntimeEfficiency& re = p.runtime[i];
    re.gemm_scale = number(r, "gemm_scale", here);
    re.family_gemm_scale = table<gpu_family_count>(r, "family_gemm_scale", here, family_name);
    re.fp16_accumulate = boolean(r, "fp16_accumulate", here);
    re.attention_scale = number(r, "attention_scale", here);
    re.stream_scale = number(r, "stream_scale", here);
    re.gemv_cycles_per_weight = table<weight_kernel_count>(r, "gemv_cycles_per_weight", here, kernel_name);
    re.quant_call_s = table<weight_kernel_count>(r, "quant_call_s", here, kernel_name);
    re.fusion = number(r, "fusion", here);
    re.compile_fusion = number(r, "compile_fusion", here);
    re.host_per_kernel = Seconds{number(r, "host_per_kernel_s", here)};
    re.compile_host_per_kernel = Seconds{number(r, "compile_host_per_kernel_s", here)};
    re.step_overhead = Seconds{number(r, "step_overhead_s", here)};
    const double chunk = number(r, "prefill_chunk_tokens", here);
    if (chunk != static_cast<double>(static_cast<std::int64_t>(chunk)))
      throw DataError(here, "prefill_chunk_tokens", "must be a whole number");
    re.prefill_chunk = static_cast<std::int64_t>(chunk);
    re.dequant_for_prefill = boolean(r, "dequant_for_prefill", here);
    re.paged_kv = boolean(r, "paged_kv", here);
    re.serving_scale = number(r, "serving_scale", here);
    re.source = text(r, "source", here, store);
  }
  return p;
}

/// The JSON form of a profile (what data/efficiency/builtin.json holds).
[[nodiscard]] inline nlohmann::json efficiency_to_json(const EfficiencyProfile& p) {
  using namespace detail::eff_json;
  json j;
  j["schema"] = efficiency_json_schema;
  j["name"] = std::string(p.name);
  j["source"] = std::string(p.source);
  json fams = json::object();
  for (std::size_t i = 0; i < gpu_family_count; ++i) {
    const FamilyEfficiency& fe = p.family[i];
    json f;
    f["gemm"] = {{"eta_max", table_to_json(fe.gemm.eta_max, precision_name)},
                 {"m_half", fe.gemm.m_half},
                 {"n_half", fe.gemm.n_half},
                 {"k_half", fe.gemm.k_half}};
    f["memory"] = {{"eta_max", fe.memory.eta_max}, {"half_bytes", fe.memory.half_bytes.value()}};
    f["kernel_launch_s"] = fe.kernel_launch.value();
    f["source"] = std::string(fe.source);
    f["attention_fwd"] = fe.attention_fwd;
    f["attention_bwd"] = fe.attention_bwd;
    fams[std::string(family_name(i))] = f;
  }
  j["families"] = fams;
  json rts = json::object();
  for (std::size_t i = 0; i < runtime_count; ++i) {
    const RuntimeEfficiency& re = p.runtime[i];
    json r;
    r["gemm_scale"] = re.gemm_scale;
    r["family_gemm_scale"] = table_to_json(re.family_gemm_scale, family_name);
    r["fp16_accumulate"] = re.fp16_accumulate;
    r["attention_scale"] = re.attention_scale;
    r["stream_scale"] = re.stream_scale;
    r["gemv_cycles_per_weight"] = table_to_json(re.gemv_cycles_per_weight, kernel_name);
    r["quant_call_s"] = table_to_json(re.quant_call_s, kernel_name);
    r["fusion"] = re.fusion;
    r["compile_fusion"] = re.compile_fusion;
    r["host_per_kernel_s"] = re.host_per_kernel.value();
    r["compile_host_per_kernel_s"] = re.compile_host_per_kernel.value();
    r["step_overhead_s"] = re.step_overhead.value();
    r["prefill_chunk_tokens"] = re.prefill_chunk;
    r["dequant_for_prefill"] = re.dequant_for_prefill;
    r["paged_kv"] = re.paged_kv;
    r["serving_scale"] = re.serving_scale;
    r["source"] = std::string(re.source);
    rts[std::string(runtime_name(i))] = r;
  }
  j["runtimes"] = rts;
  return j;
}

/// Reads a profile file (e.g. data/efficiency/builtin.json or a calibration's output).
/// @throws IoError when the file cannot be read; DataError when it is not a valid profile.
[[nodiscard]] inline EfficiencyProfile load_efficiency(const std::filesystem::path& file, StringStore& store) {
  return efficiency_from_json(read_json_file(file), store, file.string());
}

}  // namespace headroom
