#include "headroom/time_model.hpp"

#include <catch2/catch.hpp>

#include "hand_records.hpp"

#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/catalog/builtin_models.hpp"

using namespace headroom;
using namespace headroom::test_records;

namespace {

/// A runtime with no overheads: the pure roofline.
constexpr RuntimeEfficiency ideal{.fusion = 0, .compile_fusion = 0};

constexpr Job decode(const GpuSpec& g, std::int64_t prompt, std::int64_t generate, std::int64_t batch = 1,
                          Runtime runtime = Runtime::tensorrt_llm) {
  Job w;
  w.runtime = runtime;
  w.hardware.gpu = &g;
  w.model = &llama3_8b;
  w.inference.prompt = prompt;
  w.inference.generate = generate;
  w.batch = batch;
  return w;
}

constexpr Job training(const GpuSpec& g) {
  Job w;
  w.hardware.gpu = &g;
  w.model = &llama3_8b;
  w.task = Task::training;
  w.batch = 1;
  w.training.seq = 2048;
  return w;
}

}  // namespace

TEST_CASE("decode upper bound at η = 1: 67.2 tok/s on an RTX 4090 (docs/reference/formulas.md §6.3)", "[time]") {
  // prompt 0, one generated token: context ~0, the step reads 15.01 GB of weights.
  const TimeEstimate e4090 = estimate_time_on(PeakGpu{&rtx4090}, decode(rtx4090, 0, 1), ideal);
  REQUIRE(e4090.result.decode_tokens_per_s == Approx(67.2).epsilon(0.005));
  REQUIRE(e4090.result.bound == Bound::memory);
  const TimeEstimate ea100 = estimate_time_on(PeakGpu{&a100}, decode(a100, 0, 1), ideal);
  REQUIRE(ea100.result.decode_tokens_per_s == Approx(135.8).epsilon(0.005));
  // The ratio is the bandwidth ratio 2039/1008 = 2.02.
  REQUIRE(ea100.result.decode_tokens_per_s / e4090.result.decode_tokens_per_s == Approx(2039.0 / 1008).epsilon(0.002));
  // KV reads grow with the context: 66.6 at 1024 and 62.7 at 8192 (mean context of a 0 → 2·c window is c).
  REQUIRE(estimate_time_on(PeakGpu{&rtx4090}, decode(rtx4090, 0, 2048), ideal).result.decode_tokens_per_s ==
          Approx(66.6).epsilon(0.005));
  REQUIRE(estimate_time_on(PeakGpu{&rtx4090}, decode(rtx4090, 0, 16384), ideal).result.decode_tokens_per_s ==
          Approx(62.7).epsilon(0.005));
}

TEST_CASE("calibrated decode: below the bound, memory-bound, ratio near the bandwidth ratio", "[time]") {
  // A CUDA-graph runtime, so that the host does not hide the memory roof.
  const TimeResult r4090 = estimate_time(decode(rtx4090, 512, 128));
  const TimeResult ra100 = estimate_time(decode(a100, 512, 128));
  REQUIRE(r4090.bound == Bound::memory);
  REQUIRE(r4090.decode_tokens_per_s < 67.2);
  REQUIRE(r4090.decode_tokens_per_s > 0.5 * 67.2);
  // η_m differs by family (0.90 vs 0.85) and the per-step launch and scheduling costs do not shrink with
  // bandwidth: within 20% of 2.02, and below it.
  const double ratio = ra100.decode_tokens_per_s / r4090.decode_tokens_per_s;
  REQUIRE(ratio == Approx(2039.0 / 1008).epsilon(0.20));
  REQUIRE(ratio < 2039.0 / 1008);
  // Batch raises the total output rate; a longer context lowers it.
  REQUIRE(estimate_time(decode(rtx4090, 512, 128, 8)).decode_tokens_per_s > 4 * r4090.decode_tokens_per_s);
  REQUIRE(estimate_time(decode(rtx4090, 4096, 4096)).decode_tokens_per_s < r4090.decode_tokens_per_s);
  // Eager PyTorch at batch 1 is bound by the host (gpt-fast's 25.5 tok/s Llama-7B baseline on an A100).
  const TimeResult eager = estimate_time(decode(a100, 512, 128, 1, Runtime::pytorch));
  REQUIRE(eager.decode_tokens_per_s < 0.5 * ra100.decode_tokens_per_s);
  REQUIRE(eager.decode_tokens_per_s > 15);
}

