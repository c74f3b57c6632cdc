// Mixture of experts on one and several GPUs: expected distinct experts, the dispatch/combine volume,
// grouped-GEMM rows, the expert layout of a job, MLA decode in latent form and attention-DP memory.
// Every expected value is hand arithmetic written next to it.

#include <catch2/catch.hpp>

#include "hand_records.hpp"
#include "headroom/catalog.hpp"
#include "headroom/expert_parallel.hpp"
#include "headroom/memory.hpp"
#include "headroom/operators.hpp"
#include "headroom/scaling.hpp"
#include "headroom/time_model.hpp"

using namespace headroom;

namespace {

/// A small MoE written by hand: 2 layers, both MoE, 8 experts of width 32, top-2, no shared expert.
constexpr ModelArch tiny_moe = [] {
  ModelArch m;
  m.id = "tiny-moe";
  m.hidden = 64;
  m.layers = 2;
  m.heads = 4;
  m.kv_heads = 4;
  m.head_dim = 16;
  m.intermediate = 128;
  m.vocab = 100;
  m.experts = 8;
  m.experts_per_token = 2;
  m.expert_intermediate = 32;
  return m;
}();

/// A small MLA model: 2 heads, kv_lora_rank 16, rope 4, nope 8, v 8, no q compression.
constexpr ModelArch tiny_mla = [] {
  ModelArch m;
  m.id = "tiny-mla";
  m.hidden = 64;
  m.layers = 3;
  m.heads = 2;
  m.kv_heads = 2;
  m.intermediate = 128;
  m.vocab = 100;
  m.attention = AttentionKind::mla;
  m.kv_lora_rank = 16;
  m.qk_rope_head_dim = 4;
  m.qk_nope_head_dim = 8;
  m.v_head_dim = 8;
  return m;
}();

Job job_of(const ModelArch& m, Task task = Task::inference) {
  Job w;
  w.hardware.gpu = &test_records::a100;
  w.model = &m;
  w.task = task;
  return w;
}

}  // namespace

TEST_CASE("expected distinct experts of uniform top-k routing", "[moe]") {
  // The share of E experts touched, times E: the expected number of distinct experts.
  const auto touched = [](double e, double k, double t) { return e * detail::touched_expert_share(e, k, t); };
  // One token touches exactly its k experts.
  CHECK(touched(256, 8, 1) == Approx(8));
  // Two tokens: 256 * (1 - (31/32)^2) = 256 * 63/1024 = 15.75 (the second token repeats 1/4 of an expert).
  CHECK(touched(256, 8, 2) == Approx(15.75));
  // Mixtral 8 experts, top-2, 4 tokens: 8 * (1 - (3/4)^4) = 8 * 175/256 = 5.46875.
  CHECK(touched(8, 2, 4) == Approx(5.46875));
  CHECK(touched(8, 2, 0) == 0);
  CHECK(touched(8, 8, 3) == 8);  // every expert chosen by every token
  // DeepSeek-V3 decode, 64 tokens: 256 * (1 - (31/32)^64) = 256 * (1 - 0.1310) = 222.46.
  CHECK(touched(256, 8, 64) == Approx(222.46).epsilon(1e-4));
  // x^n by squaring against the closed form: (31/32)^64 = exp(64 ln 0.96875) = 0.131084.
  CHECK(detail::ipow(31.0 / 32.0, 64) == Approx(0.131084).epsilon(1e-5));
}

