#pragma once
/// @file workload.hpp
/// Workload: one job question, the C++ form of a case of docs/cases.md (the JSON Lines batch format).
/// Defaults are those of the case format.

#include <array>
#include <cstdint>

#include "headroom/gpu.hpp"
#include "headroom/model.hpp"

namespace headroom {

enum class Task { inference, training, collective };
enum class Method { full, lora, qlora, freeze };

/// Storage format of the base weights.
enum class WeightFormat {
  fp32, bf16, fp16, fp8, int8, nf4, nf4_dq, fp4, fp4_dq, gptq_4bit, awq_4bit, q4_0, q4_k_m, q5_k_m, q6_k, q8_0
};
enum class KvFormat { fp32, bf16, fp16, fp8, q8_0, q4_0 };
enum class Optimizer { adamw, adamw_8bit, paged_adamw_8bit, sgd, adafactor };
enum class PrecisionPolicy { mixed, pure };
enum class LossKind { standard, chunked };
enum class Offload { none, optimizer, params };
enum class Checkpointing { none, selective, full };
enum class Interconnect { from_gpu, nvlink, pcie, pcie_no_p2p, nvlink_bridge };
enum class Network { ib_200, ib_400, ib_800, eth_100, eth_25 };
enum class Runtime { pytorch, vllm, tensorrt_llm, llama_cpp, mlc, exllama, megatron };
enum class Collective { none, all_reduce, all_gather, reduce_scatter, all_to_all, send_recv };
enum class Solve { none, max_batch, max_seq, max_context };

/// LoRA target modules as a bit set over the linear modules of a block.
enum LoraTarget : std::uint32_t {
  lora_q = 1u << 0, lora_k = 1u << 1, lora_v = 1u << 2, lora_o = 1u << 3,
  lora_gate = 1u << 4, lora_up = 1u << 5, lora_down = 1u << 6,
  lora_lm_head = 1u << 7,  ///< the output head (not part of all-linear, as in PEFT)
  lora_attention = lora_q | lora_k | lora_v | lora_o,
  lora_all_linear = lora_attention | lora_gate | lora_up | lora_down,
};

struct Parallel {
  int dp = 1, tp = 1, pp = 1, cp = 1, ep = 1;
  int zero = 0;  ///< 0-3; 3 = FSDP full shard
};

struct Workload {
  GpuSpec gpu{};
  ModelArch model{};
  int gpus = 1;
  int gpus_per_node = 0;  ///< 0: min(gpus, 8)
  Interconnect interconnect = Interconnect::from_gpu;
  Network network = Network::ib_400;
  Task task = Task::inference;
  Method method = Method::full;
  WeightFormat weights = WeightFormat::bf16;
  Precision compute = Precision::bf16;
  int lora_rank = 16;
  std::uint32_t lora_targets = lora_all_linear;
  Optimizer optimizer = Optimizer::adamw;
  PrecisionPolicy precision = PrecisionPolicy::mixed;
  LossKind loss = LossKind::standard;
  bool optimizer_in_backward = false;
  bool activation_offload = false;
  bool compile = false;
  Offload offload = Offload::none;
  std::int64_t batch = 1;  ///< micro-batch per GPU (training) or concurrent sequences (inference)
  bool batch_max = false;  ///< batch: "max"
  std::int64_t grad_accum = 1;
  std::int64_t seq = 2048;
  Checkpointing checkpointing = Checkpointing::none;
  bool flash_attention = true;
  Parallel parallel{};
  std::int64_t prompt = 512;
  std::int64_t generate = 128;
  KvFormat kv_cache = KvFormat::bf16;
  bool kv_cache_set = false;  ///< false: the KV cache follows `compute`
  Runtime runtime = Runtime::pytorch;
  Collective collective = Collective::none;
  double bytes = 0;  ///< collective message size
  Solve solve = Solve::none;

  [[nodiscard]] constexpr int node_size() const noexcept {
    return gpus_per_node > 0 ? gpus_per_node : (gpus < 8 ? gpus : 8);
  }
};

}  // namespace headroom
