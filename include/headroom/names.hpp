#pragma once
/// @file names.hpp
/// The one vocabulary: for every enum, one constexpr table of its spellings (the name written in case
/// files, JSON records, CLI options and messages), its values and a one-line help. Counts are the
/// sizes of these tables; nothing else maps enums to strings. Standard library only.
///
/// @code
/// headroom::to_string(Runtime::llama_cpp)            // "llama.cpp"
/// headroom::names::value<Runtime>("llama.cpp")       // std::optional<Runtime>{Runtime::llama_cpp}
/// headroom::names::help(Runtime::llama_cpp)          // "llama.cpp (GGUF weights)"
/// headroom::names::count<Runtime>                    // 14
/// headroom::names::list<Runtime>()                   // "pytorch, vllm, ..., megatron"
/// for (const auto& n : headroom::names::table<Runtime>()) ...  // n.name, n.value, n.help, n.input
/// @endcode

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "headroom/gpu.hpp"
#include "headroom/result.hpp"
#include "headroom/job.hpp"

namespace headroom {

/// Weight storage grouped by the kernels that read it (the dequantization cost differs per group).
/// Defined here, not in efficiency.hpp, because efficiency.hpp sizes its tables by this table.
enum class WeightKernel : std::uint8_t {
  dense,     ///< fp32/bf16/fp16: read as stored
  bnb_int8,  ///< bitsandbytes LLM.int8 (outlier decomposition)
  bnb_4bit,  ///< bitsandbytes nf4/fp4, with or without double quantization
  gptq_awq,  ///< GPTQ/AWQ 4-bit groups of 128 (Marlin/exllama-class kernels)
  gguf,      ///< llama.cpp GGUF blocks (q4_0, k-quants, q8_0)
  fp8        ///< fp8 e4m3 with tensor or block scales: read as stored by FP8 GEMMs, no dequantization
};

/// What the planner (planner.hpp) ranks by.
enum class Objective { time, cost, tokens_per_dollar, throughput };

namespace calibrate {
/// A device-memory kernel of a calibration run (calibrate/samples.hpp).
enum class MemoryOp { read, write, copy };
/// A copy of a calibration run: host <-> device or device <-> device.
enum class TransferKind { host_to_device, device_to_host, peer, peer_no_p2p };
}  // namespace calibrate

/// One spelling of an enum value. `input` is false for values that exist in the C++ enum but are
/// not accepted as input (e.g. Interconnect::from_gpu is what an absent case field means).
template <class E>
struct Name {
  std::string_view name;
  E value;
  std::string_view help;
  bool input = true;
};

/// The tables, one per enum. name_table(E{}) selects one (found by argument-dependent lookup).
namespace name_tables {

inline constexpr auto task = std::to_array<Name<Task>>({
    {"inference", Task::inference, "serve a model: prefill a prompt, then generate tokens"},
    {"training", Task::training, "one optimizer step of training or fine-tuning"},
    {"serving", Task::serving, "steady-state online serving at a concurrency or request rate"},
    {"collective", Task::collective, "one NCCL-style collective alone, no model"},
});
inline constexpr auto method = std::to_array<Name<Method>>({
    {"full", Method::full, "every weight trained"},
    {"lora", Method::lora, "frozen base weights plus trained low-rank adapters"},
    {"qlora", Method::qlora, "LoRA over 4-bit (nf4, double-quantized) base weights"},
    {"freeze", Method::freeze, "only the unfrozen part is trained (no adapters)"},
});
inline constexpr auto weight = std::to_array<Name<WeightFormat>>({
    {"fp32", WeightFormat::fp32, "32-bit float"},
    {"bf16", WeightFormat::bf16, "bfloat16"},
    {"fp16", WeightFormat::fp16, "IEEE half"},
    {"fp8", WeightFormat::fp8, "8-bit float (E4M3)"},
    {"int8", WeightFormat::int8, "bitsandbytes LLM.int8"},
    {"nf4", WeightFormat::nf4, "bitsandbytes 4-bit NormalFloat"},
    {"nf4-dq", WeightFormat::nf4_dq, "nf4 with double-quantized constants (QLoRA)"},
    {"fp4", WeightFormat::fp4, "bitsandbytes 4-bit float"},
    {"fp4-dq", WeightFormat::fp4_dq, "fp4 with double-quantized constants"},
    {"nvfp4", WeightFormat::nvfp4, "NVIDIA FP4: E2M1, an FP8 E4M3 scale per 16 values, a per-tensor FP32 scale"},
    {"mxfp4", WeightFormat::mxfp4, "OCP MX FP4: E2M1, an E8M0 scale per 32 values"},
    {"gptq-4bit", WeightFormat::gptq_4bit, "GPTQ 4-bit, groups of 128"},
    {"awq-4bit", WeightFormat::awq_4bit, "AWQ 4-bit, groups of 128"},
    {"q4_0", WeightFormat::q4_0, "GGUF q4_0 blocks"},
    {"q4_k_m", WeightFormat::q4_k_m, "GGUF q4_K_M k-quant"},
    {"q5_k_m", WeightFormat::q5_k_m, "GGUF q5_K_M k-quant"},
    {"q6_k", WeightFormat::q6_k, "GGUF q6_K k-quant"},
    {"q8_0", WeightFormat::q8_0, "GGUF q8_0 blocks"},
});
/// Also the keys of efficiency profiles and calibration files; int8 is not a case's `compute`.
inline constexpr auto precision = std::to_array<Name<Precision>>({
    {"fp32", Precision::fp32, "32-bit float on CUDA cores"},
    {"tf32", Precision::tf32, "TF32 tensor cores"},
    {"bf16", Precision::bf16, "bfloat16 tensor cores, fp32 accumulate"},
    {"fp16", Precision::fp16, "half tensor cores, fp32 accumulate"},
    {"fp8", Precision::fp8, "8-bit float tensor cores, fp32 accumulate"},
    {"int8", Precision::int8, "int8 tensor cores", false},
    {"fp4", Precision::fp4, "4-bit float tensor cores (Blackwell)"},
});
inline constexpr auto kv = std::to_array<Name<KvFormat>>({
    {"bf16", KvFormat::bf16, "bfloat16"},
    {"fp16", KvFormat::fp16, "IEEE half"},
    {"fp8", KvFormat::fp8, "8-bit float"},
    {"q8_0", KvFormat::q8_0, "llama.cpp 8-bit blocks"},
    {"q4_0", KvFormat::q4_0, "llama.cpp 4-bit blocks"},
    {"fp32", KvFormat::fp32, "32-bit float (fp32/tf32 compute)", false},
});
inline constexpr auto optimizer = std::to_array<Name<Optimizer>>({
    {"adamw", Optimizer::adamw, "AdamW, two fp32 states per parameter"},
    {"adamw-8bit", Optimizer::adamw_8bit, "bitsandbytes 8-bit AdamW"},
    {"paged-adamw-8bit", Optimizer::paged_adamw_8bit, "8-bit AdamW whose states may page to host memory"},
    {"sgd", Optimizer::sgd, "SGD with momentum, one state"},
    {"adafactor", Optimizer::adafactor, "Adafactor, factored second moments"},
});
inline constexpr auto precision_policy = std::to_array<Name<PrecisionPolicy>>({
    {"mixed", PrecisionPolicy::mixed, "fp32 master weights and optimizer states"},
    {"pure", PrecisionPolicy::pure, "weights and states in the compute precision"},
});
inline constexpr auto loss = std::to_array<Name<LossKind>>({
    {"standard", LossKind::standard, "full fp32 logits"},
    {"chunked", LossKind::chunked, "logits and loss computed in chunks"},
});
inline constexpr auto offload = std::to_array<Name<Offload>>({
    {"none", Offload::none, "everything on the GPU"},
    {"optimizer", Offload::optimizer, "optimizer states in host memory"},
    {"params", Offload::params, "parameters and optimizer states in host memory"},
});
inline constexpr auto checkpointing = std::to_array<Name<Checkpointing>>({
    {"none", Checkpointing::none, "every activation kept"},
    {"selective", Checkpointing::selective, "attention recomputed"},
    {"full", Checkpointing::full, "only layer inputs kept, the rest recomputed"},
});
inline constexpr auto interconnect = std::to_array<Name<Interconnect>>({
    {"nvlink", Interconnect::nvlink, "NVLink through NVSwitch or a full mesh"},
    {"pcie", Interconnect::pcie, "PCIe peer-to-peer"},
    {"pcie-no-p2p", Interconnect::pcie_no_p2p, "PCIe without peer access, staged through host memory"},
    {"nvlink-bridge", Interconnect::nvlink_bridge, "NVLink bridge between pairs"},
    {"from-gpu", Interconnect::from_gpu, "what the GPU record says", false},
});
inline constexpr auto network = std::to_array<Name<Network>>({
    {"ib-200", Network::ib_200, "InfiniBand HDR, 200 Gb/s per GPU"},
    {"ib-400", Network::ib_400, "InfiniBand NDR, 400 Gb/s per GPU"},
    {"ib-800", Network::ib_800, "InfiniBand XDR, 800 Gb/s per GPU"},
    {"eth-100", Network::eth_100, "100 Gb Ethernet"},
    {"eth-25", Network::eth_25, "25 Gb Ethernet"},
});
inline constexpr auto runtime = std::to_array<Name<Runtime>>({
    {"pytorch", Runtime::pytorch, "generic eager PyTorch (FSDP2 when zero = 3)"},
    {"vllm", Runtime::vllm, "vLLM"},
    {"tensorrt-llm", Runtime::tensorrt_llm, "TensorRT-LLM"},
    {"llama.cpp", Runtime::llama_cpp, "llama.cpp (GGUF weights)"},
    {"mlc", Runtime::mlc, "MLC LLM"},
    {"exllama", Runtime::exllama, "ExLlama (GPTQ/EXL2 weights)"},
    {"megatron", Runtime::megatron, "Megatron-LM / Megatron-Core / NeMo / Megatron-Bridge"},
    {"sglang", Runtime::sglang, "SGLang"},
    {"hf", Runtime::hf, "Hugging Face Transformers Trainer / PEFT / TRL / accelerate"},
    {"torchtune", Runtime::torchtune, "torchtune"},
    {"torchtitan", Runtime::torchtitan, "torchtitan"},
    {"litgpt", Runtime::litgpt, "LitGPT (Lightning Fabric)"},
    {"deepspeed", Runtime::deepspeed, "DeepSpeed engine and Megatron-DeepSpeed"},
    {"unsloth", Runtime::unsloth, "Unsloth"},
});
inline constexpr auto collective = std::to_array<Name<Collective>>({
    {"all_reduce", Collective::all_reduce, "every GPU ends with the sum"},
    {"all_gather", Collective::all_gather, "every GPU ends with every shard"},
    {"reduce_scatter", Collective::reduce_scatter, "every GPU ends with one shard of the sum"},
    {"all_to_all", Collective::all_to_all, "every GPU sends a shard to every other"},
    {"send_recv", Collective::send_recv, "one GPU sends to another"},
    {"none", Collective::none, "no collective", false},
});
inline constexpr auto solve = std::to_array<Name<Solve>>({
    {"max_batch", Solve::max_batch, "the largest batch that fits"},
    {"max_seq", Solve::max_seq, "the longest training sequence that fits"},
    {"max_context", Solve::max_context, "the longest inference prompt+generate that fits"},
    {"max_concurrency", Solve::max_concurrency, "serving: the largest concurrency that fits and meets the slo"},
    {"none", Solve::none, "no limit asked", false},
});
inline constexpr auto peer_access = std::to_array<Name<PeerAccess>>({
    {"nvlink", PeerAccess::nvlink, "NVLink through NVSwitch or a full mesh"},
    {"nvlink_bridge", PeerAccess::nvlink_bridge, "NVLink bridge between pairs only"},
    {"pcie", PeerAccess::pcie, "PCIe peer-to-peer"},
    {"host", PeerAccess::host, "no peer access: staged through host memory"},
    {"fabric", PeerAccess::fabric, "a vendor fabric (AMD Infinity Fabric)"},
    {"none", PeerAccess::none, "a single device"},
});
/// JSON `interconnect.nvlink.topology`; none is written as null.
inline constexpr auto link_topology = std::to_array<Name<LinkTopology>>({
    {"", LinkTopology::none, "no NVLink (null)", false},
    {"switch", LinkTopology::nvswitch, "through NVSwitch"},
    {"bridge", LinkTopology::bridge, "a 2-GPU bridge"},
    {"mesh", LinkTopology::mesh, "direct GPU-to-GPU links"},
    {"c2c", LinkTopology::c2c, "NVLink-C2C superchip"},
});
inline constexpr auto gpu_family = std::to_array<Name<GpuFamily>>({
    {"volta", GpuFamily::volta, "V100 (sm_70)"},
    {"turing", GpuFamily::turing, "T4, RTX 20 (sm_75)"},
    {"ampere_hpc", GpuFamily::ampere_hpc, "A100, A30 (sm_80)"},
    {"ampere", GpuFamily::ampere, "RTX 30, A10, A40, A6000, Orin (sm_86/87)"},
    {"ada", GpuFamily::ada, "RTX 40, L4, L40(S) (sm_89)"},
    {"hopper", GpuFamily::hopper, "H100, H200, GH200 (sm_90)"},
    {"blackwell_hpc", GpuFamily::blackwell_hpc, "B100, B200, GB200 (sm_100)"},
    {"blackwell", GpuFamily::blackwell, "RTX 50, RTX PRO 6000 (sm_120)"},
    {"cdna", GpuFamily::cdna, "AMD Instinct"},
    {"rdna", GpuFamily::rdna, "AMD Radeon"},
    {"apple", GpuFamily::apple, "Apple M-series"},
    {"other", GpuFamily::other, "anything else"},
});
inline constexpr auto weight_kernel = std::to_array<Name<WeightKernel>>({
    {"dense", WeightKernel::dense, "fp32/bf16/fp16 read as stored"},
    {"bnb_int8", WeightKernel::bnb_int8, "bitsandbytes LLM.int8"},
    {"bnb_4bit", WeightKernel::bnb_4bit, "bitsandbytes nf4/fp4"},
    {"gptq_awq", WeightKernel::gptq_awq, "GPTQ/AWQ 4-bit groups"},
    {"gguf", WeightKernel::gguf, "llama.cpp GGUF blocks"},
    {"fp8", WeightKernel::fp8, "fp8 with tensor or block scales"},
});
/// In the order of docs/cases.md `breakdown_gib`.
inline constexpr auto component = std::to_array<Name<Component>>({
    {"weights", Component::weights, "base weights"},
    {"quant_constants", Component::quant_constants, "quantization scales and zeros"},
    {"lora", Component::lora, "LoRA adapter weights"},
    {"gradients", Component::gradients, "gradients of the trained weights"},
    {"optimizer", Component::optimizer, "optimizer states and master weights"},
    {"activations", Component::activations, "activations kept for the backward pass"},
    {"logits", Component::logits, "output logits and loss"},
    {"kv_cache", Component::kv_cache, "attention keys and values"},
    {"runtime", Component::runtime, "CUDA context, allocator and library workspaces"},
});
inline constexpr auto answer_key = std::to_array<Name<AnswerKey>>({
    {"memory.per_gpu_gib", AnswerKey::memory_per_gpu_gib, "allocated peak of the busiest GPU"},
    {"memory.reserved_gib", AnswerKey::memory_reserved_gib, "peak reserved by the caching allocator"},
    {"memory.device_gib", AnswerKey::memory_device_gib, "device memory in use (nvidia-smi)"},
    {"time.prefill_tokens_per_s", AnswerKey::time_prefill_tokens_per_s, "prompt tokens per second"},
    {"time.decode_tokens_per_s", AnswerKey::time_decode_tokens_per_s, "output tokens per second"},
    {"time.ttft_s", AnswerKey::time_ttft_s, "time to first token"},
    {"time.step_time_s", AnswerKey::time_step_time_s, "training step time"},
    {"time.train_tokens_per_s_per_gpu", AnswerKey::time_train_tokens_per_s_per_gpu, "training tokens per second per GPU"},
    {"time.mfu", AnswerKey::time_mfu, "model FLOPs utilization (BF16 peak)"},
    {"time.hfu", AnswerKey::time_hfu, "hardware FLOPs utilization (recompute counted)"},
    {"time.busbw_gbps", AnswerKey::time_busbw_gbps, "collective bus bandwidth"},
    {"limits.max_batch", AnswerKey::limits_max_batch, "largest batch that fits"},
    {"limits.max_seq", AnswerKey::limits_max_seq, "longest training sequence that fits"},
    {"limits.max_context", AnswerKey::limits_max_context, "longest inference context that fits"},
    {"serving.ttft_s", AnswerKey::serving_ttft_s, "mean time to first token"},
    {"serving.ttft_p90_s", AnswerKey::serving_ttft_p90_s, "90th percentile time to first token"},
    {"serving.ttft_p99_s", AnswerKey::serving_ttft_p99_s, "99th percentile time to first token"},
    {"serving.tpot_s", AnswerKey::serving_tpot_s, "mean time per output token after the first"},
    {"serving.tpot_p90_s", AnswerKey::serving_tpot_p90_s, "90th percentile time per output token"},
    {"serving.tpot_p99_s", AnswerKey::serving_tpot_p99_s, "99th percentile time per output token"},
    {"serving.e2e_s", AnswerKey::serving_e2e_s, "mean end-to-end request latency"},
    {"serving.output_tokens_per_s", AnswerKey::serving_output_tokens_per_s, "output tokens per second, whole deployment"},
    {"serving.requests_per_s", AnswerKey::serving_requests_per_s, "completed requests per second"},
    {"serving.kv_capacity_tokens", AnswerKey::serving_kv_capacity_tokens, "tokens the KV pool holds, whole deployment"},
    {"limits.max_concurrency", AnswerKey::limits_max_concurrency, "largest serving concurrency that fits and meets the slo"},
});
inline constexpr auto bound = std::to_array<Name<Bound>>({
    {"none", Bound::none, "nothing timed"},
    {"compute", Bound::compute, "limited by the math rate"},
    {"memory", Bound::memory, "limited by memory bandwidth"},
    {"communication", Bound::communication, "limited by GPU-to-GPU traffic"},
});
inline constexpr auto runtime_class = std::to_array<Name<RuntimeClass>>({
    {"eager", RuntimeClass::eager, "eager PyTorch frameworks: pytorch, hf, torchtune, litgpt, unsloth"},
    {"distributed", RuntimeClass::distributed, "large-scale training frameworks: megatron, torchtitan, deepspeed"},
    {"server", RuntimeClass::server, "serving engines with paged KV and CUDA graphs: vllm, sglang, tensorrt-llm"},
    {"local", RuntimeClass::local, "local runtimes: llama.cpp, mlc, exllama"},
    {"collective", RuntimeClass::collective, "a collective benchmark (task collective)"},
});
inline constexpr auto parallel_regime = std::to_array<Name<ParallelRegime>>({
    {"one-gpu", ParallelRegime::one_gpu, "one GPU"},
    {"data-parallel", ParallelRegime::data_parallel, "several GPUs, data parallel only (dp, ZeRO/FSDP)"},
    {"model-parallel", ParallelRegime::model_parallel, "several GPUs with tp, pp, cp or ep above 1"},
});
inline constexpr auto objective = std::to_array<Name<Objective>>({
    {"time", Objective::time, "fastest"},
    {"cost", Objective::cost, "cheapest per run"},
    {"tokens-per-dollar", Objective::tokens_per_dollar, "most tokens per dollar"},
    {"throughput", Objective::throughput, "most tokens per second"},
});
inline constexpr auto memory_op = std::to_array<Name<calibrate::MemoryOp>>({
    {"read", calibrate::MemoryOp::read, "read a buffer"},
    {"write", calibrate::MemoryOp::write, "write a buffer"},
    {"copy", calibrate::MemoryOp::copy, "copy one buffer to another"},
});
inline constexpr auto transfer_kind = std::to_array<Name<calibrate::TransferKind>>({
    {"host_to_device", calibrate::TransferKind::host_to_device, "pinned host memory to the GPU"},
    {"device_to_host", calibrate::TransferKind::device_to_host, "the GPU to pinned host memory"},
    {"peer", calibrate::TransferKind::peer, "GPU to GPU, peer access on"},
    {"peer_no_p2p", calibrate::TransferKind::peer_no_p2p, "GPU to GPU through host memory"},
});

/// LoRA target modules (Hugging Face Llama naming) and their bits; not an enum of values, a bit set.
inline constexpr auto lora_module = std::to_array<Name<std::uint32_t>>({
    {"q_proj", lora_q, "attention query"},
    {"k_proj", lora_k, "attention key"},
    {"v_proj", lora_v, "attention value"},
    {"o_proj", lora_o, "attention output"},
    {"gate_proj", lora_gate, "MLP gate"},
    {"up_proj", lora_up, "MLP up"},
    {"down_proj", lora_down, "MLP down"},
    {"lm_head", lora_lm_head, "the output head"},
});

}  // namespace name_tables

// The table of each enum, by overload on a value of it.
#define HEADROOM_NAME_TABLE(E, table) \
  constexpr std::span<const Name<E>> name_table(E) noexcept { return name_tables::table; }
HEADROOM_NAME_TABLE(Task, task)
HEADROOM_NAME_TABLE(Method, method)
HEADROOM_NAME_TABLE(WeightFormat, weight)
HEADROOM_NAME_TABLE(Precision, precision)
HEADROOM_NAME_TABLE(KvFormat, kv)
HEADROOM_NAME_TABLE(Optimizer, optimizer)
HEADROOM_NAME_TABLE(PrecisionPolicy, precision_policy)
HEADROOM_NAME_TABLE(LossKind, loss)
HEADROOM_NAME_TABLE(Offload, offload)
HEADROOM_NAME_TABLE(Checkpointing, checkpointing)
HEADROOM_NAME_TABLE(Interconnect, interconnect)
HEADROOM_NAME_TABLE(Network, network)
HEADROOM_NAME_TABLE(Runtime, runtime)
HEADROOM_NAME_TABLE(Collective, collective)
HEADROOM_NAME_TABLE(Solve, solve)
HEADROOM_NAME_TABLE(PeerAccess, peer_access)
HEADROOM_NAME_TABLE(LinkTopology, link_topology)
HEADROOM_NAME_TABLE(GpuFamily, gpu_family)
HEADROOM_NAME_TABLE(WeightKernel, weight_kernel)
HEADROOM_NAME_TABLE(Component, component)
HEADROOM_NAME_TABLE(RuntimeClass, runtime_class)
HEADROOM_NAME_TABLE(ParallelRegime, parallel_regime)
HEADROOM_NAME_TABLE(Bound, bound)
HEADROOM_NAME_TABLE(AnswerKey, answer_key)
HEADROOM_NAME_TABLE(Objective, objective)
#undef HEADROOM_NAME_TABLE

namespace calibrate {
constexpr std::span<const Name<MemoryOp>> name_table(MemoryOp) noexcept { return name_tables::memory_op; }
constexpr std::span<const Name<TransferKind>> name_table(TransferKind) noexcept { return name_tables::transfer_kind; }
}  // namespace calibrate

namespace names {

/// An enum with a table in names.hpp.
template <class E>
concept Named = requires(E e) { name_table(e); };

/// The table of `E`, in its documented order.
template <Named E>
[[nodiscard]] constexpr std::span<const Name<E>> table() noexcept {
  return name_table(E{});
}

/// The number of values of `E` (the size of its table).
template <Named E>
inline constexpr int count = static_cast<int>(name_table(E{}).size());

/// The spelling of `v`: name(Runtime::llama_cpp) == "llama.cpp".
template <Named E>
[[nodiscard]] constexpr std::string_view name(E v) noexcept {
  for (const auto& n : table<E>())
    if (n.value == v) return n.name;
  return "?";
}

/// The one-line help of `v`.
template <Named E>
[[nodiscard]] constexpr std::string_view help(E v) noexcept {
  for (const auto& n : table<E>())
    if (n.value == v) return n.help;
  return {};
}

/// The value spelled `s`, if `s` is an input spelling of `E` (with `inputs_only` false: any spelling
/// of the table, as in files headroom writes itself).
template <Named E>
[[nodiscard]] constexpr std::optional<E> value(std::string_view s, bool inputs_only = true) noexcept {
  for (const auto& n : table<E>())
    if ((n.input || !inputs_only) && n.name == s) return n.value;
  return std::nullopt;
}

/// The input spellings of `E` (with `inputs_only` false: every spelling), in table order.
template <Named E>
[[nodiscard]] std::vector<std::string_view> spellings(bool inputs_only = true) {
  std::vector<std::string_view> v;
  for (const auto& n : table<E>())
    if (n.input || !inputs_only) v.push_back(n.name);
  return v;
}

/// The input spellings joined: list<Objective>() == "time, cost, tokens-per-dollar";
/// list<Objective>(", ", " or ") == "time, cost or tokens-per-dollar".
template <Named E>
[[nodiscard]] std::string list(std::string_view sep = ", ", std::string_view last_sep = ", ") {
  const auto v = spellings<E>();
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += i + 1 == v.size() ? last_sep : sep;
    s += v[i];
  }
  return s;
}

/// Tables that index arrays by enum value list every value once, in enum order.
template <Named E>
[[nodiscard]] constexpr bool dense() noexcept {
  for (int i = 0; i < count<E>; ++i)
    if (table<E>()[static_cast<std::size_t>(i)].value != static_cast<E>(i)) return false;
  return true;
}

}  // namespace names

/// The spelling of an enum value (names::name).
template <names::Named E>
[[nodiscard]] constexpr std::string_view to_string(E v) noexcept {
  return names::name(v);
}

namespace calibrate {
using headroom::to_string;
}  // namespace calibrate

// Enums that size arrays (efficiency profiles, breakdowns) by names::count<E>, indexed by value:
// their tables must list every value once, in order.
static_assert(names::dense<Precision>() && names::dense<Runtime>() && names::dense<GpuFamily>() &&
              names::dense<WeightKernel>() && names::dense<Component>() && names::dense<AnswerKey>());
static_assert(names::count<AnswerKey> == static_cast<int>(Intervals{}.band.size()), "Intervals holds one band per AnswerKey");
static_assert(names::count<Component> == static_cast<int>(Component::runtime) + 1, "MemoryBreakdown::largest() stops at runtime");

}  // namespace headroom
