// headroom fit MODEL --gpu ID [...]: the verdict, the memory breakdown and what to change.
//
// The options are the fields of a case (docs/cases.md) spelled with dashes; they are turned into a
// case object and parsed by the same strict parser as `headroom eval`, so both accept and reject
// exactly the same things.

#include <fmt/core.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/fit.hpp"
#include "headroom/io/calibration_json.hpp"
#include "headroom/io/cases.hpp"
#include "table.hpp"

namespace headroom::cli {

namespace {

struct FitOptions {
  std::string model, gpu, task, method, weights, compute, optimizer, precision, loss, offload, kv_cache, runtime,
      grad_checkpointing, solve, lora_targets, interconnect, parallel;
  std::optional<int> gpus, lora_rank;
  std::optional<std::int64_t> seq, grad_accum, prompt, generate;
  std::string batch;
  bool no_flash_attention = false, compile = false, json = false;
  std::string profile;  ///< --profile: a measured efficiency profile or calibration file
};

nlohmann::json model_field(const std::string& model) {
  if (!std::filesystem::is_regular_file(model)) return model;
  std::ifstream in(model);
  if (!in) throw IoError("cannot read '" + model + "'");
  try {
    return nlohmann::json{{"hf_config", nlohmann::json::parse(in)}};
  } catch (const nlohmann::json::parse_error& e) {
    throw DataError(model, "", std::string("not valid JSON: ") + e.what());
  }
}

/// "dp=2,tp=4,zero=3" -> {"dp":2,"tp":4,"zero":3}
nlohmann::json parallel_field(const std::string& text) {
  nlohmann::json p = nlohmann::json::object();
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, end - start);
    const std::size_t eq = item.find('=');
    if (eq == std::string::npos)
      throw InputError("parallel", "'" + item + "' is not NAME=VALUE; write e.g. --parallel dp=2,tp=4,zero=3");
    try {
      p[item.substr(0, eq)] = std::stoi(item.substr(eq + 1));
    } catch (const std::exception&) {
      throw InputError("parallel", "'" + item + "' needs an integer value, e.g. tp=4");
    }
    start = end + 1;
  }
  return p;
}

nlohmann::json to_case(const FitOptions& o) {
  nlohmann::json c{{"id", "fit"}, {"model", model_field(o.model)}, {"gpu", o.gpu}};
  auto put = [&c](const char* key, const std::string& v) {
    if (!v.empty()) c[key] = v;
  };
  // Naming a fine-tuning method means training unless --task says otherwise.
  put("task", o.task.empty() && !o.method.empty() ? std::string("training") : o.task);
  put("method", o.method);
  put("weights", o.weights);
  put("compute", o.compute);
  put("optimizer", o.optimizer);
  put("precision", o.precision);
  put("loss", o.loss);
  put("offload", o.offload);
  put("kv_cache", o.kv_cache);
  put("runtime", o.runtime);
  put("grad_checkpointing", o.grad_checkpointing);
  put("solve", o.solve);
  put("interconnect", o.interconnect);
  if (!o.lora_targets.empty()) {
    if (o.lora_targets.find(',') == std::string::npos) {
      c["lora_targets"] = o.lora_targets;
    } else {
      auto list = nlohmann::json::array();
      std::size_t start = 0;
      while (start <= o.lora_targets.size()) {
        const std::size_t end = std::min(o.lora_targets.find(',', start), o.lora_targets.size());
        list.push_back(o.lora_targets.substr(start, end - start));
        start = end + 1;
      }
      c["lora_targets"] = list;
    }
  }
  if (o.gpus) c["gpus"] = *o.gpus;
  if (o.lora_rank) c["lora_rank"] = *o.lora_rank;
  if (o.seq) c["seq"] = *o.seq;
  if (o.grad_accum) c["grad_accum"] = *o.grad_accum;
  if (o.prompt) c["prompt"] = *o.prompt;
  if (o.generate) c["generate"] = *o.generate;
  if (!o.batch.empty()) {
    if (o.batch == "max") c["batch"] = "max";
    else {
      try {
        std::size_t used = 0;
        c["batch"] = std::stoll(o.batch, &used);
        if (used != o.batch.size()) throw std::invalid_argument(o.batch);
      } catch (const std::exception&) {
        throw InputError("batch", "'" + o.batch + "' is neither an integer nor \"max\"");
      }
    }
  }
  if (!o.parallel.empty()) c["parallel"] = parallel_field(o.parallel);
  // --gpus N alone: data parallel for training, tensor parallel for inference (docs/cli.md).
  else if (o.gpus && *o.gpus > 1) c["parallel"] = {{c.value("task", "inference") == "training" ? "dp" : "tp", *o.gpus}};
  if (o.no_flash_attention) c["flash_attention"] = false;
  if (o.compile) c["compile"] = true;
  return c;
}

std::string gib_text(Bytes b) { return fmt::format("{:.2f}", to_gib(b)); }

