#include "headroom/operators.hpp"

#include <catch2/catch.hpp>

#include "hand_records.hpp"

using namespace headroom;
using namespace headroom::test_records;

namespace {

// Mixtral-8x7B (docs/reference/formulas.md §1.2).
constexpr ModelArch mixtral = [] {
  ModelArch m;
  m.id = "mixtral-8x7b";
  m.hidden = 4096;
  m.layers = 32;
  m.heads = 32;
  m.kv_heads = 8;
  m.head_dim = 128;
  m.intermediate = 14336;
  m.vocab = 32000;
  m.experts = 8;
  m.experts_per_token = 2;
  m.expert_intermediate = 14336;
  return m;
}();

constexpr Job inference(const ModelArch& m) {
  Job w;
  w.model = &m;
  w.task = Task::inference;
  return w;
}

double weight_bytes_of(const OperatorList& ops) {
  double b = 0;
  for (const auto& op : ops)
    if (op.kind == OpKind::linear || op.kind == OpKind::lm_head)
      b += op.weight_elements * op.count * (op.kind == OpKind::lm_head ? 2.0 : 2.0);
  return b;
}

}  // namespace

TEST_CASE("matmul parameters of Llama-3-8B", "[operators]") {
  // 8,030,261,248 total − 525,336,576 input embedding − 266,240 norm weights (65 × 4096) = 7,504,658,432.
  STATIC_REQUIRE(matmul_params(model_dims(llama3_8b)) == 7504658432.0);
  // KV cache: 2 · 8 · 128 = 2048 elements per token and layer; 131,072 B per token in bf16 (docs/reference/formulas.md §2.5).
  STATIC_REQUIRE(model_dims(llama3_8b).kv_elements * 32 * 2 == 131072.0);
}

TEST_CASE("Mixtral: active and total matmul parameters", "[operators][moe]") {
  // docs/reference/formulas.md §1.2: N_act = 12.88e9 incl. both 32000 × 4096 tables; the input table and the norms are not
  // matmuls: 12.88e9 − 0.131e9 ≈ 12.75e9. Total 46.70e9 − 0.131e9 ≈ 46.57e9.
  const ModelDims d = model_dims(mixtral);
  REQUIRE(matmul_params(d, true) == Approx(12.88e9 - 32000.0 * 4096).epsilon(0.002));
  REQUIRE(matmul_params(d, false) == Approx(46.70e9 - 32000.0 * 4096).epsilon(0.002));
}

TEST_CASE("prefill of 2048 tokens: 31.8 TFLOP causal (docs/reference/formulas.md §6.4)", "[operators]") {
  Job w = inference(llama3_8b);
  StepShape s;
  s.tokens = 2048;
  s.logits_all = true;  // §6.4 counts 2·N'·s including the head for every position
  const OperatorList ops = forward_operators(w, s);
  // 2 · 7.5047e9 · 2048 + 2 · 32 · 2048² · 4096 = 30.739e12 + 1.100e12 = 31.84e12.
  REQUIRE(ops.total_flops().value() == Approx(31.84e12).epsilon(0.002));
  const Operator* att = ops.find("attention");
  REQUIRE(att != nullptr);
  // Causal flash attention: 2 · a · (d_qk + d_v) · s(s+1)/2 per layer.
  REQUIRE(att->flops.value() == Approx(2.0 * 32 * 256 * 2048.0 * 2049 / 2));
  // Without flash attention the whole s×s is computed and goes through memory.
  w.flash_attention = false;
  const OperatorList eager = forward_operators(w, s);
  REQUIRE(eager.find("attention")->flops.value() == Approx(2.0 * 32 * 256 * 2048.0 * 2048));
  REQUIRE(eager.find("attention")->bytes.value() > att->bytes.value() * 10);
}

