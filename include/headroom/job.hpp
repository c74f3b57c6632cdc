#pragma once
/// @file job.hpp
/// Job: one job question, the C++ form of a case of docs/cases.md (the JSON Lines batch format),
/// split by meaning (hardware, model, parallel plan, the task's own part, the question asked), and
/// normalize(), the one owner of the defaults that one field implies for another.

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "headroom/gpu.hpp"
#include "headroom/model.hpp"

namespace headroom {

enum class Task { inference, training, collective, serving };
enum class Method { full, lora, qlora, freeze };

/// Storage format of the base weights.
enum class WeightFormat {
  fp32, bf16, fp16, fp8, int8, nf4, nf4_dq, fp4, fp4_dq, nvfp4, mxfp4, gptq_4bit, awq_4bit, q4_0, q4_k_m, q5_k_m, q6_k, q8_0
};
enum class KvFormat { fp32, bf16, fp16, fp8, q8_0, q4_0 };
enum class Optimizer { adamw, adamw_8bit, paged_adamw_8bit, sgd, adafactor };
enum class PrecisionPolicy { mixed, pure };
enum class LossKind { standard, chunked };
enum class Offload { none, optimizer, params };
enum class Checkpointing { none, selective, full };
enum class Interconnect { from_gpu, nvlink, pcie, pcie_no_p2p, nvlink_bridge };
enum class Network { ib_200, ib_400, ib_800, eth_100, eth_25 };
/// New values go at the end: efficiency and memory profiles are indexed by value (names.hpp).
enum class Runtime {
  pytorch, vllm, tensorrt_llm, llama_cpp, mlc, exllama, megatron,
  sglang, hf, torchtune, torchtitan, litgpt, deepspeed, unsloth
};
enum class Collective { none, all_reduce, all_gather, reduce_scatter, all_to_all, send_recv };
enum class Solve { none, max_batch, max_seq, max_context, max_concurrency };

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
  int vpp = 1;   ///< virtual pipeline stages per GPU (interleaved 1F1B); > 1 needs pp > 1

  constexpr bool operator==(const Parallel&) const noexcept = default;
};

/// The machines: which GPU (a reference to its numbers, never a copy), how many, and the links.
struct Hardware {
  const GpuSpec* gpu = nullptr;  ///< required; points into a Catalog, a StringStore or static storage
  int count = 1;
  int per_node = 0;  ///< 0: min(count, 8)
  Interconnect interconnect = Interconnect::from_gpu;
  Network network = Network::ib_400;

  [[nodiscard]] constexpr int node_size() const noexcept {
    return per_node > 0 ? per_node : (count < 8 ? count : 8);
  }

  constexpr bool operator==(const Hardware&) const noexcept = default;
};

/// What only a training job has.
struct TrainingJob {
  Method method = Method::full;
  int lora_rank = 16;
  std::uint32_t lora_targets = lora_all_linear;
  Optimizer optimizer = Optimizer::adamw;
  PrecisionPolicy precision = PrecisionPolicy::mixed;
  LossKind loss = LossKind::standard;
  bool optimizer_in_backward = false;
  bool activation_offload = false;
  Offload offload = Offload::none;
  std::int64_t grad_accum = 1;
  std::int64_t seq = 2048;
  Checkpointing checkpointing = Checkpointing::none;
};

/// What only an inference job has.
struct InferenceJob {
  std::int64_t prompt = 512;
  std::int64_t generate = 128;
  std::optional<KvFormat> kv_cache{};  ///< absent: follows `compute` (normalize)
  /// The runtime's memory setting as it defines it (vLLM gpu_memory_utilization, SGLang
  /// mem_fraction_static, TensorRT-LLM kv_cache_free_gpu_mem_fraction); absent: the runtime's default.
  std::optional<double> kv_memory_fraction{};
};

/// Latency targets of `solve: max_concurrency` (a target of 0 is not set).
struct ServingSlo {
  double ttft_s = 0;
  double tpot_s = 0;
  int percentile = 50;  ///< 50, 90 or 99
};

/// What only a serving job has (task: serving, steady-state online serving); the prompt, generate and
/// KV-cache settings are the InferenceJob's. Parsed and checked; not modelled yet (evaluate says so).
struct ServingJob {
  std::int64_t concurrency = 1;         ///< closed-loop clients, one request in flight each
  std::optional<double> request_rate{};  ///< open-loop Poisson arrivals (requests/s) instead of `concurrency`
  double prefix_cache_hit = 0;          ///< share of each prompt already in the prefix cache
  /// Prefill tokens per scheduler step; 0 = whole prompts (`false`); absent: the runtime's default.
  std::optional<std::int64_t> chunked_prefill{};
  std::optional<ServingSlo> slo{};
};

