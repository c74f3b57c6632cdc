#pragma once
/// @file time_model.hpp
/// The single-GPU time model: prefill, decode, serving throughput and training step time from the
/// operator list (operators.hpp) on a calibrated roofline (roofline.hpp, efficiency.hpp).
///
/// Per operator: t = max(FLOPs/(η_c·P), bytes/(η_m·BW), GEMV issue roof) + kernels·t_launch; per call
/// the GPU time and the host dispatch time run side by side, t_call = max(Σ t_gpu, Σ t_host) + the
/// runtime's step overhead. Everything is constexpr, noexcept and allocation-free.
///
/// What the keys mean (docs/time.md):
/// - prefill_tokens_per_s = batch·prompt / prefill time; ttft_s = prefill time (the context phase emits the
///   first token).
/// - decode_tokens_per_s = batch·generate / (prefill time + decode steps · step time): output tokens per
///   second over the whole request, what trtllm-bench, gptSessionBenchmark and `litgpt generate` report;
///   with prompt 0 it is the pure decode rate (llama-bench tg). The KV read grows with the context, so the
///   step is evaluated at the mean context of the generate window (exact: the step time is affine in it).
/// - train: step = grad_accum micro-batches (forward, backward, recompute) + optimizer step;
///   MFU = tokens/s · (6·N + 6·L·a·d·s) / dense BF16 peak, whatever `compute` is (case format v2,
///   the Megatron/NeMo/torchtitan/PaLM convention): N = weights doing matmuls (blocks + output head,
///   MoE: routed top-k), causal attention, no recompute. LoRA/QLoRA count 4·N + 6·N_adapters instead
///   of 6·N (frozen weights get no dW). HFU counts the recomputed forward too.

#include <cstdint>

#include "headroom/detail/inline.hpp"
#include "headroom/efficiency.hpp"
#include "headroom/job.hpp"
#include "headroom/offload.hpp"
#include "headroom/operators.hpp"
#include "headroom/result.hpp"
#include "headroom/roofline.hpp"
#include "headroom/units.hpp"

namespace headroom {

/// Time of a list of operators on a device.
struct PhaseTime {
  Seconds time{};     ///< max(gpu, host) + synced + step overheads
  Seconds gpu{};      ///< Σ GPU time of the kernels
  Seconds host{};     ///< Σ CPU dispatch time
  Seconds synced{};   ///< Σ host time the GPU waits on after a host sync (Operator::sync_calls beyond the op's GPU time)
  Seconds compute{};  ///< Σ compute-roof time (for the bound)
  Seconds memory{};   ///< Σ memory-roof time (for the bound)
  Flops flops{};
  Bytes bytes{};

  [[nodiscard]] constexpr Bound bound() const noexcept {
    if (compute.value() == 0 && memory.value() == 0) return Bound::none;
    return memory < compute ? Bound::compute : Bound::memory;
  }
  [[nodiscard]] constexpr double intensity() const noexcept {
    return bytes.value() > 0 ? (flops / bytes).value() : 0.0;
  }
};

struct TimingOptions {
  bool compile = false;                       ///< torch.compile: the runtime's compile_* terms
  WeightKernel stored = WeightKernel::dense;  ///< what the block linears are stored as (quantized-call cost)
  double calls = 1;                           ///< forward calls in the list (each pays the step overhead)
  bool graph = false;  ///< replayed from a CUDA graph: one graph launch per call instead of a launch per kernel
};

/// Everything the time model computed, of which TimeResult is the public summary.
struct TimeEstimate {
  TimeResult result{};
  PhaseTime prefill{};  ///< all prefill calls of the batch
  PhaseTime decode{};   ///< one decode step at the mean context
  PhaseTime train{};    ///< one optimizer step (all micro-batches, without the optimizer)
  PhaseTime optimizer{};
  OffloadTime offload{};  ///< CPU offload: host optimizer step and PCIe copies (offload.hpp)
  double decode_steps = 0;
  double mean_context = 0;
  double model_flops_per_token = 0;  ///< MFU convention above
  // What was timed, to list the operators of a phase again (visit_operators with these shapes, time_operator
  // with `timing`): prefill_shape.repeat calls, one decode step, train_shape.repeat micro-batches.
  StepShape prefill_shape{};
  StepShape decode_shape{};
  StepShape train_shape{};
  TimingOptions timing{};  ///< the job's options (compile, stored weights); calls = 1
};


namespace detail {

/// Accumulates operator times on a device: the sink that visit_operators feeds (nothing is stored).
template <DeviceLike D>
struct OperatorTimer {
  const D* dev;
  const RuntimeEfficiency* rt;
  double fusion = 1;
  Seconds host_per_kernel{};
  Seconds graph_launch{};  ///< per call when the call replays a CUDA graph
  Seconds eager_call{};    ///< host time per call issued after a host sync
  WeightKernel stored = WeightKernel::dense;
  // Device constants, read once.
  FlopRate vec{};  ///< FP32 vector rate (GEMV, elementwise FLOPs)
  Seconds launch{};
  double smc = 0;
  double quant_call = 0;
  bool quant_sync = false;  ///< a quantized-linear call ends with a device sync (RuntimeEfficiency::quant_call_sync)
  // The memory roof's denominators at scale 1 and at the runtime's streaming scale, worked out once where the
  // device has them (RatedGpu::memory_denominator); otherwise unused.
  double mem_den = 0, stream_den = 0;
  static constexpr bool has_denominators = requires(const D& d, Bytes b) {
    d.memory_denominator(1.0);
    d.memory_time_over(b, 1.0);
  };
  Checkpointing recompute = Checkpointing::none;  ///< collect the forward layer ops that backward recomputes
  PhaseTime t{};
  PhaseTime recomputed{};  ///< what those ops cost once more

