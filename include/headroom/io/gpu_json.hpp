#pragma once
/// @file io/gpu_json.hpp
/// Opt-in (needs nlohmann_json): GpuRecord (GpuSpec and GpuProvenance) <-> the JSON records of
/// data/gpus/<id>.json and loading record files. The generated built-in table is written by
/// tools/gpu_table.hpp.
/// The schema, its units and the rules behind the values are in docs/catalog.md (GPU section).

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "headroom/detail/closest.hpp"
#include "headroom/error.hpp"
#include "headroom/io/json_file.hpp"
#include "headroom/io/strict_json.hpp"
#include "headroom/gpu.hpp"
#include "headroom/names.hpp"
#include "headroom/string_store.hpp"
#include "headroom/units.hpp"

namespace headroom {

/// The schema version this build reads and writes (the "schema" key).
inline constexpr int gpu_json_schema = 1;

namespace detail::gpu_json {

using json = nlohmann::json;

inline constexpr std::array<std::string_view, 27> top_keys{
    "schema",          "id",              "name",           "aliases",      "vendor",       "architecture",
    "chip",            "compute_capability", "launch_year", "form_factor",  "memory",
    "l2_cache_mb",     "sm_count",        "boost_clock_mhz", "dense_tflops", "sparsity_2to4",
    "vendor_headline", "interconnect",    "mig_max_instances", "mig_note",  "tdp_w",
    "tdp_note",        "price",           "confidence",     "derived_fields", "notes",
    "sources"};
inline constexpr std::array<std::string_view, 7> memory_keys{"label_gb", "capacity_gib", "type", "bus_bits",
                                                             "bandwidth_gbps", "unified", "note"};
inline constexpr std::array<std::string_view, 11> tflops_keys{"fp64", "fp64_tensor", "fp32", "tf32",
                                                              "bf16", "fp16", "fp16_fp16acc", "fp8",
                                                              "fp8_fp16acc", "int8", "fp4"};
inline constexpr std::array<std::string_view, 5> interconnect_keys{"nvlink", "pcie", "other", "peer_access",
                                                                   "p2p_note"};
inline constexpr std::array<std::string_view, 4> nvlink_keys{"generation", "bidirectional_gbps",
                                                             "per_direction_gbps", "topology"};
inline constexpr std::array<std::string_view, 6> pcie_keys{"generation", "lanes", "per_direction_gbps",
                                                           "bidirectional_gbps", "derived", "note"};
inline constexpr std::array<std::string_view, 4> price_keys{"usd_per_hour", "range", "date", "source"};

/// Keys of other schemas (or other levels) that people are likely to write, and where they belong.
inline constexpr std::array<std::pair<std::string_view, std::string_view>, 9> known_misplacements{{
    {"vram_gib", "memory.capacity_gib"},
    {"mem_bw_gbps", "memory.bandwidth_gbps"},
    {"capacity_gib", "memory.capacity_gib"},
    {"bandwidth_gbps", "memory.bandwidth_gbps"},
    {"source", "sources"},
    {"peer_access", "interconnect.peer_access"},
    {"nvlink", "interconnect.nvlink"},
    {"pcie", "interconnect.pcie"},
    {"nvlink_gbps_per_dir", "interconnect.nvlink.per_direction_gbps"},
}};

/// Rounds to 6 decimals so that a value read from JSON, scaled to base units and back, prints as
/// it was written (k * 1e9 / 1e9 may be off by one ulp; round(x * 1e6) / 1e6 is not).
[[nodiscard]] inline double tidy(double v) noexcept { return std::round(v * 1e6) / 1e6; }

/// Reads one JSON object of a record, naming fields by their dotted path (io/strict_json.hpp).
using strict_json::Reader;

/// The range of a number of a record in its file unit (GiB, GB/s, TFLOPS, MB, MHz, W, USD/h): 0 (not
/// known) or from the writer's resolution (6 decimals, tidy()) to a million times any GPU's figure.
/// Outside it the record would not survive gpu_to_json: a smaller value is written as 0, a larger one
/// overflows to infinity in base units (1e300 GiB) and is written as null.
inline constexpr double min_number = 1e-6;
inline constexpr double max_number = 1e9;
/// PCIe links have at most 32 lanes (x32 in the specification; GPUs use x16).
inline constexpr int max_pcie_lanes = 32;

[[nodiscard]] inline double in_range(const Reader& r, std::string_view key, double v) {
  if (v != 0 && !(v >= min_number && v <= max_number))
    r.fail(r.field(key), json(v).dump() + " is outside the range of a GPU figure: 0 (not known) or 1e-06 to 1e+09");
  return v;
}
/// Reader::number and Reader::positive within [min_number, max_number].
[[nodiscard]] inline double number(const Reader& r, std::string_view key) { return in_range(r, key, r.number(key)); }
[[nodiscard]] inline double positive(const Reader& r, std::string_view key) { return in_range(r, key, r.positive(key)); }

[[nodiscard]] inline bool is_kebab_case(std::string_view id) noexcept {
  if (id.empty() || id.front() == '-' || id.back() == '-') return false;
  char prev = 0;
  for (const char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
    if (!ok || (c == '-' && prev == '-')) return false;
    prev = c;
  }
  return true;
}

[[nodiscard]] inline bool same(double a, double b) noexcept { return std::abs(a - b) <= 1e-9 * std::max(1.0, std::abs(b)); }

[[nodiscard]] inline json number_or_null(double v) { return v > 0 ? json(tidy(v)) : json(nullptr); }
[[nodiscard]] inline json int_or_null(int v) { return v > 0 ? json(v) : json(nullptr); }
[[nodiscard]] inline json text_or_null(std::string_view s) { return s.empty() ? json(nullptr) : json(std::string(s)); }

/// A '\n'-separated list (sources, aliases) as a JSON array of strings; [] when empty.
[[nodiscard]] inline json split_lines(std::string_view rest) {
  json out = json::array();
  while (!rest.empty()) {
    const std::size_t nl = rest.find('\n');
    out.push_back(std::string(rest.substr(0, nl)));
    if (nl == std::string_view::npos) break;
    rest.remove_prefix(nl + 1);
  }
  return out;
}

}  // namespace detail::gpu_json

/// Reads one GPU record (schema in docs/catalog.md): the numbers and their provenance. Strings are
/// kept in `store`, so the result is valid as long as the store lives.
/// @param where names the record in error messages (a file path, "file.json[3]").
/// @throws DataError naming the field (dotted path, e.g. "memory.bandwidth_gbps") for unknown keys
///         (with the closest known key), missing required keys, wrong types and inconsistent values.
[[nodiscard]] inline GpuRecord gpu_from_json(const nlohmann::json& j, StringStore& store, std::string_view where) {
  using namespace detail::gpu_json;
  strict_json::expect_kind(j, strict_json::RecordKind::gpu, where);
  const Reader top(j, where, "");
  top.only(top_keys, known_misplacements);

  const int schema = top.integer("schema", true, false);
  if (schema != gpu_json_schema)
    top.fail("schema", "unsupported schema version " + std::to_string(schema) + " (this build reads " +
                           std::to_string(gpu_json_schema) + ")");

  GpuRecord record{};
  GpuSpec& g = record.spec;
  GpuProvenance& prov = record.provenance;
  g.id = top.text("id", store, true, false);
  if (!is_kebab_case(g.id))
    top.fail("id", "'" + std::string(g.id) + "' is not kebab-case (lower-case letters, digits, single hyphens)");
  g.name = top.text("name", store, true, false);
  if (const json* aliases = top.get("aliases", false); aliases != nullptr && !aliases->is_null()) {
    if (!aliases->is_array())
      top.fail("aliases", std::string("expected an array of strings like [\"h20\"], got ") + aliases->type_name());
    std::string joined;
    for (std::size_t k = 0; k < aliases->size(); ++k) {
      const json& a = (*aliases)[k];
      const std::string field = "aliases[" + std::to_string(k) + "]";
      if (!a.is_string()) top.fail(field, std::string("expected a string, got ") + a.type_name());
      const std::string& text = a.get_ref<const std::string&>();
      if (!is_kebab_case(text))
        top.fail(field, "'" + text + "' is not kebab-case (lower-case letters, digits, single hyphens)");
      if (text == g.id) top.fail(field, "'" + text + "' is the record's own id");
      if (("\n" + joined + "\n").find("\n" + text + "\n") != std::string::npos)
        top.fail(field, "'" + text + "' is listed twice");
      if (k) joined += '\n';
      joined += text;
    }
    prov.aliases = store.keep(joined);
  }
  g.vendor = top.text("vendor", store);
  g.architecture = top.text("architecture", store);
  prov.chip = top.text("chip", store);
  g.compute_capability = top.text("compute_capability", store);
  g.launch_year = top.integer("launch_year");
  prov.form_factor = top.text("form_factor", store);

  {
    const Reader m(*top.object("memory", true, false), where, "memory");
    m.only(memory_keys);
    g.memory_label_gb = number(m, "label_gb");
    g.memory = gib(positive(m, "capacity_gib"));
    prov.memory_type = m.text("type", store);
    g.memory_bus_bits = m.integer("bus_bits");
    g.memory_bandwidth = gb_per_s(positive(m, "bandwidth_gbps"));
    g.unified_memory = m.boolean("unified");
    prov.memory_note = m.text("note", store);
  }
  g.l2_cache = mib(number(top, "l2_cache_mb"));
  g.sm_count = top.integer("sm_count");
  g.boost_clock_mhz = number(top, "boost_clock_mhz");

  {
    const Reader t(*top.object("dense_tflops", true, false), where, "dense_tflops");
    t.only(tflops_keys);
    DensePeaks& p = g.peak;
    p.fp64 = tflops(number(t, "fp64"));
    p.fp64_tensor = tflops(number(t, "fp64_tensor"));
    p.fp32 = tflops(number(t, "fp32"));
    p.tf32 = tflops(number(t, "tf32"));
    p.bf16 = tflops(number(t, "bf16"));
    p.fp16 = tflops(number(t, "fp16"));
    p.fp16_fp16acc = tflops(number(t, "fp16_fp16acc"));
    p.fp8 = tflops(number(t, "fp8"));
    p.fp8_fp16acc = tflops(number(t, "fp8_fp16acc"));
    p.int8 = tflops(number(t, "int8"));
    p.fp4 = tflops(number(t, "fp4"));
  }
  g.sparsity_2to4 = top.boolean("sparsity_2to4");
  prov.vendor_headline = top.text("vendor_headline", store);

  if (const json* ic = top.object("interconnect")) {
    const Reader i(*ic, where, "interconnect");
    i.only(interconnect_keys);
    if (const json* nv = i.object("nvlink")) {
      const Reader n(*nv, where, "interconnect.nvlink");
      n.only(nvlink_keys);
      g.nvlink_generation = n.text("generation", store, true, false);
      const double bidir = positive(n, "bidirectional_gbps");
      g.nvlink_bidirectional = gb_per_s(bidir);
      if (n.get("per_direction_gbps", false) != nullptr) {
        const double per = number(n, "per_direction_gbps");
        if (!same(per, bidir / 2))
          n.fail(n.field("per_direction_gbps"),
                 "must be half of bidirectional_gbps (" + std::to_string(tidy(bidir / 2)) + "), got " +
                     std::to_string(per));
      }
      g.nvlink_topology = n.choice<LinkTopology>("topology");
    }
    if (const json* pc = i.object("pcie")) {
      const Reader p(*pc, where, "interconnect.pcie");
      p.only(pcie_keys);
      g.pcie_generation = p.integer("generation", true, false);
      if (g.pcie_generation < 1) p.fail(p.field("generation"), "must be 1 or more");
      g.pcie_lanes = p.integer("lanes");
      if (g.pcie_lanes > max_pcie_lanes)
        p.fail(p.field("lanes"), std::to_string(g.pcie_lanes) + " is more than the " + std::to_string(max_pcie_lanes) +
                                     " lanes of a PCIe link");
      double per = number(p, "per_direction_gbps");
      if (per == 0 && g.pcie_lanes > 0) per = g.pcie_lanes * pcie_lane_gb_per_s(g.pcie_generation);
      g.pcie_per_direction = gb_per_s(per);
      const double bidir = number(p, "bidirectional_gbps");
      if (bidir > 0 && !same(bidir, 2 * per))
        p.fail(p.field("bidirectional_gbps"), "must be twice per_direction_gbps (" + std::to_string(tidy(2 * per)) +
                                                  "), got " + std::to_string(bidir));
      prov.pcie_derived = p.text("derived", store);
      prov.pcie_note = p.text("note", store);
    }
    prov.other_interconnect = i.text("other", store);
    g.peer_access = i.choice<PeerAccess>("peer_access");
    prov.p2p_note = i.text("p2p_note", store);
  }

  g.mig_instances = top.integer("mig_max_instances");
  prov.mig_note = top.text("mig_note", store);
  g.tdp_w = number(top, "tdp_w");
  prov.tdp_note = top.text("tdp_note", store);

  if (const json* pr = top.object("price")) {
    const Reader p(*pr, where, "price");
    p.only(price_keys);
    g.price_usd_per_hour = positive(p, "usd_per_hour");
    prov.price_range = p.text("range", store);
    prov.price_date = p.text("date", store);
    prov.price_source = p.text("source", store, true, false);
  }

  prov.confidence = top.text("confidence", store);
  prov.derived_fields = top.text("derived_fields", store);
  prov.notes = top.text("notes", store);

  const json& sources = *top.get("sources", true);
  if (!sources.is_array()) top.fail("sources", std::string("expected an array of strings, got ") + sources.type_name());
  if (sources.empty()) top.fail("sources", "must name at least one source");
  std::string joined;
  for (std::size_t k = 0; k < sources.size(); ++k) {
    const json& s = sources[k];
    const std::string field = "sources[" + std::to_string(k) + "]";
    if (!s.is_string()) top.fail(field, std::string("expected a string, got ") + s.type_name());
    const std::string& text = s.get_ref<const std::string&>();
    if (text.empty()) top.fail(field, "must not be empty");
    if (text.find('\n') != std::string::npos) top.fail(field, "must be a single line");
    if (k) joined += '\n';
    joined += text;
  }
  prov.source = store.keep(joined);
  return record;
}

/// The record as JSON, in the schema gpu_from_json reads (keys carry their units: capacity_gib,
/// bandwidth_gbps, dense_tflops, tdp_w, ...). Values not known (0 or empty) are written as null.
/// gpu_from_json(gpu_to_json(g, prov), ...) == GpuRecord{g, prov} for every record it can produce.
[[nodiscard]] inline nlohmann::json gpu_to_json(const GpuSpec& g, const GpuProvenance& prov) {
  using namespace detail::gpu_json;
  json j = json::object();
  j["schema"] = gpu_json_schema;
  j["id"] = std::string(g.id);
  j["name"] = std::string(g.name);
  j["aliases"] = split_lines(prov.aliases);
  j["vendor"] = text_or_null(g.vendor);
  j["architecture"] = text_or_null(g.architecture);
  j["chip"] = text_or_null(prov.chip);
  j["compute_capability"] = text_or_null(g.compute_capability);
  j["launch_year"] = int_or_null(g.launch_year);
  j["form_factor"] = text_or_null(prov.form_factor);
  j["memory"] = {
      {"label_gb", number_or_null(g.memory_label_gb)},
      {"capacity_gib", tidy(to_gib(g.memory))},
      {"type", text_or_null(prov.memory_type)},
      {"bus_bits", int_or_null(g.memory_bus_bits)},
      {"bandwidth_gbps", tidy(to_gb_per_s(g.memory_bandwidth))},
      {"unified", g.unified_memory},
      {"note", text_or_null(prov.memory_note)},
  };
  j["l2_cache_mb"] = number_or_null(to_mib(g.l2_cache));
  j["sm_count"] = int_or_null(g.sm_count);
  j["boost_clock_mhz"] = number_or_null(g.boost_clock_mhz);
  const DensePeaks& p = g.peak;
  j["dense_tflops"] = {
      {"fp64", number_or_null(to_tflops(p.fp64))},
      {"fp64_tensor", number_or_null(to_tflops(p.fp64_tensor))},
      {"fp32", number_or_null(to_tflops(p.fp32))},
      {"tf32", number_or_null(to_tflops(p.tf32))},
      {"bf16", number_or_null(to_tflops(p.bf16))},
      {"fp16", number_or_null(to_tflops(p.fp16))},
      {"fp16_fp16acc", number_or_null(to_tflops(p.fp16_fp16acc))},
      {"fp8", number_or_null(to_tflops(p.fp8))},
      {"fp8_fp16acc", number_or_null(to_tflops(p.fp8_fp16acc))},
      {"int8", number_or_null(to_tflops(p.int8))},
      {"fp4", number_or_null(to_tflops(p.fp4))},
  };
  j["sparsity_2to4"] = g.sparsity_2to4;
  j["vendor_headline"] = text_or_null(prov.vendor_headline);

  json nvlink = nullptr;
  if (!g.nvlink_generation.empty() || g.nvlink_bidirectional.value() > 0) {
    nvlink = {
        {"generation", std::string(g.nvlink_generation)},
        {"bidirectional_gbps", tidy(to_gb_per_s(g.nvlink_bidirectional))},
        {"per_direction_gbps", tidy(to_gb_per_s(g.nvlink_per_direction()))},
        {"topology", text_or_null(to_string(g.nvlink_topology))},
    };
  }
  json pcie = nullptr;
  if (g.pcie_generation > 0) {
    pcie = {
        {"generation", g.pcie_generation},
        {"lanes", int_or_null(g.pcie_lanes)},
        {"per_direction_gbps", number_or_null(to_gb_per_s(g.pcie_per_direction))},
        {"bidirectional_gbps", number_or_null(to_gb_per_s(g.pcie_bidirectional()))},
        {"derived", text_or_null(prov.pcie_derived)},
        {"note", text_or_null(prov.pcie_note)},
    };
  }
  j["interconnect"] = {
      {"nvlink", nvlink},
      {"pcie", pcie},
      {"other", text_or_null(prov.other_interconnect)},
      {"peer_access", std::string(to_string(g.peer_access))},
      {"p2p_note", text_or_null(prov.p2p_note)},
  };
  // 0 with a note is a stated "none"; 0 without one was not published.
  j["mig_max_instances"] = (g.mig_instances > 0 || !prov.mig_note.empty()) ? json(g.mig_instances) : json(nullptr);
  j["mig_note"] = text_or_null(prov.mig_note);
  j["tdp_w"] = number_or_null(g.tdp_w);
  j["tdp_note"] = text_or_null(prov.tdp_note);
  if (g.price_usd_per_hour > 0) {
    j["price"] = {
        {"usd_per_hour", tidy(g.price_usd_per_hour)},
        {"range", text_or_null(prov.price_range)},
        {"date", text_or_null(prov.price_date)},
        {"source", std::string(prov.price_source)},
    };
  } else {
    j["price"] = nullptr;
  }
  j["confidence"] = text_or_null(prov.confidence);
  j["derived_fields"] = text_or_null(prov.derived_fields);
  j["notes"] = text_or_null(prov.notes);
  j["sources"] = split_lines(prov.source);
  return j;
}

/// Loads GPU records from one file or from every *.json file directly inside a directory (not
/// recursive). A file holds one record (an object) or several (an array of objects).
/// @return the records sorted by id.
/// @throws IoError when a path cannot be read; DataError for invalid JSON, a bad record, or an id
///         defined twice.
[[nodiscard]] inline std::vector<GpuRecord> load_gpu_files(const std::filesystem::path& dir_or_file, StringStore& store) {
  const auto files = json_files(dir_or_file);

  std::vector<GpuRecord> out;
  std::vector<std::string> origin;  // where each record of `out` came from
  for (const auto& file : files) {
    const nlohmann::json j = read_json_file(file);
    if (j.is_array()) {
      for (std::size_t k = 0; k < j.size(); ++k) {
        origin.push_back(file.string() + "[" + std::to_string(k) + "]");
        out.push_back(gpu_from_json(j[k], store, origin.back()));
      }
    } else {
      origin.push_back(file.string());
      out.push_back(gpu_from_json(j, store, origin.back()));
    }
  }

  std::vector<std::size_t> order(out.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return out[a].spec.id < out[b].spec.id; });
  std::vector<GpuRecord> sorted;
  sorted.reserve(out.size());
  for (std::size_t k = 0; k < order.size(); ++k) {
    if (k > 0 && out[order[k]].spec.id == out[order[k - 1]].spec.id)
      throw DataError(origin[order[k]], "id",
                      "duplicate id '" + std::string(out[order[k]].spec.id) + "', also in " + origin[order[k - 1]]);
    sorted.push_back(out[order[k]]);
  }
  // An alias names one GPU: it may not be another record's id or alias.
  std::vector<std::pair<std::string_view, std::size_t>> names;  // id or alias, index into `order`
  for (std::size_t k = 0; k < order.size(); ++k) {
    const GpuRecord& r = out[order[k]];
    names.emplace_back(r.spec.id, k);
    std::string_view rest = r.provenance.aliases;
    while (!rest.empty()) {
      const std::size_t nl = rest.find('\n');
      names.emplace_back(rest.substr(0, nl), k);
      if (nl == std::string_view::npos) break;
      rest.remove_prefix(nl + 1);
    }
  }
  std::stable_sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (std::size_t k = 1; k < names.size(); ++k) {
    if (names[k].first != names[k - 1].first) continue;
    const GpuRecord& r = out[order[names[k].second]];
    const GpuRecord& other = out[order[names[k - 1].second]];
    throw DataError(origin[order[names[k].second]], "aliases",
                    "'" + std::string(names[k].first) + "' names both '" + std::string(r.spec.id) + "' and '" +
                        std::string(other.spec.id) + "' (" + origin[order[names[k - 1].second]] + ")");
  }
  return sorted;
}

}  // namespace headroom