/// A collective timed alone (task: collective).
struct CollectiveJob {
  Collective op = Collective::none;
  double bytes = 0;  ///< message size
};

/// What is asked about the job besides its memory and time.
struct Question {
  Solve solve = Solve::none;
  bool batch_max = false;  ///< batch: "max"
};

/// One job question, the C++ form of a case of docs/cases.md (the JSON Lines batch format).
/// Defaults are those of the case format; a field whose default another field implies is a
/// std::optional that normalize() fills, and every entry point answers the normalized job.
struct Job {
  Hardware hardware{};
  const ModelArch* model = nullptr;  ///< required unless the task is collective
  Parallel parallel{};
  Task task = Task::inference;
  Runtime runtime = Runtime::pytorch;
  std::optional<WeightFormat> weights{};  ///< absent: nf4-dq under QLoRA, else the checkpoint's format (bf16 unless its config quantizes; normalize)
  Precision compute = Precision::bf16;
  bool compile = false;
  bool flash_attention = true;
  std::int64_t batch = 1;  ///< micro-batch per GPU (training) or concurrent sequences (inference)
  TrainingJob training{};
  InferenceJob inference{};  ///< also the prompt, generate and KV cache of a serving job
  ServingJob serving{};
  CollectiveJob collective{};
  Question question{};
};

/// Whether a weight format is a GGUF block format (llama.cpp's files).
[[nodiscard]] constexpr bool is_gguf(WeightFormat w) noexcept {
  return w == WeightFormat::q4_0 || w == WeightFormat::q4_k_m || w == WeightFormat::q5_k_m ||
         w == WeightFormat::q6_k || w == WeightFormat::q8_0;
}

/// One rule of the GPU x runtime x format table: `blocks(gpu, job)` is true when the combination
/// cannot run; `field` is the case field to change and `why` says why (docs/cases.md "Checks").
struct RunRule {
  std::string_view field;
  bool (*blocks)(const GpuSpec&, const Job&) noexcept;
  std::string_view why;
};

/// The table of combinations that cannot run, in the order they are reported. `job` is read
/// normalized (weights absent = bf16, or nf4-dq under QLoRA).
inline constexpr RunRule run_rules[] = {
    {"runtime",
     [](const GpuSpec& g, const Job& j) noexcept {
       // A CUDA SoC (DGX Spark's GB10, Jetson: a compute capability) runs the CUDA stacks; Apple and
       // AMD Ryzen AI SoCs are used through llama.cpp and MLC (Metal, Vulkan).
       return g.unified_memory && g.compute_capability.empty() && j.runtime != Runtime::llama_cpp &&
              j.runtime != Runtime::mlc;
     },
     "a unified-memory SoC without CUDA (Apple M-series, AMD Ryzen AI) runs llama.cpp and MLC (Metal, Vulkan), not the "
     "training or serving stacks"},
    {"runtime", [](const GpuSpec& g, const Job& j) noexcept { return j.runtime == Runtime::tensorrt_llm && g.vendor != "NVIDIA"; },
     "TensorRT-LLM runs on NVIDIA GPUs only"},
    {"interconnect",
     [](const GpuSpec& g, const Job& j) noexcept {
       const bool nvlink = j.hardware.interconnect == Interconnect::nvlink || j.hardware.interconnect == Interconnect::nvlink_bridge;
       return nvlink && g.nvlink_topology == LinkTopology::none;
     },
     "this GPU has no NVLink; use \"pcie\" (or leave it out: the GPU's own link)"},
    {"compute", [](const GpuSpec& g, const Job& j) noexcept { return j.compute == Precision::fp8 && g.peak.fp8 == FlopRate{}; },
     "this GPU has no FP8 tensor cores (NVIDIA Ada, Hopper, Blackwell; AMD CDNA 3 and 4); use bf16 or fp16"},
    {"compute", [](const GpuSpec& g, const Job& j) noexcept { return j.compute == Precision::fp4 && g.peak.fp4 == FlopRate{}; },
     "this GPU has no FP4 tensor cores (NVIDIA Blackwell, AMD CDNA 4); use fp8, bf16 or fp16"},
    {"weights",
     [](const GpuSpec&, const Job& j) noexcept {
       const WeightFormat w = j.weights.value_or(WeightFormat::bf16);
       const bool plain = w == WeightFormat::fp32 || w == WeightFormat::bf16 || w == WeightFormat::fp16;
       return j.runtime == Runtime::llama_cpp && !plain && !is_gguf(w);
     },
     "llama.cpp loads GGUF files: q4_0, q4_k_m, q5_k_m, q6_k, q8_0 or fp16/bf16/fp32"},
    {"weights",
     [](const GpuSpec&, const Job& j) noexcept {
       // vLLM loads GGUF checkpoints (its gguf quantization); PyTorch, TensorRT-LLM, MLC, ExLlama and
       // Megatron do not run the GGUF block kernels.
       return is_gguf(j.weights.value_or(WeightFormat::bf16)) && j.runtime != Runtime::llama_cpp && j.runtime != Runtime::vllm;
     },
     "GGUF block formats run on llama.cpp (and vLLM); choose runtime \"llama.cpp\" or a format of this runtime"},
};

