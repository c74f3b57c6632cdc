#pragma once
/// @file evaluate.hpp
/// One workload question, one Answer: memory (fit and breakdown), the limits `solve` asks for,
/// and, once the time model is plugged in, time.

#include "headroom/fit.hpp"
#include "headroom/memory.hpp"
#include "headroom/result.hpp"
#include "headroom/scaling.hpp"
#include "headroom/time_model.hpp"
#include "headroom/workload.hpp"

namespace headroom {

/// Answers a workload. Memory is filled for inference and training (a collective has none).
/// `batch: "max"` evaluates the memory at the largest batch that fits (at batch 1 when none does)
/// and reports it as limits.max_batch; `solve` adds the limit it names.
[[nodiscard]] constexpr Answer evaluate(const Workload& w) noexcept {
  Answer a{};
  if (w.task == Task::collective) {
    // Collectives are answered by the collective model only (busbw; collectives.hpp).
    a.time = estimate_collective(w);
    a.has_time = a.time.bound != Bound::none;
    return a;
  }
  Workload x = w;
  a.limits = solve_limits(w);
  if (w.batch_max) x.batch = a.limits.max_batch > 0 ? a.limits.max_batch : 1;
  a.memory = estimate_memory(x);
  a.has_memory = true;
  // TIME MODEL: fill a.time and set a.has_time from `x` here (prefill/decode or step time);
  // the uncertainty band goes to a.interval.
  // The single-GPU time model (time_model.hpp); several GPUs: the parallel model (scaling.hpp) on top of it.
  a.time = x.gpus == 1 ? estimate_time(x) : estimate_parallel_time(x);
  a.has_time = a.time.bound != Bound::none;
  return a;
}

}  // namespace headroom