TEST_CASE("dispatch/combine all-to-all bytes and node deduplication", "[moe]") {
  // 64 tokens x top-8 x hidden 7168 x 1 byte (FP8 dispatch) = 3,670,016 bytes per GPU per direction.
  CHECK(all_to_all_bytes(64, 8, 7168, 1) == Approx(3670016));
  // Combine in bf16: twice that.
  CHECK(all_to_all_bytes(64, 8, 7168, 2) == Approx(7340032));
  // Within one node nothing is deduplicated: k rows per token.
  CHECK(network_rows_per_token(8, 8, 8, true) == 8);
  CHECK(network_rows_per_token(8, 32, 8, false) == 8);
  // 32 GPUs in 4 nodes, top-8: remote nodes touched = 3 * (1 - (3/4)^8) = 3 * 58975/65536 = 2.699661;
  // as rows of the whole group (collectives.hpp sends 24/32 of them off the node): 2.699661 * 32/24 = 3.599548.
  CHECK(network_rows_per_token(8, 32, 8, true) == Approx(3.599548).epsilon(1e-6));
}

TEST_CASE("routed experts are one grouped GEMM per projection, rows = group tokens x k / E", "[moe][operators]") {
  const Job w = job_of(tiny_moe);
  StepShape s;
  s.seqs = 4;
  s.tokens = 16;  // 64 tokens
  s.inference = true;
  const OperatorList ops = forward_operators(w, s);
  const Operator* up = ops.find("expert_up");
  REQUIRE(up != nullptr);
  CHECK(up->count == 2);  // one kernel per MoE layer, not layers x experts
  CHECK(up->kernels == 1);
  CHECK(up->m == Approx(16));  // 64 tokens x 2 / 8 experts
  CHECK(up->n == 32);
  CHECK(up->k == 64);
  // FLOPs: 2 x (16 rows x 8 experts) x 32 x 64 = 524,288 per layer.
  CHECK(up->flops.value() == Approx(524288));
  // All 8 experts are read: 1 - (3/4)^64 of them, 8 x 32 x 64 = 16,384 weights (to 1e-7).
  CHECK(up->weight_elements == Approx(16384).epsilon(1e-7));

  SECTION("expert parallel over 4 GPUs: 2 local experts, the tokens of 4 ranks") {
    StepShape e = s;
    e.moe.expert_share = 0.25;
    e.moe.token_group = 4;
    const OperatorList ops_g = forward_operators(w, e);  // kept alive: find() points into it
    const Operator* g = ops_g.find("expert_up");
    REQUIRE(g != nullptr);
    CHECK(g->m == Approx(64));  // 4 x 64 tokens x 2 / 8
    // 2 local experts x 64 rows: the same 2 x 128 x 32 x 64 = 524,288 FLOPs as this GPU's own 64 tokens x k.
    CHECK(g->flops.value() == Approx(524288));
    CHECK(g->weight_elements == Approx(2 * 32 * 64).epsilon(1e-7));
  }
  SECTION("transformers' eager MoE block loops over the experts: a kernel set per expert") {
    Job hf = w;
    hf.runtime = Runtime::hf;
    const OperatorList ops_g = forward_operators(hf, s);  // kept alive: find() points into it
    const Operator* g = ops_g.find("expert_up");
    REQUIRE(g != nullptr);
    CHECK(g->count == 2 * 8);  // 2 MoE layers x 8 experts
    CHECK(g->m == Approx(16));
    CHECK(g->flops.value() * g->count == Approx(2 * 524288));  // the same work in 16 kernels
  }
  SECTION("SGLang's GPTQ Marlin MoE launches per expert: 2 x E_local x ceil(rows / 256) per layer") {
    // vLLM marlin_mm_moe loops over every expert on the host, one launch per 256 rows, for w13 and w2.
    const auto launches_of = [](const OperatorList& l) {
      double k = 0;
      for (const char* n : {"expert_gate", "expert_up", "expert_down"}) {
        const Operator* op = l.find(n);
        REQUIRE(op != nullptr);
        k += op->kernels;
      }
      return k;
    };
    Job sg = w;
    sg.runtime = Runtime::sglang;
    sg.weights = WeightFormat::gptq_4bit;
    const OperatorList ops_g = forward_operators(sg, s);  // 64 tokens: one 256-row block
    CHECK(launches_of(ops_g) == Approx(2 * 8 * 1));  // 16 launches per MoE layer, not 3
    CHECK(ops_g.find("expert_up")->count == 2);      // still one op per MoE layer
    StepShape big = s;
    big.tokens = 75;  // 4 x 75 = 300 tokens: ceil(300 / 256) = 2 blocks per expert
    const OperatorList ops_b = forward_operators(sg, big);
    CHECK(launches_of(ops_b) == Approx(2 * 8 * 2));
    // The same weights in vLLM (one fused Marlin MoE launch), or SGLang with bf16 experts: 3 launches.
    Job vl = sg;
    vl.runtime = Runtime::vllm;
    CHECK(launches_of(forward_operators(vl, s)) == Approx(3));
    Job bf = sg;
    bf.weights = WeightFormat::bf16;
    CHECK(launches_of(forward_operators(bf, s)) == Approx(3));
    // Qwen3-30B-A3B decode, 128 experts, one token: 2 x 128 = 256 launches per layer; a 129,024-token
    // prefill call: ceil(129024 / 256) = 504 blocks, 2 x 128 x 504 = 129,024.
    CHECK(per_expert_launches(Runtime::sglang, WeightFormat::gptq_4bit, 128, 1) == Approx(256));
    CHECK(per_expert_launches(Runtime::sglang, WeightFormat::gptq_4bit, 128, 129024) == Approx(129024));
    CHECK(per_expert_launches(Runtime::sglang, WeightFormat::awq_4bit, 128, 1) == 0);
  }
  SECTION("decode of one token reads only its k experts") {
    StepShape d;
    d.seqs = 1;
    d.tokens = 1;
    d.context = 10;
    const OperatorList ops_g = forward_operators(w, d);  // kept alive: find() points into it
    const Operator* g = ops_g.find("expert_down");
    REQUIRE(g != nullptr);
    CHECK(g->m == Approx(0.25));  // 1 x 2 / 8 rows per expert
    CHECK(g->weight_elements == Approx(2 * 64 * 32));  // 2 of 8 experts x 64 x 32
    CHECK(g->flops.value() == Approx(2 * 2 * 64 * 32));  // one token through 2 experts
  }
}

