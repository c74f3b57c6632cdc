#pragma once
/// @file io/calibration_json.hpp
/// Opt-in (needs nlohmann_json): a calibration run as one JSON file: the GPU (name, driver, clocks),
/// the date, the fit with its residuals and diagnostics, the fitted EfficiencyProfile (the layout of
/// io/efficiency_json.hpp) and the raw samples, so the profile can be refitted later and the machine
/// that measures need not be the one that predicts. No Eigen here: fitting is headroom/calibrate/fit.hpp.
///
///     {"schema": 1, "kind": "headroom-calibration", "created": "2025-01-31T12:00:00Z", "gpu_id": "h100-sxm5-80gb",
///      "device": {"name": ..., "compute_capability": "9.0", "driver_version": ..., "sm_clock_mhz": ..., ...},
///      "fit": {"ok": true, "gemm": {...}, "memory": {"copy": {...}, ...}, "kernel_launch_s": ..., "log_band": ...,
///              "diagnostics": [{"part": ..., "message": ...}]},
///      "profile": {<efficiency profile>},
///      "samples": {"device_count": 1, "gemm": [{"m", "n", "k", "precision", "seconds"}], "memory": [...], ...}}
///
/// load_profile_file() reads either a calibration file (its "profile") or a bare profile file.

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "headroom/calibrate/samples.hpp"
#include "headroom/efficiency.hpp"
#include "headroom/error.hpp"
#include "headroom/io/json_file.hpp"
#include "headroom/io/strict_json.hpp"
#include "headroom/io/efficiency_json.hpp"
#include "headroom/string_store.hpp"