TEST_CASE("decode step reads every weight once plus the KV cache (docs/reference/formulas.md §6.3)", "[operators]") {
  const Job w = inference(llama3_8b);
  StepShape s;
  s.tokens = 1;
  s.context = 1024;
  const OperatorList ops = forward_operators(w, s);
  // (8.030e9 − 0.525e9) × 2 B = 15.01 GB of weights.
  REQUIRE(weight_bytes_of(ops) == Approx(15.01e9).epsilon(0.001));
  // KV read: 131,072 B × (1024 cached + 1 new) tokens.
  const Operator* att = ops.find("attention");
  REQUIRE(att->count * att->bytes.value() == Approx(131072.0 * 1025).epsilon(0.01));
  // FLOPs: 2·N' per token plus 4·L·(a·d)·context for attention.
  REQUIRE(ops.total_flops().value() == Approx(2 * 7.5047e9 + 4 * 32 * 4096 * 1025.0).epsilon(0.002));
  REQUIRE(!ops.overflowed());
}

TEST_CASE("storage formats", "[operators]") {
  STATIC_REQUIRE(weight_bits(WeightFormat::nf4_dq) == 4.127);  // docs/reference/formulas.md §1.4
  STATIC_REQUIRE(weight_bits(WeightFormat::q4_k_m) == 4.8944);
  STATIC_REQUIRE(head_bits(WeightFormat::nf4) == 16);         // lm_head stays 16-bit
  STATIC_REQUIRE(head_bits(WeightFormat::q4_k_m) == 4.8944);  // GGUF: whole-file average
  Job w = inference(llama3_8b);
  STATIC_REQUIRE(kv_bytes(Job{}) == 2);
  w.compute = Precision::fp8;
  REQUIRE(kv_bytes(w) == 1);  // kv_cache follows compute
  w.inference.kv_cache = KvFormat::q8_0;
  REQUIRE(kv_bytes(w) == Approx(34.0 / 32.0));
}

TEST_CASE("quantized weights: fused GEMV in decode, dequantize before large GEMMs", "[operators]") {
  Job w = inference(llama3_8b);
  w.weights = WeightFormat::nf4;
  StepShape decode;
  const OperatorList d = forward_operators(w, decode);
  const Operator* q = d.find("q_proj");
  REQUIRE(q->weights == WeightKernel::bnb_4bit);
  REQUIRE(q->quant_call);
  // 4096 × 4096 weights at 4.5 bits + activations.
  REQUIRE(q->bytes.value() == Approx(4096.0 * 4096 * 4.5 / 8 + 1 * (4096 + 4096) * 2));
  for (const auto& op : d) REQUIRE(op.kind != OpKind::dequant);

  StepShape prefill;
  prefill.tokens = 512;
  const OperatorList p = forward_operators(w, prefill);
  int dequants = 0;
  for (const auto& op : p)
    if (op.kind == OpKind::dequant) {
      ++dequants;
      // read the packed codes, write 16 bit
      REQUIRE(op.bytes.value() == Approx(op.weight_elements * (4.5 / 8 + 2)));
    }
  REQUIRE(dequants == 7);  // q, k, v, o, gate, up, down
}