TEST_CASE("MLA decode attends over the compressed KV in latent form", "[moe][mla]") {
  const Job w = job_of(tiny_mla);
  StepShape d;
  d.seqs = 1;
  d.tokens = 1;
  d.context = 1000;
  const OperatorList ops_att = forward_operators(w, d);  // kept alive: find() points into it
  const Operator* att = ops_att.find("attention");
  REQUIRE(att != nullptr);
  // Reads (1000 + 1) cached positions x (kv_lora 16 + rope 4) x 2 bytes = 40,040, plus q and o:
  // 2 heads x (12 + 8) x 2 bytes = 80.
  CHECK(att->bytes.value() == Approx(40040 + 80));
  // Absorbed scores and values over the latent: 2 heads x 2 x (2 x 16 + 4) x 1001 pairs = 144,144.
  CHECK(att->flops.value() == Approx(144144));
}

TEST_CASE("expert layout: inference spans dp*tp GPUs, training uses expert-TP = tp", "[moe]") {
  Job w = job_of(tiny_moe);
  w.parallel.tp = 8;
  w.parallel.ep = 8;
  ExpertLayout l = expert_layout(w);
  CHECK(l.etp == 1);
  CHECK(l.token_group == 1);
  CHECK_FALSE(l.all_to_all);
  CHECK(l.weight_share == Approx(1.0 / 8));
  w.parallel = Parallel{};
  w.parallel.dp = 8;
  w.parallel.ep = 8;
  l = expert_layout(w);
  CHECK(l.token_group == 8);
  CHECK(l.all_to_all);
  CHECK(l.weight_share == Approx(1.0 / 8));
  w.parallel = Parallel{};
  w.parallel.tp = 4;
  w.parallel.ep = 2;
  l = expert_layout(w);
  CHECK(l.etp == 2);  // 4 / 2
  CHECK(l.weight_share == Approx(1.0 / 4));
  Job t = job_of(tiny_moe, Task::training);
  t.parallel.dp = 8;
  t.parallel.tp = 2;
  t.parallel.ep = 4;
  l = expert_layout(t);
  CHECK(l.etp == 2);
  CHECK(l.token_group == 4);
  CHECK(l.weight_share == Approx(1.0 / 8));
  // Megatron-Core's default expert-TP = tp fits: ep·tp = 8 divides dp·tp = 16.
  CHECK(expert_tp(t) == 2);
  // dp 8, tp 2, ep 16: ep·tp = 32 GPUs per expert group but the stage has 16, so the layout can only
  // run with expert-TP 1 (whole experts, 1/16 of them); each rank brings its 1/tp sequence shard, so an
  // expert's rows are those of ep·1/tp = 8 micro-batches.
  t.parallel.ep = 16;
  CHECK(expert_tp(t) == 1);
  l = expert_layout(t);
  CHECK(l.etp == 1);
  CHECK(l.token_group == 8);
  CHECK(l.weight_share == Approx(1.0 / 16));
  // Expert data parallelism (ZeRO over the expert weights): tp·cp·dp / (ep·etp) = 2·8 / 16 = 1; with
  // etp 2 and ep 4 it is 2·8 / 8 = 2 (= dp·cp/ep).
  CHECK(detail::mem::expert_shard_group(t.parallel, 1) == 1);
  t.parallel.ep = 4;
  CHECK(detail::mem::expert_shard_group(t.parallel, 2) == 2);
  // tp 4, dp 4, ep 8: 8·4 does not divide 16, 8·2 does: expert-TP 2. Context parallelism counts in the
  // stage (Megatron folds it into expert data parallelism): cp 2 makes room for 8·4 = 32.
  t.parallel.tp = 4;
  t.parallel.dp = 4;
  t.parallel.ep = 8;
  CHECK(expert_tp(t) == 2);
  t.parallel.cp = 2;
  CHECK(expert_tp(t) == 4);
}

