// Framework-aware training memory (headroom/memory.hpp with headroom/framework.hpp): sequence
// parallelism, the dp*cp shard group, FSDP mixed-precision weights and gathers, in-flight
// micro-batches per pipeline schedule, PP x full shard, frozen-base gradients per framework,
// expert-data-parallel sharding, the loss path and `selective` per framework. Every expected value
// is worked out by hand in the comments (docs/memory.md), never taken from this code's output.

#include <catch2/catch.hpp>

#include "hand_records.hpp"
#include "headroom/memory.hpp"
#include "headroom/names.hpp"

using namespace headroom;
namespace mem = headroom::detail::mem;

namespace {

// test_records::tiny (hand_records.hpp): block 16,779,264; total P = 151,012,352.
using test_records::tiny;
constexpr double P = 151012352.0;
constexpr double block = 16779264.0;

// Full fine-tuning, batch 4 x 2048 = 8192 tokens, bf16, no checkpointing.
Job training(Runtime r) {
  Job w;
  w.hardware.gpu = &test_records::a100;
  w.model = &tiny;
  w.task = Task::training;
  w.runtime = r;
  w.batch = 4;
  w.training.seq = 2048;
  return normalize(w);
}

void set_parallel(Job& w, int dp, int tp, int pp, int cp, int zero) {
  w.parallel.dp = dp;
  w.parallel.tp = tp;
  w.parallel.pp = pp;
  w.parallel.cp = cp;
  w.parallel.zero = zero;
  w.hardware.count = dp * tp * pp * cp;
}

struct Stage {
  Job w;
  mem::Shape s;
  mem::StagePlace p;
  const RuntimeProfile& rt;
  const FrameworkProfile& fw;
  explicit Stage(const Job& j, int stage = 0)
      : w(j), s(mem::shape_of(*j.model)), p(mem::place_of(w, s, stage)), rt(runtime_profile(j.runtime)),
        fw(framework_profile(j.runtime)) {}
  [[nodiscard]] mem::TrainableState state() const { return mem::trainable_state(w, s, p, rt, fw); }
  [[nodiscard]] mem::TrainingActivations acts() const { return mem::training_activations(w, s, p, rt, fw, state()); }
  [[nodiscard]] WeightBytes weights() const { return mem::stage_weights(w, s, p, fw); }
};

}  // namespace

TEST_CASE("TP with and without sequence parallelism (Korthikanti 2022 Table 2)", "[framework][memory]") {
  // Per token and layer (bf16): norm inputs+outputs 2 x 4 x 1024 = 8192 B (replicated without SP);
  // Q,K,V,O 2(1024) + 4(1024) + 2(1024) = 8192 B and MLP 2 x 4 x 4096 = 32768 B (split by tp);
  // FlashAttention lse 4 x 8 = 32 B (split by tp). tp = 2, activation_factor 1.15 (copied rows):
  //   hf (no SP):         40960/2 + 8192   + 32/2 = 28688 B
  //   torchtitan (SP):    40960/2 + 8192/2 + 32/2 = 24592 B
  // x 8192 tokens x 8 layers x 1.15.
  Job hf = training(Runtime::hf);
  Job titan = training(Runtime::torchtitan);
  set_parallel(hf, 1, 2, 1, 1, 0);
  set_parallel(titan, 1, 2, 1, 1, 0);
  CHECK(Stage(hf).acts().saved == Approx(28688.0 * 8192 * 8 * 1.15));
  CHECK(Stage(titan).acts().saved == Approx(24592.0 * 8192 * 8 * 1.15));
}

TEST_CASE("ZeRO/FSDP shard over dp*cp; experts over dp*cp/ep", "[framework][memory]") {
  Parallel par;
  par.dp = 2;
  par.cp = 4;
  CHECK(mem::shard_group(par) == 8);
  par.ep = 2;
  CHECK(mem::expert_shard_group(par, 1) == 4);  // 2 x 4 / 2
  par.dp = 8;
  par.cp = 1;
  par.ep = 8;
  CHECK(mem::expert_shard_group(par, 1) == 1);  // Mixtral EP 8 on 8 GPUs: expert state unsharded
  // 1000 bytes of state, half of them experts, shard 8, expert shard 1: 500/8 + 500/1 = 562.5.
  mem::StagePlace p;
  p.shard = 8;
  p.expert_shard = 1;
  CHECK(mem::shard_state(1000, 0.5, p) == Approx(562.5));

  // ZeRO-3 with dp = 1, cp = 2 still shards (DeepSpeed, mixed AdamW: fp32 master 4 + m,v 8 = 12 B):
  // optimizer = P x 12 / 2 = 906,074,112 B.
  Job ds = training(Runtime::deepspeed);
  set_parallel(ds, 1, 1, 1, 2, 3);
  const Stage st(ds);
  CHECK(st.p.zero3);
  CHECK(st.state().optimizer == Approx(P * 12 / 2));
}