  HEADROOM_INLINE constexpr OperatorTimer(const D& device, const RuntimeEfficiency& runtime,
                                          const TimingOptions& opt) noexcept
      : dev(&device),
        rt(&runtime),
        fusion(opt.compile ? runtime.compile_fusion : runtime.fusion),
        host_per_kernel(opt.graph ? Seconds{} : opt.compile ? runtime.compile_host_per_kernel : runtime.host_per_kernel),
        graph_launch(opt.graph ? runtime.graph_launch : Seconds{}),
        eager_call(runtime.eager_call),
        stored(opt.stored),
        vec(device.peak(Precision::fp32)),
        launch(device.kernel_launch()),
        smc(device.sm_cycles_per_second()),
        quant_call(runtime.quant_call_s[static_cast<std::size_t>(opt.stored)]),
        quant_sync(runtime.quant_call_sync[static_cast<std::size_t>(opt.stored)] > 0) {
    if constexpr (has_denominators) {
      mem_den = device.memory_denominator(1.0);
      stream_den = device.memory_denominator(runtime.stream_scale);
    }
  }

  /// detail::memory_time(*dev, bytes, stream ? rt->stream_scale : 1.0).
  [[nodiscard]] constexpr Seconds memory(Bytes bytes, bool stream) const noexcept {
    if constexpr (has_denominators)
      return dev->memory_time_over(bytes, stream ? stream_den : mem_den);
    else
      return detail::memory_time(*dev, bytes, stream ? rt->stream_scale : 1.0);
  }

