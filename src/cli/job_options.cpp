#include "job_options.hpp"

#include <array>
#include <filesystem>
#include <sstream>

#include <fmt/core.h>

#include "headroom/detail/closest.hpp"
#include "headroom/error.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/io/json_file.hpp"
#include "headroom/names.hpp"
#include "hub.hpp"

namespace headroom::cli {

nlohmann::json resolve_model_argument(const std::string& arg, const Catalog& catalog, const std::string& revision) {
  namespace fs = std::filesystem;
  if (!revision.empty() && !is_repo_id(arg))
    fmt::print(stderr, "warning: --revision applies to Hugging Face repo ids; '{}' is not one\n", arg);
  // 1. The catalog first, so that an id never depends on the files in the current folder; a repo id
  //    with an explicit --revision asks for that revision's config, not the catalog's copy.
  const bool pinned = !revision.empty() && is_repo_id(arg);
  if (const ModelArch* m = pinned ? nullptr : catalog.find_model(arg)) return std::string(m->id);
  // 2. A config.json, or a folder with one (a downloaded model), named after the file or the folder.
  std::error_code ec;
  fs::path file = arg;
  std::string name = file.stem().string();
  if (fs::is_directory(file, ec)) {
    const fs::path dir = file.lexically_normal();
    name = (dir.has_filename() ? dir : dir.parent_path()).filename().string();
    file /= "config.json";
  }
  if (fs::is_regular_file(file, ec)) {
    nlohmann::json config = read_json_file(file);
    if (config.is_object() && !config.contains("_id")) config["_id"] = name;
    return nlohmann::json{{"hf_config", std::move(config)}};
  }
  // 3. A Hugging Face repo id: the cache, else the Hub.
  std::vector<std::string_view> ids;
  for (const auto& m : catalog.models()) ids.push_back(m.id);
  if (is_repo_id(arg))
    return nlohmann::json{
        {"hf_config", hub_config(arg, HubSettings::from_environment(revision.empty() ? "main" : revision), ids)}};
  throw UnknownModel(arg, detail::closest(arg, ids),
                     "MODEL is a catalog id (see `headroom models`), the path of a config.json or of a folder with "
                     "one, or a Hugging Face repo id (org/name, e.g. Qwen/Qwen3-32B)");
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) out.push_back(item);
  return out;
}

void JobOptions::resolve_model(const Catalog& catalog) {
  if (model.empty() || !model_value.is_null()) return;
  model_value = resolve_model_argument(model, catalog, revision);
}