TEST_CASE("training: backward GEMMs, LoRA adapters and recompute", "[operators][training]") {
  Job w;
  w.model = &llama3_8b;
  w.task = Task::training;
  StepShape s;
  s.tokens = 2048;
  s.inference = false;
  s.logits_all = true;

  // Full fine-tuning: forward 2N, backward 4N per token (dX and dW), attention backward 2.5× forward.
  const OperatorList full = forward_operators(w, s, true);
  double fwd = 0, bwd = 0, rec = 0;
  for (const auto& op : full) {
    const double f = op.total_flops().value();
    if (op.pass == Pass::forward) fwd += f;
    if (op.pass == Pass::backward) bwd += f;
    if (op.pass == Pass::recompute) rec += f;
  }
  const double n = 7504658432.0 * 2048;
  const double attn = 2.0 * 32 * 32 * 256 * 2048.0 * 2049 / 2;
  REQUIRE(fwd == Approx(2 * n + attn).epsilon(0.001));
  REQUIRE(bwd == Approx(4 * n + 2.5 * attn).epsilon(0.001));
  REQUIRE(rec == 0);

  // Full recompute adds the layers' forward again (not the head).
  w.training.checkpointing = Checkpointing::full;
  const OperatorList ck = forward_operators(w, s, true);
  rec = 0;
  for (const auto& op : ck)
    if (op.pass == Pass::recompute) rec += op.total_flops().value();
  REQUIRE(rec == Approx(2 * (n - 128256.0 * 4096 * 2048) + attn).epsilon(0.001));
  REQUIRE(!ck.overflowed());

  // LoRA: frozen weights get dX only; adapters r = 16 on all linears.
  w.training.method = Method::lora;
  w.training.checkpointing = Checkpointing::none;
  const OperatorList lora = forward_operators(w, s, true);
  int dw = 0, adapters = 0;
  for (const auto& op : lora) {
    if (op.kind == OpKind::linear && op.grad == Grad::weight) ++dw;
    if (op.kind == OpKind::lora && op.pass == Pass::forward) ++adapters;
  }
  REQUIRE(dw == 0);
  REQUIRE(adapters == 7);
  // 41.94M adapter parameters at r = 16 (docs/reference/formulas.md §1.3).
  REQUIRE(trainable_params(w) == Approx(41.94e6).epsilon(0.001));

  // QLoRA dequantizes in forward and backward.
  w.training.method = Method::qlora;
  w.weights = WeightFormat::nf4_dq;
  w.training.checkpointing = Checkpointing::full;
  const OperatorList q = forward_operators(w, s, true);
  int fwd_dq = 0, bwd_dq = 0, rec_dq = 0;
  for (const auto& op : q)
    if (op.kind == OpKind::dequant) {
      fwd_dq += op.pass == Pass::forward;
      bwd_dq += op.pass == Pass::backward;
      rec_dq += op.pass == Pass::recompute;
    }
  REQUIRE(fwd_dq == 7);
  REQUIRE(bwd_dq == 7);
  REQUIRE(rec_dq == 7);
  int rec_adapters = 0;
  for (const auto& op : q) rec_adapters += op.kind == OpKind::lora && op.pass == Pass::recompute;
  REQUIRE(rec_adapters == 7);  // the adapters run again in the recomputed forward

  // Selective recompute: only the attention core again.
  w.training.checkpointing = Checkpointing::selective;
  int rec_ops = 0;
  for (const auto& op : forward_operators(w, s, true))
    if (op.pass == Pass::recompute) {
      ++rec_ops;
      REQUIRE(op.kind == OpKind::attention);
    }
  REQUIRE(rec_ops == 1);
  REQUIRE(!q.overflowed());
}

TEST_CASE("MoE: experts touched grow with the batch", "[operators][moe]") {
  Job w = inference(mixtral);
  StepShape one;
  const OperatorList b1 = forward_operators(w, one);
  const Operator* e1 = b1.find("expert_up");
  REQUIRE(e1 != nullptr);
  // One grouped GEMM over the 8 experts; one token touches top-2 of them: a quarter of the expert weights.
  REQUIRE(e1->weight_elements / (8 * 14336.0 * 4096) == Approx(0.25));
  StepShape many;
  many.seqs = 64;
  const OperatorList b64 = forward_operators(w, many);
  // 64 tokens: 1 − (6/8)^64 ≈ 1 of the experts.
  REQUIRE(b64.find("expert_up")->weight_elements / (8 * 14336.0 * 4096) == Approx(1.0).epsilon(1e-6));
}

TEST_CASE("optimizer traffic per parameter", "[operators][training]") {
  Job w;
  w.model = &llama3_8b;
  w.task = Task::training;
  // Mixed-precision AdamW: read master, m, v (4 each) + fp32 grad 4, write master, m, v + the 16-bit copy 2.
  REQUIRE(optimizer_bytes_per_param(w) == 4 + 4 + 4 + 4 + 4 + 4 + 4 + 2);
  w.training.precision = PrecisionPolicy::pure;
  // Pure bf16 AdamW: 2 B each for weight, grad, m, v; read 4 tensors, write 3.
  REQUIRE(optimizer_bytes_per_param(w) == 2 * 2 + 2 + 2 * 2 * 2);
  w.training.optimizer = Optimizer::adamw_8bit;
  REQUIRE(optimizer_bytes_per_param(w) == 2 * 2 + 2 + 2 * 2 * 1);
  STATIC_REQUIRE(optimizer_operator(inference(llama3_8b)).kind == OpKind::optimizer);
}