namespace {
/// A 4-layer MoE with a hidden size large enough that the all-to-all's bandwidth term dwarfs its latency.
constexpr ModelArch wide_moe = [] {
  ModelArch m = tiny_moe;
  m.id = "wide-moe";
  m.hidden = 4096;
  m.layers = 4;
  m.heads = 32;
  m.kv_heads = 32;
  m.head_dim = 128;
  m.intermediate = 8192;
  m.experts = 64;
  m.experts_per_token = 8;
  m.expert_intermediate = 1024;
  return m;
}();
}  // namespace

TEST_CASE("training all-to-all: each tp rank dispatches its sequence shard over an ep group etp ranks apart",
          "[moe][scaling]") {
  // H100 SXM, 8 per node on NVLink 4 (its inside-node share never dominates here), tp 2; micro-batch
  // 1 x 4096 tokens, bf16, one micro-batch, 400 Gb/s InfiniBand at 0.90 efficiency (45 GB/s per GPU).
  Job w = job_of(wide_moe, Task::training);
  w.hardware.gpu = &Catalog::builtin().gpu("h100-sxm5-80gb");
  w.hardware.network = Network::ib_400;
  w.parallel.tp = 2;
  w.batch = 1;
  w.training.seq = 4096;
  w.training.grad_accum = 1;
  // Per GPU and direction: 4096/2 tokens x k 8 rows x 4096 x 2 B x the 1.2 load imbalance
  // (links.json "scaling" moe_imbalance) = 161.06 MB; pytorch sends a row per expert (no node dedup);
  // 4 all-to-alls per layer, 4 layers.
  const double msg = 2048.0 * 8 * 4096 * 2 * 1.2;
  // 32 GPUs, dp 16, ep 16: expert-TP = tp = 2, the 16 ep ranks are 2 apart, 4 per node: 12 of 16
  // shares leave the node.
  w.hardware.count = 32;
  w.parallel.dp = 16;
  w.parallel.ep = 16;
  const ParallelEstimate a = estimate_parallel(w);
  CHECK(a.ep_s == Approx(16 * msg * 12.0 / 16 / 45e9).epsilon(0.02));
  // 16 GPUs, dp 8, ep 16: expert-TP 1 (ep·tp = 32 does not fit the 16 GPUs), the ep ranks are
  // neighbours, 8 per node: half the shares leave it.
  w.hardware.count = 16;
  w.parallel.dp = 8;
  const ParallelEstimate b = estimate_parallel(w);
  CHECK(b.ep_s == Approx(16 * msg * 8.0 / 16 / 45e9).epsilon(0.02));
}

