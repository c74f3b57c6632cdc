// The parallel time model: the formulas of docs/reference/formulas.md §4 checked by their limits and ratios, not by
// values copied from the model.
#include <catch2/catch.hpp>

#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/catalog/builtin_models.hpp"
#include "headroom/scaling.hpp"

using namespace headroom;

namespace {
const GpuSpec& find_gpu(std::string_view id) {
  for (const auto& g : builtin::gpus)
    if (g.id == id) return g;
  FAIL("no gpu " << id);
  return builtin::gpus[0];
}
const ModelArch& find_model(std::string_view id) {
  for (const auto& m : builtin::models)
    if (m.id == id) return m;
  FAIL("no model " << id);
  return builtin::models[0];
}
Job training(std::string_view gpu, std::string_view model, int dp, int zero) {
  Job w;
  w.hardware.gpu = &find_gpu(gpu);
  w.model = &find_model(model);
  w.task = Task::training;
  w.training.seq = 1024;
  w.batch = 8;
  w.training.checkpointing = Checkpointing::full;
  w.hardware.count = dp;
  w.parallel.dp = dp;
  w.parallel.zero = zero;
  return w;
}
}  // namespace

TEST_CASE("a tensor-parallel shard holds 1/tp of the heads, FFN and vocabulary; pp 1/pp of the layers",
          "[scaling]") {
  const ModelArch& m = find_model("llama-2-7b");  // 32 heads, 11008 FFN, 32000 vocab, 32 layers
  const ModelArch s = shard_model(m, 4, 2);
  CHECK(s.heads == 8);
  CHECK(s.intermediate == 2752);
  CHECK(s.vocab == 8000);
  CHECK(s.layers == 16);
  CHECK(s.hidden == m.hidden);
  CHECK(s.head_dim == 128);
}

TEST_CASE("a pipeline stage holds its share of every layer kind", "[scaling]") {
  // gpt-oss-120b: 36 layers, every other one over a 128-token window (18), 8 KV heads of 64.
  const ModelArch& m = find_model("gpt-oss-120b");
  REQUIRE(m.layers == 36);
  REQUIRE(m.window_layers == 18);
  const ModelArch s = shard_model(m, 1, 4);
  CHECK(s.layers == 9);
  CHECK(s.window_layers == 5);  // ⌈18 / 4⌉
  // A stage's KV per sequence at 4,096 tokens, the runtime keeping the whole context: 9 layers x 4,096 tokens
  // x 2·8·64 elements (before the share, 18 window layers on a 9-layer stage gave (9 − 18) x 4,096 + 18 x 4,096).
  CHECK(kv_elements_per_sequence(s, 4096, 4096) == 9.0 * 4096 * 1024);
  // Qwen3.5-397B-A17B: 60 layers, 45 Gated DeltaNet; a quarter stage holds 12 of its 15 layers as linear ones.
  const ModelArch q = shard_model(find_model("qwen3.5-397b-a17b"), 1, 4);
  CHECK(q.layers == 15);
  CHECK(q.linear_layers == 12);  // ⌈45 / 4⌉
  CHECK(attention_layer_count(q) == 3);
}

TEST_CASE("one GPU: the parallel model gives the single-GPU answer", "[scaling]") {
  const Job w = training("a100-sxm4-80gb", "gpt2-large", 1, 0);
  const ParallelEstimate p = estimate_parallel(w);
  CHECK(p.result.train_tokens_per_s_per_gpu == Approx(estimate_time(w).train_tokens_per_s_per_gpu));
  CHECK(p.exposed_comm_s == 0);
}

TEST_CASE("DDP over NVLink scales above 85%, over PCIe without P2P clearly lower", "[scaling]") {
  const Job a100 = training("a100-sxm4-80gb", "gpt2-large", 8, 0);
  Job g4090 = training("rtx-4090", "gpt2-large", 8, 0);
  const double ea = scaling_efficiency(a100), eg = scaling_efficiency(g4090);
  CHECK(ea > 0.85);
  CHECK(eg < ea - 0.05);
  CHECK(estimate_parallel(g4090).exposed_fraction() > estimate_parallel(a100).exposed_fraction());
}

TEST_CASE("DDP gradient traffic: 2(n-1)/n x 4-byte gradients, overlapped with backward", "[scaling]") {
  // gpt2-large on 8 RTX 4090 without P2P: fp32 gradients of ~774M params = 3.1 GB; the ring moves
  // 2·7/8 of it at 12.9 GB/s per direction -> about 0.42 s in total.
  const Job w = training("rtx-4090", "gpt2-large", 8, 0);
  const ParallelEstimate p = estimate_parallel(w);
  CHECK(p.dp_comm_s == Approx(2 * 7.0 / 8 * 774e6 * 4 / 12.9e9).epsilon(0.05));
  CHECK(p.dp_exposed_s < p.dp_comm_s);  // some of it hides behind the backward
}

