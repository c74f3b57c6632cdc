#pragma once
/// @file prepared.hpp
/// A job prepared once for many GPUs: what depends only on the model and the job is computed once,
/// then the job is timed and sized on any GPU without allocating.
///
/// The operators of a step (operators.hpp) depend on the model, the job and the step's shape, not on
/// the GPU: the shapes come from the job and the runtime's own settings (prefill chunk, paged KV,
/// graph batch), not from the GPU's efficiencies. prepare() times the job once on its GPU and reduces
/// each operator of each step it timed (prefill, decode, training step) to a record: what its time on a
/// GPU depends on (FLOPs, fused bytes and kernels, GEMM shape, which roof and which peak), and keeps
/// the step's host, FLOP and byte sums, which no GPU changes, from that timing. time_on(gpu) runs the
/// same time model (estimate_time_on) and, for a kept step, works out the GPU's constants once (each
/// peak times its efficiency, the bandwidth terms) and runs the timer's arithmetic over the records
/// (detail::time_records): the same floating-point operations in the same order as the per-operator
/// timer, so the answer is estimate_time_detailed's to the last bit (tests/unit/prepared_test.cpp
/// compares them over the catalog) where the compiler does not contract a·b + c into fused
/// multiply-adds (GCC with -march=native or on AArch64 may round the two paths apart in the last bit).
/// A step whose shape differs from the kept one, that was not kept (no GPU, a GPU without the rates to
/// time the job, more records than the pool holds, an operator with calls issued after a host sync or
/// ending with one, whose wait depends on each GPU's own time), or a time_on with another efficiency
/// profile than prepare's is built and timed as usual.
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
#include <cstdint>

#include "headroom/efficiency.hpp"
#include "headroom/gpu.hpp"
#include "headroom/job.hpp"
#include "headroom/memory.hpp"
#include "headroom/operators.hpp"
#include "headroom/result.hpp"
#include "headroom/time_model.hpp"

namespace headroom {

namespace detail {

/// Which of OperatorTimer's roofs an operator takes (the branches of OperatorTimer::operator()).
enum class Roof : std::uint8_t {
  gemm,       ///< tensor-core GEMM: shaped compute roof, memory roof
  gemv,       ///< small-M product on the vector units: FP32 roof, streaming roof, issue roof
  grouped,    ///< small-M grouped expert GEMM: the faster of gemv and gemm
  attention,  ///< fused attention: the family's attention efficiency (or the GEMM best shape)
  memory      ///< elementwise and the rest: memory roof, FLOPs on the vector units
};

/// One operator reduced to what its time on a GPU depends on. What only the job and the runtime decide
/// (fusion, the GEMV cycles per weight, fp16 accumulation) is applied here, once.
struct OpRecord {
  double count = 0;
  double flops = 0;    ///< per instance
  double bytes = 0;    ///< per instance, after the runtime's fusion
  double kernels = 0;  ///< per instance, after the runtime's fusion
  double m = 0, n = 0, k = 0;
  double mnk = 0;    ///< m·n·k, the product gemm_time divides by
  double issue = 0;  ///< weight elements × the runtime's GEMV cycles per weight
  Roof roof = Roof::memory;
  std::uint8_t rate = 0;    ///< index of the operator's peak in PreparedStep::rates
  bool backward = false;    ///< attention: the backward kernels' efficiency
  bool recomputed = false;  ///< also counted once more as the recomputed forward (checkpointing)
};

/// A peak an operator runs at: dev.peak(precision), or the fp16-accumulate peak.
struct RateClass {
  Precision precision = Precision::bf16;
  bool half_acc = false;
};

/// The records of all steps of a prepared job, one after the other: an inference job's prefill and
/// decode, or a training step (the longest list, DeepSeek-V3 QLoRA with recomputation, has 156).
struct RecordPool {
  static constexpr int capacity = OperatorList::capacity;
  std::array<OpRecord, capacity> ops{};
  int used = 0;
};

}  // namespace detail

/// The operators of one step, emitted once and reduced to records (detail::OpRecord) for the timer.
struct PreparedStep {
  static constexpr int max_rates = 4;  ///< distinct peaks of one step (a step with more is not kept)