TEST_CASE("inference memory: experts split over the dp*tp GPUs, KV of each dp rank's own requests", "[moe][memory]") {
  Job one = job_of(tiny_moe);
  one.inference.prompt = 100;
  one.inference.generate = 28;
  one.batch = 4;
  Job dp = one;
  dp.hardware.count = 2;
  dp.parallel.dp = 2;
  dp.parallel.ep = 2;
  const MemoryResult a = estimate_memory(one);
  const MemoryResult b = estimate_memory(dp);
  // Routed experts: 2 layers x 8 experts x 3 x 64 x 32 = 98,304 weights, bf16; half of them leave each GPU.
  CHECK((a.breakdown.weights - b.breakdown.weights).value() == Approx(98304.0 / 2 * 2));
  // Each dp rank keeps only its own 4 sequences: the same KV as one GPU with batch 4.
  CHECK(b.breakdown.kv_cache.value() == Approx(a.breakdown.kv_cache.value()));

  SECTION("MLA KV per token and layer is kv_lora_rank + rope, whatever tp") {
    Job m = job_of(tiny_mla);
    m.inference.prompt = 100;
    m.inference.generate = 28;
    m.batch = 2;
    // 3 layers x (16 + 4) x 2 bytes x 2 sequences x 128 tokens = 30,720 bytes.
    CHECK(estimate_memory(m).breakdown.kv_cache.value() == Approx(30720));
  }
}

TEST_CASE("Megatron-Core issues each local expert's calls after a host sync: calls per expert op", "[moe][operators]") {
  // tiny_moe: gated (3 expert ops per pass: gate, up, down), 8 experts; EP over 4 GPUs: 2 local experts.
  Job w = job_of(tiny_moe, Task::training);
  w.runtime = Runtime::megatron;
  w.training.method = Method::full;
  StepShape s;
  s.seqs = 1;
  s.tokens = 64;
  s.inference = false;
  s.moe.expert_share = 0.25;
  s.moe.token_group = 4;
  // Sum of sync_calls over the expert ops of each pass (forward, dX, dW); count = 2 MoE layers each.
  struct Calls {
    double fwd = 0, dx = 0, dw = 0;
  };
  const auto calls_of = [&](const Job& j) {
    Calls c;
    for (const Operator& op : forward_operators(j, s, true)) {
      if (op.name != "expert_gate" && op.name != "expert_up" && op.name != "expert_down") continue;
      CHECK(op.count == 2);
      if (op.grad == Grad::input) c.dx += op.sync_calls;
      else if (op.grad == Grad::weight) c.dw += op.sync_calls;
      else c.fwd += op.sync_calls;
    }
    return c;
  };
  SECTION("bf16: 2 forward GEMMs, 2 dgrad GEMMs, 2 x (wgrad GEMM + placeholder grad + DDP hook) per expert") {
    const Calls c = calls_of(w);
    CHECK(c.fwd == Approx(2 * 2));  // 2 local experts x (fc1 + fc2)
    CHECK(c.dx == Approx(2 * 2));
    CHECK(c.dw == Approx(2 * 6));
    // spread evenly over gate, up and down: 2 x 2 / 3 on each forward op
    for (const Operator& op : forward_operators(w, s, true))
      if (op.name == "expert_up" && op.grad == Grad::none) CHECK(op.sync_calls == Approx(4.0 / 3));
  }
  SECTION("FP8 (current scaling, MXFP8): one quantize per projection per expert in forward and in dgrad") {
    Job f = w;
    f.compute = Precision::fp8;
    const Calls c = calls_of(f);
    CHECK(c.fwd == Approx(2 * (2 + 2)));
    CHECK(c.dx == Approx(2 * (2 + 2)));
    CHECK(c.dw == Approx(2 * 6));  // 14 per expert in all
  }
  SECTION("biased experts (gpt-oss): fc2's bias added per expert split, bias gradients and hooks") {
    ModelArch biased = tiny_moe;
    biased.mlp_bias = true;
    Job b = w;
    b.model = &biased;
    const Calls c = calls_of(b);
    CHECK(c.fwd == Approx(2 * (2 + 2)));
    CHECK(c.dx == Approx(2 * 2));
    CHECK(c.dw == Approx(2 * (6 + 7)));  // 19 per expert in all
  }
  SECTION("no such calls: inference, another runtime") {
    Job p = w;
    p.runtime = Runtime::pytorch;
    const Calls c = calls_of(p);
    CHECK(c.fwd + c.dx + c.dw == 0);
    Job inf = job_of(tiny_moe);
    inf.runtime = Runtime::megatron;
    for (const Operator& op : forward_operators(inf, s)) CHECK(op.sync_calls == 0);
  }
}