TEST_CASE("operator lists are built at compile time", "[operators]") {
  constexpr Job w = [] {
    Job x;
    x.model = &llama3_8b;
    return x;
  }();
  constexpr OperatorList ops = forward_operators(w, StepShape{});
  STATIC_REQUIRE(ops.size() > 10);
  STATIC_REQUIRE(!ops.overflowed());
}

TEST_CASE("hybrid: linear-attention layers run their own mixer, only the attention layers attend", "[operators][hybrid]") {
  // A Qwen3-Next-shaped hybrid (docs/time.md "Linear attention and SSM layers"): 48 layers, 36 of them Gated
  // DeltaNet (16 key heads x 128, 32 value heads x 128, conv 4, fp32 state), 12 with gated attention.
  ModelArch m;
  m.id = "gdn-hybrid";
  m.hidden = 2048;
  m.layers = 48;
  m.heads = 16;
  m.kv_heads = 2;
  m.head_dim = 256;
  m.intermediate = 5120;
  m.vocab = 151936;
  m = with_gated_deltanet(m, 36);
  const Job w = inference(m);

  // Input projection: q, k (2 x 16 x 128), v, z (2 x 32 x 128), b, a (2 x 32) = 12,352 wide; output from 4,096.
  const double in = 2 * 16 * 128 + 2 * 32 * 128 + 2 * 32;
  const double attn = 2048.0 * 16 * 256 + 2 * 2048.0 * 2 * 256 + 16 * 256 * 2048.0;
  const double mlp = 3 * 2048.0 * 5120;
  REQUIRE(matmul_params(model_dims(m)) == 12 * attn + 36 * (2048 * in + 4096 * 2048.0) + 48 * mlp + 151936.0 * 2048);

  StepShape prefill;
  prefill.tokens = 1024;
  const OperatorList p = forward_operators(w, prefill);
  REQUIRE(p.find("q_proj")->count == 12);
  REQUIRE(p.find("kv_write")->count == 12);
  REQUIRE(p.find("attention")->count == 12);
  REQUIRE(p.find("in_proj")->count == 36);
  REQUIRE(p.find("in_proj")->n == in);
  REQUIRE(p.find("out_proj")->k == 4096);
  const Operator* mix = p.find("linear_attention");
  REQUIRE(mix != nullptr);
  REQUIRE(mix->count == 36);
  // Chunked form, chunk 64: per token and value head 2·64·(3·128 + 2·128) + 6·128·128 = 81,920 + 98,304.
  REQUIRE(mix->flops.value() == Approx(1024.0 * 32 * (81920 + 98304)));
  // In: q, k, v (8,192 conv channels); out: 4,096; bf16. 16 chunk states of 32 x 128 x 128 fp32 written and
  // read; the final state (fp32) kept for decode.
  const double state = 32.0 * 128 * 128;
  REQUIRE(mix->bytes.value() == Approx(1024.0 * (8192 + 4096) * 2 + 2 * 16 * state * 4 + state * 4));

  StepShape decode;
  decode.seqs = 8;
  decode.tokens = 1;
  decode.context = 4096;
  const OperatorList d = forward_operators(w, decode);
  const Operator* step = d.find("linear_attention");
  REQUIRE(step != nullptr);
  // Recurrent update: 7·dk·dv per value head and token; each sequence's state read and written.
  REQUIRE(step->flops.value() == Approx(8 * state * 7));
  REQUIRE(step->bytes.value() == Approx(8.0 * (8192 + 4096) * 2 + 2 * 8 * state * 4));
  // The attention layers alone read the KV cache: 12 layers x 8 sequences x 4,097 tokens x 2·2·256 elements.
  REQUIRE(d.find("attention")->count == 12);
  // The conv keeps its last 3 inputs of 8,192 channels per sequence, read and written.
  REQUIRE(d.find("conv1d")->bytes.value() == Approx(8.0 * 8192 * 2 * 2 + 2 * 8 * 8192 * 3 * 2));
}

