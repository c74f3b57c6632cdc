#pragma once
/// @file tools/gpu_table.hpp
/// The generator of include/headroom/catalog/builtin_gpus.hpp (used by headroom-gen-gpus and its
/// test): GPU records as a constexpr C++ table. Not installed: consumers get the generated header.

#include <algorithm>
#include <array>
#include <charconv>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "headroom/gpu.hpp"
#include "headroom/io/gpu_json.hpp"
#include "headroom/units.hpp"

namespace headroom {

namespace detail::gpu_json {

/// A C++ string literal: quotes, backslashes, control bytes and non-ASCII bytes escaped (octal, so
/// the bytes survive any execution character set); "??" is broken up so no trigraph can form.
[[nodiscard]] inline std::string cpp_literal(std::string_view s) {
  std::string out = "\"";
  char prev = 0;
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"') out += "\\\"";
    else if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c == '?' && prev == '?') out += "\\?";
    else if (u < 0x20 || u >= 0x7f) {
      out += '\\';
      out += static_cast<char>('0' + ((u >> 6) & 7));
      out += static_cast<char>('0' + ((u >> 3) & 7));
      out += static_cast<char>('0' + (u & 7));
    } else out += c;
    prev = c;
  }
  return out + "\"";
}

/// A string_view initializer; multi-line text becomes one literal per line (adjacent literals join).
[[nodiscard]] inline std::string cpp_text(std::string_view s, std::string_view indent) {
  if (s.find('\n') == std::string_view::npos) return cpp_literal(s);
  std::string out;
  while (true) {
    const std::size_t nl = s.find('\n');
    if (!out.empty()) out += "\n" + std::string(indent);
    out += cpp_literal(s.substr(0, nl == std::string_view::npos ? s.size() : nl + 1));
    if (nl == std::string_view::npos || nl + 1 == s.size()) break;
    s.remove_prefix(nl + 1);
  }
  return out;
}

/// A double literal that reads back as the same value (shortest round trip, fixed notation).
[[nodiscard]] inline std::string cpp_double(double v) {
  std::array<char, 64> buf{};
  const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), tidy(v), std::chars_format::fixed);
  std::string s(buf.data(), r.ptr);
  if (s.find('.') == std::string::npos) s += ".0";
  return s;
}

[[nodiscard]] inline std::string cpp_enum(PeerAccess p) { return "PeerAccess::" + std::string(to_string(p)); }
[[nodiscard]] inline std::string cpp_enum(LinkTopology t) {
  switch (t) {
    case LinkTopology::none: return "LinkTopology::none";
    case LinkTopology::nvswitch: return "LinkTopology::nvswitch";
    case LinkTopology::bridge: return "LinkTopology::bridge";
    case LinkTopology::mesh: return "LinkTopology::mesh";
    case LinkTopology::c2c: return "LinkTopology::c2c";
  }
  return "LinkTopology::none";
}

}  // namespace detail::gpu_json

