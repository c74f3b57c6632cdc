#pragma once
/// @file evaluate.hpp
/// One job question, one Answer: memory (fit and breakdown), the limits `solve` asks for,
/// and, once the time model is plugged in, time.

#include "headroom/error.hpp"
#include "headroom/fit.hpp"
#include "headroom/job.hpp"
#include "headroom/memory.hpp"
#include "headroom/result.hpp"
#include "headroom/scaling.hpp"
#include "headroom/serving.hpp"
#include "headroom/time_model.hpp"
#include "headroom/uncertainty.hpp"

namespace headroom {

namespace detail {
/// The memory and serving parts of a serving answer from its estimate: memory is the inference job's
/// at the running batch.
[[nodiscard]] constexpr Answer serving_parts(const Job& w, const ServingEstimate& se) noexcept {
  Answer a{};
  Job x = detail::serve::probe_job(w, static_cast<std::int64_t>(std::ceil(std::max(1.0, se.running))),
                                   w.inference.prompt);
  x.inference.generate = w.inference.generate;
  a.memory = estimate_memory(x);
  a.has_memory = true;
  a.serving = se.result;
  a.has_serving = se.ok;
  return a;
}
}  // namespace detail

/// The answer of a serving job without its bands (evaluate() adds them; the serving planner needs
/// only the serving keys and the fit): the serving model (serving.hpp) and detail::serving_parts.
[[nodiscard]] constexpr Answer serving_answer(const Job& job, const EfficiencyProfile& profile) noexcept {
  const Job w = normalize(job);
  Answer a = detail::serving_parts(w, estimate_serving(w, profile));
  if (w.question.solve == Solve::max_concurrency) a.limits.max_concurrency = max_concurrency(w, profile);
  return a;
}

/// Answers a job with the time model on `profile` (a measured calibration, or builtin_efficiency).
/// Memory is filled for inference and training (a collective has none). `batch: "max"` evaluates the
/// memory at the largest batch that fits (at batch 1 when none does) and reports it as
/// limits.max_batch; `solve` adds the limit it names. `intervals` holds the 80% band of every numeric
/// key the answer has and `interval` the headline key's (uncertainty.hpp: the time key of the task
/// when there is a time answer, else memory.per_gpu_gib); time keys are widened by `profile_log_band`
/// (the measured profile's fit half-width, ln units).
[[nodiscard]] constexpr Answer evaluate(const Job& job, const EfficiencyProfile& profile,
                                        double profile_log_band = 0) noexcept {
  const Job w = normalize(job);
  Answer a{};
  if (w.task == Task::serving) {
    a = serving_answer(w, profile);
    fill_intervals(w, a);
    return a;
  }
  if (w.task == Task::collective) {
    // Collectives are answered by the collective model only (busbw; collectives.hpp).
    a.time = estimate_collective(w);
    a.has_time = a.time.bound != Bound::none;
    fill_intervals(w, a);
    return a;
  }
  a.limits = solve_limits(w);
  const Job x = at_solved_batch(w, a.limits);  // normalized
  a.memory = detail::mem::memory_normalized(x, detail::mem::shape_of(x));
  a.has_memory = true;
  // The single-GPU time model (time_model.hpp); several GPUs: the parallel model (scaling.hpp) on top of it.
  a.time = x.hardware.count == 1 ? detail::time_normalized(x, profile).result : estimate_parallel(x, profile).result;
  a.has_time = a.time.bound != Bound::none;
  // The uncertainty band of every key (uncertainty.hpp); time keys widened by a measured profile's fit.
  fill_intervals(x, a);
  if (profile_log_band > 0) {
    for (int i = 0; i < names::count<AnswerKey>; ++i) {
      const auto k = static_cast<AnswerKey>(i);
      if (to_string(k).starts_with("time.")) a.intervals[k] = widen(a.intervals[k], profile_log_band);
    }
    const std::optional<AnswerKey> head = headline_answer_key(x, a);
    if (head) a.interval = a.intervals[*head];
  }
  return a;
}

/// Answers a job with the built-in efficiency profile.
[[nodiscard]] constexpr Answer evaluate(const Job& w) noexcept { return evaluate(w, builtin_efficiency); }

}  // namespace headroom