TEST_CASE("FSDP mixed precision: no persistent 16-bit copy, gathers in bf16", "[framework][memory]") {
  // torchtitan, mixed, bf16 weights, dp 8, zero 3: the sharded fp32 parameter is the master
  // (optimizer P x 12 / 8 = 226,518,528 B); weights = 2 gathered blocks x 2 B = 67,117,056 plus the
  // root (embedding 8,388,608 + head and norm 8,389,632) x 2 B kept gathered = 33,556,480.
  Job titan = training(Runtime::torchtitan);
  set_parallel(titan, 8, 1, 1, 1, 3);
  CHECK(Stage(titan).weights().codes == Approx(2 * block * 2 + 16778240.0 * 2));
  CHECK(Stage(titan).state().optimizer == Approx(P * 12 / 8));
  // fp32 storage (torchtitan's default training dtype): shard 4 x P / 8 = 75,506,176, gathered
  // blocks still in bf16 (67,117,056), root gathered in bf16 less its own shard share
  // 33,556,480 x 7/8 = 29,361,920; no autocast copy of all weights. Total 171,985,152.
  titan.weights = WeightFormat::fp32;
  CHECK(Stage(titan).weights().codes == Approx(P * 4 / 8 + 2 * block * 2 + 16778240.0 * 2 * 7 / 8));
  // DeepSpeed ZeRO-3 keeps its bf16 partition: P x 2 / 8 = 37,753,088 + 2 blocks 67,117,056, no root.
  Job ds = training(Runtime::deepspeed);
  set_parallel(ds, 8, 1, 1, 1, 3);
  CHECK(Stage(ds).weights().codes == Approx(P * 2 / 8 + 2 * block * 2));
}

TEST_CASE("in-flight micro-batches per pipeline schedule", "[framework][memory]") {
  Parallel par;
  par.pp = 4;
  CHECK(mem::in_flight_microbatches(par, 0, 8) == 4);  // 1F1B: p - r
  CHECK(mem::in_flight_microbatches(par, 3, 8) == 1);
  CHECK(mem::in_flight_microbatches(par, 0, 2) == 2);  // at most m
  par.vpp = 2;
  // Interleaved, stage 0: 2(4-1) + (2-1)4 + 1 = 11 chunks of L/8 layers = 5.5 stage-loads
  // = p (1 + (p-1)/(p v)) = 4 x 1.375 (Korthikanti sec. 4.2.3). Last stage: 0 + 4 + 1 = 5 -> 2.5.
  CHECK(mem::in_flight_microbatches(par, 0, 8) == Approx(5.5));
  CHECK(mem::in_flight_microbatches(par, 3, 8) == Approx(2.5));
  CHECK(mem::in_flight_microbatches(par, 0, 1) == Approx(1.0));  // m v = 2 chunks
}

TEST_CASE("PP x full shard keeps the stage gathered and its gradients unsharded", "[framework][memory]") {
  // pytorch (torch pipelining + FSDP2), pure bf16, pp 2, dp 4, zero 3, stage 0:
  // params here = 4 blocks 67,117,056 + embedding 8,388,608 = 75,505,664.
  // weights = shard 75,505,664 x 2 / 4 + gathered 75,505,664 x 2 = 37,752,832 + 151,011,328;
  // gradients unsharded = 75,505,664 x 2 = 151,011,328.
  Job w = training(Runtime::pytorch);
  w.training.precision = PrecisionPolicy::pure;
  w.training.grad_accum = 4;
  set_parallel(w, 4, 1, 2, 1, 3);
  const Stage st(w, 0);
  CHECK(st.weights().codes == Approx(37752832.0 + 151011328.0));
  CHECK(st.state().gradients == Approx(151011328.0));
  // Megatron's distributed optimizer does not do this: its gradients stay as they are (zero 3 taken
  // as ZeRO-3 sharding of gradients: 75,505,664 x 4 B fp32 main grads / 4).
  Job m = w;
  m.runtime = Runtime::megatron;
  m.training.precision = PrecisionPolicy::mixed;
  CHECK(Stage(m, 0).state().gradients == Approx(75505664.0 * 4 / 4));
}