  bool kept = false;      ///< the records are complete and `shape`/`training` say what they are
  bool training = false;  ///< emitted with the backward pass
  StepShape shape{};
  int first = 0;  ///< its records: [first, first + size) of the prepared job's pool
  int size = 0;
  std::array<detail::RateClass, max_rates> rates{};
  int rate_count = 0;
  // The timer's sums as it added them on prepare's GPU, of all operators and of those counted again as
  // the recomputed forward: time_records keeps their host dispatch, FLOPs and fused bytes (no GPU changes
  // them) and works out the GPU, compute and memory sums again.
  PhaseTime fixed{}, recomputed_fixed{};
  bool overflow = false;

  /// Appends to `pool` the record of `op` as `timer` (an OperatorTimer) times it.
  template <class Timer>
  constexpr void push(const Operator& op, const Timer& timer, detail::RecordPool& pool) noexcept {
    if (op.count <= 0) return;  // as OperatorList::push
    // Calls issued after a host sync (Operator::sync_calls), and quantized-linear calls that end with one
    // (RuntimeEfficiency::quant_call_sync), wait on each GPU's own time: such a step is timed from its
    // operators, as a step that overflows the pool.
    if (pool.used == detail::RecordPool::capacity || op.sync_calls > 0 || (op.quant_call && timer.quant_sync)) {
      overflow = true;
      return;
    }
    const RuntimeEfficiency& rt = *timer.rt;
    if (size == 0) first = pool.used;
    detail::OpRecord& r = pool.ops[static_cast<std::size_t>(pool.used++)];
    ++size;
    const double f = op.fusable ? timer.fusion : 1.0;
    r.count = op.count;
    r.flops = op.flops.value();
    r.bytes = (op.bytes * f).value();
    r.kernels = op.kernels * f;
    r.m = op.m;
    r.n = op.n;
    r.k = op.k;
    r.mnk = op.m * op.n * op.k;
    r.issue = op.weight_elements * rt.gemv_cycles_per_weight[static_cast<std::size_t>(op.weights)];
    r.backward = op.pass == Pass::backward;
    const bool small_m = op.small_m();
    detail::RateClass c{op.precision, false};
    switch (op.kind) {
      case OpKind::linear:
      case OpKind::lm_head:
      case OpKind::lora:
        r.roof = small_m && op.grouped ? detail::Roof::grouped : small_m ? detail::Roof::gemv : detail::Roof::gemm;
        c.half_acc = rt.half_accumulate(op.precision);
        break;
      case OpKind::attention: r.roof = detail::Roof::attention; break;
      default: r.roof = detail::Roof::memory; break;
    }
    if (r.roof != detail::Roof::gemv && r.roof != detail::Roof::memory) {  // a roof at a peak of its own
      int i = 0;
      while (i < rate_count && (rates[static_cast<std::size_t>(i)].precision != c.precision ||
                                rates[static_cast<std::size_t>(i)].half_acc != c.half_acc))
        ++i;
      if (i == max_rates) {
        overflow = true;
        return;
      }
      if (i == rate_count) rates[static_cast<std::size_t>(rate_count++)] = c;
      r.rate = static_cast<std::uint8_t>(i);
    }
    const Checkpointing rc = timer.recompute;
    r.recomputed = rc != Checkpointing::none && op.pass == Pass::forward && op.in_layer &&
                   (rc == Checkpointing::full || op.kind == OpKind::attention);
  }
};

namespace detail {

/// OperatorTimer::operator() over a step's records on a RatedGpu: the same floating-point operations in
/// the same order, with what depends only on the GPU (its peaks times the efficiencies, the bandwidth
/// terms) computed once per step instead of once per operator. `timer` is fresh (time_phase's).
constexpr void time_records(const PreparedStep& s, const RecordPool& pool, OperatorTimer<RatedGpu>& timer) noexcept {
  const RatedGpu& dev = *timer.dev;
  const RuntimeEfficiency& rt = *timer.rt;
  const FamilyEfficiency& fe = *dev.eff;
  const GemmEfficiency& ge = fe.gemm;
  const auto mx = [](double a, double b) { return a < b ? b : a; };  // max() of units.hpp
  // RatedGpu::memory_time: (s + half) / (BW · scale · eta_max), the timer's denominators.
  const double mem_den = timer.mem_den, stream_den = timer.stream_den;
  const auto mem = [&](double bytes, double den) { return dev.memory_time_over(Bytes{bytes}, den).value(); };
  // Per peak: the GEMM denominator's rate · eta_max, and the attention compute time as flops · num / den
  // (fused: num 1, den rate · eta; without an attention efficiency: the GEMM best shape at 1e12).
  struct Rates {
    double gemm = 0;
    double att_num[2] = {0, 0}, att_den[2] = {0, 0};  // forward, backward
  };
  std::array<Rates, PreparedStep::max_rates> rates{};
  const double big = 1e12;
  for (int i = 0; i < s.rate_count; ++i) {
    const RateClass c = s.rates[static_cast<std::size_t>(i)];
    Rates& r = rates[static_cast<std::size_t>(i)];
    const double eta_max = ge.eta_max[static_cast<std::size_t>(c.precision)];
    const FlopRate peak = c.half_acc ? dev.peak_fp16_accumulate() : dev.peak(c.precision);
    r.gemm = (peak * rt.gemm_scale).value() * eta_max;
    if (c.half_acc) continue;
    const FlopRate att = dev.peak(c.precision) * rt.attention_scale;
    for (int b = 0; b < 2; ++b) {
      const double eta = b == 1 ? fe.attention_bwd : fe.attention_fwd;
      if (eta > 0) {
        r.att_num[b] = 1.0;
        r.att_den[b] = (att * eta).value();
      } else {
        r.att_num[b] = (big + ge.m_half) * (big + ge.n_half) * (big + ge.k_half);
        r.att_den[b] = att.value() * eta_max * (big * big * big);
      }
    }
  }
  const double vec = timer.vec.value();
  const double launch = timer.launch.value();
  const double smc = timer.smc;
  double gpu = timer.t.gpu.value(), compute = timer.t.compute.value(), memory = timer.t.memory.value();
  double rgpu = timer.recomputed.gpu.value(), rcompute = timer.recomputed.compute.value(),
         rmemory = timer.recomputed.memory.value();
  for (int i = 0; i < s.size; ++i) {
    const OpRecord& op = pool.ops[static_cast<std::size_t>(s.first + i)];
    double tc = 0, tm = 0, tissue = 0;
    const auto as_gemm = [&](double& c, double& m) {
      const double den = rates[op.rate].gemm * op.mnk;
      c = den > 0 ? op.flops * ((op.m + ge.m_half) * (op.n + ge.n_half) * (op.k + ge.k_half)) / den : 0.0;
      m = mem(op.bytes, mem_den);
    };
    const auto as_gemv = [&](double& c, double& m, double& issue) {
      c = vec > 0 ? op.flops / vec : 0.0;
      m = mem(op.bytes, stream_den);
      issue = smc > 0 ? op.issue / smc : 0.0;
    };
    switch (op.roof) {
      case Roof::gemm: as_gemm(tc, tm); break;
      case Roof::gemv: as_gemv(tc, tm, tissue); break;
      case Roof::grouped: {
        double c2 = 0, m2 = 0;
        as_gemv(tc, tm, tissue);
        as_gemm(c2, m2);
        if (mx(mx(c2, m2), 0.0) < mx(mx(tc, tm), tissue)) tc = c2, tm = m2, tissue = 0.0;
        break;
      }
      case Roof::attention: {
        const Rates& r = rates[op.rate];
        const int b = op.backward ? 1 : 0;
        tc = r.att_den[b] > 0 ? op.flops * r.att_num[b] / r.att_den[b] : 0.0;
        tm = mem(op.bytes, mem_den);
        break;
      }
      case Roof::memory:
        tm = mem(op.bytes, mem_den);
        if (op.flops > 0 && vec > 0) tc = op.flops / vec;
        break;
    }
    const double g = mx(mx(tc, tm), tissue) + launch * op.kernels;
    const double c = mx(tc, tissue);
    gpu += g * op.count;
    compute += c * op.count;
    memory += tm * op.count;
    if (op.recomputed) {
      rgpu += g * op.count;
      rcompute += c * op.count;
      rmemory += tm * op.count;
    }
  }
  const auto put = [](PhaseTime& p, const PhaseTime& fixed, double g, double c, double m) {
    p.gpu = Seconds{g};
    p.compute = Seconds{c};
    p.memory = Seconds{m};
    p.host = fixed.host;
    p.flops = fixed.flops;
    p.bytes = fixed.bytes;
  };
  put(timer.t, s.fixed, gpu, compute, memory);
  put(timer.recomputed, s.recomputed_fixed, rgpu, rcompute, rmemory);
}

/// estimate_time_on's operator source that also reduces what it emits to records (prepare()).
struct RecordOperators {
  std::array<PreparedStep, 3>* steps;
  RecordPool* pool;