namespace headroom {

inline constexpr int calibration_json_schema = 1;

/// One calibration file.
struct Calibration {
  std::string created;  ///< ISO 8601 UTC
  std::string gpu_id;   ///< the catalog record whose datasheet peaks the fit used
  calibrate::Samples samples{};
  calibrate::FitResult fit{};
  EfficiencyProfile profile{};
};

namespace detail::cal_json {

using json = nlohmann::json;
using strict_json::read;

/// Any spelling of names.hpp: the file is written by headroom (int8 and fp4 GEMMs included).
template <class E>
[[nodiscard]] inline E enum_from(const std::string& s, const std::string& where, const char* field) {
  if (const auto e = names::value<E>(s, false)) return *e;
  throw DataError(where, field, "unknown value '" + s + "' (allowed: " + names::list<E>() + ")");
}

[[nodiscard]] inline Precision precision_from(const std::string& s, const std::string& where) {
  return enum_from<Precision>(s, where, "precision");
}

[[nodiscard]] inline json residuals_to_json(const calibrate::Residuals& r) {
  return {{"parameters", r.parameters}, {"rms", r.rms}, {"q80", r.q80}, {"log_ratio", r.log_ratio}};
}
[[nodiscard]] inline calibrate::Residuals residuals_from_json(const json& j, const std::string& where, const std::string& path) {
  calibrate::Residuals r;
  r.parameters = read<int>(j, "parameters", where, path);
  r.rms = read<double>(j, "rms", where, path);
  r.q80 = read<double>(j, "q80", where, path);
  r.log_ratio = read<std::vector<double>>(j, "log_ratio", where, path);
  return r;
}
[[nodiscard]] inline json bandwidth_to_json(const calibrate::BandwidthFit& f) {
  return {{"ok", f.ok},           {"alpha_s", f.alpha_s},       {"beta_Bps", f.beta},
          {"eta_max", f.eta_max}, {"half_bytes", f.half_bytes}, {"residuals", residuals_to_json(f.residuals)}};
}
[[nodiscard]] inline calibrate::BandwidthFit bandwidth_from_json(const json& j, const std::string& where, const std::string& path) {
  calibrate::BandwidthFit f;
  f.ok = read<bool>(j, "ok", where, path);
  f.alpha_s = read<double>(j, "alpha_s", where, path);
  f.beta = read<double>(j, "beta_Bps", where, path);
  f.eta_max = read<double>(j, "eta_max", where, path);
  f.half_bytes = read<double>(j, "half_bytes", where, path);
  f.residuals = residuals_from_json(j.at("residuals"), where, path + ".residuals");
  return f;
}

}  // namespace detail::cal_json

[[nodiscard]] inline nlohmann::json device_to_json(const calibrate::DeviceInfo& d) {
  return {{"index", d.index},
          {"name", d.name},
          {"compute_capability", d.compute_capability},
          {"driver_version", d.driver_version},
          {"runtime_version", d.runtime_version},
          {"pci_bus_id", d.pci_bus_id},
          {"sm_count", d.sm_count},
          {"sm_clock_mhz", d.sm_clock_mhz},
          {"memory_clock_mhz", d.memory_clock_mhz},
          {"memory_bus_bits", d.memory_bus_bits},
          {"memory_bytes", d.memory_bytes},
          {"l2_bytes", d.l2_bytes}};
}

[[nodiscard]] inline nlohmann::json samples_to_json(const calibrate::Samples& s) {
  using nlohmann::json;
  json j;
  j["device_count"] = s.device_count;
  json g = json::array();
  for (const auto& x : s.gemm)
    g.push_back({{"m", x.m}, {"n", x.n}, {"k", x.k}, {"precision", std::string(to_string(x.precision))},
                 {"seconds", x.seconds}});
  j["gemm"] = g;
  json m = json::array();
  for (const auto& x : s.memory)
    m.push_back({{"op", std::string(to_string(x.op))}, {"size", x.size}, {"bytes", x.bytes},
                 {"l2_resident", x.l2_resident}, {"seconds", x.seconds}});
  j["memory"] = m;
  json t = json::array();
  for (const auto& x : s.transfers)
    t.push_back({{"kind", std::string(to_string(x.kind))}, {"src", x.src}, {"dst", x.dst},
                 {"bytes", x.bytes}, {"seconds", x.seconds}});
  j["transfers"] = t;
  json l = json::array();
  for (const auto& x : s.launch) l.push_back({{"gpu_seconds", x.gpu_seconds}, {"host_seconds", x.host_seconds}});
  j["launch"] = l;
  json c = json::array();
  for (const auto& x : s.collectives) c.push_back({{"ranks", x.ranks}, {"bytes", x.bytes}, {"seconds", x.seconds}});
  j["collectives"] = c;
  j["notes"] = s.notes;
  return j;
}

[[nodiscard]] inline nlohmann::json fit_to_json(const calibrate::FitResult& f) {
  using namespace detail::cal_json;
  json g;
  g["ok"] = f.gemm.ok;
  json eta = json::object();
  for (std::size_t i = 0; i < f.gemm.eta_max.size(); ++i)
    if (f.gemm.measured[i]) eta[std::string(to_string(static_cast<Precision>(i)))] = f.gemm.eta_max[i];
  g["eta_max"] = eta;
  g["m_half"] = f.gemm.m_half;
  g["n_half"] = f.gemm.n_half;
  g["k_half"] = f.gemm.k_half;
  g["iterations"] = f.gemm.iterations;
  g["residuals"] = residuals_to_json(f.gemm.residuals);
  json diags = json::array();
  for (const auto& d : f.diagnostics) diags.push_back({{"part", d.part}, {"message", d.message}});
  return {{"ok", f.ok()},
          {"gemm", g},
          {"memory",
           {{"copy", bandwidth_to_json(f.copy)},
            {"read", bandwidth_to_json(f.read)},
            {"write", bandwidth_to_json(f.write)},
            {"l2_copy", bandwidth_to_json(f.l2)}}},
          {"kernel_launch_s", f.kernel_launch_s},
          {"host_launch_s", f.host_launch_s},
          {"h2d_bandwidth_Bps", f.h2d_bandwidth},
          {"d2h_bandwidth_Bps", f.d2h_bandwidth},
          {"log_band", f.log_band},
          {"diagnostics", diags}};
}

[[nodiscard]] inline nlohmann::json calibration_to_json(const Calibration& c) {
  return {{"schema", calibration_json_schema},
          {"kind", "headroom-calibration"},
          {"created", c.created},
          {"gpu_id", c.gpu_id},
          {"device", device_to_json(c.samples.device)},
          {"fit", fit_to_json(c.fit)},
          {"profile", efficiency_to_json(c.profile)},
          {"samples", samples_to_json(c.samples)}};
}

/// Parses a calibration file; strings of the profile are kept in `store`. @throws DataError.
[[nodiscard]] inline Calibration calibration_from_json(const nlohmann::json& j, StringStore& store,
                                                       const std::string& where = "calibration") {
  using namespace detail::cal_json;
  // Compared as JSON values: a kind that is not a string or a schema that is not a number is the
  // same error as a wrong one, never a library exception.
  if (!j.is_object() || !j.contains("kind") || j.at("kind") != "headroom-calibration")
    throw DataError(where, "kind",
                    "not a headroom calibration file (kind must be \"headroom-calibration\")" +
                        (j.is_object() && j.contains("kind") ? "; got " + strict_json::described(j.at("kind")) : std::string()));
  if (!j.contains("schema") || j.at("schema") != calibration_json_schema)
    throw DataError(where, "schema",
                    "unsupported schema version (this build reads " + std::to_string(calibration_json_schema) + ")" +
                        (j.contains("schema") ? "; got " + strict_json::described(j.at("schema")) : std::string()));
  Calibration c;
  try {
    c.created = read<std::string>(j, "created", where, "");
    c.gpu_id = read<std::string>(j, "gpu_id", where, "");
    const json& d = j.at("device");
    auto& dev = c.samples.device;
    dev.index = read<int>(d, "index", where, "device");
    dev.name = read<std::string>(d, "name", where, "device");
    dev.compute_capability = read<std::string>(d, "compute_capability", where, "device");
    dev.driver_version = read<std::string>(d, "driver_version", where, "device");
    dev.runtime_version = read<std::string>(d, "runtime_version", where, "device");
    dev.pci_bus_id = read<std::string>(d, "pci_bus_id", where, "device");
    dev.sm_count = read<int>(d, "sm_count", where, "device");
    dev.sm_clock_mhz = read<double>(d, "sm_clock_mhz", where, "device");
    dev.memory_clock_mhz = read<double>(d, "memory_clock_mhz", where, "device");
    dev.memory_bus_bits = read<int>(d, "memory_bus_bits", where, "device");
    dev.memory_bytes = read<double>(d, "memory_bytes", where, "device");
    dev.l2_bytes = read<double>(d, "l2_bytes", where, "device");

    const json& s = j.at("samples");
    c.samples.device_count = read<int>(s, "device_count", where, "samples");
    for (const auto& x : s.at("gemm"))
      c.samples.gemm.push_back({read<std::int64_t>(x, "m", where, "samples.gemm"), read<std::int64_t>(x, "n", where, "samples.gemm"),
                                read<std::int64_t>(x, "k", where, "samples.gemm"),
                                precision_from(read<std::string>(x, "precision", where, "samples.gemm"), where + ".samples.gemm"),
                                read<double>(x, "seconds", where, "samples.gemm")});
    for (const auto& x : s.at("memory"))
      c.samples.memory.push_back(
          {enum_from<calibrate::MemoryOp>(read<std::string>(x, "op", where, "samples.memory"), where + ".samples.memory", "op"),
           read<double>(x, "size", where, "samples.memory"), read<double>(x, "bytes", where, "samples.memory"), read<bool>(x, "l2_resident", where, "samples.memory"),
           read<double>(x, "seconds", where, "samples.memory")});
    for (const auto& x : s.at("transfers"))
      c.samples.transfers.push_back(
          {enum_from<calibrate::TransferKind>(read<std::string>(x, "kind", where, "samples.transfers"), where + ".samples.transfers", "kind"),
           read<int>(x, "src", where, "samples.transfers"), read<int>(x, "dst", where, "samples.transfers"), read<double>(x, "bytes", where, "samples.transfers"), read<double>(x, "seconds", where, "samples.transfers")});
    for (const auto& x : s.at("launch"))
      c.samples.launch.push_back({read<double>(x, "gpu_seconds", where, "samples.launch"), read<double>(x, "host_seconds", where, "samples.launch")});
    for (const auto& x : s.at("collectives"))
      c.samples.collectives.push_back({read<int>(x, "ranks", where, "samples.collectives"), read<double>(x, "bytes", where, "samples.collectives"), read<double>(x, "seconds", where, "samples.collectives")});
    c.samples.notes = read<std::vector<std::string>>(s, "notes", where, "samples");

    const json& f = j.at("fit");
    const json& g = f.at("gemm");
    c.fit.gemm.ok = read<bool>(g, "ok", where, "fit.gemm");
    for (const auto& [k, v] : g.at("eta_max").items()) {
      const auto p = static_cast<std::size_t>(precision_from(k, where + ".fit.gemm.eta_max"));
      c.fit.gemm.eta_max[p] = v.get<double>();
      c.fit.gemm.measured[p] = true;
    }
    c.fit.gemm.m_half = read<double>(g, "m_half", where, "fit.gemm");
    c.fit.gemm.n_half = read<double>(g, "n_half", where, "fit.gemm");
    c.fit.gemm.k_half = read<double>(g, "k_half", where, "fit.gemm");
    c.fit.gemm.iterations = read<int>(g, "iterations", where, "fit.gemm");
    c.fit.gemm.residuals = residuals_from_json(g.at("residuals"), where, "fit.gemm.residuals");
    const json& m = f.at("memory");
    c.fit.copy = bandwidth_from_json(m.at("copy"), where, "fit.memory.copy");
    c.fit.read = bandwidth_from_json(m.at("read"), where, "fit.memory.read");
    c.fit.write = bandwidth_from_json(m.at("write"), where, "fit.memory.write");
    c.fit.l2 = bandwidth_from_json(m.at("l2_copy"), where, "fit.memory.l2_copy");
    c.fit.kernel_launch_s = read<double>(f, "kernel_launch_s", where, "fit");
    c.fit.host_launch_s = read<double>(f, "host_launch_s", where, "fit");
    c.fit.h2d_bandwidth = read<double>(f, "h2d_bandwidth_Bps", where, "fit");
    c.fit.d2h_bandwidth = read<double>(f, "d2h_bandwidth_Bps", where, "fit");
    c.fit.log_band = read<double>(f, "log_band", where, "fit");
    for (const auto& d2 : f.at("diagnostics"))
      c.fit.diagnostics.push_back({read<std::string>(d2, "part", where, "fit.diagnostics"), read<std::string>(d2, "message", where, "fit.diagnostics")});
    if (!j.contains("profile")) throw DataError(where, "profile", "missing required key");
    c.profile = efficiency_from_json(j.at("profile"), store, where + ".profile");
  } catch (const nlohmann::json::exception& e) {
    throw DataError(where, "", "malformed calibration: " + strict_json::without_library_ids(e.what()));
  }
  return c;
}

/// Writes a calibration file (pretty-printed). @throws IoError.
inline void save_calibration(const Calibration& c, const std::filesystem::path& file) {
  std::ofstream out(file);
  if (!out || !(out << calibration_to_json(c).dump(1) << '\n') || !out.flush())
    throw IoError("cannot write '" + file.string() + "'");
}

/// A measured profile for predictions: a calibration file's "profile" (and its fit's log-space 80%
/// half-width in `log_band`, 0 for a bare profile file) or a bare profile file. @throws DataError.
[[nodiscard]] inline EfficiencyProfile load_profile_file(const std::filesystem::path& file, StringStore& store,
                                                         double* log_band = nullptr) {
  const nlohmann::json j = read_json_file(file);
  if (log_band) *log_band = 0;
  if (j.is_object() && j.contains("kind")) {
    const Calibration c = calibration_from_json(j, store, file.string());
    if (log_band) *log_band = c.fit.log_band;
    return c.profile;
  }
  return efficiency_from_json(j, store, file.string());
}

}  // namespace headroom