/// The first rule of run_rules that stops `job` on `gpu` (its own GPU is not read), or nullptr.
[[nodiscard]] constexpr const RunRule* cannot_run(const GpuSpec& gpu, const Job& job) noexcept {
  for (const RunRule& r : run_rules)
    if (r.blocks(gpu, job)) return &r;
  return nullptr;
}

/// Whether the job's runtime, formats and interconnect can run on `gpu`: the one answer used by
/// `check` (checks.hpp), `suggest` (fit.hpp) and `plan` (planner.hpp).
[[nodiscard]] constexpr bool can_run(const GpuSpec& gpu, const Job& job) noexcept { return cannot_run(gpu, job) == nullptr; }

/// Whether a runtime can use a GPU at all (bf16 weights and compute, the GPU's own link): unified-memory
/// SoCs without CUDA run llama.cpp and MLC only (not the training frameworks or SGLang); TensorRT-LLM
/// needs NVIDIA.
[[nodiscard]] constexpr bool can_run(const GpuSpec& gpu, Runtime runtime) noexcept {
  Job j{};
  j.runtime = runtime;
  return can_run(gpu, j);
}

/// The KV-cache format a compute precision implies: its own width (fp32 for fp32/tf32; bf16 for
/// precisions without a KV-cache form).
[[nodiscard]] constexpr KvFormat kv_format_for(Precision compute) noexcept {
  switch (compute) {
    case Precision::fp32:
    case Precision::tf32: return KvFormat::fp32;
    case Precision::fp16: return KvFormat::fp16;
    case Precision::fp8: return KvFormat::fp8;
    case Precision::bf16:
    case Precision::int8:
    case Precision::fp4: return KvFormat::bf16;
  }
  return KvFormat::bf16;
}

/// The stored format of a model's published checkpoint (its config's quantization_config), bf16 when
/// it declares none (docs/catalog.md "Checkpoint formats").
[[nodiscard]] constexpr WeightFormat checkpoint_weights(const ModelArch* m) noexcept {
  if (m == nullptr) return WeightFormat::bf16;
  switch (m->checkpoint_format) {
    case CheckpointFormat::fp8: return WeightFormat::fp8;
    case CheckpointFormat::nvfp4: return WeightFormat::nvfp4;
    case CheckpointFormat::mxfp4: return WeightFormat::mxfp4;
    case CheckpointFormat::none: break;
  }
  return WeightFormat::bf16;
}

/// Whether only the routed experts are stored in the job's weight format: the job stores the weights
/// as the published checkpoint does and that checkpoint leaves everything but the experts in 16 bit.
[[nodiscard]] constexpr bool experts_only_quantized(const Job& j) noexcept {
  return j.model != nullptr && j.model->checkpoint_experts_only && j.model->is_moe() && j.weights &&
         *j.weights == checkpoint_weights(j.model) && *j.weights != WeightFormat::bf16;
}

/// The one place where a field implies the default of another (docs/cases.md): `weights` absent is
/// nf4-dq under QLoRA training and otherwise the format of the model's checkpoint (bf16 unless its
/// config.json has a quantization_config; bf16 on llama.cpp, which loads GGUF files); `kv_cache` absent follows `compute`. Every entry point
/// (estimate_memory, estimate_time, estimate_parallel, solve_limits, evaluate, suggest, plan)
/// answers normalize(job), so the C++ API and the case parser agree. Idempotent.
[[nodiscard]] constexpr Job normalize(Job j) noexcept {
  const bool qlora = j.task == Task::training && j.training.method == Method::qlora;
  // llama.cpp loads GGUF conversions, not the Hub checkpoint: its default stays bf16.
  if (!j.weights) j.weights = qlora ? WeightFormat::nf4_dq
                              : j.runtime == Runtime::llama_cpp ? WeightFormat::bf16 : checkpoint_weights(j.model);
  if (!j.inference.kv_cache) j.inference.kv_cache = kv_format_for(j.compute);
  return j;
}

}  // namespace headroom
