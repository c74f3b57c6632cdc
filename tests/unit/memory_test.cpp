// The memory model (headroom/memory.hpp). Expected values come from the worked examples of the
// docs/reference/formulas.md (§1.1, §1.3, §2.2-2.5, §6.1, §6.2) or from hand arithmetic in the
// comments, never from this code's output.

#include <catch2/catch.hpp>

#include <string_view>

#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/catalog/builtin_models.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/memory.hpp"
#include "headroom/runtime_profile.hpp"
#include "hand_records.hpp"

using namespace headroom;
using namespace headroom::literals;

namespace {

template <class T, std::size_t N>
constexpr const T& by_id(const std::array<T, N>& table, std::string_view id) {
  for (const T& x : table)
    if (x.id == id) return x;
  return table[0];
}
constexpr const ModelArch& model(std::string_view id) { return by_id(builtin::models, id); }
constexpr const GpuSpec& gpu(std::string_view id) { return by_id(builtin::gpus, id); }

constexpr Job qlora_70b(const GpuSpec& g, const ModelArch& m) {
  // docs/reference/formulas.md §6.1: Llama-3-70B QLoRA, NF4 + double quant, r = 16 on all linears, s = 2048, GC.
  Job w;
  w.hardware.gpu = &g;
  w.model = &m;
  w.task = Task::training;
  w.training.method = Method::qlora;
  w.weights = WeightFormat::nf4_dq;
  w.training.lora_rank = 16;
  w.training.seq = 2048;
  w.training.checkpointing = Checkpointing::full;
  return w;
}
constexpr Job qlora_70b(std::string_view gpu_id) { return qlora_70b(gpu(gpu_id), model("llama-3-70b")); }

// Copies with internal linkage for the compile-time test. g++ with -fsanitize=undefined implies
// -fno-delete-null-pointer-checks, and then cannot prove at compile time that the address of an
// inline variable (builtin::gpus, a weak symbol) is not null: the job's `gpu == nullptr` checks
// would stop being constant expressions (the asan-gcc preset, docs/sanitizers.md).
constexpr GpuSpec rtx_4090 = gpu("rtx-4090");
constexpr GpuSpec a100_80 = gpu("a100-sxm4-80gb");
constexpr ModelArch llama_3_70b = model("llama-3-70b");

constexpr Job lora_8b(Checkpointing gc) {
  // docs/reference/formulas.md §6.2: Llama-3-8B LoRA, bf16 base, r = 16 on all linears, b = 1, s = 2048.
  Job w;
  w.hardware.gpu = &gpu("rtx-4090");
  w.model = &model("llama-3-8b");
  w.task = Task::training;
  w.training.method = Method::lora;
  w.training.seq = 2048;
  w.training.checkpointing = gc;
  return w;
}

constexpr Job inference_8b(std::int64_t prompt, std::int64_t generate) {
  Job w;
  w.hardware.gpu = &gpu("a100-sxm4-80gb");
  w.model = &model("llama-3-8b");
  w.inference.prompt = prompt;
  w.inference.generate = generate;
  return w;
}

}  // namespace

TEST_CASE("the estimate is a compile-time constant", "[memory]") {
  constexpr MemoryResult r = estimate_memory(qlora_70b(rtx_4090, llama_3_70b));
  STATIC_REQUIRE(!r.fits);
  STATIC_REQUIRE(r.per_gpu > 24_GiB);
  STATIC_REQUIRE(r.capacity == 24_GiB);
  STATIC_REQUIRE(estimate_memory(qlora_70b(a100_80, llama_3_70b)).fits);
}

TEST_CASE("Llama-3-70B QLoRA does not fit one RTX 4090; the weights alone are 35-40 GiB", "[memory][headline]") {
  const MemoryResult r = estimate_memory(qlora_70b("rtx-4090"));
  const MemoryBreakdown& b = r.breakdown;
  // Block linears 68,451,041,280 (80 layers x 855,638,016) x 4 bit = 34,225,520,640 B;
  // embedding + lm_head 2 x 1,050,673,152 + norms 1,318,912 at 2 B = 4,205,330,432 B;
  // sum 38,430,851,072 B = 35.79 GiB.
  CHECK(to_gib(b.weights) == Approx(35.79).margin(0.01));
  // Constants: 68,451,041,280 x 0.126953125 / 8 = 1,086,259,200 B = 1.01 GiB (§6.1: 1.09 GB).
  CHECK(to_gib(b.quant_constants) == Approx(1.0117).margin(0.001));
  // §6.1 weights subtotal: 39.52 GB = 36.8 GiB.
  const double weights = to_gib(b.weights + b.quant_constants);
  CHECK(weights == Approx(36.8).margin(0.05));
  REQUIRE(weights >= 35.0);
  REQUIRE(weights <= 40.0);
  // LoRA r = 16: 207,093,760 parameters x 16 B (fp32 weight, grad, AdamW m and v) = 3.31e9 B = 3.09 GiB.
  CHECK(to_gib(b.lora) == Approx(3.0857).margin(0.001));
  REQUIRE(!r.fits);
  REQUIRE(r.per_gpu > r.capacity);
  // §6.1 total 46.5 GiB; the weights overflow the card at any sequence length.
  CHECK(to_gib(r.per_gpu) == Approx(46.5).margin(2.0));
  REQUIRE(r.limiting == Component::weights);
  REQUIRE_FALSE(r.may_page);
}

