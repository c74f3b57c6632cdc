#include "job_options.hpp"

#include <filesystem>

#include "headroom/error.hpp"
#include "headroom/io/json_file.hpp"
#include "headroom/names.hpp"

namespace headroom::cli {

nlohmann::json model_value(const std::string& id_or_path) {
  if (!std::filesystem::is_regular_file(id_or_path)) return id_or_path;
  return nlohmann::json{{"hf_config", read_json_file(id_or_path)}};
}

namespace {
/// "what: a, b, c": an option's help with the spellings of names.hpp (the case parser checks them).
template <class E>
std::string choices(const std::string& what, const std::string& after = {}) {
  return what + names::list<E>() + after;
}
}  // namespace

void JobOptions::add_to(CLI::App* app, bool batching, bool links) {
  app->add_option("model", model, "catalog id (e.g. llama-3-70b) or a Hugging Face config.json path")->required();
  app->add_option("--task", task, "inference or training (default: training when --method is given)");
  app->add_option("--method", method, choices<Method>("training: "));
  app->add_option("--weights", weights, choices<WeightFormat>("base weight storage: "));
  app->add_option("--compute", compute, choices<Precision>("matmul precision: "));
  app->add_option("--lora-rank", lora_rank, "LoRA rank (default 16)");
  app->add_option("--lora-targets", lora_targets, "all-linear, attention, or a comma list like q_proj,v_proj");
  app->add_option("--optimizer", optimizer, choices<Optimizer>(""));
  app->add_option("--precision", precision, choices<PrecisionPolicy>("", " (mixed: fp32 master weights and states)"));
  app->add_option("--loss", loss, choices<LossKind>("", " (standard: full fp32 logits)"));
  app->add_option("--offload", offload, choices<Offload>(""));
  if (batching) {
    app->add_option("--batch", batch, "micro-batch per GPU (training) or concurrent sequences, or max");
    app->add_option("--grad-accum", grad_accum, "micro-batches per optimizer step");
    app->add_option("--grad-checkpointing,--gc", grad_checkpointing, choices<Checkpointing>(""));
  }
  app->add_option("--seq", seq, "training: tokens per sequence (default 2048)");
  app->add_flag("--no-flash-attention", no_flash_attention, "attention materialises the s x s scores");
  app->add_flag("--compile", compile, "the model runs under torch.compile");
  app->add_option("--prompt", prompt, "inference: prompt tokens per sequence (default 512)");
  app->add_option("--generate", generate, "inference: new tokens per sequence (default 128)");
  app->add_option("--kv-cache", kv_cache, choices<KvFormat>("KV cache type: "));
  app->add_option("--runtime", runtime, choices<Runtime>(""));
  if (links) {
    app->add_option("--interconnect", interconnect, choices<Interconnect>("", " (default: the GPU's)"));
    app->add_option("--network", network, choices<Network>("between nodes: "));
    app->add_option("--gpus-per-node", gpus_per_node, "GPUs per node (default min(gpus, 8))");
  }
}

nlohmann::json JobOptions::to_case(const std::string& id, const std::string& gpu) const {
  nlohmann::json c{{"id", id}, {"model", model_value(model)}, {"gpu", gpu}};
  const auto put = [&c](const char* key, const std::string& v) {
    if (!v.empty()) c[key] = v;
  };
  put("task", task.empty() && !method.empty() ? std::string("training") : task);
  put("method", method);
  put("weights", weights);
  put("compute", compute);
  put("optimizer", optimizer);
  put("precision", precision);
  put("loss", loss);
  put("offload", offload);
  put("kv_cache", kv_cache);
  put("runtime", runtime);
  put("grad_checkpointing", grad_checkpointing);
  put("interconnect", interconnect);
  put("network", network);
  if (!lora_targets.empty()) {
    if (lora_targets.find(',') == std::string::npos) {
      c["lora_targets"] = lora_targets;
    } else {
      auto list = nlohmann::json::array();
      std::size_t start = 0;
      while (start <= lora_targets.size()) {
        const std::size_t end = std::min(lora_targets.find(',', start), lora_targets.size());
        list.push_back(lora_targets.substr(start, end - start));
        start = end + 1;
      }
      c["lora_targets"] = list;
    }
  }
  if (lora_rank) c["lora_rank"] = *lora_rank;
  if (gpus_per_node) c["gpus_per_node"] = *gpus_per_node;
  if (seq) c["seq"] = *seq;
  if (grad_accum) c["grad_accum"] = *grad_accum;
  if (prompt) c["prompt"] = *prompt;
  if (generate) c["generate"] = *generate;
  if (!batch.empty()) {
    if (batch == "max") {
      c["batch"] = "max";
    } else {
      try {
        std::size_t used = 0;
        c["batch"] = std::stoll(batch, &used);
        if (used != batch.size()) throw std::invalid_argument(batch);
      } catch (const std::exception&) {
        throw InputError("batch", "'" + batch + "' is neither an integer nor \"max\"");
      }
    }
  }
  if (no_flash_attention) c["flash_attention"] = false;
  if (compile) c["compile"] = true;
  return c;
}

}  // namespace headroom::cli