  // prepared.hpp (detail::time_records) repeats this arithmetic on reduced operators for a RatedGpu,
  // operation for operation (tests/unit/prepared_test.cpp compares the two to the bit): change both.
  // Not repeated there: the host-sync wait (`synced`) and a synchronizing quantized call's wait for its
  // GPU time (`quant_sync`); a step with either is not kept.
  HEADROOM_INLINE constexpr void operator()(const Operator& op) noexcept {
    const double f = op.fusable ? fusion : 1.0;
    const double kernels = op.kernels * f;
    const Bytes bytes = op.bytes * f;
    Seconds tc{}, tm{}, tissue{};
    const bool small_m = op.small_m();
    switch (op.kind) {
      case OpKind::linear:
      case OpKind::lm_head:
      case OpKind::lora: {
        // Small-M products run as GEMV on the vector units (no tensor-core tile to fill), streaming the
        // weights; larger ones as tensor-core GEMMs. A grouped MoE GEMM has both kernels to pick from
        // (the runtime's tuned configs): the faster one at its rows per expert.
        const auto as_gemv = [&](Seconds& c, Seconds& m, Seconds& issue) HEADROOM_INLINE {
          c = vec.value() > 0 ? op.flops / vec : Seconds{};
          m = memory(bytes, true);
          issue = smc > 0 ? Seconds{op.weight_elements * rt->gemv_cycles_per_weight[static_cast<std::size_t>(op.weights)] / smc}
                          : Seconds{};
        };
        const auto as_gemm = [&](Seconds& c, Seconds& m, Seconds& issue) HEADROOM_INLINE {
          const bool half_acc = rt->half_accumulate(op.precision);
          const FlopRate peak = half_acc ? dev->peak_fp16_accumulate() : dev->peak(op.precision);
          c = detail::compute_time(*dev, op.flops, peak * rt->gemm_scale, op.precision, op.m, op.n, op.k);
          m = memory(bytes, false);
          issue = Seconds{};
        };
        if (small_m && op.grouped) {
          Seconds c2{}, m2{}, i2{};
          as_gemv(tc, tm, tissue);
          as_gemm(c2, m2, i2);
          if (max(max(c2, m2), i2) < max(max(tc, tm), tissue)) tc = c2, tm = m2, tissue = i2;
        } else if (small_m) {
          as_gemv(tc, tm, tissue);
        } else {
          as_gemm(tc, tm, tissue);
        }
        break;
      }
      case OpKind::attention: {
        // Fused attention: the family's FlashAttention-2 efficiency (forward, or the backward kernels) times the
        // runtime's kernel factor; a device without one (or 0): the GEMM best shape.
        const FlopRate rate = dev->peak(op.precision) * rt->attention_scale;
        double eta = 0;
        if constexpr (requires { dev->attention_efficiency(true); })
          eta = dev->attention_efficiency(op.pass == Pass::backward);
        if (eta > 0) {
          if (rate.value() > 0) tc = op.flops / (rate * eta);
        } else {
          const double big = 1e12;
          tc = detail::compute_time(*dev, op.flops, rate, op.precision, big, big, big);
        }
        tm = memory(bytes, false);
        break;
      }
      default: {
        // Elementwise, dequantization, optimizer: memory-bound; their FLOPs run on the vector units.
        tm = memory(bytes, false);
        if (op.flops.value() > 0 && vec.value() > 0) tc = op.flops / vec;
        break;
      }
    }
    const Seconds roof = max(max(tc, tm), tissue);
    const Seconds gpu = roof + launch * kernels;
    Seconds host = host_per_kernel * kernels;
    if (op.quant_call) host += Seconds{quant_call};
    // A call that synchronizes the device (Transformers' FP8 linear) holds the host until its kernels have run:
    // the GPU work of the call adds to the host's timeline instead of overlapping with it.
    if (op.quant_call && quant_sync) host += gpu;
    // Calls issued after a host sync: the GPU has drained its queue and runs each kernel as it arrives, so
    // the op takes the longer of its GPU time and the host's issue time; the excess adds to the phase.
    Seconds synced{};
    if (op.sync_calls > 0 && eager_call.value() > 0) {
      synced = eager_call * op.sync_calls - gpu;
      if (synced.value() < 0) synced = Seconds{};
    }
    add(t, op, gpu, host, synced, max(tc, tissue), tm, bytes);
    if (recompute != Checkpointing::none && op.pass == Pass::forward && op.in_layer &&
        (recompute == Checkpointing::full || op.kind == OpKind::attention))
      add(recomputed, op, gpu, host, synced, max(tc, tissue), tm, bytes);
  }

  HEADROOM_INLINE static constexpr void add(PhaseTime& p, const Operator& op, Seconds gpu, Seconds host,
                                            Seconds synced, Seconds tc, Seconds tm, Bytes bytes) noexcept {
    p.gpu += gpu * op.count;
    p.host += host * op.count;
    p.synced += synced * op.count;
    p.compute += tc * op.count;
    p.memory += tm * op.count;
    p.flops += op.flops * op.count;
    p.bytes += bytes * op.count;
  }