TEST_CASE("ZeRO-3 moves 1.5x the DDP volume", "[scaling]") {
  // Same 2-byte gradients to compare volumes: pure precision.
  Job ddp = training("rtx-4090", "gpt2-large", 8, 0);
  ddp.training.precision = PrecisionPolicy::pure;
  Job z3 = ddp;
  z3.parallel.zero = 3;
  const double v_ddp = estimate_parallel(ddp).dp_comm_s, v_z3 = estimate_parallel(z3).dp_comm_s;
  CHECK(v_z3 / v_ddp == Approx(1.5).epsilon(0.02));
}

TEST_CASE("ZeRO-3 under LoRA gathers the frozen base weights too, in their stored format", "[scaling]") {
  // llama-2-7b: 6,738,415,616 weights, of which the block linears are 32 x (4 x 4096^2 + 3 x 4096 x 11008)
  // = 6,476,005,376; the rest (embedding, head, norms) 262,410,240.
  const double all = 6738415616.0, linears = 6476005376.0, rest = all - linears;
  Job w = training("rtx-3090", "llama-2-7b", 2, 3);
  w.hardware.interconnect = Interconnect::pcie_no_p2p;
  w.training.method = Method::lora;
  w.training.lora_rank = 8;
  w.training.lora_targets = lora_q | lora_v;  // 8 x (4096 + 4096) x 2 modules x 32 layers = 4,194,304
  w.weights = WeightFormat::bf16;
  w.training.precision = PrecisionPolicy::pure;
  const Job n = normalize(w);
  CHECK(frozen_weight_bytes(n) == Approx(all * 2));
  // Two all-gathers (forward, backward) of the bf16 base and the adapters, one reduce-scatter of the
  // adapters' 2-byte gradients; 2 GPUs: each moves half, at 12.9 GB/s per direction (pcie4_host).
  const double adapters = 4194304.0;
  const double ag = (all * 2 + adapters * 2) / 2 / 12.9e9, rs = adapters * 2 / 2 / 12.9e9;
  CHECK(estimate_parallel(w).dp_comm_s == Approx(2 * ag + rs).epsilon(0.01));
  // QLoRA: the block linears as NF4 with double-quantized constants (4 + 8/64 + 32/(64 x 256) bits), the rest
  // 16-bit; full training gathers no frozen weights.
  w.training.method = Method::qlora;
  w.weights = WeightFormat::nf4_dq;
  CHECK(frozen_weight_bytes(normalize(w)) == Approx(linears * (4 + 8.0 / 64 + 32.0 / (64 * 256)) / 8 + rest * 2));
  w.training.method = Method::full;
  w.weights = WeightFormat::bf16;
  CHECK(frozen_weight_bytes(normalize(w)) == 0);
}

TEST_CASE("pipeline bubble is (p-1)/m of the micro-batch slots", "[scaling]") {
  Job w = training("a100-sxm4-80gb", "llama-2-7b", 1, 0);
  w.hardware.count = 4;
  w.parallel = Parallel{1, 1, 4, 1, 1, 0};
  w.training.grad_accum = 8;
  w.batch = 1;
  const ParallelEstimate p = estimate_parallel(w);
  // bubble / (work slots) = (p-1)/m = 3/8
  const double slots = p.step_s - p.optimizer_s;
  CHECK(p.bubble_s / (slots - p.bubble_s) == Approx(3.0 / 8).epsilon(0.01));
  w.parallel.vpp = 3;
  CHECK(estimate_parallel(w).bubble_s == Approx(p.bubble_s / 3).epsilon(0.01));
}

TEST_CASE("tensor parallel: 4 all-reduces per layer per micro-batch (+2 with recompute)", "[scaling]") {
  Job w = training("a100-sxm4-80gb", "llama-2-7b", 1, 0);
  w.hardware.count = 2;
  w.parallel = Parallel{1, 2, 1, 1, 1, 0};
  w.training.checkpointing = Checkpointing::none;
  w.batch = 1;
  w.training.seq = 2048;
  const ParallelEstimate p = estimate_parallel(w);
  // message 1·2048·4096·2 B = 16.8 MB; 2 GPUs: f = 1, 235 GB/s achievable -> 71 us + latency.
  const double per = 2048.0 * 4096 * 2 / 234e9 + (8.4 + 2 * 3.4) * 1e-6;
  CHECK(p.tp_s == Approx(32 * 4 * per).epsilon(0.02));
}

TEST_CASE("inference with a layer split adds only the hops between stages", "[scaling]") {
  Job w;
  w.hardware.gpu = &find_gpu("rtx-3090");
  w.model = &find_model("llama-2-7b");
  w.task = Task::inference;
  w.inference.prompt = 0;
  w.inference.generate = 128;
  const double one = estimate_time(w).decode_tokens_per_s;
  w.hardware.count = 2;
  w.parallel.pp = 2;
  w.hardware.interconnect = Interconnect::pcie;
  const double two = estimate_parallel(w).result.decode_tokens_per_s;
  CHECK(two < one);
  CHECK(two > 0.9 * one);  // a 8 KB hop per token costs microseconds against a ~15 ms token
}