  template <class Sink>
  struct Tee {
    Sink* sink;
    PreparedStep* step;
    RecordPool* pool;
    constexpr void operator()(const Operator& op) noexcept {
      step->push(op, *sink, *pool);
      (*sink)(op);
    }
  };

  template <class Sink>
  constexpr void operator()(const Job& w, const StepShape& shape, bool training, Phase phase, Sink& sink) const noexcept {
    PreparedStep& s = (*steps)[static_cast<std::size_t>(phase)];  // empty: each phase is timed once
    Tee<Sink> tee{&sink, &s, pool};
    emit_operators(w, shape, training, false, tee);
    // The sums no GPU changes, as the timer (fresh for the step: time_phase) added them.
    s.fixed = sink.t;
    s.recomputed_fixed = sink.recomputed;
    s.kept = !s.overflow;
    s.training = training;
    s.shape = shape;
  }
};

/// estimate_time_on's operator source that times kept steps from their records (time_on()).
struct ReplayOperators {
  const std::array<PreparedStep, 3>* steps;
  const RecordPool* pool;
  bool same_profile = true;  ///< the records were made with the runtime efficiencies of this answer

  template <class Sink>
  constexpr void operator()(const Job& w, const StepShape& shape, bool training, Phase phase, Sink& sink) const noexcept {
    const PreparedStep& s = (*steps)[static_cast<std::size_t>(phase)];
    if (!same_profile || !s.kept || s.training != training || s.shape != shape) {
      emit_operators(w, shape, training, false, sink);
      return;
    }
    time_records(s, *pool, sink);
  }
};

}  // namespace detail

/// A job prepared for answers on many GPUs (see the file comment). Large (a fixed pool of records,
/// about 16 KB) and allocation-free; copyable.
class PreparedJob {
 public:
  PreparedJob() = default;
  /// Prepares `job` (one GPU; see the file comment): normalizes it and keeps the operators of the
  /// steps the time model times on the job's GPU with `profile`'s runtime settings.
  constexpr explicit PreparedJob(const Job& job, const EfficiencyProfile& profile = builtin_efficiency) noexcept
      : job_(normalize(job)), profile_(&profile) {
    if (job_.hardware.gpu != nullptr && job_.model != nullptr && job_.task != Task::collective)
      (void)estimate_time_on(rated_gpu(job_, profile), job_, rated_runtime(job_, profile), MoePlacement{},
                             detail::RecordOperators{&steps_, &records_});
  }