TEST_CASE("calls after a host sync: the op takes the longer of its GPU time and the host's issue time", "[moe][time]") {
  const PeakGpu dev{&test_records::rtx4090};  // no launch cost: the GPU time is the roofline
  RuntimeEfficiency rt{};                      // no host cost per kernel, no step overhead
  rt.eager_call = Seconds{25e-6};
  Operator op;
  op.kind = OpKind::linear;
  op.grouped = true;
  op.count = 2;
  op.m = 1024, op.n = 1024, op.k = 1024;
  op.flops = Flops{40e-6 * 165.2e12};  // 40 us at the bf16 peak
  op.bytes = Bytes{1e6};               // ~1 us at 1008 GB/s: compute-bound
  op.sync_calls = 4;                   // 4 x 25 = 100 us of host issue per instance
  const OperatorTime t = time_operator(dev, op, rt);
  CHECK(t.gpu.value() == Approx(2 * 40e-6));
  CHECK(t.synced.value() == Approx(2 * (100e-6 - 40e-6)));
  // A longer GEMM hides the host: 200 us of GPU per instance, nothing waits.
  Operator big = op;
  big.flops = Flops{200e-6 * 165.2e12};
  CHECK(time_operator(dev, big, rt).synced.value() == 0);
  // The phase: GPU time plus what the GPU waited for (2 x 40 + 2 x 60 + 2 x 200 us).
  OperatorList ops;
  ops.push(op);
  ops.push(big);
  CHECK(time_operators(dev, ops, rt).time.value() == Approx(2 * 40e-6 + 2 * 60e-6 + 2 * 200e-6));
  // Without an eager host cost (a profile read from JSON, not rated) nothing is added.
  CHECK(time_operator(dev, op, RuntimeEfficiency{}).synced.value() == 0);
}

TEST_CASE("the host time of a call after the sync is the eager PyTorch call's (25 us)", "[moe][time]") {
  // The built-in profile (data/efficiency), runtime pytorch: host_per_kernel 25 us (tuned on the LITGPT rows).
  Job w = job_of(tiny_moe, Task::training);
  w.runtime = Runtime::megatron;
  CHECK(rated_runtime(w, builtin_efficiency).eager_call.value() == Approx(25e-6));
  CHECK(builtin_efficiency.for_runtime(Runtime::megatron).eager_call.value() == 0);  // not a profile value
}