void run_fit(Context& ctx, const FitOptions& o) {
  StringStore strings;
  const nlohmann::json c = to_case(o);
  const Workload w = workload_from_json(c, ctx.catalog(), strings);
  StringStore profile_strings;
  double band = 0;
  const EfficiencyProfile profile =
      o.profile.empty() ? builtin_efficiency : load_profile_file(o.profile, profile_strings, &band);
  const Answer a = evaluate(w, profile, band);
  const MemoryResult& m = a.memory;
  std::vector<Suggestion> suggestions;
  if (!m.fits) suggestions = suggest(w, ctx.catalog());

  if (o.json) {
    nlohmann::json out = answer_to_json(c["id"], a, w);
    auto list = nlohmann::json::array();
    for (const auto& s : suggestions)
      list.push_back({{"change", s.what}, {"per_gpu_gib", to_gib(s.memory.per_gpu)}, {"fits", s.memory.fits}});
    out["suggestions"] = list;
    fmt::print("{}\n", out.dump(2));
  } else {
    const char* task = w.task == Task::training ? "training" : "inference";
    fmt::print("{} {} on {}x {} ({:.0f} GiB each)\n", w.model.id, task, w.gpus, w.gpu.name, to_gib(m.capacity));
    if (m.fits)
      fmt::print("verdict: FITS: {:.1f} GiB of {:.1f} GiB, {:.1f} GiB to spare\n\n", to_gib(m.per_gpu),
                 to_gib(m.capacity), to_gib(m.headroom()));
    else
      fmt::print("verdict: DOES NOT FIT: needs {:.1f} GiB of {:.1f} GiB, {:.1f} GiB over (largest part: {}){}\n\n",
                 to_gib(m.per_gpu), to_gib(m.capacity), -to_gib(m.headroom()), to_string(m.limiting),
                 m.may_page ? "; paged optimizer state may spill to host memory" : "");
    Table t({"component", ">GiB", ">share"});
    for (int i = 0; i < component_count; ++i) {
      const auto comp = static_cast<Component>(i);
      const Bytes b = m.breakdown[comp];
      t.row({std::string(to_string(comp)), gib_text(b),
             m.per_gpu.value() > 0 ? fmt::format("{:.0f}%", 100.0 * (b / m.per_gpu)) : "-"});
    }
    t.row({"total (busiest GPU)", gib_text(m.per_gpu), "100%"});
    t.row({"capacity", gib_text(m.capacity), ""});
    fmt::print("{}", t.str());
    if (a.limits.max_batch >= 0) fmt::print("max batch: {}\n", a.limits.max_batch);
    if (a.limits.max_seq >= 0) fmt::print("max sequence: {}\n", a.limits.max_seq);
    if (a.limits.max_context >= 0) fmt::print("max context: {}\n", a.limits.max_context);
    if (!m.fits) {
      if (suggestions.empty()) {
        fmt::print("\nNo single change in the search space makes it fit.\n");
      } else {
        fmt::print("\nWhat would fit (each checked by the model):\n");
        Table s({"change", ">GiB per GPU"});
        for (const auto& x : suggestions) s.row({x.what, gib_text(x.memory.per_gpu)});
        fmt::print("{}", s.str());
      }
    }
  }
  if (!m.fits) ctx.exit_code = does_not_fit;
}

}  // namespace

void add_fit_command(CLI::App& app, Context& ctx) {
  static FitOptions o;
  auto* fit = app.add_subcommand("fit", "does the job fit? verdict, memory breakdown and what to change");
  fit->add_option("model", o.model, "catalog id (e.g. llama-3-70b) or a Hugging Face config.json path")->required();
  fit->add_option("--gpu", o.gpu, "GPU catalog id, e.g. rtx-4090 (see `headroom gpus`)")->required();
  fit->add_option("--gpus", o.gpus, "GPUs in total (default 1)");
  fit->add_option("--task", o.task, "inference or training (default: training when --method is given)");
  fit->add_option("--method", o.method, "training: full, lora, qlora, freeze");
  fit->add_option("--weights", o.weights, "base weight storage: bf16, fp16, fp32, fp8, int8, nf4, nf4-dq, ...");
  fit->add_option("--compute", o.compute, "matmul precision: fp32, tf32, bf16, fp16, fp8");
  fit->add_option("--lora-rank", o.lora_rank, "LoRA rank (default 16)");
  fit->add_option("--lora-targets", o.lora_targets, "all-linear, attention, or a comma list like q_proj,v_proj");
  fit->add_option("--optimizer", o.optimizer, "adamw, adamw-8bit, paged-adamw-8bit, sgd, adafactor");
  fit->add_option("--precision", o.precision, "mixed (fp32 master + states) or pure");
  fit->add_option("--loss", o.loss, "standard (full fp32 logits) or chunked");
  fit->add_option("--offload", o.offload, "none, optimizer, params");
  fit->add_option("--batch", o.batch, "micro-batch per GPU (training) or concurrent sequences, or max");
  fit->add_option("--grad-accum", o.grad_accum, "micro-batches per optimizer step");
  fit->add_option("--seq", o.seq, "training: tokens per sequence (default 2048)");
  fit->add_option("--grad-checkpointing,--gc", o.grad_checkpointing, "none, selective, full");
  fit->add_flag("--no-flash-attention", o.no_flash_attention, "attention materialises the s x s scores");
  fit->add_flag("--compile", o.compile, "the model runs under torch.compile");
  fit->add_option("--prompt", o.prompt, "inference: prompt tokens per sequence (default 512)");
  fit->add_option("--generate", o.generate, "inference: new tokens per sequence (default 128)");
  fit->add_option("--kv-cache", o.kv_cache, "KV cache type: bf16, fp16, fp8, q8_0, q4_0");
  fit->add_option("--runtime", o.runtime, "pytorch, vllm, tensorrt-llm, llama.cpp, mlc, exllama, megatron");
  fit->add_option("--interconnect", o.interconnect, "nvlink, pcie, pcie-no-p2p, nvlink-bridge");
  fit->add_option("--parallel", o.parallel, "degrees and ZeRO stage, e.g. dp=2,tp=4,zero=3");
  fit->add_option("--solve", o.solve, "also find a limit: max_batch, max_seq, max_context");
  fit->add_option("--profile", o.profile,
                  "predict time with this measured efficiency profile (`headroom calibrate` output)")
      ->check(CLI::ExistingFile);
  fit->add_flag("--json", o.json, "the answer object of `headroom eval`, plus suggestions");
  fit->callback([&ctx] { run_fit(ctx, o); });
}

}  // namespace headroom::cli
