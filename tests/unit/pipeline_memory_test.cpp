// Pipeline-parallel memory (headroom/memory.hpp): micro-batches in flight per stage, the tied
// embedding copy on the last stage, and the runtime's fixed reservations (CUDA context, NCCL
// buffers, a vLLM pool). Every expected value is worked out by hand in the comments from the
// formulas of docs/memory.md, on a small hand-written model, never taken from this code's output.

#include <catch2/catch.hpp>

#include "hand_records.hpp"
#include "headroom/memory.hpp"

using namespace headroom;

namespace {

constexpr double GiB = 1024.0 * 1024.0 * 1024.0;

// A small Llama-style model written out by hand: h = 1024, L = 8, a = a_kv = 8, d = 128,
// I = 4096 (gated MLP), RMSNorm, untied head, V = 8192.
//   per block: attention 4 x 1024 x 1024 = 4,194,304; MLP 3 x 1024 x 4096 = 12,582,912;
//              two norms 2 x 1024 = 2,048; block = 16,779,264
//   blocks    = 8 x 16,779,264 = 134,234,112
//   embedding = lm_head = 8192 x 1024 = 8,388,608; final norm 1,024
using test_records::tiny;  // hand_records.hpp

// The same block with a tied table of V = 32768 rows: embedding = 32768 x 1024 = 33,554,432,
// no separate lm_head.
constexpr ModelArch tiny_tied = [] {
  ModelArch m = tiny;
  m.id = "tiny-tied";
  m.vocab = 32768;
  m.tied_embeddings = true;
  return m;
}();

// Full fine-tuning, mixed-precision AdamW, pytorch runtime, batch 1 x 1024 tokens, bf16.
Job training(const ModelArch& m, int pp, std::int64_t grad_accum, Checkpointing gc) {
  Job w;
  w.hardware.gpu = &test_records::a100;
  w.model = &m;
  w.task = Task::training;
  w.batch = 1;
  w.training.seq = 1024;
  w.training.grad_accum = grad_accum;
  w.training.checkpointing = gc;
  w.hardware.count = pp;
  w.parallel.pp = pp;
  return w;
}

// Saved activations of one micro-batch in one layer without checkpointing (docs/memory.md,
// "activations"), at 16 bit with FlashAttention, for the tiny block:
//   4h x 2 norms = 8,192; Q 2(a d) = 2,048; K,V 4(a_kv d) = 4,096; attention output 2(a d) = 2,048;
//   gated MLP 2 x 4I = 32,768; fp32 log-sum-exp 4a = 32  ->  49,184 B per token
//   x 1024 tokens x activation_factor 1.15 (pytorch) = 57,919,078.4 B
constexpr double tiny_layer_activations = 49'184.0 * 1024 * 1.15;

// Runtime costs of the pytorch profile outside the allocator (docs/memory.md "Allocated, reserved,
// device"): CUDA context 0.30 GiB, plus NCCL buffers 0.25 GiB when the job spans more than one GPU;
// they are in device memory, not in per_gpu (allocated); workspaces and fragmentation are 0.
constexpr double pytorch_runtime_one_gpu = 0.30 * GiB;
constexpr double pytorch_runtime_multi_gpu = (0.30 + 0.25) * GiB;

}  // namespace

