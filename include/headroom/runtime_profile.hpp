#pragma once
/// @file runtime_profile.hpp
/// Every tunable constant of the memory model, per runtime, in one constexpr table.
///
/// This table mirrors data/memory/runtimes.json, which carries each constant's unit and source;
/// tests/io/runtime_profile_test.cpp parses the JSON and checks that the two agree, so they cannot
/// drift. Change both together. docs/memory.md explains how each constant enters the model.

#include <array>
#include <string_view>

#include "headroom/job.hpp"

namespace headroom {

/// How a runtime sizes its KV cache.
enum class KvPool {
  exact,                 ///< allocates what the sequences need (HF/litgpt, llama.cpp: n_ctx, exllama)
  fraction_of_capacity,  ///< reserves `kv_pool_fraction` x device memory and fills the rest with KV blocks (vLLM)
  fraction_of_free       ///< after loading, takes `kv_pool_fraction` of the free memory for KV (TensorRT-LLM)
};

/// How a runtime sizes its inference activation workspace.
enum class Workspace {
  prefill,        ///< the whole prompt of every sequence at once (eager PyTorch generate)
  token_budget,   ///< a fixed token budget per forward (vLLM max_num_batched_tokens, TRT-LLM max_num_tokens)
  compute_buffer  ///< llama.cpp's graph compute buffer for one micro-batch (n_ubatch) of the context
};

struct RuntimeProfile {
  Runtime runtime = Runtime::pytorch;
  std::string_view name;

  // Fixed costs outside the tensors of the model.
  double cuda_context_gib = 0;  ///< driver context + loaded kernels, outside the allocator
  double workspace_gib = 0;     ///< library workspaces (cuBLAS, cuDNN, NCCL communicators) per GPU
  double nccl_gib = 0;          ///< extra per GPU when gpus > 1 (NCCL buffers)
  double fragmentation = 0;     ///< allocator excess as a fraction of the allocated bytes

  // Training.
  double activation_factor = 1;          ///< multiplies the per-layer activation formula
  double compile_activation_factor = 1;  ///< extra multiplier under torch.compile
  double grad_bytes_mixed = 0;           ///< gradient bytes under mixed precision; 0: the weights' dtype
  double zero3_live_layers = 2;          ///< layers gathered at once under ZeRO-3/FSDP (current + prefetch)
  bool quantized_linears_save_input = false;  ///< bitsandbytes 4/8-bit matmuls save their input for backward

  // Quantization.
  double quantize_on_load_bytes = 0;  ///< transient bytes per element of the largest quantized matrix at load