TEST_CASE("LoRA under a full shard: frozen-base gradients only where the framework allocates them", "[framework][memory]") {
  // LoRA, pure bf16, dp 2, zero 3. litgpt (FSDP1, use_orig_params=True, Block units): a sharded
  // gradient for the whole model, P x 2 / 2 = 151,012,352 B; accumulating (no_sync): P x 2.
  // torchtune (FSDP2) and DeepSpeed ZeRO-3: none for the base (adapter gradients sit in `lora`).
  Job lit = training(Runtime::litgpt);
  lit.training.method = Method::lora;
  lit.training.precision = PrecisionPolicy::pure;
  set_parallel(lit, 2, 1, 1, 1, 3);
  CHECK(Stage(lit).state().gradients == Approx(P * 2 / 2));
  lit.training.grad_accum = 2;
  CHECK(Stage(lit).state().gradients == Approx(P * 2));
  for (Runtime r : {Runtime::torchtune, Runtime::deepspeed, Runtime::hf}) {
    Job j = lit;
    j.runtime = r;
    INFO(to_string(r));
    CHECK(Stage(j).state().gradients == 0);
  }
}

TEST_CASE("loss path per framework", "[framework][memory]") {
  // 8192 tokens x V 8192 = 67,108,864 token x vocab entries.
  Job hf = training(Runtime::hf);  // 14 B (transformers >= 4.46 upcast path)
  CHECK(Stage(hf).acts().logits == Approx(67108864.0 * 14));
  Job tt = training(Runtime::torchtune);  // chunked + compiled 2.75 B
  tt.training.loss = LossKind::chunked;
  tt.compile = true;
  CHECK(Stage(tt).acts().logits == Approx(67108864.0 * 2.75));
  Job titan = training(Runtime::torchtitan);  // compiled loss 3 B, loss parallel over tp 2
  titan.compile = true;
  set_parallel(titan, 1, 2, 1, 1, 0);
  CHECK(Stage(titan).acts().logits == Approx(67108864.0 * 3 / 2));
  Job lit = training(Runtime::litgpt);  // bf16 chunked CE, no upcast: 4 B
  CHECK(Stage(lit).acts().logits == Approx(67108864.0 * 4));
  Job meg = training(Runtime::megatron);  // vocab-parallel CE: 6 B / tp
  set_parallel(meg, 1, 4, 1, 1, 0);
  CHECK(Stage(meg).acts().logits == Approx(67108864.0 * 6 / 4));
  Job un = training(Runtime::unsloth);  // fused linear + CE: 1 B
  un.training.loss = LossKind::chunked;
  CHECK(Stage(un).acts().logits == Approx(67108864.0 * 1));
}

TEST_CASE("selective recomputation per framework", "[framework][memory]") {
  // torchtitan op policy, per token and layer (bf16): residual 2 x 2 x 1024 = 4096 B; wq, wv, SDPA
  // out, w1: 2 x (1024 + 1024 + 1024 + 4096) = 14336 B; lse 32 B. 8192 tokens x 8 layers x 1.15.
  const mem::LayerActivation op = mem::op_policy_activation(mem::shape_of(tiny), 2.0);
  CHECK(op.replicated == 4096);
  CHECK(op.sharded == 14336);
  Job titan = training(Runtime::torchtitan);
  titan.training.checkpointing = Checkpointing::selective;
  CHECK(Stage(titan).acts().saved == Approx((4096.0 + 14336 + 32) * 8192 * 8 * 1.15));
  // Megatron: the attention core only (with FlashAttention nothing of it is stored), tp 1:
  // 8192 + 40960 + 32 = 49184 B per token and layer, activation_factor 1 (Megatron row).
  Job meg = training(Runtime::megatron);
  meg.training.checkpointing = Checkpointing::selective;
  CHECK(Stage(meg).acts().saved == Approx(49184.0 * 8192 * 8));
  // hf has no selective mode: it is full checkpointing, the block input 2 x 1024 B per token.
  Job hf = training(Runtime::hf);
  hf.training.checkpointing = Checkpointing::selective;
  CHECK(Stage(hf).acts().saved == Approx(2048.0 * 8192 * 8));
}