TEST_CASE("prefill: compute-bound, 31.8 TFLOP for 2048 tokens", "[time]") {
  // At the peak (η = 1) the 2048-token prompt takes ≥ 31.8e12 / 165.2e12 = 193 ms on a 4090 and 102 ms on an
  // A100 (docs/reference/formulas.md §6.4); the model computes logits for the last position only, 2.15 TFLOP fewer.
  const TimeEstimate p4090 = estimate_time_on(PeakGpu{&rtx4090}, decode(rtx4090, 2048, 0), ideal);
  REQUIRE(p4090.result.bound == Bound::compute);
  REQUIRE(p4090.result.ttft_s == Approx((31.84e12 - 2 * 4096.0 * 128256 * 2047) / 165.2e12).epsilon(0.01));
  REQUIRE(p4090.result.prefill_tokens_per_s == Approx(2048 / p4090.result.ttft_s));
  const TimeEstimate pa100 = estimate_time_on(PeakGpu{&a100}, decode(a100, 2048, 0), ideal);
  REQUIRE(pa100.result.ttft_s == Approx((31.84e12 - 2 * 4096.0 * 128256 * 2047) / 312e12).epsilon(0.01));
  // Calibrated: η_c ≈ 0.6-0.92 puts TTFT at 1.1-1.7x the bound (§6.4).
  const TimeResult r = estimate_time(decode(rtx4090, 2048, 0));
  REQUIRE(r.bound == Bound::compute);
  REQUIRE(r.ttft_s > 1.05 * p4090.result.ttft_s);
  REQUIRE(r.ttft_s < 1.8 * p4090.result.ttft_s);
  REQUIRE(r.decode_tokens_per_s == 0);
  REQUIRE(r.intensity > 164);  // beyond the ridge
}

TEST_CASE("decode throughput includes the prefill of the request", "[time]") {
  const TimeEstimate e = estimate_time_detailed(decode(rtx4090, 2048, 128), builtin_efficiency);
  const double expected = 128 / (e.prefill.time.value() + 127 * e.decode.time.value());
  REQUIRE(e.result.decode_tokens_per_s == Approx(expected));
  REQUIRE(e.mean_context == 2048 + 64);
  REQUIRE(e.result.ttft_s == Approx(e.prefill.time.value()));
}