namespace {

/// How an option's text becomes the case value. Text that does not convert is passed on as a string,
/// so the case parser rejects it with its own message naming the field.
enum class Kind {
  text,      ///< a string as written (enums: the parser checks the spelling, with "did you mean")
  integer,   ///< an integer
  number,    ///< a number (bytes)
  flag,      ///< --x sets true, --no-x false
  batch,     ///< an integer or "max"
  list,      ///< one name or a comma list (lora_targets)
  chunk,     ///< an integer or false (chunked_prefill)
  object,    ///< NAME=VALUE,... as an object of numbers (slo)
};

/// One case field as an option: the field, its kind and its help (enum choices from names.hpp).
struct FieldOption {
  const char* field;
  Kind kind;
  std::string (*help)();
  const char* off_help = nullptr;  ///< flags: the help of --no-x
};

template <class E>
std::string choices() {
  return names::list<E>();
}

/// The LoRA module names (a bit set, not an enum).
std::string lora_modules() {
  std::string s;
  for (const auto& m : name_tables::lora_module) s += (s.empty() ? "" : ", ") + std::string(m.name);
  return s;
}

// Every field of cases::fields but id (set by the command), model (the positional MODEL), gpu, gpus
// and parallel (special spellings, registered in add_to); tests/cli checks that none is missing.
const std::array<FieldOption, 34> field_options{{
    {"gpus_per_node", Kind::integer, [] { return std::string("GPUs per node (default min(gpus, 8))"); }},
    {"interconnect", Kind::text, [] { return choices<Interconnect>() + " (default: the GPU's)"; }},
    {"network", Kind::text, [] { return "between nodes: " + choices<Network>(); }},
    {"task", Kind::text, [] { return choices<Task>() + " (default: training when --method is given, else inference)"; }},
    {"method", Kind::text, [] { return "training: " + choices<Method>(); }},
    {"weights", Kind::text, [] { return "base weight storage: " + choices<WeightFormat>(); }},
    {"compute", Kind::text, [] { return "matmul precision: " + choices<Precision>(); }},
    {"lora_rank", Kind::integer, [] { return std::string("LoRA rank (default 16)"); }},
    {"lora_targets", Kind::list,
     [] { return "all-linear, attention, or a comma list of modules: " + lora_modules(); }},
    {"optimizer", Kind::text, [] { return choices<Optimizer>(); }},
    {"precision", Kind::text, [] { return choices<PrecisionPolicy>() + " (mixed: fp32 master weights and states)"; }},
    {"loss", Kind::text, [] { return choices<LossKind>() + " (standard: full fp32 logits)"; }},
    {"optimizer_in_backward", Kind::flag, [] { return std::string("the optimizer steps each layer during backward"); }, "(the default)"},
    {"activation_offload", Kind::flag, [] { return std::string("saved activations go to host memory"); }, "(the default)"},
    {"compile", Kind::flag, [] { return std::string("the model runs under torch.compile"); }, "(the default)"},
    {"offload", Kind::text, [] { return choices<Offload>(); }},
    {"batch", Kind::batch, [] { return std::string("micro-batch per GPU (training) or concurrent sequences, or max"); }},
    {"grad_accum", Kind::integer, [] { return std::string("micro-batches per optimizer step"); }},
    {"seq", Kind::integer, [] { return std::string("training: tokens per sequence (default 2048)"); }},
    {"grad_checkpointing", Kind::text, [] { return choices<Checkpointing>(); }},
    {"flash_attention", Kind::flag, [] { return std::string("fused attention, no s x s score matrix (the default)"); },
     "attention materialises the s x s scores"},
    {"prompt", Kind::integer, [] { return std::string("inference: prompt tokens per sequence (default 512)"); }},
    {"generate", Kind::integer, [] { return std::string("inference: new tokens per sequence (default 128)"); }},
    {"kv_cache", Kind::text, [] { return "KV cache type: " + choices<KvFormat>(); }},
    {"runtime", Kind::text, [] { return choices<Runtime>(); }},
    {"collective", Kind::text, [] { return "task collective: " + choices<Collective>(); }},
    {"bytes", Kind::number, [] { return std::string("task collective: message size in bytes"); }},
    {"solve", Kind::text, [] { return "also find a limit: " + choices<Solve>(); }},
    {"concurrency", Kind::integer, [] { return std::string("serving: closed-loop clients, one request in flight each (default 1)"); }},
    {"request_rate", Kind::number, [] { return std::string("serving: open-loop Poisson arrivals in requests/s instead of --concurrency"); }},
    {"prefix_cache_hit", Kind::number, [] { return std::string("serving: share of each prompt already in the prefix cache, 0-1 (default 0)"); }},
    {"chunked_prefill", Kind::chunk, [] { return std::string("serving: prefill tokens per scheduler step, or false for whole prompts (default: the runtime's)"); }},
    {"kv_memory_fraction", Kind::number,
     [] { return std::string("inference/serving: the runtime's memory setting, 0-1 (vLLM gpu_memory_utilization, SGLang mem_fraction_static, TensorRT-LLM kv_cache_free_gpu_mem_fraction)"); }},
    {"slo", Kind::object, [] { return std::string("serving: latency targets, e.g. ttft_s=2,tpot_s=0.05,percentile=90"); }},
}};

/// The keys of the case format's parallel object.
std::string parallel_keys() {
  std::string s;
  for (const auto k : cases::parallel_fields) s += (s.empty() ? "" : ", ") + std::string(k);
  return s;
}

std::string option_name(std::string_view field) {
  std::string s = "--" + std::string(field);
  for (char& ch : s)
    if (ch == '_') ch = '-';
  return s;
}

/// The integer spelled by all of `text`, if it is one.
std::optional<std::int64_t> integer(const std::string& text) {
  try {
    std::size_t used = 0;
    const std::int64_t v = std::stoll(text, &used);
    if (used == text.size()) return v;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

nlohmann::json value_of(Kind kind, const std::string& text) {
  switch (kind) {
    case Kind::integer:
      if (const auto v = integer(text)) return *v;
      return text;
    case Kind::number:
      try {
        std::size_t used = 0;
        const double v = std::stod(text, &used);
        if (used == text.size()) return v;
      } catch (const std::exception&) {
      }
      return text;
    case Kind::flag:
      return text == "true";
    case Kind::batch:
      if (const auto v = integer(text)) return *v;
      return text;  // "max", or a string the parser rejects
    case Kind::list: {
      if (text.find(',') == std::string::npos) return text;
      auto list = nlohmann::json::array();
      for (const auto& item : split_list(text)) list.push_back(item);
      return list;
    }
    case Kind::chunk:
      if (text == "false") return false;
      if (const auto v = integer(text)) return *v;
      return text;
    case Kind::object: {
      auto obj = nlohmann::json::object();
      for (const auto& item : split_list(text)) {
        const std::size_t eq = item.find('=');
        if (eq == std::string::npos) return text;  // the parser says what an slo looks like
        const std::string value = item.substr(eq + 1);
        nlohmann::json v = value_of(Kind::number, value);
        if (const auto i = integer(value)) v = *i;
        obj[item.substr(0, eq)] = v;
      }
      return obj;
    }
    case Kind::text:
      break;
  }
  return text;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> job_option_names() {
  std::vector<std::pair<std::string, std::string>> out{{"model", "model"}, {"gpu", "--gpu"}, {"gpus", "--gpus"},
                                                        {"parallel", "--parallel"}};
  for (const auto& f : field_options) out.emplace_back(f.field, option_name(f.field));
  return out;
}

void JobOptions::add_to(CLI::App* app, JobShape s) {
  shape = s;
  app->add_option("model", model,
                  "catalog id (e.g. llama-3-70b), a config.json path, or a Hugging Face repo id (e.g. Qwen/Qwen3-32B); "
                  "none for --task collective");
  app->add_option("--revision", revision, "branch, tag or commit of a Hugging Face repo id (default main)");
  auto* gpu = app->add_option("--gpu", gpu_ids,
                              shape.many_gpu_types ? "GPU catalog id; repeat or comma-separate for several (see `headroom gpus`)"
                                                   : "GPU catalog id, e.g. rtx-4090 (see `headroom gpus`)");
  if (shape.many_gpu_types) gpu->delimiter(',');
  else gpu->expected(1);
  if (shape.gpu_required) gpu->required();
  app->add_option("--gpus", gpus,
                  shape.count_list ? std::string("GPU counts, comma separated") +
                                         (shape.default_counts ? std::string(" (default ") + shape.default_counts + ")"
                                                               : std::string(" (default: every count up to --max-gpus)"))
                                   : std::string("GPU count (default 1); without --parallel: dp for training, tp for inference"));
  app->add_option_function<std::string>(
      "--parallel", [this](const std::string& v) { values["parallel"] = v; },
      "degrees and ZeRO stage (" + parallel_keys() + "), e.g. dp=2,tp=4,zero=3; without dp, the rest of --gpus is dp");
  for (const auto& f : field_options) {
    const std::string name = option_name(f.field);
    const std::string field = f.field;
    if (f.kind == Kind::flag) {
      app->add_flag_callback(name, [this, field] { values[field] = "true"; }, f.help());
      app->add_flag_callback("--no-" + name.substr(2), [this, field] { values[field] = "false"; }, f.off_help);
    } else {
      // --gc: the short spelling of --grad-checkpointing (README, docs/cli.md).
      app->add_option_function<std::string>(field == "grad_checkpointing" ? name + ",--gc" : name,
                                            [this, field](const std::string& v) { values[field] = v; }, f.help());
    }
  }
}

void JobOptions::add_slo_options(CLI::App* app) {
  app->add_option("--slo-ttft", slo_ttft, "serving: time-to-first-token target in seconds (slo ttft_s), e.g. 1");
  app->add_option("--slo-tpot", slo_tpot, "serving: time-per-output-token target in seconds (slo tpot_s), e.g. 0.05");
  app->add_option("--slo-percentile", slo_percentile, "serving: the percentile the targets hold at: 50 (the mean), 90 or 99 (default 50)");
}

void JobOptions::compose_slo() {
  if (!slo_ttft && !slo_tpot && !slo_percentile) return;
  if (has("slo")) throw InputError("slo", "give --slo or --slo-ttft/--slo-tpot/--slo-percentile, not both");
  if (!slo_ttft && !slo_tpot)
    throw InputError("slo", "--slo-percentile needs a target: add --slo-ttft SECONDS and/or --slo-tpot SECONDS");
  std::string s;
  if (slo_ttft) s += "ttft_s=" + *slo_ttft;
  if (slo_tpot) s += (s.empty() ? "" : ",") + std::string("tpot_s=") + *slo_tpot;
  if (slo_percentile) s += ",percentile=" + *slo_percentile;
  values["slo"] = s;
}

nlohmann::json JobOptions::parallel() const {
  nlohmann::json p = nlohmann::json::object();
  if (const auto it = values.find("parallel"); it != values.end()) {
    for (const auto& item : split_list(it->second)) {
      const std::size_t eq = item.find('=');
      if (eq == std::string::npos)
        throw InputError("parallel", "'" + item + "' is not NAME=VALUE; write e.g. --parallel dp=2,tp=4,zero=3");
      const auto v = integer(item.substr(eq + 1));
      if (!v) throw InputError("parallel", "'" + item + "' needs an integer value, e.g. tp=4");
      p[item.substr(0, eq)] = *v;
    }
  }
  if (tp) p["tp"] = *tp;
  if (pp) p["pp"] = *pp;
  if (zero) p["zero"] = *zero;
  if (dp) p["dp"] = *dp;
  if (ep) p["ep"] = *ep;
  return p;
}

std::string JobOptions::task() const {
  if (const auto it = values.find("task"); it != values.end()) return it->second;
  return has("method") ? "training" : "";
}

void JobOptions::reject_collective(const char* command) const {
  if (task() == "collective")
    throw InputError("task", std::string("`") + command +
                                 "` answers training and inference; time a collective with `headroom perf --task collective`");
}

std::vector<int> JobOptions::counts() const {
  const std::string text = gpus.empty() && shape.default_counts ? shape.default_counts : gpus;
  std::vector<int> out;
  if (text.empty()) return out;
  for (const auto& item : split_list(text)) {
    const auto v = integer(item);
    if (!v || *v < 1 || *v > cases::max_gpus)
      throw InputError("gpus", "'" + item + "' is not a GPU count >= 1; write e.g. --gpus 1,2,4,8" +
                                   (v ? std::string() : std::string("; name GPU types with --gpu")));
    out.push_back(static_cast<int>(*v));
  }
  if (out.empty()) throw InputError("gpus", "needs at least one count, e.g. --gpus 1,2,4,8");
  return out;
}

nlohmann::json JobOptions::to_case(const std::string& id, const std::string& gpu, std::optional<int> count) const {
  nlohmann::json c{{"id", id}, {"gpu", gpu}};
  if (!model.empty()) c["model"] = model_value.is_null() ? nlohmann::json(model) : model_value;
  else if (task() != "collective")
    throw CLI::RequiredError("MODEL (a catalog id, a config.json path or a Hugging Face repo id)");
  for (const auto& f : field_options)
    if (const auto it = values.find(f.field); it != values.end()) c[f.field] = value_of(f.kind, it->second);
  if (const std::string t = task(); !t.empty()) c["task"] = t;

  std::optional<std::int64_t> n = count;
  if (!n && !gpus.empty()) {
    n = integer(gpus);
    if (!n) throw InputError("gpus", "'" + gpus + "' is not a GPU count; write e.g. --gpus 8 (name GPU types with --gpu)");
  }
  nlohmann::json par = parallel();
  if (par.empty()) {
    // --gpus N alone: a replica per GPU for training (and a collective's ranks), the model split
    // across them for inference.
    if (n && *n > 1) par[task() == "inference" || task() == "serving" || task().empty() ? "tp" : "dp"] = *n;
  } else if (n && !par.contains("dp")) {
    // The rest of the count is data parallel.
    std::int64_t others = 1;
    for (const char* k : {"tp", "pp", "cp"})
      if (par.contains(k) && par[k].is_number_integer() && par[k].get<std::int64_t>() > 0) others *= par[k].get<std::int64_t>();
    if (*n % others != 0)
      throw InputError("gpus", std::to_string(*n) + " GPUs cannot be split into tp*pp*cp = " + std::to_string(others) +
                                   "; give a multiple of " + std::to_string(others));
    if (*n / others > 1) par["dp"] = *n / others;
  } else if (!n) {
    // --parallel alone: as many GPUs as the degrees multiply to.
    std::int64_t product = 1;
    for (const char* k : {"dp", "tp", "pp", "cp"})
      if (par.contains(k) && par[k].is_number_integer() && par[k].get<std::int64_t>() > 0) product *= par[k].get<std::int64_t>();
    n = product;
  }
  if (n) c["gpus"] = *n;
  if (!par.empty()) c["parallel"] = par;
  return c;
}

}  // namespace headroom::cli