/// Writes the generated header include/headroom/catalog/builtin_gpus.hpp: `headroom::builtin::gpus`,
/// an `inline constexpr std::array<GpuSpec, N>` sorted by id, and `gpu_provenance`, the
/// `std::array<GpuProvenance, N>` in the same order, every field spelled out.
inline void write_gpu_table(std::ostream& os, std::span<const GpuRecord> gpus) {
  using namespace detail::gpu_json;
  std::vector<GpuRecord> sorted(gpus.begin(), gpus.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const GpuRecord& a, const GpuRecord& b) { return a.spec.id < b.spec.id; });

  os << "#pragma once\n"
        "/// @file catalog/builtin_gpus.hpp\n"
        "/// GENERATED from data/gpus by headroom-gen-gpus; do not edit.\n"
        "/// To change an entry, edit data/gpus/<id>.json and run\n"
        "///   cmake --build build --target update-catalog-gpus\n"
        "/// (docs/catalog.md). The ctest catalog-gpus-in-sync fails when this file and data/gpus disagree.\n"
        "\n"
        "#include <array>\n"
        "\n"
        "#include \"headroom/gpu.hpp\"\n"
        "#include \"headroom/units.hpp\"\n"
        "\n"
        "namespace headroom::builtin {\n"
        "\n"
        "// clang-format off\n"
        "/// The numbers of each GPU, sorted by id.\n"
        "inline constexpr std::array<GpuSpec, "
     << sorted.size() << "> gpus{{\n";

  constexpr std::string_view in2 = "        ";
  constexpr std::string_view in3 = "            ";
  const auto text = [&](std::string_view name, std::string_view value) {
    os << in2 << '.' << name << " = " << cpp_text(value, in3) << ",\n";
  };
  for (const GpuRecord& record : sorted) {
    const GpuSpec& g = record.spec;
    const auto line = [&](std::string_view name, const std::string& value) {
      os << in2 << '.' << name << " = " << value << ",\n";
    };
    const auto peak = [&](std::string_view name, FlopRate r) {
      os << in3 << '.' << name << " = tflops(" << cpp_double(to_tflops(r)) << "),\n";
    };
    os << "    GpuSpec{\n";
    text("id", g.id);
    text("name", g.name);
    text("vendor", g.vendor);
    text("architecture", g.architecture);
    text("compute_capability", g.compute_capability);
    line("launch_year", std::to_string(g.launch_year));
    line("memory", "gib(" + cpp_double(to_gib(g.memory)) + ")");
    line("memory_label_gb", cpp_double(g.memory_label_gb));
    line("memory_bus_bits", std::to_string(g.memory_bus_bits));
    line("unified_memory", g.unified_memory ? "true" : "false");
    line("memory_bandwidth", "gb_per_s(" + cpp_double(to_gb_per_s(g.memory_bandwidth)) + ")");
    line("l2_cache", "mib(" + cpp_double(to_mib(g.l2_cache)) + ")");
    line("sm_count", std::to_string(g.sm_count));
    line("boost_clock_mhz", cpp_double(g.boost_clock_mhz));
    os << in2 << ".peak = {\n";
    peak("fp64", g.peak.fp64);
    peak("fp64_tensor", g.peak.fp64_tensor);
    peak("fp32", g.peak.fp32);
    peak("tf32", g.peak.tf32);
    peak("bf16", g.peak.bf16);
    peak("fp16", g.peak.fp16);
    peak("fp16_fp16acc", g.peak.fp16_fp16acc);
    peak("fp8", g.peak.fp8);
    peak("fp8_fp16acc", g.peak.fp8_fp16acc);
    peak("int8", g.peak.int8);
    peak("fp4", g.peak.fp4);
    os << in2 << "},\n";
    line("sparsity_2to4", g.sparsity_2to4 ? "true" : "false");
    text("nvlink_generation", g.nvlink_generation);
    line("nvlink_bidirectional", "gb_per_s(" + cpp_double(to_gb_per_s(g.nvlink_bidirectional)) + ")");
    line("nvlink_topology", cpp_enum(g.nvlink_topology));
    line("pcie_generation", std::to_string(g.pcie_generation));
    line("pcie_lanes", std::to_string(g.pcie_lanes));
    line("pcie_per_direction", "gb_per_s(" + cpp_double(to_gb_per_s(g.pcie_per_direction)) + ")");
    line("peer_access", cpp_enum(g.peer_access));
    line("mig_instances", std::to_string(g.mig_instances));
    line("tdp_w", cpp_double(g.tdp_w));
    line("price_usd_per_hour", cpp_double(g.price_usd_per_hour));
    os << "    },\n";
  }
  os << "}};\n"
        "\n"
        "/// The provenance of each GPU, in the order of `gpus`.\n"
        "inline constexpr std::array<GpuProvenance, "
     << sorted.size() << "> gpu_provenance{{\n";
  for (const GpuRecord& record : sorted) {
    const GpuProvenance& prov = record.provenance;
    os << "    GpuProvenance{  // " << record.spec.id << "\n";
    text("aliases", prov.aliases);
    text("chip", prov.chip);
    text("form_factor", prov.form_factor);
    text("memory_type", prov.memory_type);
    text("memory_note", prov.memory_note);
    text("vendor_headline", prov.vendor_headline);
    text("pcie_derived", prov.pcie_derived);
    text("pcie_note", prov.pcie_note);
    text("other_interconnect", prov.other_interconnect);
    text("p2p_note", prov.p2p_note);
    text("mig_note", prov.mig_note);
    text("tdp_note", prov.tdp_note);
    text("price_range", prov.price_range);
    text("price_date", prov.price_date);
    text("price_source", prov.price_source);
    text("confidence", prov.confidence);
    text("derived_fields", prov.derived_fields);
    text("source", prov.source);
    text("notes", prov.notes);
    os << "    },\n";
  }
  os << "}};\n"
        "// clang-format on\n"
        "\n"
        "}  // namespace headroom::builtin\n";
}

}  // namespace headroom