  /// The phase: GPU and host run side by side, plus the runtime's overhead per forward call.
  [[nodiscard]] constexpr PhaseTime finish(double calls) const noexcept {
    PhaseTime r = t;
    r.gpu += recomputed.gpu;
    r.host += recomputed.host;
    r.synced += recomputed.synced;
    r.compute += recomputed.compute;
    r.memory += recomputed.memory;
    r.flops += recomputed.flops;
    r.bytes += recomputed.bytes;
    r.host += graph_launch * calls;
    r.time = max(r.gpu, r.host) + r.synced + rt->step_overhead * calls;
    return r;
  }
};

}  // namespace detail

/// One operator (all `op.count` instances) timed on its own, as the phase timer adds it: the GPU time
/// max(compute, memory, GEMV issue) + launches, and the host dispatch time. The phase total overlaps GPU and
/// host and adds the runtime's step overhead per call (PhaseTime::time), so it is not the plain sum of these.
struct OperatorTime {
  Seconds gpu{};      ///< GPU time of all instances
  Seconds host{};     ///< CPU dispatch time of all instances
  Seconds compute{};  ///< compute-roof time (max of the FLOP roof and the GEMV issue roof)
  Seconds memory{};   ///< memory-roof time
  Flops flops{};
  Bytes bytes{};  ///< after the runtime's fusion of elementwise traffic
  Seconds synced{};  ///< host time the GPU waits on after a host sync, beyond gpu (Operator::sync_calls)