TEST_CASE("Llama-3-70B QLoRA fits one A100 80GB", "[memory][headline]") {
  const MemoryResult r = estimate_memory(qlora_70b("a100-sxm4-80gb"));
  REQUIRE(r.fits);
  REQUIRE(r.capacity == 80_GiB);
  REQUIRE(r.headroom() > 20_GiB);
}

TEST_CASE("Llama-3-8B LoRA on an RTX 4090 fits with gradient checkpointing", "[memory][headline]") {
  const MemoryResult gc = estimate_memory(lora_8b(Checkpointing::full));
  // §6.2: 16.06 GB weights + 0.67 GB LoRA + 0.88 GB checkpointed activations + 2.63 GB logits + ~0.6 GB
  // runtime = 20.84 GB = 19.4 GiB.
  REQUIRE(gc.fits);
  CHECK(to_gib(gc.per_gpu) == Approx(19.4).margin(1.0));
  // Base weights 8,030,261,248 x 2 B = 16.06e9 B = 14.96 GiB; LoRA 41,943,040 x 16 B = 0.625 GiB.
  CHECK(to_gib(gc.breakdown.weights) == Approx(14.957).margin(0.001));
  CHECK(to_gib(gc.breakdown.lora) == Approx(0.625).margin(0.001));
  // Without checkpointing: §6.2 28.8 GiB (11.01 GB of activations): does not fit 24 GiB.
  const MemoryResult none = estimate_memory(lora_8b(Checkpointing::none));
  REQUIRE_FALSE(none.fits);
  CHECK(to_gib(none.per_gpu) == Approx(28.8).margin(3.0));
  REQUIRE(none.breakdown.activations > gc.breakdown.activations * 10.0);
}

TEST_CASE("full fine-tuning of Llama-3-8B with mixed-precision AdamW does not fit an 80 GB card", "[memory][headline]") {
  Job w = lora_8b(Checkpointing::full);
  w.training.method = Method::full;
  w.hardware.gpu = &gpu("a100-sxm4-80gb");
  const MemoryResult r = estimate_memory(w);
  REQUIRE_FALSE(r.fits);
  // ZeRO accounting (docs/reference/formulas.md §2.2): 2 + 2 + 12 = 16 B/param = 128.5e9 B = 119.7 GiB of model states.
  const double p = 8'030'261'248.0;
  CHECK(r.breakdown.optimizer.value() == Approx(12.0 * p));
  CHECK(r.breakdown.weights.value() == Approx(2.0 * p));
  REQUIRE(to_gib(r.breakdown.weights + r.breakdown.optimizer) > 80.0);
  REQUIRE(r.limiting == Component::optimizer);
}

TEST_CASE("optimizer state per regime", "[memory]") {
  Job w = lora_8b(Checkpointing::full);
  w.training.method = Method::full;
  w.hardware.gpu = &gpu("h200-sxm-141gb");
  const double p = 8'030'261'248.0;
  // Pure bf16 AdamW: m and v in bf16 = 4 B/param, no master copy.
  w.training.precision = PrecisionPolicy::pure;
  CHECK(estimate_memory(w).breakdown.optimizer.value() == Approx(4.0 * p));
  // 8-bit AdamW under mixed precision: fp32 master 4 + m, v 1 each + 2 fp32 absmax per 256 = 6.03125 B/param.
  w.training.precision = PrecisionPolicy::mixed;
  w.training.optimizer = Optimizer::adamw_8bit;
  CHECK(estimate_memory(w).breakdown.optimizer.value() == Approx(6.03125 * p));
  // SGD with momentum, mixed: master 4 + momentum 4.
  w.training.optimizer = Optimizer::sgd;
  CHECK(estimate_memory(w).breakdown.optimizer.value() == Approx(8.0 * p));
  // Adafactor (factored, no first moment): master 4 + O(rows + cols) ~ 0.
  w.training.optimizer = Optimizer::adafactor;
  CHECK(estimate_memory(w).breakdown.optimizer.value() == Approx(4.0 * p).epsilon(0.01));
  // Optimizer state offloaded to the CPU.
  w.training.optimizer = Optimizer::adamw;
  w.training.offload = Offload::optimizer;
  CHECK(estimate_memory(w).breakdown.optimizer.value() == 0.0);
}