TEST_CASE("training: step time, tokens/s and MFU", "[time][training]") {
  // MFU convention (case format v2): 6·N + causal attention 6·L·a·d·s
  //   = 6 · 7,504,658,432 + 6 · 32 · 4096 · 2048 = 45,027,950,592 + 1,610,612,736 = 46,638,563,328 FLOP per token.
  REQUIRE(model_flops_per_token(training(rtx4090)) == Approx(46'638'563'328.0));
  // LoRA r = 16 on all linears (41.94M adapters): 4·N + 6·N_lora + attention.
  Job lora = training(a100);
  lora.training.method = Method::lora;
  REQUIRE(model_flops_per_token(lora) ==
          Approx(4 * 7504658432.0 + 6 * 41.94e6 + 6.0 * 32 * 4096 * 2048).epsilon(1e-4));

  // At the peak with no overheads the micro-batch takes its executed FLOPs over the peak: 6·N per token plus
  // causal flash attention (forward 2·a·(d_qk + d_v)·s(s+1)/2 per layer, backward 2.5x).
  const TimeEstimate ideal_full = estimate_time_on(PeakGpu{&a100}, training(a100), ideal);
  const double executed = 2048 * 6 * 7504658432.0 + 3.5 * 32 * 2.0 * 32 * 256 * 2048.0 * 2049 / 2;
  REQUIRE(ideal_full.train.time.value() == Approx(executed / 312e12).epsilon(0.01));
  // The optimizer step reads and writes 30 B per parameter (mixed-precision AdamW) at the full bandwidth.
  REQUIRE(ideal_full.optimizer.time.value() == Approx(30 * 8030261248.0 / 2039e9).epsilon(0.01));
  REQUIRE(ideal_full.result.mfu <= 1.0);

  const TimeResult full = estimate_time(training(a100));
  REQUIRE(full.bound == Bound::compute);
  REQUIRE(full.step_time_s == Approx(2048 / full.train_tokens_per_s_per_gpu));
  // A100 bf16 LLM training lands around 40-65% MFU (TM101 "~120 TFLOP/s/A100" is 38%; good runs 50-60%).
  REQUIRE(full.mfu > 0.40);
  REQUIRE(full.mfu < 0.75);

  // Full recompute adds about one forward: +25-40% step time.
  Job ck = training(a100);
  ck.training.checkpointing = Checkpointing::full;
  const double slow = estimate_time(ck).step_time_s / full.step_time_s;
  REQUIRE(slow > 1.2);
  REQUIRE(slow < 1.45);

  // LoRA skips the weight gradients: faster than full (LoRA §4.2 reports ~25% higher throughput).
  const TimeResult lr = estimate_time(lora);
  REQUIRE(lr.train_tokens_per_s_per_gpu > 1.15 * full.train_tokens_per_s_per_gpu);
  // QLoRA adds the dequantization traffic: slower than LoRA, by less than a third.
  Job q = lora;
  q.training.method = Method::qlora;
  q.weights = WeightFormat::nf4_dq;
  const TimeResult qr = estimate_time(q);
  REQUIRE(qr.train_tokens_per_s_per_gpu < lr.train_tokens_per_s_per_gpu);
  REQUIRE(qr.train_tokens_per_s_per_gpu > 0.7 * lr.train_tokens_per_s_per_gpu);

  // Gradient accumulation repeats the micro-batch; the optimizer step is paid once.
  Job ga = training(a100);
  ga.training.grad_accum = 4;
  const TimeEstimate e1 = estimate_time_detailed(training(a100), builtin_efficiency);
  const TimeEstimate e4 = estimate_time_detailed(ga, builtin_efficiency);
  REQUIRE(e4.result.step_time_s == Approx(4 * e1.train.time.value() + e1.optimizer.time.value()).epsilon(1e-9));
}

TEST_CASE("an estimate at compile time", "[time]") {
  constexpr TimeResult r = estimate_time(decode(rtx4090, 512, 128));
  STATIC_REQUIRE(r.decode_tokens_per_s > 30);
  STATIC_REQUIRE(r.decode_tokens_per_s < 67.2);
  STATIC_REQUIRE(r.bound == Bound::memory);
  constexpr TimeResult t = estimate_time(training(a100));
  STATIC_REQUIRE(t.mfu > 0.3);
}

TEST_CASE("runtimes differ where their kernels do", "[time]") {
  Job w = decode(a100, 0, 1024);
  w.weights = WeightFormat::fp16;
  w.compute = Precision::fp16;
  w.runtime = Runtime::llama_cpp;
  const TimeEstimate cpp = estimate_time_detailed(w, builtin_efficiency);
  // llama.cpp's f16 GEMV is issue-bound on an A100: slower than the A100's bandwidth allows.
  REQUIRE(cpp.result.decode_tokens_per_s < 0.6 * 135.8);
  w.runtime = Runtime::tensorrt_llm;
  REQUIRE(estimate_time(w).decode_tokens_per_s > 1.5 * cpp.result.decode_tokens_per_s);
  // Eager PyTorch at batch 1 is host-bound: the host time exceeds the GPU time.
  w.runtime = Runtime::pytorch;
  const TimeEstimate eager = estimate_time_detailed(w, builtin_efficiency);
  REQUIRE(eager.decode.host > eager.decode.gpu);
  // Quantized bitsandbytes linears add host cost per call.
  w.weights = WeightFormat::nf4;
  REQUIRE(estimate_time(w).decode_tokens_per_s < eager.result.decode_tokens_per_s);
}

TEST_CASE("every built-in GPU and model gives a finite, positive estimate", "[time][catalog]") {
  for (const GpuSpec& g : builtin::gpus) {
    for (const ModelArch& m : builtin::models) {
      Job w;
      w.hardware.gpu = &g;
      w.model = &m;
      const TimeEstimate e = estimate_time_detailed(w, builtin_efficiency);
      INFO(std::string(g.id) << " " << std::string(m.id));
      if (g.peak.fp32.value() == 0 && g.peak.bf16.value() == 0) {
        // No published compute rate (apple-m3-ultra): no time answer rather than a memory-only one.
        REQUIRE(e.result.decode_tokens_per_s == 0);
        REQUIRE(e.result.bound == Bound::none);
        continue;
      }
      REQUIRE(!forward_operators(w, StepShape{}, false).overflowed());
      REQUIRE(e.result.decode_tokens_per_s > 0);
      REQUIRE(e.result.decode_tokens_per_s < 1e7);
      REQUIRE(e.result.prefill_tokens_per_s > 0);
      w.task = Task::training;
      Job q = w;
      q.training.method = Method::qlora;
      q.weights = WeightFormat::nf4_dq;
      q.training.checkpointing = Checkpointing::full;
      StepShape s;
      s.tokens = 2048;
      s.inference = false;
      s.logits_all = true;
      REQUIRE(!forward_operators(q, s, true).overflowed());  // the largest list: adapters, dequant, recompute
      const TimeResult t = estimate_time(w);
      REQUIRE(t.train_tokens_per_s_per_gpu > 0);
      REQUIRE(t.mfu > 0);
      REQUIRE(t.mfu < 1);
    }
  }
}

TEST_CASE("timing straight from the builder equals timing the stored list", "[time]") {
  Job w = training(a100);
  w.training.method = Method::qlora;
  w.weights = WeightFormat::nf4_dq;
  StepShape s;
  s.tokens = 2048;
  s.inference = false;
  s.logits_all = true;
  const RatedGpu dev{w.hardware.gpu, &builtin_efficiency.for_gpu(*w.hardware.gpu)};
  const RuntimeEfficiency& rt = builtin_efficiency.for_runtime(w.runtime);
  for (const Checkpointing c : {Checkpointing::none, Checkpointing::selective, Checkpointing::full}) {
    w.training.checkpointing = c;
    const PhaseTime direct = time_step(dev, w, s, true, rt);
    const PhaseTime listed = time_operators(dev, forward_operators(w, s, true), rt);
    REQUIRE(direct.time.value() == Approx(listed.time.value()).epsilon(1e-12));
    REQUIRE(direct.flops.value() == Approx(listed.flops.value()).epsilon(1e-12));
    REQUIRE(direct.bytes.value() == Approx(listed.bytes.value()).epsilon(1e-12));
  }
}

TEST_CASE("one operator timed on its own: the roofline of that operator", "[time][operator]") {
  const PeakGpu dev{&rtx4090};  // η = 1, no launch cost
  const RuntimeEfficiency rt{};  // no fusion, no host cost
  SECTION("a memory-bound elementwise op: bytes / BW") {
    Operator op;
    op.kind = OpKind::residual;
    op.count = 32;
    op.bytes = Bytes{1.008e9};  // 1 ms at 1008 GB/s
    const OperatorTime t = time_operator(dev, op, rt);
    REQUIRE(t.gpu.value() == Approx(32 * 1e-3));
    REQUIRE(t.memory.value() == Approx(32 * 1e-3));
    REQUIRE(t.compute.value() == 0);
    REQUIRE(t.bound() == Bound::memory);
    REQUIRE(t.intensity() == 0);
  }
  SECTION("a large GEMM: 2·M·N·K / bf16 peak, compute-bound") {
    Operator op;
    op.kind = OpKind::linear;
    op.m = 4096, op.n = 4096, op.k = 4096;
    op.flops = Flops{2.0 * 4096 * 4096 * 4096};         // 137.4 GFLOP
    op.bytes = Bytes{3.0 * 4096 * 4096 * 2};            // 100.7 MB
    const OperatorTime t = time_operator(dev, op, rt);  // 137.4e9 / 165.2e12 = 0.832 ms
    REQUIRE(t.gpu.value() == Approx(2.0 * 4096 * 4096 * 4096 / 165.2e12));
    REQUIRE(t.memory.value() == Approx(3.0 * 4096 * 4096 * 2 / 1008e9));
    REQUIRE(t.bound() == Bound::compute);
    REQUIRE(t.intensity() == Approx(4096.0 / 3));
    REQUIRE(t.flop_rate() == Approx(165.2e12));
  }
  SECTION("the per-operator GPU times add up to the phase's GPU time") {
    const Job w = decode(rtx4090, 512, 128);
    StepShape s;
    s.seqs = 1;
    s.tokens = 1;
    s.context = 576;
    const RatedGpu rated{w.hardware.gpu, &builtin_efficiency.for_gpu(*w.hardware.gpu)};
    const RuntimeEfficiency& run = builtin_efficiency.for_runtime(w.runtime);
    const OperatorList ops = forward_operators(w, s, false);
    double gpu = 0, host = 0;
    for (const Operator& op : ops) {
      const OperatorTime t = time_operator(rated, op, run);
      gpu += t.gpu.value();
      host += t.host.value();
    }
    const PhaseTime phase = time_operators(rated, ops, run);
    REQUIRE(gpu == Approx(phase.gpu.value()).epsilon(1e-12));
    REQUIRE(host == Approx(phase.host.value()).epsilon(1e-12));
  }
}

TEST_CASE("the estimate records the shapes it timed", "[time]") {
  const Job w = decode(rtx4090, 512, 128);
  const TimeEstimate e = estimate_time_detailed(w, builtin_efficiency);
  REQUIRE(e.decode_shape.tokens == 1);
  REQUIRE(e.decode_shape.context == Approx(576));
  REQUIRE(e.prefill_shape.tokens == 512);
  const PhaseTime again = time_step(rated_gpu(w, builtin_efficiency), w, e.decode_shape, false,
                                    rated_runtime(w, builtin_efficiency), e.timing);
  REQUIRE(again.time.value() == Approx(e.decode.time.value()).epsilon(1e-12));
}

TEST_CASE("MFU divides by the dense BF16 peak whatever compute is; HFU counts the recompute", "[time][training]") {
  // An fp8 run on the RTX 4090 record (dense fp8 330.3 = 2 x bf16 165.2 TFLOP/s): MFU is
  // tokens/s x 46,638,563,328 / 165.2e12, twice what the old FP8-peak convention (/ 330.3e12) gave.
  Job fp8 = training(rtx4090);
  fp8.compute = Precision::fp8;
  const TimeResult r = estimate_time(fp8);
  REQUIRE(r.train_tokens_per_s_per_gpu > 0);
  const double bf16_convention = r.train_tokens_per_s_per_gpu * 46'638'563'328.0 / 165.2e12;
  const double fp8_convention = r.train_tokens_per_s_per_gpu * 46'638'563'328.0 / 330.3e12;
  CHECK(r.mfu == Approx(bf16_convention));
  CHECK(r.mfu == Approx(2 * fp8_convention).epsilon(1e-3));
  CHECK(r.hfu == Approx(r.mfu));  // no checkpointing: nothing recomputed

  // Full checkpointing recomputes one forward of the blocks: 2 x block matmul weights
  // (7,504,658,432 - the head 128,256 x 4096 = 6,979,321,856) + the forward third of the attention
  // term (1,610,612,736 / 3 = 536,870,912): 46,638,563,328 + 13,958,643,712 + 536,870,912
  // = 61,134,077,952 FLOP per token.
  Job ck = training(a100);
  ck.training.checkpointing = Checkpointing::full;
  REQUIRE(hardware_flops_per_token(ck) == Approx(61'134'077'952.0));
  const TimeResult c = estimate_time(ck);
  CHECK(c.hfu == Approx(c.train_tokens_per_s_per_gpu * 61'134'077'952.0 / 312e12));
  CHECK(c.mfu == Approx(c.train_tokens_per_s_per_gpu * 46'638'563'328.0 / 312e12));
  // Selective recompute redoes the attention core only: + 536,870,912.
  ck.training.checkpointing = Checkpointing::selective;
  REQUIRE(hardware_flops_per_token(ck) == Approx(46'638'563'328.0 + 536'870'912.0));
}

TEST_CASE("a quantized-linear call that synchronizes: the host also waits for the call's GPU time", "[time]") {
  // PeakGpu: no launch cost, copies at the full 1008 GB/s. Host: 25 us per kernel, 86 us per fp8 call.
  const PeakGpu dev{&rtx4090};
  RuntimeEfficiency rt{};
  rt.host_per_kernel = Seconds{25e-6};
  rt.quant_call_s[static_cast<std::size_t>(WeightKernel::fp8)] = 86e-6;
  TimingOptions opt;
  opt.stored = WeightKernel::fp8;
  Operator op;  // a 1024 x 1024 fp8 projection at M = 1, three of them
  op.kind = OpKind::linear;
  op.weights = WeightKernel::fp8;
  op.quant_call = true;
  op.count = 3;
  op.m = 1, op.n = 1024, op.k = 1024;
  op.flops = Flops{2.0 * 1024 * 1024};
  op.bytes = Bytes{1024.0 * 1024 + 2.0 * 2048};  // 1 B per weight + bf16 input and output: 1,052,672 B
  const double gpu = 1'052'672 / 1008e9;           // 1.0443 us, memory-bound
  // No sync: the host pays its launch and the wrapper, the GPU runs beside it.
  OperatorTime t = time_operator(dev, op, rt, opt);
  CHECK(t.gpu.value() == Approx(3 * gpu));
  CHECK(t.host.value() == Approx(3 * (25e-6 + 86e-6)));
  // With the sync the host waits for each call's kernels: 3 x (25 + 86 + 1.0443) = 336.13 us.
  rt.quant_call_sync[static_cast<std::size_t>(WeightKernel::fp8)] = 1;
  t = time_operator(dev, op, rt, opt);
  CHECK(t.host.value() == Approx(336.13e-6).epsilon(1e-4));
  CHECK(t.gpu.value() == Approx(3 * gpu));
  // A 16-bit linear of the same job is no wrapper call: 25 us of host, no wait.
  Operator plain = op;
  plain.quant_call = false;
  CHECK(time_operator(dev, plain, rt, opt).host.value() == Approx(3 * 25e-6));
  // The sync table of another storage kind does not apply.
  opt.stored = WeightKernel::dense;
  CHECK(time_operator(dev, op, rt, opt).host.value() == Approx(3 * 25e-6));
}

TEST_CASE("hf fine-grained FP8 decode: a tiny model's host time per step, by hand", "[time]") {
  // test_records::tiny (h 1024, 8 layers, I 4096, 8 heads of 128): decode at batch 1 in the hf runtime with
  // the built-in profile's hf terms: fp8 weights call Transformers' FP8Linear, 86 us each plus a device sync.
  const RuntimeEfficiency& hf = builtin_efficiency.for_runtime(Runtime::hf);
  REQUIRE(hf.quant_call_s[static_cast<std::size_t>(WeightKernel::fp8)] == 86e-6);
  REQUIRE(hf.quant_call_sync[static_cast<std::size_t>(WeightKernel::fp8)] == 1);
  Job w;
  w.runtime = Runtime::hf;
  w.hardware.gpu = &rtx4090;
  w.model = &tiny;
  w.inference.prompt = 0;
  w.inference.generate = 1;
  w.batch = 1;
  StepShape step;  // one token of one sequence
  const PeakGpu dev{&rtx4090};
  Job f = w;
  f.weights = WeightFormat::fp8;
  TimingOptions o16, o8;
  o8.stored = WeightKernel::fp8;
  const PhaseTime t16 = time_operators(dev, forward_operators(w, step), hf, o16);
  const PhaseTime t8 = time_operators(dev, forward_operators(f, step), hf, o8);
  // Each layer's 7 linears (q, k, v, o: 1024 x 1024; gate, up: 4096 x 1024; down: 1024 x 4096) become fp8
  // calls: 86 us each plus their GPU time, which the sync adds to the host. The fp8 GPU time of a layer's
  // linears at 1008 GB/s: 4 x (1,048,576 + 4,096) + 3 x (4,194,304 + 10,240) = 16,824,320 B -> 16.691 us.
  // The kernels issued stay the same (the wrapper's own launches are in the 86 us), and lm_head stays bf16.
  const double layer_gpu = 16'824'320 / 1008e9;
  CHECK((t8.host - t16.host).value() == Approx(8 * (7 * 86e-6 + layer_gpu)).epsilon(1e-6));  // 4.9495 ms
  CHECK((t8.host - t16.host).value() == Approx(4.9495e-3).epsilon(1e-4));
}