TEST_CASE("pipeline: the first stage holds pp micro-batches in flight under 1F1B", "[memory][pipeline]") {
  // pp = 4, grad_accum = 8: stage 0 holds min(pp - 0, grad_accum) = 4 micro-batches, the last
  // stage min(4 - 3, 8) = 1. Each stage has ceil(8/4) = 2 layers.
  //   first stage parameters: 134,234,112 / 4 + 8,388,608 (embedding)           = 41,947,136
  //   last stage parameters:  134,234,112 / 4 + 8,388,608 (lm_head) + 1,024     = 41,948,160
  //   weights 2 + gradients 2 + AdamW with fp32 master 12 = 16 B per parameter:
  //   first 671,154,176 B, last 671,170,560 B
  //   first activations: 2 layers x 57,919,078.4 x 4 in flight               = 463,352,627.2
  //   last: 2 x 57,919,078.4 x 1 = 115,838,156.8, logits 1024 x 8192 x 12 B   = 100,663,296
  //   first 1,134,506,803.2 > last 887,672,012.8: the first stage is reported.
  const MemoryResult r = estimate_memory(training(tiny, 4, 8, Checkpointing::none));
  CHECK(r.breakdown.activations.value() == Approx(2 * tiny_layer_activations * 4).epsilon(1e-12));
  CHECK(r.breakdown.activations.value() == Approx(463'352'627.2).epsilon(1e-12));
  CHECK(r.breakdown.weights.value() == Approx(2.0 * 41'947'136).epsilon(1e-12));
  CHECK(r.breakdown.gradients.value() == Approx(2.0 * 41'947'136).epsilon(1e-12));  // kept: grad_accum > 1
  CHECK(r.breakdown.optimizer.value() == Approx(12.0 * 41'947'136).epsilon(1e-12));
  CHECK(r.breakdown.logits.value() == 0.0);  // logits live on the last stage only
  CHECK(r.per_gpu.value() == Approx(1'134'506'803.2).epsilon(1e-12));
  CHECK(r.device.value() == Approx(1'134'506'803.2 + pytorch_runtime_multi_gpu).epsilon(1e-12));
}

TEST_CASE("pipeline: micro-batches in flight are capped by the micro-batches per step", "[memory][pipeline]") {
  // pp = 4, grad_accum = 2: stage 0 holds min(4, 2) = 2 micro-batches.
  //   first: 671,154,176 + 2 x 57,919,078.4 x 2 = 671,154,176 + 231,676,313.6 = 902,830,489.6
  //   last:  671,170,560 + 115,838,156.8 + 100,663,296                       = 887,672,012.8
  //   the first stage is still the larger one.
  const MemoryResult r = estimate_memory(training(tiny, 4, 2, Checkpointing::none));
  CHECK(r.breakdown.activations.value() == Approx(231'676'313.6).epsilon(1e-12));
  CHECK(r.per_gpu.value() == Approx(902'830'489.6).epsilon(1e-12));
  CHECK(r.device.value() == Approx(902'830'489.6 + pytorch_runtime_multi_gpu).epsilon(1e-12));
}

TEST_CASE("pipeline: a tied embedding has a second copy on the last stage", "[memory][pipeline]") {
  // Megatron-LM keeps a copy of a tied word-embedding table on the last stage for the output layer
  // and all-reduces its gradient with the first stage's (docs/memory.md, "weights"). pp = 2,
  // grad_accum = 4, full checkpointing; each stage has 4 layers: 134,234,112 / 2 = 67,117,056.
  //   first: 67,117,056 + 33,554,432 (table)                       = 100,671,488 parameters
  //   last:  67,117,056 + 1,024 (final norm) + 33,554,432 (copy)   = 100,672,512 parameters
  //   last stage, end of forward: one micro-batch in flight, saved block inputs
  //     4 layers x 1024 tokens x 1024 x 2 B = 8,388,608; logits 1024 x 32768 x 12 B = 402,653,184;
  //     this beats backward (8,388,608 + one recomputed block 57,919,078.4).
  //   last total: 16 x 100,672,512 + 8,388,608 + 402,653,184 = 2,021,801,984
  //   first total: 16 x 100,671,488 + 2 x 8,388,608 + 57,919,078.4 = 1,685,440,102.4
  //   so the last stage is reported. Without the copy it would hold 16 x 33,554,432 = 536,870,912 B
  //   less and the first stage would be reported instead.
  const MemoryResult r = estimate_memory(training(tiny_tied, 2, 4, Checkpointing::full));
  CHECK(r.breakdown.weights.value() == Approx(2.0 * 100'672'512).epsilon(1e-12));
  CHECK(r.breakdown.gradients.value() == Approx(2.0 * 100'672'512).epsilon(1e-12));
  CHECK(r.breakdown.optimizer.value() == Approx(12.0 * 100'672'512).epsilon(1e-12));
  CHECK(r.breakdown.activations.value() == Approx(8'388'608.0).epsilon(1e-12));
  CHECK(r.breakdown.logits.value() == Approx(402'653'184.0).epsilon(1e-12));
  CHECK(r.per_gpu.value() == Approx(2'021'801'984.0).epsilon(1e-12));
  // Full checkpointing fragments the allocator (docs/memory.md "Allocated, reserved, device"):
  // reserved = 2,021,801,984 / 0.85 = 2,378,590,569.4; device adds the context and NCCL.
  CHECK(r.reserved.value() == Approx(2'378'590'569.4).epsilon(1e-9));
  CHECK(r.device.value() == Approx(2'378'590'569.4 + pytorch_runtime_multi_gpu).epsilon(1e-9));
}

TEST_CASE("runtime: NCCL buffers are reserved only when the job spans several GPUs", "[memory][runtime]") {
  // Inference of the tiny model in bf16; device - reserved is the context and NCCL alone, and
  // reserved = allocated (fragmentation and workspaces are 0 in the pytorch profile).
  const auto outside = [](const MemoryResult& r) { return (r.device - r.reserved).value(); };
  Job w;
  w.hardware.gpu = &test_records::a100;
  w.model = &tiny;
  w.task = Task::inference;
  SECTION("one GPU: the CUDA context only, 0.30 GiB") {
    const MemoryResult r = estimate_memory(w);
    CHECK(outside(r) == Approx(pytorch_runtime_one_gpu).epsilon(1e-9));
    CHECK(r.breakdown.runtime.value() == 0.0);
    CHECK(r.reserved == r.per_gpu);
  }
  SECTION("two GPUs, tensor parallel: context + NCCL = 0.55 GiB") {
    w.hardware.count = 2;
    w.parallel.tp = 2;
    CHECK(outside(estimate_memory(w)) == Approx(pytorch_runtime_multi_gpu).epsilon(1e-9));
  }
  SECTION("two GPUs, pipeline parallel: context + NCCL = 0.55 GiB") {
    w.hardware.count = 2;
    w.parallel.pp = 2;
    CHECK(outside(estimate_memory(w)) == Approx(pytorch_runtime_multi_gpu).epsilon(1e-9));
  }
}

TEST_CASE("runtime: Megatron reserves a larger NCCL share", "[memory][runtime]") {
  // megatron profile (data/memory/runtimes.json): CUDA context 0.5 GiB + NCCL 0.5 GiB = 1.0 GiB on
  // a pipeline of two GPUs (no recompute, so no fragmentation: device - allocated is those two alone).
  Job w = training(tiny, 2, 4, Checkpointing::none);
  w.runtime = Runtime::megatron;
  const MemoryResult r = estimate_memory(w);
  CHECK((r.device - r.per_gpu).value() == Approx(1.0 * GiB).epsilon(1e-9));
}

TEST_CASE("runtime: vLLM reports its reservation of 0.9 x capacity", "[memory][runtime]") {
  // vLLM reserves gpu_memory_utilization 0.9 of the card (docs/memory.md, "KV pools"); the pool
  // fills what the model leaves, so the device peak is the reservation: 0.9 x 24 GiB = 21.6 GiB on
  // an RTX 4090, which is also what it may use. Its fixed costs outside the allocator on two GPUs:
  // CUDA context 0.5 + NCCL 0.25 = 0.75 GiB, so 21.6 - 0.75 = 20.85 GiB is allocated.
  Job w;
  w.hardware.gpu = &test_records::rtx4090;
  w.model = &tiny;
  w.task = Task::inference;
  w.runtime = Runtime::vllm;
  w.hardware.count = 2;
  w.parallel.tp = 2;
  const MemoryResult r = estimate_memory(w);
  CHECK(r.fits);
  CHECK(r.device.value() == Approx(0.9 * 24 * GiB).epsilon(1e-12));
  CHECK(r.usable.value() == Approx(0.9 * 24 * GiB).epsilon(1e-12));
  CHECK(r.headroom().value() == 0.0);  // the pool ends exactly at the budget
  CHECK(r.per_gpu.value() == Approx(20.85 * GiB).epsilon(1e-9));
}