TEST_CASE("paged optimizer state may page instead of failing", "[memory]") {
  // Full fine-tuning of Llama-3-8B with paged 8-bit AdamW on one 80 GB card: 2 + 2 + 6.03 = 10.03 B/param
  // = 75.0 GiB of states; on a 48 GB card it does not fit, but without the 6.03 B/param of optimizer
  // state (4 B/param = 29.9 GiB) it would.
  Job w = lora_8b(Checkpointing::full);
  w.training.method = Method::full;
  w.training.optimizer = Optimizer::paged_adamw_8bit;
  w.hardware.gpu = &gpu("rtx-6000-ada");
  const MemoryResult r = estimate_memory(w);
  REQUIRE_FALSE(r.fits);
  REQUIRE(r.may_page);
  w.training.optimizer = Optimizer::adamw_8bit;
  REQUIRE_FALSE(estimate_memory(w).may_page);
}

TEST_CASE("optimizer in backward keeps one gradient alive", "[memory]") {
  Job w = lora_8b(Checkpointing::full);
  w.training.method = Method::full;
  w.training.precision = PrecisionPolicy::pure;
  w.hardware.gpu = &gpu("h200-sxm-141gb");
  w.training.loss = LossKind::chunked;
  const MemoryResult normal = estimate_memory(w);
  w.training.optimizer_in_backward = true;
  const MemoryResult fused = estimate_memory(w);
  // The largest tensor is the 128256 x 4096 embedding: 525,336,576 x 2 B = 1.05e9 B < 16.06e9 B of grads.
  REQUIRE(fused.breakdown.gradients.value() <= 525'336'576.0 * 2.0);
  REQUIRE(fused.per_gpu < normal.per_gpu);
}

