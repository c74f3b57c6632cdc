#pragma once
/// @file prepared.hpp
/// A job prepared once for many GPUs: what depends only on the model and the job is computed once,
/// then the job is timed and sized on any GPU without allocating.
///
/// The operators of a step (operators.hpp) depend on the model, the job and the step's shape, not on
/// the GPU: the shapes come from the job and the runtime's own settings (prefill chunk, paged KV,
/// graph batch), not from the GPU's efficiencies. prepare() times the job once on its GPU and keeps the
/// operators of each step it timed (prefill, decode, training step) with their shape; time_on(gpu)
/// runs the same time model (estimate_time_on) and replays the kept operators to the per-operator timer
/// instead of building them again. The timer sees the same operators in the same order, so the answer
/// is estimate_time_detailed's to the last bit (tests/unit/prepared_test.cpp compares them over the
/// catalog). A step whose shape differs from the kept one, or that was not kept (no GPU, or a GPU
/// without the rates to time the job), is built as usual.
///
/// One GPU per answer: a job on several GPUs times its shard (scaling.hpp), which has operators of its
/// own; `batch: "max"` solves the batch per GPU (evaluate()), so prepare the job at the solved batch.
///
/// @code
/// const headroom::PreparedJob p = headroom::prepare(job);        // once
/// for (const headroom::GpuSpec& g : catalog.gpus())                // then per GPU
///   use(p.time_on(g).result.decode_tokens_per_s, p.memory_on(g).fits);
/// @endcode

#include <array>
#include <cstddef>

#include "headroom/efficiency.hpp"
#include "headroom/gpu.hpp"
#include "headroom/job.hpp"
#include "headroom/memory.hpp"
#include "headroom/operators.hpp"
#include "headroom/result.hpp"
#include "headroom/time_model.hpp"

namespace headroom {

/// The operators of one step, emitted once.
struct PreparedStep {
  bool kept = false;      ///< the list is complete and `shape`/`training` say what it is
  bool training = false;  ///< emitted with the backward pass
  StepShape shape{};
  OperatorList ops{};
};

namespace detail {

/// estimate_time_on's operator source that also keeps what it emits (prepare()).
struct RecordOperators {
  std::array<PreparedStep, 3>* steps;

  template <class Sink>
  struct Tee {
    Sink* sink;
    OperatorList* list;
    constexpr void operator()(const Operator& op) noexcept {
      list->push(op);
      (*sink)(op);
    }
  };

  template <class Sink>
  constexpr void operator()(const Job& w, const StepShape& shape, bool training, Phase phase, Sink& sink) const noexcept {
    PreparedStep& s = (*steps)[static_cast<std::size_t>(phase)];  // empty: each phase is timed once
    Tee<Sink> tee{&sink, &s.ops};
    emit_operators(w, shape, training, false, tee);
    s.kept = !s.ops.overflowed();
    s.training = training;
    s.shape = shape;
  }
};

/// estimate_time_on's operator source that replays kept steps (time_on()).
struct ReplayOperators {
  const std::array<PreparedStep, 3>* steps;

  template <class Sink>
  constexpr void operator()(const Job& w, const StepShape& shape, bool training, Phase phase, Sink& sink) const noexcept {
    const PreparedStep& s = (*steps)[static_cast<std::size_t>(phase)];
    if (!s.kept || s.training != training || s.shape != shape) {
      emit_operators(w, shape, training, false, sink);
      return;
    }
    for (const Operator& op : s.ops) sink(op);
  }
};

}  // namespace detail

/// A job prepared for answers on many GPUs (see the file comment). Large (three fixed operator lists,
/// about 70 KB) and allocation-free; copyable.
class PreparedJob {
 public:
  PreparedJob() = default;
  /// Prepares `job` (one GPU; see the file comment): normalizes it and keeps the operators of the
  /// steps the time model times on the job's GPU with `profile`'s runtime settings.
  constexpr explicit PreparedJob(const Job& job, const EfficiencyProfile& profile = builtin_efficiency) noexcept
      : job_(normalize(job)) {
    if (job_.hardware.gpu != nullptr && job_.model != nullptr && job_.task != Task::collective)
      (void)estimate_time_on(rated_gpu(job_, profile), job_, rated_runtime(job_, profile), MoePlacement{},
                             detail::RecordOperators{&steps_});
  }

  /// The normalized job (its GPU is the one it was prepared on).
  [[nodiscard]] constexpr const Job& job() const noexcept { return job_; }
  [[nodiscard]] constexpr const PreparedStep& step(Phase p) const noexcept {
    return steps_[static_cast<std::size_t>(p)];
  }

  /// estimate_time_detailed(job on `gpu`, profile): the single-GPU time model's answer on `gpu`.
  [[nodiscard]] constexpr TimeEstimate time_on(const GpuSpec& gpu,
                                               const EfficiencyProfile& profile = builtin_efficiency) const noexcept {
    Job w = job_;
    w.hardware.gpu = &gpu;
    return estimate_time_on(rated_gpu(w, profile), w, rated_runtime(w, profile), MoePlacement{},
                            detail::ReplayOperators{&steps_});
  }

  /// estimate_memory(job on `gpu`).
  [[nodiscard]] constexpr MemoryResult memory_on(const GpuSpec& gpu) const noexcept {
    Job w = job_;
    w.hardware.gpu = &gpu;
    return estimate_memory(w);
  }

 private:
  Job job_{};
  std::array<PreparedStep, 3> steps_{};
};

/// PreparedJob(job, profile): `job` prepared for answers on many GPUs.
[[nodiscard]] constexpr PreparedJob prepare(const Job& job, const EfficiencyProfile& profile = builtin_efficiency) noexcept {
  return PreparedJob(job, profile);
}

}  // namespace headroom