  [[nodiscard]] constexpr Bound bound() const noexcept {
    if (compute.value() == 0 && memory.value() == 0) return Bound::none;
    return memory < compute ? Bound::compute : Bound::memory;
  }
  [[nodiscard]] constexpr double intensity() const noexcept {
    return bytes.value() > 0 ? (flops / bytes).value() : 0.0;
  }
  /// Achieved FLOP/s (0 when the operator takes no time).
  [[nodiscard]] constexpr double flop_rate() const noexcept {
    return gpu.value() > 0 ? flops.value() / gpu.value() : 0.0;
  }
};

/// Times one operator with the same timer as time_operators/time_step.
template <DeviceLike D>
[[nodiscard]] constexpr OperatorTime time_operator(const D& dev, const Operator& op, const RuntimeEfficiency& rt,
                                                   const TimingOptions& opt = {}) noexcept {
  detail::OperatorTimer<D> timer(dev, rt, opt);
  timer(op);
  return {timer.t.gpu, timer.t.host, timer.t.compute, timer.t.memory, timer.t.flops, timer.t.bytes, timer.t.synced};
}

/// Times an operator list on a device with a runtime's efficiencies.
template <DeviceLike D>
[[nodiscard]] constexpr PhaseTime time_operators(const D& dev, const OperatorList& ops, const RuntimeEfficiency& rt,
                                                 const TimingOptions& opt = {}) noexcept {
  detail::OperatorTimer<D> timer(dev, rt, opt);
  for (const Operator& op : ops) timer(op);
  return timer.finish(opt.calls);
}

/// The steps estimate_time_on times: an inference job's prefill calls and decode step, a training step.
enum class Phase : std::uint8_t { prefill, decode, train };

namespace detail {

/// Where estimate_time_on gets the operators of a step: emitted by the builder from the job (this
/// default), or replayed from lists emitted once (prepared.hpp). `walk(w, shape, training, phase, sink)`
/// feeds `sink` the operators of emit_operators(w, shape, training, false) in their order.
struct EmitOperators {
  template <class Sink>
  constexpr void operator()(const Job& w, const StepShape& shape, bool training, Phase, Sink& sink) const noexcept {
    emit_operators(w, shape, training, false, sink);
  }
};

/// time_step on a normalized job with the operators of `walk`.
template <DeviceLike D, class Walk>
[[nodiscard]] constexpr PhaseTime time_phase(const D& dev, const Job& w, const StepShape& shape, bool training,
                                             const RuntimeEfficiency& rt, const TimingOptions& opt, const Walk& walk,
                                             Phase phase) noexcept {
  OperatorTimer<D> timer(dev, rt, opt);
  // The recomputed forward is timed from the forward pass itself (the same operators; see visit_operators).
  if (training) timer.recompute = w.training.checkpointing;
  walk(w, shape, training, phase, timer);
  return timer.finish(opt.calls);
}

}  // namespace detail

/// Times the operators of a step straight from the builder (no list is stored).
template <DeviceLike D>
[[nodiscard]] constexpr PhaseTime time_step(const D& dev, const Job& w, const StepShape& shape, bool training,
                                            const RuntimeEfficiency& rt, const TimingOptions& opt = {}) noexcept {
  return detail::time_phase(dev, normalize(w), shape, training, rt, opt, detail::EmitOperators{},
                            training ? Phase::train : Phase::prefill);
}

namespace detail {

/// Prefill split into the runtime's chunks: one call per chunk of `chunk` tokens.
[[nodiscard]] constexpr StepShape prefill_shape(double batch, double prompt, double chunk) noexcept {
  StepShape s;
  s.inference = true;
  if (chunk <= 0 || batch * prompt <= chunk) {
    s.seqs = batch;
    s.tokens = prompt;
    s.repeat = 1;
  } else if (prompt > chunk) {  // long prompts: sequence by sequence, chunk by chunk
    s.seqs = 1;
    s.tokens = chunk;
    s.context = (prompt - chunk) / 2;  // mean cached context over the chunks: Σ attention pairs stays p²/2
    s.repeat = batch * prompt / chunk;
  } else {  // several whole prompts per call
    const auto per_call = static_cast<double>(static_cast<std::int64_t>(chunk / prompt));
    s.seqs = per_call;
    s.tokens = prompt;
    s.repeat = batch / per_call;
  }
  return s;
}
}  // namespace detail

/// Attention FLOPs per trained token, forward + backward, causal (each query sees half the
/// sequence on average): 3 · 2·L·a·(d_qk + d_v)·s / 2 = 3·L·a·(d_qk + d_v)·s (6·L·h·s for d_qk = d_v).
[[nodiscard]] constexpr double causal_attention_flops_per_token(const Job& w) noexcept {
  const ModelDims d = model_dims(*w.model);
  return 3 * d.attn_layers * d.heads * (d.d_qk + d.d_v) * static_cast<double>(w.training.seq);
}

/// Model FLOPs per trained token under the MFU convention in the file comment (no recompute).
[[nodiscard]] constexpr double model_flops_per_token(const Job& w) noexcept {
  const ModelDims d = model_dims(*w.model);
  const double n = matmul_params(d, true);
  const double attention = causal_attention_flops_per_token(w);
  if (w.training.method == Method::full) return 6 * n + attention;
  Job adapters = w;
  adapters.training.method = Method::lora;
  const double lora = w.training.method == Method::freeze ? 0 : trainable_params(adapters);
  return 4 * n + 6 * lora + attention;
}

/// Hardware FLOPs per trained token (HFU): the model FLOPs plus what checkpointing recomputes, one
/// more forward of the decoder layers under `full` (2 per block matmul weight + the forward third of
/// the attention term), the attention core only under `selective` (Korthikanti et al. 2022 §5).
[[nodiscard]] constexpr double hardware_flops_per_token(const Job& w) noexcept {
  const ModelDims d = model_dims(*w.model);
  const double attention_forward = causal_attention_flops_per_token(w) / 3;
  const double block_matmuls = matmul_params(d, true) - d.vocab * d.h;  // without the output head
  switch (w.training.checkpointing) {
    case Checkpointing::none: break;
    case Checkpointing::selective: return model_flops_per_token(w) + attention_forward;
    case Checkpointing::full: return model_flops_per_token(w) + 2 * block_matmuls + attention_forward;
  }
  return model_flops_per_token(w);
}

/// The peak MFU and HFU divide by: the GPU's dense BF16 rate whatever `compute` is (the convention
/// of Megatron, NeMo, torchtitan and PaLM; docs/cases.md), FP16 where the GPU has no BF16 unit.
[[nodiscard]] constexpr FlopRate mfu_peak(const GpuSpec& g) noexcept {
  return detail::peak_with_fallback(g, Precision::bf16);
}

/// The timing options of a job: torch.compile and the storage kind of the block linears (the
/// weights normalize() gives: NF4 with double quantization under QLoRA unless given).
[[nodiscard]] constexpr TimingOptions timing_options(const Job& w) noexcept {
  TimingOptions opt;
  opt.compile = w.compile;
  opt.stored = weight_kernel(*normalize(w).weights);
  return opt;
}

namespace detail {
/// estimate_time_on of a job normalize() returned (normalize is idempotent; a caller that holds a
/// normalized job, such as a prepared one, skips normalizing it again).
template <DeviceLike D, class Walk>
[[nodiscard]] constexpr TimeEstimate estimate_time_normalized(const D& dev, const Job& w, const RuntimeEfficiency& rt,
                                                              const MoePlacement& moe, const Walk& walk) noexcept {
  TimeEstimate e;
  TimeResult& r = e.result;
  if (w.task == Task::collective) return e;
  // Without a compute rate for the precision the roofline has no compute roof: no answer rather than a
  // memory-only one (a GPU whose datasheet publishes no rate, e.g. apple-m3-ultra).
  if (dev.peak(w.compute).value() <= 0 || dev.memory_bandwidth().value() <= 0) return e;
  TimingOptions opt;  // timing_options(w) of the normalized job
  opt.compile = w.compile;
  opt.stored = weight_kernel(*w.weights);
  e.timing = opt;

  if (w.task == Task::inference) {
    const double prompt = static_cast<double>(w.inference.prompt > 0 ? w.inference.prompt : 0);
    const double gen = static_cast<double>(w.inference.generate > 0 ? w.inference.generate : 0);
    double batch = static_cast<double>(w.batch > 0 ? w.batch : 1);
    // In-flight batching over a paged KV cache: sequences sit at every stage of their generation, so the
    // cache that holds `batch` full-length sequences holds (p + g)/(p + g/2) times as many on average.
    if (w.question.batch_max && rt.paged_kv && prompt + gen > 0) batch *= (prompt + gen) / (prompt + gen / 2);
    if (prompt > 0) {
      StepShape s = detail::prefill_shape(batch, prompt, static_cast<double>(rt.prefill_chunk));
      s.moe = moe;
      TimingOptions po = opt;
      po.calls = s.repeat;
      e.prefill = detail::time_phase(dev, w, s, false, rt, po, walk, Phase::prefill);
      e.prefill_shape = s;
      r.prefill_tokens_per_s = batch * prompt / e.prefill.time.value();
      r.ttft_s = e.prefill.time.value();
    }
    if (gen > 0) {
      e.decode_steps = prompt > 0 ? gen - 1 : gen;
      e.mean_context = prompt + gen / 2;
      StepShape s;
      s.seqs = batch;
      s.tokens = 1;
      s.context = e.mean_context;
      s.moe = moe;
      TimingOptions dopt = opt;
      dopt.graph = batch <= static_cast<double>(rt.graph_max_batch);  // decode replays a captured graph
      e.decode = detail::time_phase(dev, w, s, false, rt, dopt, walk, Phase::decode);
      e.decode_shape = s;
      const double total = e.prefill.time.value() + e.decode_steps * e.decode.time.value();
      double rate = total > 0 ? batch * gen / total : 0;
      if (w.question.batch_max) rate *= rt.serving_scale;
      r.decode_tokens_per_s = rate;
      if (prompt <= 0) r.ttft_s = e.decode.time.value();
    }
    const bool decode_dominates = e.decode_steps * e.decode.time.value() >= e.prefill.time.value();
    const PhaseTime& dom = decode_dominates ? e.decode : e.prefill;
    r.bound = dom.bound();
    r.intensity = dom.intensity();
    if (r.prefill_tokens_per_s <= 0 && r.decode_tokens_per_s <= 0) e = TimeEstimate{};  // one returned object
    return e;
  }

  // Training on one GPU.
  StepShape s;
  s.seqs = static_cast<double>(w.batch > 0 ? w.batch : 1);
  s.tokens = static_cast<double>(w.training.seq > 0 ? w.training.seq : 1);
  s.inference = false;
  s.logits_all = true;
  s.repeat = static_cast<double>(w.training.grad_accum > 0 ? w.training.grad_accum : 1);
  s.moe = moe;
  TimingOptions to = opt;
  to.calls = s.repeat;
  e.train = detail::time_phase(dev, w, s, true, rt, to, walk, Phase::train);
  e.train_shape = s;
  detail::OperatorTimer<D> opt_timer(dev, rt, opt);
  opt_timer(optimizer_operator(w));
  e.optimizer = opt_timer.finish(0);
  // CPU offload: the host runs the optimizer step instead of the GPU, and copies cross PCIe.
  const double t_mb = e.train.time.value() / s.repeat;
  const double bwd = w.training.checkpointing == Checkpointing::full ? 0.75 : 2.0 / 3.0;
  e.offload = offload_time(w, OffloadShare{trainable_params(w), weight_params(w), 1}, s.repeat, t_mb, t_mb * bwd);
  const Seconds opt_step = w.training.offload != Offload::none ? Seconds{e.offload.cpu_step_s} : e.optimizer.time;
  Seconds step = e.train.time + opt_step + Seconds{e.offload.exposed_s};
  const double tokens = s.seqs * s.tokens * s.repeat;
  r.step_time_s = step.value();
  r.train_tokens_per_s_per_gpu = tokens / step.value();
  e.model_flops_per_token = model_flops_per_token(w);
  const FlopRate peak = dev.peak(Precision::bf16);  // MFU convention: the BF16 peak whatever `compute` is
  r.mfu = peak.value() > 0 ? r.train_tokens_per_s_per_gpu * e.model_flops_per_token / peak.value() : 0;
  r.hfu = peak.value() > 0 ? r.train_tokens_per_s_per_gpu * hardware_flops_per_token(w) / peak.value() : 0;
  r.bound = e.train.bound();
  r.intensity = e.train.intensity();
  return e;
}
}  // namespace detail

/// The time model on any DeviceLike device with one runtime's efficiencies.
/// `moe`: where the routed experts run when the job is one GPU's shard of an expert-parallel group
/// (scaling.hpp); the default is one GPU holding every expert. `walk`: where the operators of each
/// step come from (detail::EmitOperators: the builder; prepared.hpp replays lists emitted once).
template <DeviceLike D, class Walk = detail::EmitOperators>
[[nodiscard]] constexpr TimeEstimate estimate_time_on(const D& dev, const Job& job, const RuntimeEfficiency& rt,
                                                      const MoePlacement& moe = {}, const Walk& walk = {}) noexcept {
  return detail::estimate_time_normalized(dev, normalize(job), rt, moe, walk);
}

/// The device estimate_time_detailed times on: the job's GPU with its family's efficiencies.
/// The pointers refer to the job's GPU record and into `profile`, which must outlive the result.
[[nodiscard]] constexpr RatedGpu rated_gpu(const Job& w, const EfficiencyProfile& profile) noexcept {
  return RatedGpu{w.hardware.gpu, &profile.for_family(gpu_family(*w.hardware.gpu))};
}

/// The runtime efficiencies estimate_time_detailed uses: the job's runtime, its GEMM scale times the
/// runtime's factor for the GPU's family.
[[nodiscard]] constexpr RuntimeEfficiency rated_runtime(Runtime runtime, GpuFamily family,
                                                        const EfficiencyProfile& profile) noexcept {
  RuntimeEfficiency rt = profile.for_runtime(runtime);
  rt.gemm_scale *= rt.family_gemm_scale[static_cast<std::size_t>(family)];
  rt.eager_call = profile.for_runtime(Runtime::pytorch).host_per_kernel;
  return rt;
}
[[nodiscard]] constexpr RuntimeEfficiency rated_runtime(const Job& w, const EfficiencyProfile& profile) noexcept {
  return rated_runtime(w.runtime, gpu_family(*w.hardware.gpu), profile);
}

namespace detail {
/// estimate_time_detailed of a job normalize() returned (evaluate() holds one; normalize copies the job).
[[nodiscard]] constexpr TimeEstimate time_normalized(const Job& w, const EfficiencyProfile& profile,
                                                     const MoePlacement& moe = {}) noexcept {
  const GpuFamily family = gpu_family(*w.hardware.gpu);
  return estimate_time_normalized(RatedGpu{w.hardware.gpu, &profile.for_family(family)}, w,
                                  rated_runtime(w.runtime, family, profile), moe, EmitOperators{});
}
}  // namespace detail

/// The time model with a profile: the GPU's family efficiencies and the job's runtime (rated_gpu and
/// rated_runtime, with the family found once).
[[nodiscard]] constexpr TimeEstimate estimate_time_detailed(const Job& w, const EfficiencyProfile& profile,
                                                            const MoePlacement& moe = {}) noexcept {
  return detail::time_normalized(normalize(w), profile, moe);
}

/// Prefill, decode, TTFT, step time, tokens/s and MFU of a single-GPU job.
/// `batch_max`: the caller sets `batch` to the solved limit first (evaluate() does).
[[nodiscard]] constexpr TimeResult estimate_time(const Job& w, const EfficiencyProfile& profile) noexcept {
  return estimate_time_detailed(w, profile).result;
}

/// The same with the built-in profile.
[[nodiscard]] constexpr TimeResult estimate_time(const Job& w) noexcept {
  return estimate_time(w, builtin_efficiency);
}

}  // namespace headroom