  /// The normalized job (its GPU is the one it was prepared on).
  [[nodiscard]] constexpr const Job& job() const noexcept { return job_; }
  [[nodiscard]] constexpr const PreparedStep& step(Phase p) const noexcept {
    return steps_[static_cast<std::size_t>(p)];
  }

  /// estimate_time_detailed(job on `gpu`, profile): the single-GPU time model's answer on `gpu`.
  [[nodiscard]] constexpr TimeEstimate time_on(const GpuSpec& gpu,
                                               const EfficiencyProfile& profile = builtin_efficiency) const noexcept {
    Job w = job_;  // normalized already
    w.hardware.gpu = &gpu;
    const GpuFamily family = gpu_family(gpu);  // rated_gpu and rated_runtime, with the family found once
    return detail::estimate_time_normalized(RatedGpu{&gpu, &profile.for_family(family)}, w,
                                            rated_runtime(w.runtime, family, profile), MoePlacement{},
                                            detail::ReplayOperators{&steps_, &records_, &profile == profile_});
  }

  /// estimate_memory(job on `gpu`).
  [[nodiscard]] constexpr MemoryResult memory_on(const GpuSpec& gpu) const noexcept {
    Job w = job_;
    w.hardware.gpu = &gpu;
    return estimate_memory(w);
  }

 private:
  Job job_{};
  const EfficiencyProfile* profile_ = nullptr;  ///< the records' runtime efficiencies
  std::array<PreparedStep, 3> steps_{};
  detail::RecordPool records_{};
};

/// PreparedJob(job, profile): `job` prepared for answers on many GPUs.
[[nodiscard]] constexpr PreparedJob prepare(const Job& job, const EfficiencyProfile& profile = builtin_efficiency) noexcept {
  return PreparedJob(job, profile);
}

}  // namespace headroom
