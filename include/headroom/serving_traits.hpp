#pragma once
/// @file serving_traits.hpp
/// What a serving engine does by default that the serving model (serving.hpp) and the parallel time
/// model (scaling.hpp: its tensor-parallel all-reduce) need: scheduler limits, token budget, chunked
/// and mixed prefill, the custom all-reduce. Behaviour and settings, not fitted numbers.

#include <array>
#include <string_view>

#include "headroom/job.hpp"

namespace headroom {

/// A serving engine's scheduler defaults. This table mirrors data/runtimes/<name>.json ("serving"),
/// which cites every value (repository, path, version); tests/io/framework_test.cpp checks that the
/// two agree.
struct ServingTraits {
  Runtime runtime = Runtime::pytorch;
  std::string_view name;
  /// Requests running at once (vLLM max_num_seqs, SGLang max_running_requests, TensorRT-LLM
  /// max_batch_size) on a GPU with at least `large_gpu_gib`, and below it.
  double max_running = 1e9, max_running_small = 1e9;
  /// Tokens one scheduler step may process (vLLM max_num_batched_tokens, SGLang chunked_prefill_size,
  /// TensorRT-LLM max_num_tokens), on large and small GPUs; 0 = unlimited (whole prompts).
  double token_budget = 0, token_budget_small = 0;
  double large_gpu_gib = 70;
  bool chunked = false;  ///< prompts longer than the step's free budget are split over steps by default
  bool mixed = false;    ///< prefill tokens share a step with the running decodes (else a prefill step pauses them)
  /// Tensor-parallel all-reduces up to this size run the engine's own one-shot kernel over NVLink
  /// peer memory inside one node (vLLM/SGLang custom_all_reduce, TensorRT-LLM's AllReduce plugin)
  /// instead of NCCL's ring; 0 = NCCL always.
  double custom_all_reduce_bytes = 0;
  /// Admission reserves a request's whole prompt + generate (TensorRT-LLM's GUARANTEED_NO_EVICT); else
  /// the engine admits on the blocks in use and preempts when the pool runs out, so the pool holds
  /// requests at their mean occupancy, prompt + generate / 2.
  bool admit_whole_request = true;
  /// The scheduler plans step n + 1 while step n runs and reads step n's results after launching
  /// step n + 1 (vLLM async scheduling, SGLang's overlap schedule, TensorRT-LLM's overlap scheduler):
  /// a request that arrives during a step joins the step after the next, one step later than with a
  /// scheduler that plans each step after the previous one ended.
  bool overlap = false;
};

/// Engines without a serving scheduler (eager PyTorch, llama.cpp, ...): every client runs, whole
/// prompts, a prefill pauses the decodes.
inline constexpr std::array<ServingTraits, 4> serving_traits_table{{
    {.runtime = Runtime::pytorch, .name = "pytorch"},
    {.runtime = Runtime::vllm,
     .name = "vllm",
     .max_running = 1024,
     .max_running_small = 256,
     .token_budget = 8192,
     .token_budget_small = 2048,
     .large_gpu_gib = 70,
     .chunked = true,
     .mixed = true,
     .custom_all_reduce_bytes = 8388608,
     .admit_whole_request = false,
     .overlap = true},
    {.runtime = Runtime::sglang,
     .name = "sglang",
     .max_running = 2048,
     .max_running_small = 2048,
     .token_budget = 8192,
     .token_budget_small = 2048,
     .large_gpu_gib = 35,
     .chunked = true,
     .mixed = false,
     .custom_all_reduce_bytes = 8388608,
     .admit_whole_request = false,
     .overlap = true},
    {.runtime = Runtime::tensorrt_llm,
     .name = "tensorrt-llm",
     .max_running = 2048,
     .max_running_small = 2048,
     .token_budget = 8192,
     .token_budget_small = 8192,
     .large_gpu_gib = 0,
     .chunked = false,
     .mixed = true,
     .custom_all_reduce_bytes = 8388608,
     .admit_whole_request = true,
     .overlap = true},
}};

[[nodiscard]] constexpr const ServingTraits& serving_traits(Runtime r) noexcept {
  for (const auto& t : serving_traits_table)
    if (t.runtime == r) return t;
  return serving_traits_table[0];
}

}  // namespace headroom
