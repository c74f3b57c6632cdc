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
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "headroom/efficiency.hpp"
#include "headroom/error.hpp"
#include "headroom/io/json_file.hpp"
#include "headroom/io/strict_json.hpp"
#include "headroom/names.hpp"
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
inline constexpr std::array<std::string_view, 20> runtime_keys{"gemm_scale",
                                                               "family_gemm_scale",
                                                               "fp16_accumulate",
                                                               "attention_scale",
                                                               "stream_scale",
                                                               "gemv_cycles_per_weight",
                                                               "quant_call_s",
                                                               "quant_call_sync",
                                                               "fusion",
                                                               "compile_fusion",
                                                               "host_per_kernel_s",
                                                               "compile_host_per_kernel_s",
                                                               "step_overhead_s",
                                                               "graph_max_batch",
                                                               "graph_launch_s",
                                                               "prefill_chunk_tokens",
                                                               "dequant_for_prefill",
                                                               "paged_kv",
                                                               "serving_scale",
                                                               "source"};

using strict_json::Reader;

/// Physical ranges of a profile's values: an efficiency is a share of a peak, in (0, 1] (`zero_ok`:
/// 0 means "not set", as for attention_fwd/bwd); a scale multiplies a rate and must be > 0.
inline void efficiency_range(const Reader& r, std::string_view key, double v, bool zero_ok = false) {
  if ((v > 0 || (zero_ok && v == 0)) && v <= 1) return;
  r.fail(r.field(key), "is " + strict_json::shown(json(v)) + "; an efficiency is a share of the peak, in " +
                           (zero_ok ? "[0, 1] (0: not set)" : "(0, 1]"));
}
inline void scale_range(const Reader& r, std::string_view key, double v) {
  if (v > 0) return;
  r.fail(r.field(key), "is " + strict_json::shown(json(v)) + "; a scale multiplies a rate and must be > 0");
}

/// The largest prefill chunk: 2^30 tokens, the case format's limit on a prompt (docs/cases.md).
inline constexpr double max_prefill_chunk = 1073741824.0;

/// An object whose keys are exactly the spellings of `E` (names.hpp), each a number >= 0, as an
/// array indexed by the enum value.
template <class E>
[[nodiscard]] inline std::array<double, names::count<E>> table(const Reader& parent, std::string_view key) {
  static_assert(names::dense<E>());
  const Reader t = parent.child(key);
  const auto keys = names::spellings<E>(false);
  t.only(keys);
  std::array<double, names::count<E>> out{};
  for (std::size_t i = 0; i < out.size(); ++i) out[i] = t.number(keys[i], true, false);
  return out;
}