TEST_CASE("KV cache: 128 KiB per token for Llama-3-8B in bf16", "[memory]") {
  // 2 (K, V) x 32 layers x 8 KV heads x 128 dims x 2 B = 131,072 B per token (docs/reference/formulas.md §2.5).
  REQUIRE(kv_elements_per_token(model("llama-3-8b")) * 2 == 131'072);
  // 8192 tokens x 128 KiB = exactly 1 GiB.
  const MemoryResult r = estimate_memory(inference_8b(8192, 0));
  REQUIRE(r.breakdown.kv_cache == 1_GiB);
  // batch x (prompt + generate): 4 sequences of 1536 + 512 tokens = 8192 tokens.
  Job w = inference_8b(1536, 512);
  w.batch = 4;
  REQUIRE(estimate_memory(w).breakdown.kv_cache == 1_GiB);
  // fp8 halves it, q4_0 stores 4.5 bits.
  w.inference.kv_cache = KvFormat::fp8;
  REQUIRE(estimate_memory(w).breakdown.kv_cache == 512_MiB);
  w.inference.kv_cache = KvFormat::q4_0;
  REQUIRE(estimate_memory(w).breakdown.kv_cache.value() == Approx(8192.0 * 65536.0 * 4.5 / 8.0));
}

TEST_CASE("KV cache of GQA, MQA and MLA models", "[memory]") {
  // Llama-3-70B (GQA 64/8): 2 x 80 x 8 x 128 x 2 B = 327,680 B per token (§2.5).
  REQUIRE(kv_elements_per_token(model("llama-3-70b")) * 2 == 327'680);
  // Falcon-7B (MQA): 2 x 32 layers x 1 head x 64 dims x 2 B = 8192 B per token.
  Job w = inference_8b(1000, 24);
  w.model = &model("falcon-7b");
  REQUIRE(estimate_memory(w).breakdown.kv_cache.value() == 1024.0 * 8192.0);
  // MLA (DeepSeek-V3: 61 layers, kv_lora_rank 512, rope 64): 61 x 576 x 2 B = 70,272 B per token.
  ModelArch mla = model("llama-3-8b");
  mla.attention = AttentionKind::mla;
  mla.layers = 61;
  mla.kv_lora_rank = 512;
  mla.qk_rope_head_dim = 64;
  mla.qk_nope_head_dim = 128;
  mla.v_head_dim = 128;
  mla.q_lora_rank = 1536;
  w.model = &mla;
  REQUIRE(estimate_memory(w).breakdown.kv_cache.value() == 1024.0 * 70'272.0);
}

TEST_CASE("vLLM reserves gpu_memory_utilization x capacity and pages KV in blocks of 16", "[memory]") {
  Job w = inference_8b(1000, 0);
  w.runtime = Runtime::vllm;
  const MemoryResult r = estimate_memory(w);
  REQUIRE(r.fits);
  // 0.9 x 80 GiB = 72 GiB on the device: the KV pool fills what weights, workspace and the
  // 0.5 GiB CUDA context outside the allocator leave; 71.5 GiB allocated.
  REQUIRE(to_gib(r.device) == Approx(72.0));
  REQUIRE(to_gib(r.usable) == Approx(72.0));
  REQUIRE(to_gib(r.per_gpu) == Approx(71.5));
  REQUIRE(r.breakdown.kv_cache > 50_GiB);
  // Block rounding: on a card too small to fit, per_gpu is the need; 1000 and 1008 tokens need the
  // same 63 blocks, 1009 tokens one block more = 16 x 128 KiB = 2 MiB more.
  w.hardware.gpu = &gpu("rtx-3070");
  const Bytes n1000 = estimate_memory(w).per_gpu;
  w.inference.prompt = 1008;
  const Bytes n1008 = estimate_memory(w).per_gpu;
  w.inference.prompt = 1009;
  const Bytes n1009 = estimate_memory(w).per_gpu;
  REQUIRE_FALSE(estimate_memory(w).fits);
  REQUIRE(n1000 == n1008);
  REQUIRE((n1009 - n1008).value() == Approx(16.0 * 131072.0));
}

TEST_CASE("kv_memory_fraction replaces the runtime's pool setting (case format v2)", "[memory][v2]") {
  Job w = inference_8b(1000, 0);
  w.runtime = Runtime::vllm;
  // gpu_memory_utilization 0.8: 0.8 x 80 GiB = 64 GiB on the device instead of the default 0.9 x 80 = 72;
  // less the 0.5 GiB CUDA context outside the allocator, 63.5 GiB allocated.
  w.inference.kv_memory_fraction = 0.8;
  const MemoryResult r = estimate_memory(w);
  REQUIRE(r.fits);
  CHECK(to_gib(r.usable) == Approx(64.0));
  CHECK(to_gib(r.device) == Approx(64.0));
  CHECK(to_gib(r.per_gpu) == Approx(63.5));
  // SGLang's mem_fraction_static is the same kind of setting: 0.5 x 80 GiB = 40 GiB on the device,
  // 39.5 GiB allocated.
  w.runtime = Runtime::sglang;
  w.inference.kv_memory_fraction = 0.5;
  CHECK(to_gib(estimate_memory(w).device) == Approx(40.0));
  CHECK(to_gib(estimate_memory(w).per_gpu) == Approx(39.5));
  // A runtime that sizes the KV cache exactly has no pool: the field changes nothing.
  w.runtime = Runtime::pytorch;
  const Bytes exact = estimate_memory(w).per_gpu;
  w.inference.kv_memory_fraction.reset();
  CHECK(estimate_memory(w).per_gpu == exact);
}

TEST_CASE("inference dp: each GPU holds one replica; the replicas' tokens/s add up (case format v2)", "[memory][v2]") {
  Job one = inference_8b(128, 128);
  one.batch = 4;
  Job two = one;
  two.hardware.count = 2;
  two.parallel.dp = 2;  // two independent replicas, each with its own batch of 4
  const MemoryResult m1 = estimate_memory(one), m2 = estimate_memory(two);
  // Same weights, KV cache and activations per GPU; only the NCCL reserve of a multi-GPU job differs.
  CHECK(m2.breakdown.weights == m1.breakdown.weights);
  CHECK(m2.breakdown.kv_cache == m1.breakdown.kv_cache);
  CHECK(m2.breakdown.activations == m1.breakdown.activations);
  const double d1 = evaluate(one).time.decode_tokens_per_s, d2 = evaluate(two).time.decode_tokens_per_s;
  REQUIRE(d1 > 0);
  CHECK(d2 == Approx(2.0 * d1));
}

TEST_CASE("a checkpoint's quantization_config is the default weight format", "[memory][quant]") {
  // gpt-oss's config.json: quant_method mxfp4 with self_attn, the router, the embedding and lm_head in
  // modules_to_not_convert, so only the routed experts are MXFP4. gpt-oss-20b: 24 layers x 32 experts x
  // (2880 x 5760 gate_up + 2880 x 2880 down) = 19,110,297,600 expert weights at 4 + 8/32 bits; the other
  // 20,914,757,184 - 19,110,297,600 = 1,804,459,584 parameters in bf16. Sum 13,761,264,768 B = 12.82 GiB;
  // the gpt-oss model card (arXiv 2508.10925, Table 1) gives a 12.8 GiB checkpoint.
  Job w;
  w.hardware.gpu = &gpu("h100-sxm5-80gb");
  w.model = &model("gpt-oss-20b");
  w.runtime = Runtime::vllm;
  w.inference.prompt = 16;
  w.inference.generate = 16;
  REQUIRE(normalize(w).weights == WeightFormat::mxfp4);
  const MemoryResult m = estimate_memory(w);
  const double experts = 24.0 * 32 * (2880.0 * 5760 + 2880.0 * 2880);
  CHECK(m.breakdown.weights.value() == Approx(experts * 0.5 + (20'914'757'184.0 - experts) * 2.0));
  CHECK(m.breakdown.quant_constants.value() == Approx(experts / 32.0));
  const double bytes = (m.breakdown.weights + m.breakdown.quant_constants).value();
  CHECK(bytes == Approx(13'761'264'768.0));
  CHECK(bytes / 1073741824.0 == Approx(12.8).margin(0.05));
  // gpt-oss-120b: 36 x 128 experts: 114,661,785,600 MXFP4 weights and 2,167,371,072 bf16 parameters =
  // 65,248,815,744 B = 60.77 GiB; the card gives 60.8 GiB.
  w.model = &model("gpt-oss-120b");
  const MemoryResult big = estimate_memory(w);
  CHECK((big.breakdown.weights + big.breakdown.quant_constants).value() == Approx(65'248'815'744.0));
  // Asked in mxfp4 explicitly it is the same.
  w.weights = WeightFormat::mxfp4;
  CHECK(estimate_memory(w).breakdown.weights == big.breakdown.weights);
  // bf16 when asked, and on llama.cpp, which loads GGUF files instead of the checkpoint.
  w.weights = WeightFormat::bf16;
  CHECK(estimate_memory(w).breakdown.weights.value() == Approx(116'829'156'672.0 * 2.0));
  w.weights.reset();
  w.runtime = Runtime::llama_cpp;
  CHECK(normalize(w).weights == WeightFormat::bf16);
  // DeepSeek-V3's quant_method fp8 (128 x 128 block scales, not counted): every block linear at 1 byte.
  Job d = w;
  d.runtime = Runtime::sglang;
  d.model = &model("deepseek-v3");
  CHECK(normalize(d).weights == WeightFormat::fp8);
  // A config without quantization_config stays bf16.
  d.model = &model("qwen3-30b-a3b");
  CHECK(normalize(d).weights == WeightFormat::bf16);
}

TEST_CASE("inference weights by format", "[memory]") {
  // Llama-3-8B: block linears 6,979,321,856 (32 x 218,103,808); the rest (embedding, lm_head, norms)
  // 1,050,939,392 stays 16-bit under AWQ.
  Job w = inference_8b(16, 16);
  w.weights = WeightFormat::awq_4bit;
  const MemoryResult awq = estimate_memory(w);
  CHECK(awq.breakdown.weights.value() == Approx(6'979'321'856.0 * 0.5 + 1'050'939'392.0 * 2.0));
  CHECK(awq.breakdown.quant_constants.value() == Approx(6'979'321'856.0 * 20.0 / 128.0 / 8.0));
  // NVFP4 / MXFP4 block linears: 4 bits of codes + 8-bit scales per 16 / per 32 values.
  w.weights = WeightFormat::nvfp4;
  const MemoryResult nv = estimate_memory(w);
  CHECK(nv.breakdown.weights.value() == Approx(6'979'321'856.0 * 0.5 + 1'050'939'392.0 * 2.0));
  CHECK(nv.breakdown.quant_constants.value() == Approx(6'979'321'856.0 * 8.0 / 16.0 / 8.0));
  w.weights = WeightFormat::mxfp4;
  CHECK(estimate_memory(w).breakdown.quant_constants.value() == Approx(6'979'321'856.0 * 8.0 / 32.0 / 8.0));
  // GGUF Q8_0 quantizes every tensor: 8,030,261,248 x 8.5 / 8.
  w.weights = WeightFormat::q8_0;
  w.runtime = Runtime::llama_cpp;
  const MemoryResult q8 = estimate_memory(w);
  CHECK((q8.breakdown.weights + q8.breakdown.quant_constants).value() == Approx(8'030'261'248.0 * 8.5 / 8.0));
  // llama.cpp's compute buffer is an activation cost on top; its CUDA context is device memory
  // outside what it allocates.
  REQUIRE(q8.breakdown.activations > 0_B);
  REQUIRE((q8.device - q8.per_gpu).value() == Approx(runtime_profile(Runtime::llama_cpp).cuda_context_gib * 1073741824.0));
}

TEST_CASE("tensor and pipeline parallelism: the busiest GPU", "[memory]") {
  Job w = inference_8b(128, 128);
  w.model = &model("llama-3-70b");
  w.hardware.count = 4;
  w.parallel.tp = 4;
  const MemoryResult tp = estimate_memory(w);
  // 70,553,706,496 x 2 B / 4 = 35.28e9 B = 32.85 GiB per GPU.
  CHECK(to_gib(tp.breakdown.weights) == Approx(32.85).margin(0.01));
  // Pipeline of 4 stages: 20 blocks each (68,452,352,000 / 4 x 2 B = 34.23e9 B) plus the embedding
  // (1,050,673,152 x 2 B = 2.10e9 B) on the first stage, or lm_head + final norm on the last.
  w.parallel.tp = 1;
  w.parallel.pp = 4;
  const MemoryResult pp = estimate_memory(w);
  CHECK(pp.breakdown.weights.value() == Approx(68'452'352'000.0 / 4.0 * 2.0 + 1'050'673'152.0 * 2.0 + 8192.0 * 2.0));
}

TEST_CASE("ZeRO stages shard optimizer, gradients and weights", "[memory]") {
  Job w = lora_8b(Checkpointing::full);
  w.training.method = Method::full;
  w.hardware.gpu = &gpu("a100-sxm4-80gb");
  w.hardware.count = 8;
  w.parallel.dp = 8;
  const double p = 8'030'261'248.0;
  w.parallel.zero = 1;
  const MemoryResult z1 = estimate_memory(w);
  CHECK(z1.breakdown.optimizer.value() == Approx(12.0 * p / 8.0));
  w.parallel.zero = 3;
  const MemoryResult z3 = estimate_memory(w);
  // Sharded weights 2P/8 plus two gathered blocks and the unsharded root (embedding + lm_head).
  CHECK(z3.breakdown.weights.value() > 2.0 * p / 8.0);
  CHECK(z3.breakdown.weights.value() < 2.0 * p / 8.0 + 2.0 * 2.0 * 1'050'673'152.0 + 3.0 * 2.0 * 218'112'000.0);
  REQUIRE(z3.fits);
  REQUIRE(z3.per_gpu < z1.per_gpu);
}

TEST_CASE("activation formula: Llama-style and GPT-style blocks", "[memory]") {
  using namespace detail::mem;
  // Llama-3-8B per token and layer (docs/reference/formulas.md §2.4): 12h + 4h_kv + 8I = 167,936 B in bf16.
  const Shape llama = shape_of(model("llama-3-8b"));
  const LayerActivation a = layer_activation(llama, 2.0);
  CHECK(a.sharded + a.replicated == 167'936.0);
  // FlashAttention keeps an fp32 log-sum-exp per head: 32 x 4 B.
  CHECK(a.lse == 128.0);
  // Without FlashAttention, Korthikanti's 5 bytes per a x s x s score: per token 5 x a per context token.
  CHECK(a.scores == 5.0 * 32.0);
  // GPT block (MHA, 4h GeLU MLP, two LayerNorms): Korthikanti's 34h without the two 1-byte dropout
  // masks = 32h. gpt2-xl: h = 1600.
  const LayerActivation g = layer_activation(shape_of(model("gpt2-xl")), 2.0);
  CHECK(g.sharded + g.replicated == 32.0 * 1600.0);
}

TEST_CASE("checkpointing, chunked loss and compile shrink training memory", "[memory]") {
  Job w = lora_8b(Checkpointing::none);
  w.hardware.gpu = &gpu("h200-sxm-141gb");
  const MemoryResult none = estimate_memory(w);
  // No checkpointing: 32 layers x 2048 tokens x 167,936 B x the runtime's activation factor.
  const RuntimeProfile& rt = runtime_profile(Runtime::pytorch);
  CHECK(none.breakdown.activations.value() == Approx(32.0 * 2048.0 * (167'936.0 + 128.0) * rt.activation_factor));
  // Standard loss: tokens x vocab x 12 B: bf16 logits (2), their fp32 copy (4), the fp32 log-softmax
  // gradient (4) and the bf16 gradient of the logits (2) (docs/memory.md, the loss path).
  CHECK(none.breakdown.logits.value() == Approx(2048.0 * 128256.0 * 12.0));
  w.training.checkpointing = Checkpointing::full;
  const MemoryResult gc = estimate_memory(w);
  // Full checkpointing keeps each block's input: 2 x s x h x L = 2 x 2048 x 4096 x 32 = 536,870,912 B.
  REQUIRE(gc.breakdown.activations.value() >= 536'870'912.0);
  REQUIRE(gc.per_gpu < none.per_gpu);
  w.training.loss = LossKind::chunked;
  const MemoryResult chunked = estimate_memory(w);
  REQUIRE(chunked.per_gpu < gc.per_gpu);
  w.training.checkpointing = Checkpointing::none;
  const Bytes eager = estimate_memory(w).breakdown.activations;
  w.compile = true;
  REQUIRE(estimate_memory(w).breakdown.activations < eager);
  // Activations offloaded to the CPU leave about one block's worth on the GPU.
  w.compile = false;
  w.training.checkpointing = Checkpointing::full;
  w.training.activation_offload = true;
  REQUIRE(estimate_memory(w).breakdown.activations < gc.breakdown.activations);
}

TEST_CASE("QLoRA keeps a dequantized weight transient", "[memory]") {
  Job w = qlora_70b("a100-sxm4-80gb");
  w.training.loss = LossKind::chunked;  // make the backward pass the peak
  const MemoryResult r = estimate_memory(w);
  // The largest linear of Llama-3-70B is 8192 x 28672 = 234,881,024 weights: 0.47e9 B in bf16 (§6.1).
  REQUIRE(r.breakdown.activations.value() >= 234'881'024.0 * 2.0);
}

TEST_CASE("unified memory: the GPU gets a share of it", "[memory]") {
  // Metal's recommendedMaxWorkingSetSize as llama.cpp logs it: 49152 MiB of 64 GB (3/4), 5461 MiB of
  // 8 GB (2/3).
  Job w = inference_8b(128, 128);
  w.hardware.gpu = &gpu("apple-m3-max-40c");  // 64 GB unified
  REQUIRE(to_mib(estimate_memory(w).capacity) == Approx(49152.0));
  w.hardware.gpu = &gpu("apple-m1-7c");  // 8 GB unified
  REQUIRE(to_mib(estimate_memory(w).capacity) == Approx(5461.33).margin(0.01));
  // A discrete card keeps its label.
  w.hardware.gpu = &gpu("rtx-4090");
  REQUIRE(estimate_memory(w).capacity == 24_GiB);
}

TEST_CASE("collectives have no memory answer", "[memory]") {
  Job w;
  w.task = Task::collective;
  const MemoryResult r = estimate_memory(w);
  REQUIRE(r.per_gpu == 0_B);
  REQUIRE(r.fits);
}

TEST_CASE("the runtime's costs at their three levels: allocated, reserved, device", "[memory][runtime]") {
  // A profile with every fixed cost set (docs/memory.md "Allocated, reserved, device"), 2 GPUs,
  // 10 GiB of tensors:
  //   allocated: + workspace 0.25 GiB (through the caching allocator)          = 10.25 GiB
  //   reserved:  + fragmentation 0.1 x 10.25 GiB = 1.025 GiB                    = 11.275 GiB
  //   device:    + CUDA context 0.5 GiB + NCCL 0.5 GiB (outside the allocator)  = 12.275 GiB
  RuntimeProfile rt = runtime_profile(Runtime::pytorch);
  rt.cuda_context_gib = 0.5;
  rt.workspace_gib = 0.25;
  rt.nccl_gib = 0.5;
  rt.fragmentation = 0.1;
  Job w = inference_8b(16, 16);
  w.hardware.count = 2;
  const detail::mem::RuntimeCosts c = detail::mem::runtime_costs(w, rt, 10.0 * 1073741824.0);
  CHECK(c.workspace == Approx(0.25 * 1073741824.0));
  CHECK(c.fragmentation == Approx(1.025 * 1073741824.0));
  CHECK(c.outside == Approx(1.0 * 1073741824.0));
  w.hardware.count = 1;  // one GPU: no NCCL buffers
  CHECK(detail::mem::runtime_costs(w, rt, 10.0 * 1073741824.0).outside == Approx(0.5 * 1073741824.0));
}

TEST_CASE("training with recompute, offload, full sharding or LoRA reserves allocated / (1 - 0.15)", "[memory][runtime]") {
  // GMLake (docs/memory.md "Allocated, reserved, device"): 15% of the reserved pool is fragmented
  // under these techniques, so reserved - allocated = 0.15 / 0.85 = 0.17647 of allocated. With 10 GiB
  // allocated and no workspace: 1.7647 GiB. The pytorch profile's own fragmentation is 0.
  RuntimeProfile rt = runtime_profile(Runtime::pytorch);
  rt.workspace_gib = 0;
  const double ten_gib = 10.0 * 1073741824.0;
  Job w = inference_8b(16, 16);
  w.task = Task::training;
  w.training.method = Method::full;
  w.training.checkpointing = Checkpointing::none;
  CHECK(detail::mem::runtime_costs(w, rt, ten_gib).fragmentation == 0.0);  // full training, nothing irregular
  w.training.checkpointing = Checkpointing::full;
  CHECK(detail::mem::runtime_costs(w, rt, ten_gib).fragmentation == Approx(1.7647 * 1073741824.0).epsilon(1e-4));
  w.training.checkpointing = Checkpointing::none;
  w.training.method = Method::lora;
  CHECK(detail::mem::runtime_costs(w, rt, ten_gib).fragmentation == Approx(1.7647 * 1073741824.0).epsilon(1e-4));
  w.training.method = Method::full;
  w.parallel.zero = 3;
  CHECK(detail::mem::runtime_costs(w, rt, ten_gib).fragmentation == Approx(1.7647 * 1073741824.0).epsilon(1e-4));
  // Inference is never irregular in this sense: the profile's value (0) holds.
  Job inf = inference_8b(16, 16);
  CHECK(detail::mem::runtime_costs(inf, rt, ten_gib).fragmentation == 0.0);
}

TEST_CASE("fits is decided on device memory against what the runtime may use", "[memory][runtime]") {
  // Llama-3-8B bf16 inference, pytorch, one A100 80GB: allocated = the breakdown, device adds the
  // 0.30 GiB CUDA context; usable = the capacity; headroom = usable - device.
  const MemoryResult r = estimate_memory(inference_8b(16, 16));
  CHECK(r.per_gpu == r.breakdown.total());
  CHECK(r.reserved == r.per_gpu);  // fragmentation 0 in the pytorch profile
  CHECK(to_gib(r.device - r.per_gpu) == Approx(0.30));
  CHECK(r.usable == r.capacity);
  CHECK(to_gib(r.headroom()) == Approx(80.0 - to_gib(r.device)));
  CHECK(r.fits == fits_in(r));
  // A job that needs more than the card: fits is false and the headroom negative, by the same amount.
  Job big = inference_8b(16, 16);
  big.hardware.gpu = &gpu("rtx-3070");
  const MemoryResult b = estimate_memory(big);
  CHECK_FALSE(b.fits);
  CHECK(b.headroom().value() < 0);
  CHECK(to_gib(b.headroom()) == Approx(to_gib(b.usable) - to_gib(b.device)));
}

TEST_CASE("KV cache of sliding-window layers: the window where the runtime allocates it so", "[memory]") {
  // Llama-3-8B's shape with 16 of its 32 layers sliding over 1,024 tokens. Per layer and token:
  // 2 x 8 KV heads x 128 x 2 B = 4,096 B.
  static constexpr ModelArch swa = [] {
    ModelArch m = test_records::llama3_8b;
    m.window_layers = 16;
    m.window = 1024;
    return m;
  }();
  Job w = inference_8b(8192, 0);
  w.model = &swa;
  // pytorch keeps the whole context in every layer: 32 x 8,192 x 4,096 B = 1 GiB.
  w.runtime = Runtime::pytorch;
  CHECK(estimate_memory(w).breakdown.kv_cache == 1_GiB);
  // llama.cpp's SWA cache: the 16 full layers keep 8,192 tokens, the 16 sliding layers the window
  // + n_ubatch (512): 16 x 8,192 x 4,096 + 16 x 1,536 x 4,096 = 536,870,912 + 100,663,296 B.
  w.runtime = Runtime::llama_cpp;
  CHECK(estimate_memory(w).breakdown.kv_cache.value() == Approx(637'534'208.0));
  // vLLM's hybrid manager keeps window + max_num_batched_tokens (8,192) + one block (16) in each
  // sliding layer. (vLLM's reported kv_cache is its whole pool, so the count is checked directly.)
  // At 32,768 tokens: 16 x 32,768 x 4,096 + 16 x 9,232 x 4,096 = 2,147,483,648 + 605,028,352 B.
  const RuntimeProfile& vllm = runtime_profile(Runtime::vllm);
  CHECK(vllm.kv_window_only);
  const double held = 1024 + vllm.workspace_tokens + vllm.kv_block_tokens;
  CHECK(kv_elements_per_sequence(swa, 32768, held) * 2 == 2'752'512'000.0);
  CHECK_FALSE(runtime_profile(Runtime::tensorrt_llm).kv_window_only);
}

TEST_CASE("KV cache of linear-attention layers: a constant state per sequence", "[memory]") {
  // 8 attention layers of Llama-3-8B's shape and 24 Gated DeltaNet layers (16 key heads and 32
  // value heads of 128, conv width 4, fp32 state).
  static constexpr ModelArch hybrid = test_records::with_gated_deltanet(test_records::llama3_8b, 24);
  // Per linear layer: state 32 x 128 x 128 x 4 B = 2,097,152 B; conv 3 past inputs of
  // 2 x 16 x 128 + 32 x 128 = 8,192 channels at 2 B = 49,152 B. 24 layers: 51,511,296 B.
  STATIC_REQUIRE(linear_state_bytes_per_sequence(hybrid) == 51'511'296);
  STATIC_REQUIRE(kv_elements_per_token(hybrid) == 8 * 2048);
  Job w = inference_8b(8192, 0);
  w.model = &hybrid;
  // 8 layers x 8,192 tokens x 4,096 B + the state: 268,435,456 + 51,511,296 B.
  CHECK(estimate_memory(w).breakdown.kv_cache.value() == Approx(319'946'752.0));
  // The state does not grow with the context; the attention KV does.
  w.inference.prompt = 16384;
  CHECK(estimate_memory(w).breakdown.kv_cache.value() == Approx(2.0 * 268'435'456.0 + 51'511'296.0));
  w.batch = 2;
  CHECK(estimate_memory(w).breakdown.kv_cache.value() == Approx(2.0 * (2.0 * 268'435'456.0 + 51'511'296.0)));
}
