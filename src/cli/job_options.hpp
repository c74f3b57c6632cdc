#pragma once
// The job fields of a case as command-line options, shared by fit, perf, compare, scale and plan:
// one spelling (the case field with dashes), one conversion to a case object, which the strict case
// parser then checks, so every command accepts and rejects the same things (docs/cli.md).

#include <CLI/CLI.hpp>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace headroom::cli {

struct JobOptions {
  std::string model, task, method, weights, compute, optimizer, precision, loss, offload, kv_cache, runtime,
      grad_checkpointing, lora_targets, batch, interconnect, network;
  std::optional<int> lora_rank, gpus_per_node;
  std::optional<std::int64_t> seq, grad_accum, prompt, generate;
  bool no_flash_attention = false, compile = false;

  /// Registers the model argument and the job options. `batching`: --batch, --grad-accum and
  /// --grad-checkpointing; `links`: --interconnect, --network and --gpus-per-node.
  void add_to(CLI::App* app, bool batching = true, bool links = false);

  /// The case object of these options with `id` and `gpu`; naming --method implies training.
  [[nodiscard]] nlohmann::json to_case(const std::string& id, const std::string& gpu) const;
};

/// A model argument as a case's `model`: a catalog id as it is, a config.json path as
/// {"hf_config": <its content>}.
[[nodiscard]] nlohmann::json model_value(const std::string& id_or_path);

}  // namespace headroom::cli