TEST_CASE("sliding-window layers: a fused kernel computes and reads only the window", "[operators][window]") {
  // Σ_{i=1..q} min(c + i, W): within the window it is the causal count, past it W per query.
  STATIC_REQUIRE(detail::causal_pairs(100, 0, 128) == 100.0 * 101 / 2);
  STATIC_REQUIRE(detail::causal_pairs(1, 4096, 128) == 128);
  // 1,024 new tokens from an empty cache: the first 128 see 1..128 keys, the other 896 see 128.
  STATIC_REQUIRE(detail::causal_pairs(1024, 0, 128) == 128.0 * 129 / 2 + 896 * 128);
  // 64 new tokens after 100 cached, window 128: the first 28 see 101..128, the other 36 see 128.
  STATIC_REQUIRE(detail::causal_pairs(64, 100, 128) == 28 * 100 + 28.0 * 29 / 2 + 36 * 128);
  STATIC_REQUIRE(detail::causal_pairs(64, 100, 0) == 64 * 100 + 64.0 * 65 / 2);  // no window

  // gpt-oss-shaped: 24 layers, half of them over a 128-token window; 64 heads of 64, 8 KV heads.
  ModelArch m;
  m.id = "window-model";
  m.hidden = 2880;
  m.layers = 24;
  m.heads = 64;
  m.kv_heads = 8;
  m.head_dim = 64;
  m.intermediate = 2880;
  m.vocab = 201088;
  m.window = 128;
  m.window_layers = 12;
  Job w = inference(m);
  StepShape prefill;
  prefill.tokens = 1024;
  const OperatorList p = forward_operators(w, prefill);
  REQUIRE(p.find("attention")->count == 12);
  const Operator* win = p.find("window_attention");
  REQUIRE(win != nullptr);
  REQUIRE(win->count == 12);
  REQUIRE(win->flops.value() == Approx(2.0 * 64 * 128 * (128.0 * 129 / 2 + 896 * 128)));
  REQUIRE(p.find("attention")->flops.value() == Approx(2.0 * 64 * 128 * 1024 * 1025 / 2));

  // Decode at 4,096 cached tokens: a window layer reads 127 cached keys and the new one; KV 2·8·64 elements
  // per token at 2 B, q and o 64 x 128 x 2 B.
  StepShape decode;
  decode.tokens = 1;
  decode.context = 4096;
  const OperatorList d = forward_operators(w, decode);
  REQUIRE(d.find("window_attention")->bytes.value() == Approx(128.0 * 1024 * 2 + 64 * 128 * 2));
  REQUIRE(d.find("attention")->bytes.value() == Approx(4097.0 * 1024 * 2 + 64 * 128 * 2));

  // Eager attention computes the whole product and masks it: no saving.
  w.flash_attention = false;
  const OperatorList e = forward_operators(w, prefill);
  REQUIRE(e.find("window_attention")->flops.value() == Approx(e.find("attention")->flops.value()));
}

TEST_CASE("LoRA adapters: attention ones in the layers that attend, MLP ones in the layers with an MLP", "[operators][lora]") {
  // nemotron_h-shaped: 12 layers, 4 linear-attention and 3 attention layers without an MLP (7 mixer-only) and
  // 5 MLP-only layers; h = 1024, 8 heads and 2 KV heads of 128, plain MLP of 4,096.
  ModelArch m;
  m.id = "mixer-mlp-hybrid";
  m.hidden = 1024;
  m.layers = 12;
  m.heads = 8;
  m.kv_heads = 2;
  m.head_dim = 128;
  m.intermediate = 4096;
  m.vocab = 8192;
  m.gated_mlp = false;
  m.mixer_only_layers = 7;
  m.mlp_only_layers = 5;
  m = with_gated_deltanet(m, 4);
  Job w;
  w.model = &m;
  w.task = Task::training;
  w.training.method = Method::lora;
  w.training.lora_rank = 8;
  w.training.lora_targets = lora_all_linear;
  // r·(in + out) per module. Attention: q, o 8·(1024 + 1024), k, v 8·(1024 + 256) = 53,248 per layer, 3 layers;
  // MLP: up, down 8·(1024 + 4096) = 81,920 per layer, 5 layers.
  const double expected = 3 * 53248.0 + 5 * 81920.0;
  REQUIRE(trainable_params(w) == expected);
  REQUIRE(static_cast<double>(lora_params(m, lora_all_linear, 8)) == expected);  // the memory model's count
}
