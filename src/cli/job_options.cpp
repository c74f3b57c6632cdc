#include "job_options.hpp"

#include <filesystem>

#include "headroom/error.hpp"
#include "headroom/io/json_file.hpp"

namespace headroom::cli {

nlohmann::json model_value(const std::string& id_or_path) {
  if (!std::filesystem::is_regular_file(id_or_path)) return id_or_path;
  return nlohmann::json{{"hf_config", read_json_file(id_or_path)}};
}

void JobOptions::add_to(CLI::App* app, bool batching, bool links) {
  app->add_option("model", model, "catalog id (e.g. llama-3-70b) or a Hugging Face config.json path")->required();
  app->add_option("--task", task, "inference or training (default: training when --method is given)");
  app->add_option("--method", method, "training: full, lora, qlora, freeze");
  app->add_option("--weights", weights, "base weight storage: bf16, fp16, fp32, fp8, int8, nf4, nf4-dq, q4_k_m, ...");
  app->add_option("--compute", compute, "matmul precision: fp32, tf32, bf16, fp16, fp8");
  app->add_option("--lora-rank", lora_rank, "LoRA rank (default 16)");
  app->add_option("--lora-targets", lora_targets, "all-linear, attention, or a comma list like q_proj,v_proj");
  app->add_option("--optimizer", optimizer, "adamw, adamw-8bit, paged-adamw-8bit, sgd, adafactor");
  app->add_option("--precision", precision, "mixed (fp32 master + states) or pure");
  app->add_option("--loss", loss, "standard (full fp32 logits) or chunked");
  app->add_option("--offload", offload, "none, optimizer, params");
  if (batching) {
    app->add_option("--batch", batch, "micro-batch per GPU (training) or concurrent sequences, or max");
    app->add_option("--grad-accum", grad_accum, "micro-batches per optimizer step");
    app->add_option("--grad-checkpointing,--gc", grad_checkpointing, "none, selective, full");
  }
  app->add_option("--seq", seq, "training: tokens per sequence (default 2048)");
  app->add_flag("--no-flash-attention", no_flash_attention, "attention materialises the s x s scores");
  app->add_flag("--compile", compile, "the model runs under torch.compile");
  app->add_option("--prompt", prompt, "inference: prompt tokens per sequence (default 512)");
  app->add_option("--generate", generate, "inference: new tokens per sequence (default 128)");
  app->add_option("--kv-cache", kv_cache, "KV cache type: bf16, fp16, fp8, q8_0, q4_0");
  app->add_option("--runtime", runtime, "pytorch, vllm, tensorrt-llm, llama.cpp, mlc, exllama, megatron");
  if (links) {
    app->add_option("--interconnect", interconnect, "nvlink, pcie, pcie-no-p2p, nvlink-bridge (default: the GPU's)");
    app->add_option("--network", network, "between nodes: ib-200, ib-400, ib-800, eth-100, eth-25");
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
