// headroom gpus | gpu ID | models | model ID|config.json

#include <fmt/core.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "headroom/io/gpu_json.hpp"
#include "headroom/io/hf_config.hpp"
#include "headroom/io/json_file.hpp"
#include "job_options.hpp"
#include "table.hpp"

namespace headroom::cli {

namespace {

/// The catalog spelling of the GPU-to-GPU path, with "via host" spelled out and "-" for none.
std::string peer_text(const GpuSpec& g) {
  if (g.peer_access == PeerAccess::host) return "via host";
  if (g.peer_access == PeerAccess::none) return "-";
  return std::string(to_string(g.peer_access));
}

std::string with_commas(std::int64_t v) {
  std::string s = std::to_string(v), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return out;
}

/// The source keys ("S3; S5") of a multi-line citation list whose lines start with their key.
std::string source_ids(std::string_view sources) {
  std::string out;
  std::size_t start = 0;
  while (start < sources.size()) {
    const std::size_t end = std::min(sources.find('\n', start), sources.size());
    const std::string_view line = sources.substr(start, end - start);
    const std::string_view key = line.substr(0, std::min(line.find(' '), line.size()));
    if (!key.empty()) out += (out.empty() ? "" : "; ") + std::string(key);
    start = end + 1;
  }
  return out;
}

std::string billions(std::int64_t v) { return fmt::format("{:.2f} B", static_cast<double>(v) / 1e9); }

void print_gpus(Context& ctx, bool json) {
  const auto gpus = ctx.catalog().gpus();
  if (json) {
    auto arr = nlohmann::json::array();
    for (const auto& g : gpus) arr.push_back(gpu_to_json(g, ctx.catalog().provenance(g.id)));
    fmt::print("{}\n", arr.dump(2));
    return;
  }
  Table t({"id", "name", ">mem GiB", ">BW GB/s", ">bf16 TF", ">fp8 TF", ">NVLink GB/s", "peer", ">$/h"});
  for (const auto& g : gpus)
    t.row({std::string(g.id), std::string(g.name), num(to_gib(g.memory), 0), num(to_gb_per_s(g.memory_bandwidth), 0),
           num(to_tflops(g.peak.bf16)), num(to_tflops(g.peak.fp8)), num(to_gb_per_s(g.nvlink_bidirectional), 0),
           peer_text(g), num(g.price_usd_per_hour, 2)});
  fmt::print("{}", t.str());
  fmt::print("{} GPUs. TFLOPS are dense tensor peaks with FP32 accumulate; NVLink is per GPU, both directions.\n",
             gpus.size());
}

void print_gpu(Context& ctx, const std::string& id, bool json) {
  const GpuSpec& g = ctx.catalog().gpu(id);
  const GpuProvenance& prov = ctx.catalog().provenance(id);
  if (json) {
    fmt::print("{}\n", gpu_to_json(g, prov).dump(2));
    return;
  }
  Table t({"field", "value"});
  auto tf = [](FlopRate r) { return r.value() > 0 ? fmt::format("{:.1f} TFLOPS", to_tflops(r)) : std::string("-"); };
  t.row({"name", std::string(g.name)});
  t.row({"vendor / architecture", fmt::format("{} / {}", g.vendor, g.architecture)});
  if (!g.compute_capability.empty()) t.row({"compute capability", std::string(g.compute_capability)});
  t.row({"memory", fmt::format("{:.0f} GiB {}{} ({:.1f} GB)", to_gib(g.memory), prov.memory_type,
                               g.unified_memory ? ", unified" : "", to_gb(g.memory))});
  t.row({"memory bandwidth", fmt::format("{:.0f} GB/s", to_gb_per_s(g.memory_bandwidth))});
  // Cache sizes are binary: a "72 MB" L2 is 72 MiB.
  if (g.l2_cache.value() > 0) t.row({"L2 cache", fmt::format("{:.1f} MiB", to_mib(g.l2_cache))});
  if (g.sm_count) t.row({"SMs / CUs / cores", std::to_string(g.sm_count)});
  t.row({"fp32 (CUDA cores)", tf(g.peak.fp32)});
  t.row({"tf32 tensor", tf(g.peak.tf32)});
  t.row({"bf16 tensor (fp32 acc)", tf(g.peak.bf16)});
  t.row({"fp16 tensor (fp32 acc)", tf(g.peak.fp16)});
  t.row({"fp16 tensor (fp16 acc)", tf(g.peak.fp16_fp16acc)});
  t.row({"fp8 tensor (fp32 acc)", tf(g.peak.fp8)});
  t.row({"int8 tensor", g.peak.int8.value() > 0 ? fmt::format("{:.1f} TOPS", to_tflops(g.peak.int8)) : "-"});
  t.row({"NVLink", g.nvlink_generation.empty()
                       ? std::string("-")
                       : fmt::format("{}: {:.0f} GB/s both directions = {:.0f} GB/s each way", g.nvlink_generation,
                                     to_gb_per_s(g.nvlink_bidirectional), to_gb_per_s(g.nvlink_per_direction()))});
  t.row({"PCIe", g.pcie_generation ? fmt::format("gen {} x{}: {:.1f} GB/s each way", g.pcie_generation, g.pcie_lanes,
                                                 to_gb_per_s(g.pcie_per_direction))
                                   : std::string("-")});
  t.row({"GPU-to-GPU", peer_text(g)});
  t.row({"MIG instances", g.mig_instances ? std::to_string(g.mig_instances) : "-"});
  t.row({"TDP", g.tdp_w > 0 ? fmt::format("{:.0f} W", g.tdp_w) : "-"});
  t.row({"rental price", g.price_usd_per_hour > 0 ? fmt::format("${:.2f}/h ({}, {})", g.price_usd_per_hour,
                                                                prov.price_date, prov.price_source)
                                                  : std::string("-")});
  t.row({"confidence", std::string(prov.confidence)});
  t.row({"sources", source_ids(prov.source) + " (full citations: --json)"});
  fmt::print("{} ({})\n\n{}", g.id, g.name, t.str());
}

void print_models(Context& ctx, bool json) {
  const auto models = ctx.catalog().models();
  if (json) {
    auto arr = nlohmann::json::array();
    for (const auto& m : models) arr.push_back(model_to_json(m));
    fmt::print("{}\n", arr.dump(2));
    return;
  }
  Table t({"id", "type", ">layers", ">hidden", ">heads q/kv", ">FFN", ">vocab", ">params", ">active"});
  for (const auto& m : models) {
    const ParamCounts p = count_params(m);
    t.row({std::string(m.id), std::string(m.model_type), std::to_string(m.layers), std::to_string(m.hidden),
           fmt::format("{}/{}", m.heads, m.kv_heads), std::to_string(m.intermediate), std::to_string(m.vocab),
           billions(p.total), billions(p.active)});
  }
  fmt::print("{}", t.str());
  fmt::print("{} models. Parameters counted from the config (docs/catalog.md).\n", models.size());
}

void print_model(Context& ctx, const std::string& arg, const std::string& revision, bool json) {
  StringStore local;
  ModelArch m;
  // Resolved as every MODEL argument is: catalog id, config.json path, Hugging Face repo id.
  const nlohmann::json resolved = resolve_model_argument(arg, ctx.catalog(), revision);
  if (resolved.is_string()) m = ctx.catalog().model(resolved.get<std::string>());
  else m = model_from_hf_config(resolved.at("hf_config"), local, arg);
  if (json) {
    fmt::print("{}\n", model_to_json(m).dump(2));
    return;
  }
  const ParamCounts p = count_params(m);
  Table a({"architecture", "value"});
  a.row({"model_type", std::string(m.model_type)});
  a.row({"layers", std::to_string(m.layers)});
  a.row({"hidden", std::to_string(m.hidden)});
  a.row({"attention heads (q / kv)", fmt::format("{} / {}  (head_dim {})", m.heads, m.kv_heads, m.head_dim)});
  a.row({"FFN", fmt::format("{} ({})", m.intermediate, m.gated_mlp ? "gated, 3 matrices" : "2 matrices")});
  if (m.is_moe())
    a.row({"experts", fmt::format("{} routed, top-{}, {} shared, width {}", m.experts, m.experts_per_token,
                                  m.shared_experts, m.expert_intermediate)});
  a.row({"vocab", fmt::format("{} ({})", m.vocab, m.tied_embeddings ? "tied" : "untied lm_head")});
  a.row({"KV cache per token (16-bit)", fmt::format("{} KiB", kv_elements_per_token(m) * 2 / 1024)});
  Table t({"parameters", ">count", ">billions"});
  auto row = [&](const char* k, std::int64_t v) { t.row({k, with_commas(v), fmt::format("{:.3f}", static_cast<double>(v) / 1e9)}); };
  row("total", p.total);
  row("active per token", p.active);
  row("embedding", p.embedding);
  row("lm_head (untied)", p.lm_head);
  row("transformer blocks", p.blocks);
  row("  of which block linears", p.block_linear);
  row("final norm", p.final_norm);
  fmt::print("{} ({})\nsource: {}\n\n{}\n{}", m.id, m.model_type, m.source, a.str(), t.str());
}

}  // namespace

void add_catalog_commands(CLI::App& app, Context& ctx) {
  static bool gpus_json = false, gpu_json = false, models_json = false, model_json = false;
  static std::string gpu_id, model_id, model_revision;

  auto* gpus = app.add_subcommand("gpus", "list the GPU catalog");
  gpus->add_flag("--json", gpus_json, "a JSON array of GPU records");
  gpus->callback([&ctx] { print_gpus(ctx, gpus_json); });

  auto* gpu = app.add_subcommand("gpu", "show one GPU's datasheet record");
  gpu->add_option("id", gpu_id, "catalog id, e.g. rtx-4090 (see `headroom gpus`)")->required();
  gpu->add_flag("--json", gpu_json, "the record as JSON");
  gpu->callback([&ctx] { print_gpu(ctx, gpu_id, gpu_json); });

  auto* models = app.add_subcommand("models", "list the model catalog");
  models->add_flag("--json", models_json, "a JSON array of model summaries");
  models->callback([&ctx] { print_models(ctx, models_json); });

  auto* model = app.add_subcommand("model", "show a model's architecture and parameter counts");
  model->add_option("model", model_id,
                    "catalog id (e.g. llama-3-70b), a config.json path, or a Hugging Face repo id (e.g. Qwen/Qwen3-32B)")
      ->required();
  model->add_option("--revision", model_revision, "branch, tag or commit of a Hugging Face repo id (default main)");
  model->add_flag("--json", model_json, "JSON with integer params_total and params_active");
  model->callback([&ctx] { print_model(ctx, model_id, model_revision, model_json); });
}

}  // namespace headroom::cli