  // Inference.
  Workspace workspace = Workspace::prefill;
  double workspace_tokens = 0;         ///< token budget (token_budget) or n_ubatch (compute_buffer)
  double inference_activation_factor = 1;  ///< multiplies the per-token transient of a forward
  double kv_block_tokens = 0;          ///< paged KV block size; 0 = unpaged
  KvPool kv_pool = KvPool::exact;
  double kv_pool_fraction = 0;         ///< vLLM gpu_memory_utilization / TRT-LLM free_gpu_memory_fraction
  /// Sliding-window and chunked-local layers keep only their window plus one forward's tokens
  /// (vLLM's hybrid KV cache manager, llama.cpp's SWA cache); false: every layer keeps the context.
  bool kv_window_only = false;
};

/// Constants that do not depend on the runtime.
struct MemoryConstants {
  double unified_memory_gpu_fraction = 0.75;        ///< share of unified memory the GPU may use (Apple/Jetson)
  double unified_memory_small_gib = 32;             ///< at or below this size the smaller share applies
  double unified_memory_gpu_fraction_small = 2.0 / 3.0;  ///< share for small unified memories
  double attention_score_bytes = 5;           ///< bytes per a*s*s score element without FlashAttention
  double lse_bytes = 4;                       ///< fp32 log-sum-exp per head and token kept by FlashAttention
  double activation_offload_layers = 1;       ///< layers of saved activations left on the GPU when offloading
  double freeze_trainable_layers = 2;         ///< method freeze: the top layers that train
  double adam8bit_state_bytes = 2.0 + 8.0 / 256.0;  ///< 8-bit m and v + fp32 absmax per 256 elements each
};

inline constexpr MemoryConstants memory_constants{};

/// One profile per Runtime, in the enum's order.
inline constexpr std::array<RuntimeProfile, 14> runtime_profiles{{
    {.runtime = Runtime::pytorch,
     .name = "pytorch",
     .cuda_context_gib = 0.30,
     .workspace_gib = 0.0,
     .nccl_gib = 0.25,
     .fragmentation = 0.0,
     .activation_factor = 1.15,
     .compile_activation_factor = 0.85,
     .grad_bytes_mixed = 0,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = true,
     .quantize_on_load_bytes = 4,
     .workspace = Workspace::prefill,
     .workspace_tokens = 0,
     .inference_activation_factor = 1,
     .kv_block_tokens = 0,
     .kv_pool = KvPool::exact,
     .kv_pool_fraction = 0,
     .kv_window_only = false},
    {.runtime = Runtime::vllm,
     .name = "vllm",
     .cuda_context_gib = 0.5,
     .workspace_gib = 0.0,
     .nccl_gib = 0.25,
     .fragmentation = 0.0,
     .activation_factor = 1,
     .compile_activation_factor = 1,
     .grad_bytes_mixed = 0,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = false,
     .quantize_on_load_bytes = 0,
     .workspace = Workspace::token_budget,
     .workspace_tokens = 8192,
     .inference_activation_factor = 1,
     .kv_block_tokens = 16,
     .kv_pool = KvPool::fraction_of_capacity,
     .kv_pool_fraction = 0.9,
     .kv_window_only = true},
    {.runtime = Runtime::tensorrt_llm,
     .name = "tensorrt-llm",
     .cuda_context_gib = 0.5,
     .workspace_gib = 0.0,
     .nccl_gib = 0.25,
     .fragmentation = 0.0,
     .activation_factor = 1,
     .compile_activation_factor = 1,
     .grad_bytes_mixed = 0,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = false,
     .quantize_on_load_bytes = 0,
     .workspace = Workspace::token_budget,
     .workspace_tokens = 8192,
     .inference_activation_factor = 1,
     .kv_block_tokens = 32,
     .kv_pool = KvPool::fraction_of_free,
     .kv_pool_fraction = 0.9,
     .kv_window_only = false},
    {.runtime = Runtime::llama_cpp,
     .name = "llama.cpp",
     .cuda_context_gib = 0.3,
     .workspace_gib = 0.0,
     .nccl_gib = 0.0,
     .fragmentation = 0.0,
     .activation_factor = 1,
     .compile_activation_factor = 1,
     .grad_bytes_mixed = 0,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = false,
     .quantize_on_load_bytes = 0,
     .workspace = Workspace::compute_buffer,
     .workspace_tokens = 512,
     .inference_activation_factor = 1,
     .kv_block_tokens = 0,
     .kv_pool = KvPool::exact,
     .kv_pool_fraction = 0,
     .kv_window_only = true},
    {.runtime = Runtime::mlc,
     .name = "mlc",
     .cuda_context_gib = 0.3,
     .workspace_gib = 0.0,
     .nccl_gib = 0.25,
     .fragmentation = 0.0,
     .activation_factor = 1,
     .compile_activation_factor = 1,
     .grad_bytes_mixed = 0,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = false,
     .quantize_on_load_bytes = 0,
     .workspace = Workspace::token_budget,
     .workspace_tokens = 2048,
     .inference_activation_factor = 1,
     .kv_block_tokens = 16,
     .kv_pool = KvPool::fraction_of_capacity,
     .kv_pool_fraction = 0.85,
     .kv_window_only = false},
    {.runtime = Runtime::exllama,
     .name = "exllama",
     .cuda_context_gib = 0.3,
     .workspace_gib = 0.0,
     .nccl_gib = 0.0,
     .fragmentation = 0.0,
     .activation_factor = 1,
     .compile_activation_factor = 1,
     .grad_bytes_mixed = 0,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = false,
     .quantize_on_load_bytes = 0,
     .workspace = Workspace::token_budget,
     .workspace_tokens = 2048,
     .inference_activation_factor = 1,
     .kv_block_tokens = 0,
     .kv_pool = KvPool::exact,
     .kv_pool_fraction = 0,
     .kv_window_only = false},
    {.runtime = Runtime::megatron,
     .name = "megatron",
     .cuda_context_gib = 0.5,
     .workspace_gib = 0.0,
     .nccl_gib = 0.5,
     .fragmentation = 0.0,
     .activation_factor = 1,
     .compile_activation_factor = 1,
     .grad_bytes_mixed = 4,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = false,
     .quantize_on_load_bytes = 0,
     .workspace = Workspace::prefill,
     .workspace_tokens = 0,
     .inference_activation_factor = 1,
     .kv_block_tokens = 0,
     .kv_pool = KvPool::exact,
     .kv_pool_fraction = 0,
     .kv_window_only = false},
    // Same class as vllm until its own profile (data/memory/runtimes.json says why).
    {.runtime = Runtime::sglang,
     .name = "sglang",
     .cuda_context_gib = 0.5,
     .workspace_gib = 0.0,
     .nccl_gib = 0.25,
     .fragmentation = 0.0,
     .activation_factor = 1,
     .compile_activation_factor = 1,
     .grad_bytes_mixed = 0,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = false,
     .quantize_on_load_bytes = 0,
     .workspace = Workspace::token_budget,
     .workspace_tokens = 8192,
     .inference_activation_factor = 1,
     .kv_block_tokens = 16,
     .kv_pool = KvPool::fraction_of_capacity,
     .kv_pool_fraction = 0.9,
     .kv_window_only = false},
    // Same class as pytorch until its own profile (data/memory/runtimes.json says why).
    {.runtime = Runtime::hf,
     .name = "hf",
     .cuda_context_gib = 0.30,
     .workspace_gib = 0.0,
     .nccl_gib = 0.25,
     .fragmentation = 0.0,
     .activation_factor = 1.15,
     .compile_activation_factor = 0.85,
     .grad_bytes_mixed = 0,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = true,
     .quantize_on_load_bytes = 4,
     .workspace = Workspace::prefill,
     .workspace_tokens = 0,
     .inference_activation_factor = 1,
     .kv_block_tokens = 0,
     .kv_pool = KvPool::exact,
     .kv_pool_fraction = 0,
     .kv_window_only = false},
    // Same class as pytorch until its own profile (data/memory/runtimes.json says why).
    {.runtime = Runtime::torchtune,
     .name = "torchtune",
     .cuda_context_gib = 0.30,
     .workspace_gib = 0.0,
     .nccl_gib = 0.25,
     .fragmentation = 0.0,
     .activation_factor = 1.15,
     .compile_activation_factor = 0.85,
     .grad_bytes_mixed = 0,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = true,
     .quantize_on_load_bytes = 4,
     .workspace = Workspace::prefill,
     .workspace_tokens = 0,
     .inference_activation_factor = 1,
     .kv_block_tokens = 0,
     .kv_pool = KvPool::exact,
     .kv_pool_fraction = 0,
     .kv_window_only = false},
    // Same class as pytorch until its own profile (data/memory/runtimes.json says why).
    {.runtime = Runtime::torchtitan,
     .name = "torchtitan",
     .cuda_context_gib = 0.30,
     .workspace_gib = 0.0,
     .nccl_gib = 0.25,
     .fragmentation = 0.0,
     .activation_factor = 1.15,
     .compile_activation_factor = 0.85,
     .grad_bytes_mixed = 0,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = true,
     .quantize_on_load_bytes = 4,
     .workspace = Workspace::prefill,
     .workspace_tokens = 0,
     .inference_activation_factor = 1,
     .kv_block_tokens = 0,
     .kv_pool = KvPool::exact,
     .kv_pool_fraction = 0,
     .kv_window_only = false},
    // Same class as pytorch until its own profile (data/memory/runtimes.json says why).
    {.runtime = Runtime::litgpt,
     .name = "litgpt",
     .cuda_context_gib = 0.30,
     .workspace_gib = 0.0,
     .nccl_gib = 0.25,
     .fragmentation = 0.0,
     .activation_factor = 1.15,
     .compile_activation_factor = 0.85,
     .grad_bytes_mixed = 0,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = true,
     .quantize_on_load_bytes = 4,
     .workspace = Workspace::prefill,
     .workspace_tokens = 0,
     .inference_activation_factor = 1,
     .kv_block_tokens = 0,
     .kv_pool = KvPool::exact,
     .kv_pool_fraction = 0,
     .kv_window_only = false},
    // Same class as pytorch until its own profile (data/memory/runtimes.json says why).
    {.runtime = Runtime::deepspeed,
     .name = "deepspeed",
     .cuda_context_gib = 0.30,
     .workspace_gib = 0.0,
     .nccl_gib = 0.25,
     .fragmentation = 0.0,
     .activation_factor = 1.15,
     .compile_activation_factor = 0.85,
     .grad_bytes_mixed = 0,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = true,
     .quantize_on_load_bytes = 4,
     .workspace = Workspace::prefill,
     .workspace_tokens = 0,
     .inference_activation_factor = 1,
     .kv_block_tokens = 0,
     .kv_pool = KvPool::exact,
     .kv_pool_fraction = 0,
     .kv_window_only = false},
    // Same class as pytorch until its own profile (data/memory/runtimes.json says why).
    {.runtime = Runtime::unsloth,
     .name = "unsloth",
     .cuda_context_gib = 0.30,
     .workspace_gib = 0.0,
     .nccl_gib = 0.25,
     .fragmentation = 0.0,
     .activation_factor = 1.15,
     .compile_activation_factor = 0.85,
     .grad_bytes_mixed = 0,
     .zero3_live_layers = 2,
     .quantized_linears_save_input = true,
     .quantize_on_load_bytes = 4,
     .workspace = Workspace::prefill,
     .workspace_tokens = 0,
     .inference_activation_factor = 1,
     .kv_block_tokens = 0,
     .kv_pool = KvPool::exact,
     .kv_pool_fraction = 0,
     .kv_window_only = false},
}};

/// The profile of a runtime.
[[nodiscard]] constexpr const RuntimeProfile& runtime_profile(Runtime r) noexcept {
  for (const auto& p : runtime_profiles)
    if (p.runtime == r) return p;
  return runtime_profiles[0];
}

}  // namespace headroom