/// Rejects a key of `r` that is not a spelling of `E`: "unknown GPU family 'tpu'; did you mean ...".
template <class E>
inline void only_names(const Reader& r, std::string_view what) {
  const auto keys = names::spellings<E>(false);
  if (const std::string* k = strict_json::unknown_key(r.value(), keys))
    r.fail(r.field(*k), "unknown " + std::string(what) + strict_json::did_you_mean(strict_json::suggest(*k, keys)) +
                            " (known: " + names::list<E>() + ")");
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
  strict_json::expect_kind(j, strict_json::RecordKind::profile, where);
  const Reader top(j, where, "");
  top.only(top_keys_all);
  const double schema = top.number("schema", true, false);
  if (schema != efficiency_json_schema) top.fail("schema", "unsupported schema version " + std::to_string(schema));
  EfficiencyProfile p;
  p.name = top.text("name", store, true, false);
  p.source = top.text("source", store, true, false);

  const Reader fams = top.child("families");
  only_names<GpuFamily>(fams, "GPU family");
  for (std::size_t i = 0; i < names::count<GpuFamily>; ++i) {
    const Reader f = fams.child(family_name(i));
    f.only(family_keys);
    FamilyEfficiency& fe = p.family[i];
    const Reader g = f.child("gemm");
    g.only(gemm_keys);
    fe.gemm.eta_max = table<Precision>(g, "eta_max");
    for (std::size_t k = 0; k < fe.gemm.eta_max.size(); ++k)
      efficiency_range(g.child("eta_max"), precision_name(k), fe.gemm.eta_max[k]);
    fe.gemm.m_half = g.number("m_half", true, false);
    fe.gemm.n_half = g.number("n_half", true, false);
    fe.gemm.k_half = g.number("k_half", true, false);
    const Reader m = f.child("memory");
    m.only(memory_keys);
    fe.memory.eta_max = m.number("eta_max", true, false);
    efficiency_range(m, "eta_max", fe.memory.eta_max);
    fe.memory.half_bytes = Bytes{m.number("half_bytes", true, false)};
    fe.kernel_launch = Seconds{f.number("kernel_launch_s", true, false)};
    fe.source = f.text("source", store, true, false);
    // Optional (0 = the GEMM best shape): the fused attention kernel's fraction of the peak.
    fe.attention_fwd = f.number("attention_fwd");
    fe.attention_bwd = f.number("attention_bwd");
    efficiency_range(f, "attention_fwd", fe.attention_fwd, true);
    efficiency_range(f, "attention_bwd", fe.attention_bwd, true);
  }

  const Reader rts = top.child("runtimes");
  only_names<Runtime>(rts, "runtime");
  for (std::size_t i = 0; i < names::count<Runtime>; ++i) {
    const Reader r = rts.child(runtime_name(i));
    r.only(runtime_keys);
    RuntimeEfficiency& re = p.runtime[i];
    re.gemm_scale = r.number("gemm_scale", true, false);
    re.family_gemm_scale = table<GpuFamily>(r, "family_gemm_scale");
    re.fp16_accumulate = r.boolean("fp16_accumulate", true);
    re.attention_scale = r.number("attention_scale", true, false);
    re.stream_scale = r.number("stream_scale", true, false);
    re.gemv_cycles_per_weight = table<WeightKernel>(r, "gemv_cycles_per_weight");
    re.quant_call_s = table<WeightKernel>(r, "quant_call_s");
    re.quant_call_sync = table<WeightKernel>(r, "quant_call_sync");
    re.fusion = r.number("fusion", true, false);
    re.compile_fusion = r.number("compile_fusion", true, false);
    re.host_per_kernel = Seconds{r.number("host_per_kernel_s", true, false)};
    re.compile_host_per_kernel = Seconds{r.number("compile_host_per_kernel_s", true, false)};
    re.step_overhead = Seconds{r.number("step_overhead_s", true, false)};
    const double graphs = r.number("graph_max_batch", true, false);
    if (graphs != static_cast<double>(static_cast<std::int64_t>(graphs)))
      r.fail(r.field("graph_max_batch"), "must be a whole number");
    re.graph_max_batch = static_cast<std::int64_t>(graphs);
    re.graph_launch = Seconds{r.number("graph_launch_s", true, false)};
    const double chunk = r.number("prefill_chunk_tokens", true, false);
    // Checked before the cast: converting a double beyond the int64 range is undefined behaviour.
    if (!(chunk <= max_prefill_chunk) || chunk != std::floor(chunk))
      r.fail(r.field("prefill_chunk_tokens"), "must be a whole number from 0 to 2^30 (the case format's token limit); got " +
                                                  json(chunk).dump());
    re.prefill_chunk = static_cast<std::int64_t>(chunk);
    re.dequant_for_prefill = r.boolean("dequant_for_prefill", true);
    re.paged_kv = r.boolean("paged_kv", true);
    re.serving_scale = r.number("serving_scale", true, false);
    re.source = r.text("source", store, true, false);
    scale_range(r, "gemm_scale", re.gemm_scale);
    for (std::size_t k = 0; k < re.family_gemm_scale.size(); ++k)
      scale_range(r.child("family_gemm_scale"), family_name(k), re.family_gemm_scale[k]);
    scale_range(r, "attention_scale", re.attention_scale);
    scale_range(r, "stream_scale", re.stream_scale);
    efficiency_range(r, "serving_scale", re.serving_scale);
    efficiency_range(r, "fusion", re.fusion);
    efficiency_range(r, "compile_fusion", re.compile_fusion);
    const Reader sync = r.child("quant_call_sync");
    for (std::size_t k = 0; k < re.quant_call_sync.size(); ++k)
      if (re.quant_call_sync[k] != 0 && re.quant_call_sync[k] != 1)
        sync.fail(sync.field(kernel_name(k)), "must be 0 (no device sync in the call) or 1 (the call ends with one); got " +
                                                  json(re.quant_call_sync[k]).dump());
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
  for (std::size_t i = 0; i < names::count<GpuFamily>; ++i) {
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
  for (std::size_t i = 0; i < names::count<Runtime>; ++i) {
    const RuntimeEfficiency& re = p.runtime[i];
    json r;
    r["gemm_scale"] = re.gemm_scale;
    r["family_gemm_scale"] = table_to_json(re.family_gemm_scale, family_name);
    r["fp16_accumulate"] = re.fp16_accumulate;
    r["attention_scale"] = re.attention_scale;
    r["stream_scale"] = re.stream_scale;
    r["gemv_cycles_per_weight"] = table_to_json(re.gemv_cycles_per_weight, kernel_name);
    r["quant_call_s"] = table_to_json(re.quant_call_s, kernel_name);
    r["quant_call_sync"] = table_to_json(re.quant_call_sync, kernel_name);
    r["fusion"] = re.fusion;
    r["compile_fusion"] = re.compile_fusion;
    r["host_per_kernel_s"] = re.host_per_kernel.value();
    r["compile_host_per_kernel_s"] = re.compile_host_per_kernel.value();
    r["step_overhead_s"] = re.step_overhead.value();
    r["graph_max_batch"] = re.graph_max_batch;
    r["graph_launch_s"] = re.graph_launch.value();
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
