#pragma once
/// @file operators.hpp
/// A transformer step as a list of operators, each with its FLOPs and the bytes it moves.
///
/// The list is fixed-capacity (std::array + count) so building it allocates nothing and works in
/// constant expressions. One Operator stands for `count` identical kernels (e.g. q_proj in every
/// layer). GEMMs carry their shape (M tokens × N outputs × K inputs) so the roofline can apply a
/// shape-dependent efficiency; elementwise kernels carry the traffic of an unfused (eager)
/// implementation and their kernel count, which a runtime's fusion factor scales down.
///
/// Conventions (docs/time.md):
/// - GEMM FLOPs = 2·M·N·K; traffic = weights (in their storage format) + inputs + outputs.
/// - Attention: causal FLOPs (2·a·d_qk·s² + 2·a·d_v·s² halved) when flash attention skips masked blocks;
///   the full s×s without flash attention, plus the score/probability round trips through memory.
/// - Quantized weights: decode (M ≤ 8) reads the packed weights in a fused dequantizing GEMV; larger M
///   dequantizes each weight to 16 bit first (per prefill chunk, per training use), as bitsandbytes and
///   llama.cpp's cuBLAS path do.

#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "headroom/detail/inline.hpp"
#include "headroom/efficiency.hpp"
#include "headroom/expert_parallel.hpp"
#include "headroom/gpu.hpp"
#include "headroom/job.hpp"
#include "headroom/model.hpp"
#include "headroom/quant.hpp"
#include "headroom/units.hpp"

namespace headroom {

enum class OpKind : std::uint8_t {
  embedding,   ///< token (and position) row gather
  norm,        ///< LayerNorm / RMSNorm
  linear,      ///< a weight GEMM (projection, MLP, expert, router)
  lora,        ///< LoRA A/B adapters of one module
  rope,        ///< rotary position embedding of q and k
  kv_write,    ///< appending k, v to the cache
  attention,   ///< q·kᵀ, softmax, ·v (fused or not)
  activation,  ///< SiLU/GELU (and the gate product)
  residual,    ///< residual additions
  lm_head,     ///< output projection to the vocabulary
  loss,        ///< softmax cross-entropy (training)
  dequant,     ///< quantized weights expanded to 16 bit before a large-M GEMM
  optimizer,   ///< parameter update
  permute      ///< MoE token permutation: rows gathered into expert order and the outputs scattered back
};

enum class Pass : std::uint8_t { forward, backward, recompute };
enum class Grad : std::uint8_t { none, input, weight };  ///< for backward GEMMs: dX or dW

struct Operator {
  std::string_view name{};
  double count = 1;            ///< identical instances per step (e.g. layers)
  double m = 0, n = 0, k = 0;  ///< GEMM shape (0 for other kernels)
  Flops flops{};               ///< per instance
  Bytes bytes{};               ///< per instance, everything read and written
  double weight_elements = 0;  ///< per instance: weight elements streamed (for a GEMV issue roof)
  double kernels = 1;          ///< eager kernel launches per instance
  Precision precision = Precision::bf16;
  OpKind kind = OpKind::linear;
  Pass pass = Pass::forward;
  Grad grad = Grad::none;
  WeightKernel weights = WeightKernel::dense;  ///< storage of the weights read
  bool fusable = false;                        ///< elementwise: fusion removes kernels and traffic
  bool quant_call = false;                     ///< a linear stored as other than dense (its format wrapper's host cost)
  bool in_layer = true;  ///< part of a decoder layer (what checkpointing recomputes); false for embedding and head
  bool grouped = false;  ///< one grouped GEMM of several experts (GEMV or tensor-core kernel, weights read as stored)
  /// Host-issued calls per instance after a host sync (the GPU idles until they are issued): the per-expert
  /// calls of a runtime with MoeTraits::expert_sync_calls.
  double sync_calls = 0;

  [[nodiscard]] constexpr bool is_gemm() const noexcept { return m > 0 && n > 0 && k > 0; }
  /// At most 8 rows against streamed weights: timed as a GEMV (the timer, the prepared records and the
  /// planner's lower bound all ask this, so that they agree).
  [[nodiscard]] constexpr bool small_m() const noexcept { return m > 0 && m <= 8 && weight_elements > 0; }
  [[nodiscard]] constexpr Flops total_flops() const noexcept { return flops * count; }
  [[nodiscard]] constexpr Bytes total_bytes() const noexcept { return bytes * count; }
};

/// Fixed-capacity operator list.
class OperatorList {
 public:
  /// DeepSeek-V3 QLoRA training with recomputation lists 156 (dense and MoE layers, MLA, adapters, dequant).
  static constexpr int capacity = 192;

  constexpr void push(const Operator& op) noexcept {
    if (op.count <= 0) return;
    if (size_ < capacity) ops_[static_cast<std::size_t>(size_++)] = op;
    else overflow_ = true;
  }
  [[nodiscard]] constexpr int size() const noexcept { return size_; }
  [[nodiscard]] constexpr bool overflowed() const noexcept { return overflow_; }
  [[nodiscard]] constexpr const Operator& operator[](int i) const noexcept { return ops_[static_cast<std::size_t>(i)]; }
  [[nodiscard]] constexpr const Operator* begin() const noexcept { return ops_.data(); }
  [[nodiscard]] constexpr const Operator* end() const noexcept { return ops_.data() + size_; }

  [[nodiscard]] constexpr Flops total_flops() const noexcept {
    Flops f{};
    for (const auto& op : *this) f += op.total_flops();
    return f;
  }
  [[nodiscard]] constexpr Bytes total_bytes() const noexcept {
    Bytes b{};
    for (const auto& op : *this) b += op.total_bytes();
    return b;
  }
  /// The first operator with that name and pass, or nullptr.
  [[nodiscard]] constexpr const Operator* find(std::string_view name, Pass pass = Pass::forward) const noexcept {
    for (const auto& op : *this)
      if (op.name == name && op.pass == pass) return &op;
    return nullptr;
  }

 private:
  std::array<Operator, capacity> ops_{};
  int size_ = 0;
  bool overflow_ = false;
};

// ---------------------------------------------------------------------------------------------------------------
// Storage sizes

/// Bits per weight element of the block linears (docs/reference/formulas.md §1.4: codes + block constants; GGUF *_K_M
/// whole-file averages of Llama-3.1-8B).
[[nodiscard]] constexpr double weight_bits(WeightFormat f) noexcept {
  switch (f) {
    case WeightFormat::fp32: return 32;
    case WeightFormat::bf16:
    case WeightFormat::fp16: return 16;
    case WeightFormat::fp8:
    case WeightFormat::int8: return 8;
    case WeightFormat::nf4:
    case WeightFormat::fp4: return 4.5;
    case WeightFormat::nf4_dq:
    case WeightFormat::fp4_dq: return 4.127;
    case WeightFormat::gptq_4bit:
    case WeightFormat::awq_4bit: return 4.156;
    case WeightFormat::nvfp4: return 4.5;    // E2M1 + E4M3 scale per 16 (quant.hpp)
    case WeightFormat::mxfp4: return 4.25;   // E2M1 + E8M0 scale per 32 (quant.hpp)
    case WeightFormat::q4_0: return 4.5;
    case WeightFormat::q4_k_m: return 4.8944;
    case WeightFormat::q5_k_m: return 5.7036;
    case WeightFormat::q6_k: return 6.5633;
    case WeightFormat::q8_0: return 8.5008;
  }
  return 16;
}

/// Bits per element of the output head and embeddings: 16-bit for bitsandbytes/GPTQ/AWQ/FP8 checkpoints
/// (HF and ModelOpt leave lm_head unquantized), the format's average for GGUF files, 32 for fp32.
[[nodiscard]] constexpr double head_bits(WeightFormat f) noexcept {
  switch (weight_kernel(f)) {
    case WeightKernel::gguf: return weight_bits(f);
    default: return f == WeightFormat::fp32 ? 32 : 16;
  }
}

namespace detail {
/// Bytes per activation element for a compute precision (fp8 GEMMs keep 16-bit activations between kernels).
[[nodiscard]] constexpr double act_bytes(Precision p) noexcept {
  return p == Precision::fp32 || p == Precision::tf32 ? 4.0 : 2.0;
}
}  // namespace detail

/// Bytes per KV-cache element of a job (an absent kv_cache follows `compute`: normalize).
[[nodiscard]] constexpr double kv_bytes(const Job& w) noexcept {
  return kv_bytes_per_element(*normalize(w).inference.kv_cache);
}

/// Shape numbers of an architecture, as doubles for the FLOP arithmetic.
struct ModelDims {
  double h = 0, layers = 0, heads = 0, kv_heads = 0;
  double d_qk = 0, d_v = 0;  ///< per-head q/k and v widths
  double intermediate = 0, vocab = 0;
  double dense_layers = 0, moe_layers = 0;
  double experts = 0, top_k = 0, expert_i = 0, shared_i = 0;
  bool gated = true, mla = false;
  double q_lora = 0, kv_lora = 0, rope_dim = 0;
  double kv_elements = 0;  ///< KV-cache elements per token per layer
  // Hybrids: of the `layers` with a token mixer, `attn_layers` attend and `linear_layers` run a recurrent
  // mixer (Gated DeltaNet or Mamba-2; its shape is the ModelArch's) with `linear_weights` projection
  // weights each.
  double attn_layers = 0, linear_layers = 0, linear_weights = 0;
  // Of the attn_layers, `window_layers` attend over the last `window` tokens (`window_chunked`: within
  // chunks of `window` tokens, llama4).
  double window_layers = 0, window = 0;
  bool window_chunked = false;

  [[nodiscard]] constexpr double q_width() const noexcept { return heads * d_qk; }
  [[nodiscard]] constexpr double kv_width() const noexcept { return kv_heads * d_qk; }
  [[nodiscard]] constexpr double mlp_matrices() const noexcept { return gated ? 3.0 : 2.0; }
};

[[nodiscard]] constexpr ModelDims model_dims(const ModelArch& m) noexcept {
  ModelDims d;
  d.h = static_cast<double>(m.hidden);
  d.layers = static_cast<double>(m.layers - m.mlp_only_layers);  // layers with a token mixer
  d.attn_layers = d.layers;
  if (m.window_layers > 0 && m.window > 0) {
    d.window_layers = static_cast<double>(m.window_layers);
    d.window = static_cast<double>(m.window);
    d.window_chunked = m.window_chunked;
  }
  if (m.linear_layers > 0 && m.linear_kind != LinearKind::none) {
    const LinearWidths lw = linear_widths(m);
    d.linear_layers = static_cast<double>(m.linear_layers);
    const std::int64_t attending = attention_layer_count(m);  // a pipeline stage's rounded share can leave none
    d.attn_layers = static_cast<double>(attending > 0 ? attending : 0);
    d.linear_weights = d.h * static_cast<double>(lw.in_proj) + static_cast<double>(lw.inner) * d.h;
  }
  d.heads = static_cast<double>(m.heads);
  d.kv_heads = static_cast<double>(m.kv_heads > 0 ? m.kv_heads : m.heads);
  const double head_dim = m.head_dim > 0 ? static_cast<double>(m.head_dim) : (m.heads > 0 ? d.h / d.heads : 0);
  d.d_qk = head_dim;
  d.d_v = head_dim;
  d.intermediate = static_cast<double>(m.intermediate > 0 ? m.intermediate : 4 * m.hidden);
  d.vocab = static_cast<double>(m.vocab);
  d.gated = m.gated_mlp;
  if (m.attention == AttentionKind::mla) {
    d.mla = true;
    d.q_lora = static_cast<double>(m.q_lora_rank);
    d.kv_lora = static_cast<double>(m.kv_lora_rank);
    d.rope_dim = static_cast<double>(m.qk_rope_head_dim);
    d.d_qk = static_cast<double>(m.qk_nope_head_dim + m.qk_rope_head_dim);
    d.d_v = static_cast<double>(m.v_head_dim);
    d.kv_elements = d.kv_lora + d.rope_dim;
  } else {
    d.kv_elements = 2 * d.kv_heads * head_dim;
  }
  if (m.experts > 0) {
    d.moe_layers = static_cast<double>(moe_layer_count(m));  // the same layer rule as the parameter count
    d.dense_layers = static_cast<double>(dense_layer_count(m));
    d.experts = static_cast<double>(m.experts);
    d.top_k = static_cast<double>(m.experts_per_token > 0 ? m.experts_per_token : 1);
    d.expert_i = static_cast<double>(m.expert_intermediate > 0 ? m.expert_intermediate : m.intermediate);
    // The shared MLP is shared_experts x shared_intermediate wide (model.hpp; DeepSeek-V2: 2 x 1536).
    d.shared_i = static_cast<double>(m.shared_experts) *
                 (m.shared_intermediate > 0 ? static_cast<double>(m.shared_intermediate) : d.expert_i);
  } else {
    d.dense_layers = static_cast<double>(dense_layer_count(m));
  }
  return d;
}

/// Weights that do matrix products per token (blocks with the routed top-k experts, plus the output head):
/// the N of "2N FLOPs per token". The input embedding is a row lookup and is not counted.
[[nodiscard]] constexpr double matmul_params(const ModelDims& d, bool active_only = true) noexcept {
  double attn = 0;
  if (d.mla) {
    const double q = d.q_lora > 0 ? d.h * d.q_lora + d.q_lora * d.q_width() : d.h * d.q_width();
    attn = q + d.h * (d.kv_lora + d.rope_dim) + d.kv_lora * d.heads * (d.d_qk - d.rope_dim + d.d_v) +
           d.heads * d.d_v * d.h;
  } else {
    attn = d.h * d.q_width() + 2 * d.h * d.kv_width() + d.q_width() * d.h;
  }
  const double mlp = d.mlp_matrices() * d.h * d.intermediate;
  double moe = 0;
  if (d.moe_layers > 0) {
    const double e = active_only ? d.top_k : d.experts;
    moe = e * d.mlp_matrices() * d.h * d.expert_i + d.mlp_matrices() * d.h * d.shared_i + d.h * d.experts;
  }
  return d.attn_layers * attn + d.linear_layers * d.linear_weights + d.dense_layers * mlp + d.moe_layers * moe +
         d.vocab * d.h;
}

// ---------------------------------------------------------------------------------------------------------------
// Building the lists

/// Where the routed experts of an MoE layer run relative to this GPU's tokens (docs/time.md "Mixture of
/// experts"). One GPU alone: everything 1. Expert parallelism over `ep` GPUs: this GPU holds 1/ep of the
/// experts, and the tokens of `token_group` ranks (each with this GPU's token count) meet at them, so each
/// expert's grouped-GEMM rows are token_group·tokens·k/E.
struct MoePlacement {
  double expert_share = 1;  ///< share of the routed experts whose weights this GPU holds (1/ep)
  double token_group = 1;   ///< ranks whose tokens are routed to the same experts (EP group, in units of this GPU's tokens)
  double imbalance = 1;     ///< tokens of the busiest expert rank over the mean (1: balanced)

  constexpr bool operator==(const MoePlacement&) const noexcept = default;
};

/// What one forward call processes.
struct StepShape {
  double seqs = 1;     ///< sequences in the call
  double tokens = 1;   ///< new tokens per sequence (prompt chunk, 1 in decode, seq in training)
  double context = 0;  ///< tokens already in the KV cache before this call (decode: average over the window)
  bool inference = true;
  bool logits_all = false;  ///< logits for every token (training) instead of the last one per sequence
  double repeat = 1;        ///< identical calls (prefill chunks, gradient accumulation)
  MoePlacement moe{};       ///< where the routed experts run (expert parallelism)

  constexpr bool operator==(const StepShape&) const noexcept = default;
};

namespace detail {

template <class Sink>
struct Builder {
  Sink* sink;
  const Job* w;
  ModelDims d;
  double act;       ///< activation bytes per element
  double wbits;     ///< block-linear bits per weight
  WeightKernel wk;  ///< storage kind of block linears
  Precision prec;
  bool quantized;   ///< block linears are stored below 16 bit in a format that needs dequantization
  bool lora;        ///< LoRA/QLoRA adapters present
  bool train_base;  ///< block linears get weight gradients
  Pass pass = Pass::forward;
  double repeat = 1;
  bool attention_only = false;  ///< selective recompute: only the attention core
  bool in_layer = true;         ///< ops pushed now belong to a decoder layer
  double expert_kernels = 1;    ///< launches per grouped expert GEMM (runtimes that launch per expert)
  bool experts_only = false;    ///< only the routed experts are stored in the weight format (experts_only_quantized)
  bool expert_gemm = false;     ///< the linears pushed now are routed experts
  // Host calls after a host sync per instance of the linears pushed now (forward, dX, dW): routed experts of
  // a runtime that issues them one by one (MoeTraits::expert_sync_calls).
  double sync_forward = 0, sync_input_grad = 0, sync_weight_grad = 0;

  [[nodiscard]] constexpr bool targeted(std::uint32_t bit) const noexcept {
    return lora && (w->training.lora_targets & bit) != 0;
  }

  HEADROOM_INLINE constexpr void push(Operator op) const noexcept {
    if (op.count <= 0) return;
    if (attention_only && op.kind != OpKind::attention) return;
    op.pass = pass;
    op.count *= repeat;
    op.in_layer = in_layer;
    (*sink)(op);
  }

  /// A weight GEMM (and its dequantization, LoRA adapters and backward when training).
  /// `groups` > 1: one grouped GEMM (MoE experts) of `groups` independent M×N×K products in one kernel, of
  /// which `weight_share` have their weights read (the experts some token was routed to).
  /// Inlined with push and the sink: the forward GEMM, every job's; the rest (linear_rest) is a call.
  HEADROOM_INLINE constexpr void linear(std::string_view name, double layers, double m, double n, double k,
                                        std::uint32_t lora_bit, bool training, double weight_share = 1.0,
                                        double groups = 1.0) const noexcept {
    if (layers <= 0 || m <= 0 || groups <= 0) return;
    // A grouped MoE GEMM reads quantized experts in their stored format (fused MoE kernels dequantize
    // in the tile, no separate unpacking pass); a plain product with m <= 8 runs as a GEMV.
    const bool grouped = groups > 1;
    const bool gemv = m <= 8;
    // Outside the experts of an experts-only checkpoint the weights are 16-bit.
    const bool stored = !experts_only || expert_gemm;
    const bool q_here = quantized && stored;
    const double bits_here = stored ? wbits : 16.0;
    const WeightKernel kind_here = stored ? wk : WeightKernel::dense;
    const bool dequant = q_here && !gemv && !grouped;
    const double elems = n * k * groups * weight_share;  // weight elements actually read (MoE: touched experts)
    const double rows = m * groups;                      // rows of all groups together
    Operator op;
    op.kind = OpKind::linear;
    op.name = name;
    op.count = layers;
    op.m = m;
    op.n = n;
    op.k = k;
    op.precision = prec;
    op.flops = Flops{2 * rows * n * k};
    op.weight_elements = elems;
    op.weights = dequant ? WeightKernel::dense : kind_here;
    const double wbytes = elems * (dequant ? 2.0 : bits_here / 8);
    op.bytes = Bytes{wbytes + rows * (n + k) * act};
    // Every call of a linear stored as other than `dense` goes through its format's wrapper (fp8 included,
    // which needs no dequantization); the runtime's quant_call_s says what that costs the host.
    op.quant_call = stored && wk != WeightKernel::dense;
    op.grouped = grouped;
    op.kernels = grouped ? expert_kernels : 1.0;
    op.sync_calls = sync_forward;
    push(op);
    if (dequant || training || targeted(lora_bit))
      linear_rest(op, lora_bit, training, dequant, q_here, bits_here, kind_here, groups);
  }

  /// What follows linear()'s forward GEMM `op`: its dequantization, LoRA adapters and backward.
  constexpr void linear_rest(const Operator& op, std::uint32_t lora_bit, bool training, bool dequant, bool q_here,
                             double bits_here, WeightKernel kind_here, double groups) const noexcept {
    const std::string_view name = op.name;
    const double layers = op.count, m = op.m, n = op.n, k = op.k;
    const double elems = op.weight_elements, rows = m * groups;
    // Unpacking a quantized weight to 16 bit before a dense GEMM: read the codes, write bf16.
    const auto dequant_op = [&] {
      Operator dq;
      dq.kind = OpKind::dequant;
      dq.name = name;
      dq.count = layers;
      dq.precision = prec;
      dq.bytes = Bytes{elems * (bits_here / 8 + 2.0)};
      dq.weight_elements = elems;
      dq.weights = kind_here;
      return dq;
    };
    if (dequant) push(dequant_op());
    const bool adapted = targeted(lora_bit);
    const double r = static_cast<double>(w->training.lora_rank);
    if (adapted) {
      Operator la;
      la.kind = OpKind::lora;
      la.name = name;
      la.count = layers;
      la.m = m;
      la.n = n;
      la.k = r;  // B (r -> n) dominates the shape; A (k -> r) is folded into the FLOPs and traffic
      la.precision = prec;
      la.flops = Flops{2 * rows * r * (n + k)};
      la.bytes = Bytes{4 * r * (n + k) * groups + rows * (k + 2 * r + 2 * n) * act};
      la.kernels = 4;  // A, B, scale, add
      push(la);
    }
    if (!training) return;
    // Backward: dX always (the gradient flows to earlier layers), dW only for trainable weights.
    Builder b = *this;
    b.pass = Pass::backward;
    Operator dx = op;
    dx.grad = Grad::input;
    dx.weights = WeightKernel::dense;
    dx.bytes = Bytes{elems * (q_here ? 2.0 : bits_here / 8) + rows * (n + k) * act};
    dx.quant_call = false;
    dx.sync_calls = sync_input_grad;
    b.push(dx);
    if (q_here) b.push(dequant_op());
    if (train_base) {
      Operator dw = op;
      dw.grad = Grad::weight;
      dw.m = n;
      dw.n = k;
      dw.k = m;  // reduction over tokens
      dw.weights = WeightKernel::dense;
      dw.bytes = Bytes{elems * 2 * act + rows * (n + k) * act};  // gradient written (and accumulated) + inputs
      dw.quant_call = false;
      dw.sync_calls = sync_weight_grad;
      b.push(dw);
    }
    if (adapted) {
      Operator la;
      la.kind = OpKind::lora;
      la.name = name;
      la.grad = Grad::weight;
      la.count = layers;
      la.m = m;
      la.n = n;
      la.k = r;
      la.precision = prec;
      la.flops = Flops{4 * rows * r * (n + k)};  // dX and dW of A and B
      la.bytes = Bytes{8 * r * (n + k) * groups + 2 * rows * (k + 2 * r + 2 * n) * act};
      la.kernels = 6;
      b.push(la);
    }
  }

  /// An attention-class core (attention, the linear-attention mixer) and, when training, its backward:
  /// 2.5x the forward FLOPs (FlashAttention-2: five matmuls against two) and twice its traffic.
  HEADROOM_INLINE constexpr void core(Operator op, bool training) const noexcept {
    push(op);
    if (!training) return;
    Builder b = *this;
    b.pass = Pass::backward;
    op.grad = Grad::input;
    op.flops = op.flops * 2.5;
    op.bytes = op.bytes * 2.0;
    b.push(op);
  }

  /// An elementwise/normalisation kernel group with eager traffic `bytes` per instance.
  HEADROOM_INLINE constexpr void elementwise(OpKind kind, std::string_view name, double count, double bytes,
                                             double kernels, bool training, double flops = 0) const noexcept {
    if (count <= 0) return;
    Operator op;
    op.kind = kind;
    op.name = name;
    op.count = count;
    op.precision = prec;
    op.bytes = Bytes{bytes};
    op.flops = Flops{flops};
    op.kernels = kernels;
    op.fusable = true;
    push(op);
    if (!training) return;
    Builder b = *this;
    b.pass = Pass::backward;
    op.grad = Grad::input;
    op.bytes = Bytes{2 * bytes};
    op.flops = Flops{2 * flops};
    b.push(op);
  }
};

/// Query-key pairs per head of `q` new queries over `c` cached keys, causal, when each query sees at
/// most the last `window` keys (0: all of them): Σ_{i=1..q} min(c + i, window).
[[nodiscard]] constexpr double causal_pairs(double q, double c, double window) noexcept {
  if (window <= 0 || c + q <= window) return q * c + q * (q + 1) / 2;
  if (c >= window) return q * window;
  const double inside = window - c;  // the first queries still see every key
  return inside * c + inside * (inside + 1) / 2 + (q - inside) * window;
}

/// Attention core per layer for `seqs` sequences of `tokens` new queries over `context` cached keys,
/// `count` layers. `window` > 0: sliding-window layers (each query sees the last `window` keys); fused
/// kernels (FlashAttention's window_size, the serving engines' paged kernels) compute and read only the
/// window, eager attention computes the whole product and masks it.
[[nodiscard]] constexpr Operator attention_op(const ModelDims& d, const Job& w, const StepShape& s, double act,
                                              double kvb, Precision prec, double count, double window) noexcept {
  Operator op;
  op.kind = OpKind::attention;
  op.name = window > 0 ? "window_attention" : "attention";
  op.count = count;
  op.precision = prec == Precision::fp8 ? Precision::bf16 : prec;  // attention runs at 16 bit
  const double q = s.tokens, c = s.context;
  const bool fa = w.flash_attention;
  const double seen = fa ? window : 0;  // keys a query reaches: the window only in a fused kernel
  // Query-key pairs per head: causal among the new tokens plus all cached ones.
  const double pairs_full = q * (c + q);
  const double pairs = fa ? causal_pairs(q, c, seen) : pairs_full;
  const double width = d.mla && q == 1 ? 2 * d.kv_lora + d.rope_dim : d.d_qk + d.d_v;  // absorbed MLA in decode
  op.flops = Flops{s.seqs * 2 * d.heads * width * pairs};
  // Keys read: the cached ones a query reaches (the last window − 1 in a window) and the new ones.
  const double keys = seen > 0 && c + q > seen - 1 + q ? seen - 1 + q : c + q;
  const double kv_read = s.seqs * keys * d.kv_elements * (c > 0 ? kvb : act);
  const double qo = s.seqs * q * d.heads * (d.d_qk + d.d_v) * act;
  double bytes = kv_read + qo;
  if (!fa) bytes += s.seqs * d.heads * pairs_full * (4 * act + 8);  // scores, fp32 softmax, probabilities
  op.bytes = Bytes{bytes};
  op.kernels = fa ? 1 : 6;
  return op;
}

/// The recurrent mixer of the linear-attention/SSM layers (docs/time.md "Linear attention and SSM
/// layers"), per layer, for `seqs` sequences of `tokens` new tokens. One new token per sequence
/// (decode) runs the recurrent update, which reads and writes each sequence's state: Gated DeltaNet
/// decay, kᵀS, the rank-one update and qS, 7·dk·dv FLOPs per head; Mamba-2 decay, B·x and C·h,
/// 5·dk·dv. Longer calls run the chunked form (flash-linear-attention's chunk_gated_delta_rule,
/// chunk 64; Mamba-2's SSD at nemotron_h's chunk_size, 128): per token and head the intra-chunk
/// products 2C(3dk + 2dv) for GDN (kkᵀ, the UT transform, qkᵀ and the two products with v) or
/// 2C(dk + dv) for SSD, plus the state products 6·dk·dv (GDN) or 4·dk·dv (SSD); the chunk states
/// (fp32) are written and read once. Counted as attention-class kernels (tensor-core Triton
/// kernels, like FlashAttention).
[[nodiscard]] constexpr Operator linear_mixer_op(const ModelArch& m, double layers, const StepShape& s, double act,
                                                 Precision prec) noexcept {
  Operator op;
  op.kind = OpKind::attention;
  op.name = "linear_attention";
  op.count = layers;
  op.precision = prec == Precision::fp8 ? Precision::bf16 : prec;  // the scan runs at 16 bit
  const bool gdn = m.linear_kind == LinearKind::gated_deltanet;
  const LinearWidths lw = linear_widths(m);
  // The state of one value head: GDN key dim x value dim; Mamba-2 d_state (linear_key_dim) x head dim.
  const double heads = static_cast<double>(m.linear_value_heads), dk = static_cast<double>(m.linear_key_dim),
               dv = static_cast<double>(m.linear_value_dim);
  const double tokens = s.seqs * s.tokens;
  const double state = heads * dk * dv;  // elements of one sequence's state
  const double io = tokens * static_cast<double>(lw.conv + lw.inner) * act;  // q, k, v (x, B, C) in; the output
  const double state_bytes = static_cast<double>(m.state_bytes);
  if (s.inference && s.tokens == 1) {
    op.flops = Flops{tokens * state * (gdn ? 7.0 : 5.0)};
    op.bytes = Bytes{io + 2 * s.seqs * state * state_bytes};
    op.kernels = 1;
    return op;
  }
  const double chunk = gdn ? 64 : 128;
  const double intra = gdn ? 2 * chunk * (3 * dk + 2 * dv) : 2 * chunk * (dk + dv);
  op.flops = Flops{tokens * heads * (intra + (gdn ? 6.0 : 4.0) * dk * dv)};
  const double chunk_states = 2 * s.seqs * std::ceil(s.tokens / chunk) * state * 4;
  op.bytes = Bytes{io + chunk_states + (s.inference ? s.seqs * state * state_bytes : 0.0)};
  op.kernels = gdn ? 8 : 5;  // GDN: cumsum, kkᵀ, triangular solve, w/u, states, output, q/k l2norm; SSD: its 5
  return op;
}

}  // namespace detail

namespace detail {

/// Emits the operators of one pass: the forward (with backward when `training`), or, for `recompute`,
/// the decoder layers' forward again (attention only under selective checkpointing).
template <class Sink>
constexpr void emit_operators(const Job& w, const StepShape& shape, bool training, bool recompute,
                              Sink& sink) noexcept {
  const ModelDims d = model_dims(*w.model);
  const double act = detail::act_bytes(w.compute);
  const WeightFormat fmt = *w.weights;
  const WeightKernel wk = weight_kernel(fmt);
  Builder<Sink> b{&sink,
                  &w,
                  d,
                  act,
                  weight_bits(fmt),
                  wk,
                  w.compute,
                  wk != WeightKernel::dense && wk != WeightKernel::fp8,  // FP8 GEMMs read fp8 as stored
                  (training || recompute) && (w.training.method == Method::lora || w.training.method == Method::qlora),
                  training && w.training.method == Method::full,
                  recompute ? Pass::recompute : Pass::forward,
                  shape.repeat,
                  recompute && w.training.checkpointing == Checkpointing::selective};
  b.experts_only = experts_only_quantized(w);
  const bool layers_only = recompute;          // checkpointing wraps the decoder layers
  const double m = shape.seqs * shape.tokens;  // GEMM rows
  const double kvb = kv_bytes(w);
  const double h = d.h;

  // Embedding lookup.
  b.in_layer = false;
  if (!layers_only) b.elementwise(OpKind::embedding, "embedding", 1, m * h * 2 * act, 1, false);
  b.in_layer = true;

  // Per-layer kernels, written once per layer kind with the layer count.
  const double norms_per_layer = w.model->norms_per_layer > 0 ? w.model->norms_per_layer : 2;
  // Eager RMSNorm/LayerNorm: fp32 upcast, square, mean, rsqrt, scale, weight (about 6 kernels, 8 B/element).
  b.elementwise(OpKind::norm, "norm", d.layers * norms_per_layer, m * h * (2 * act + 8), 6, training);

  // Attention projections (the layers that attend).
  const double L = d.attn_layers;
  if (d.mla) {
    if (d.q_lora > 0) {
      b.linear("q_a_proj", L, m, d.q_lora, h, lora_q, training);
      b.linear("q_b_proj", L, m, d.q_width(), d.q_lora, lora_q, training);
    } else {
      b.linear("q_proj", L, m, d.q_width(), h, lora_q, training);
    }
    b.linear("kv_a_proj", L, m, d.kv_lora + d.rope_dim, h, lora_k | lora_v, training);
    b.linear("kv_b_proj", L, m, d.heads * (d.d_qk - d.rope_dim + d.d_v), d.kv_lora, lora_k | lora_v, training);
    b.linear("o_proj", L, m, h, d.heads * d.d_v, lora_o, training);
  } else {
    b.linear("q_proj", L, m, d.q_width(), h, lora_q, training);
    b.linear("k_proj", L, m, d.kv_width(), h, lora_k, training);
    b.linear("v_proj", L, m, d.kv_width(), h, lora_v, training);
    b.linear("o_proj", L, m, h, d.q_width(), lora_o, training);
  }
  if (w.model->position == PositionKind::rotary)
    b.elementwise(OpKind::rope, "rope", L, m * (d.q_width() + d.kv_width()) * act * 3, 10, training);
  if (shape.inference) b.elementwise(OpKind::kv_write, "kv_write", L, m * d.kv_elements * (act + kvb), 2, false);

  // Linear-attention/SSM layers: their projections, the depthwise causal conv (decode also reads and
  // writes its last conv_kernel - 1 inputs per sequence) and the recurrent mixer.
  if (d.linear_layers > 0) {
    const LinearWidths lw = linear_widths(*w.model);
    const double conv = static_cast<double>(lw.conv), taps = static_cast<double>(w.model->linear_conv_kernel);
    b.linear("in_proj", d.linear_layers, m, static_cast<double>(lw.in_proj), h, 0, training);
    b.linear("out_proj", d.linear_layers, m, h, static_cast<double>(lw.inner), 0, training);
    const double conv_state =
        shape.inference && shape.tokens == 1 ? 2 * shape.seqs * conv * (taps > 1 ? taps - 1 : 0) * act : 0.0;
    b.elementwise(OpKind::activation, "conv1d", d.linear_layers, m * conv * act * 2 + conv_state, 1, training);
    b.core(linear_mixer_op(*w.model, d.linear_layers, shape, act, w.compute), training);
  }

  // Attention core: the layers over the whole context, then the sliding-window layers (a chunked window,
  // llama4's, restarts every `window` tokens: a query sees window / 2 keys on average past the first chunk).
  const double window = d.window_chunked ? d.window / 2 : d.window;
  b.core(attention_op(d, w, shape, act, kvb, w.compute, L - d.window_layers, 0), training);
  if (d.window_layers > 0) b.core(attention_op(d, w, shape, act, kvb, w.compute, d.window_layers, window), training);

  // MLP (dense layers) and MoE (routed experts + shared).
  if (d.dense_layers > 0) {
    if (d.gated) {
      b.linear("gate_proj", d.dense_layers, m, d.intermediate, h, lora_gate, training);
      b.linear("up_proj", d.dense_layers, m, d.intermediate, h, lora_up, training);
    } else {
      b.linear("up_proj", d.dense_layers, m, d.intermediate, h, lora_up, training);
    }
    b.linear("down_proj", d.dense_layers, m, h, d.intermediate, lora_down, training);
    b.elementwise(OpKind::activation, "activation", d.dense_layers, m * d.intermediate * act * (d.gated ? 5 : 3),
                  d.gated ? 2 : 3, training);
  }
  if (d.moe_layers > 0) {
    b.linear("router", d.moe_layers, m, d.experts, h, 0, training);
    // Routed experts: one grouped GEMM per projection per MoE layer (Megatron TEGroupedMLP, vLLM/SGLang
    // fused_moe, DeepGEMM grouped kernels), not a kernel per expert. Each expert gets the rows of the whole
    // EP group: token_group·m·k/E (times the busiest rank's excess); only the experts some token was routed
    // to have their weights read: E_local·(1 − (1 − k/E)^tokens) for uniform routing (docs/time.md).
    const MoePlacement& pl = shape.moe;
    const double group_tokens = m * (pl.token_group > 0 ? pl.token_group : 1);
    const double local = d.experts * (pl.expert_share > 0 ? pl.expert_share : 1);
    const double rows = group_tokens * d.top_k / d.experts * (pl.imbalance > 0 ? pl.imbalance : 1);
    const double share = touched_expert_share(d.experts, d.top_k, group_tokens);
    // A runtime that loops over the experts (moe_traits expert_loop: transformers' eager MoE block) runs
    // each expert's projections as kernels of their own: count = layers x experts, one launch each.
    const bool loop = moe_traits(w.runtime).expert_loop;
    const double count = loop ? d.moe_layers * local : d.moe_layers;
    const double groups = loop ? 1.0 : local;
    // A runtime whose quantized MoE kernel is launched once per expert (moe_traits gptq_expert_launches:
    // SGLang's GPTQ Marlin MoE) pays 2·E_local·⌈rows/256⌉ launches per layer, spread over the expert ops.
    Builder<Sink> be = b;
    const double launches = per_expert_launches(w.runtime, fmt, local, group_tokens);
    if (launches > 0 && !loop) be.expert_kernels = launches / (d.gated ? 3.0 : 2.0);
    be.expert_gemm = true;
    // A runtime that learns the tokens per expert on the host and then issues each local expert's GEMMs
    // eagerly (moe_traits expert_sync_calls: Megatron-Core over Transformer Engine's GroupedLinear) pays
    // those calls while the GPU waits; its per-expert counts (summed over fc1 and fc2) are spread evenly
    // over the expert ops of the pass (docs/time.md §12).
    const ExpertSyncCalls& sc = moe_traits(w.runtime).expert_sync_calls;
    if (training && !loop) {
      const double ops = d.gated ? 3.0 : 2.0;
      const double q = w.compute == Precision::fp8 ? sc.fp8_quantize : 0.0;
      const bool bias = w.model->mlp_bias;
      be.sync_forward = local * (sc.forward + q + (bias ? sc.bias_forward : 0.0)) / ops;
      be.sync_input_grad = local * (sc.input_grad + q) / ops;
      be.sync_weight_grad = local * (sc.weight_grad + (bias ? sc.bias_backward : 0.0)) / ops;
    }
    if (d.gated) {
      be.linear("expert_gate", count, rows, d.expert_i, h, lora_gate, training, share, groups);
      be.linear("expert_up", count, rows, d.expert_i, h, lora_up, training, share, groups);
    } else {
      be.linear("expert_up", count, rows, d.expert_i, h, lora_up, training, share, groups);
    }
    be.linear("expert_down", count, rows, h, d.expert_i, lora_down, training, share, groups);
    b.elementwise(OpKind::activation, "expert_activation", d.moe_layers,
                  rows * local * d.expert_i * act * (d.gated ? 5 : 3), d.gated ? 2 : 3, training);
    // Token permutation around the grouped GEMM: each routed row is gathered into expert order (read and
    // write h elements) and its output scattered back and summed over the k experts (read and write),
    // Megatron-Core's permute/unpermute (moe_permute_fusion: one kernel each), fused_moe's align/gather and
    // sum in the serving engines.
    b.elementwise(OpKind::permute, "expert_permute", d.moe_layers, rows * local * h * act * 4, 2, training);
    // Shared experts follow the attention's layout: every GPU runs them on its own tokens (Megatron-Core
    // MoE README "Shared Experts"; SGLang/TensorRT-LLM attention data parallelism).
    if (d.shared_i > 0) {
      if (d.gated) b.linear("shared_gate", d.moe_layers, m, d.shared_i, h, lora_gate, training);
      b.linear("shared_up", d.moe_layers, m, d.shared_i, h, lora_up, training);
      b.linear("shared_down", d.moe_layers, m, h, d.shared_i, lora_down, training);
    }
  }

  // Residual adds: two per layer (one for a parallel block), read 2, write 1.
  b.elementwise(OpKind::residual, "residual", d.layers * (w.model->parallel_block ? 1 : 2), m * h * act * 3, 1,
                training);

  // Final norm and output head.
  if (layers_only) return;
  b.in_layer = false;
  if (w.model->final_norm) b.elementwise(OpKind::norm, "final_norm", 1, m * h * (2 * act + 8), 6, training);
  const double head_rows = shape.logits_all ? m : shape.seqs;
  {
    Operator head;
    head.kind = OpKind::lm_head;
    head.name = "lm_head";
    head.m = head_rows;
    head.n = d.vocab;
    head.k = h;
    head.precision = w.compute == Precision::fp8 ? Precision::bf16 : w.compute;
    head.flops = Flops{2 * head_rows * d.vocab * h};
    head.weight_elements = d.vocab * h;
    const double hb = head_bits(fmt);
    head.weights =
        weight_kernel(fmt) == WeightKernel::gguf && head_rows <= 8 ? WeightKernel::gguf : WeightKernel::dense;
    head.bytes = Bytes{d.vocab * h * hb / 8 + head_rows * (h + d.vocab) * act};
    b.push(head);
    if (training) {
      Builder<Sink> bb = b;
      bb.pass = Pass::backward;
      Operator dx = head;
      dx.grad = Grad::input;
      bb.push(dx);
      if (w.training.method == Method::full) {
        Operator dw = head;
        dw.grad = Grad::weight;
        dw.m = d.vocab;
        dw.n = h;
        dw.k = head_rows;
        bb.push(dw);
      }
    }
  }
  if (training) {
    // Cross-entropy: the standard loss materialises fp32 logits (upcast, softmax, gradient); chunked keeps
    // one chunk at a time in 16 bit.
    const double per = w.training.loss == LossKind::standard ? 2 * act + 4 * 4 : 4 * act;
    b.elementwise(OpKind::loss, "loss", 1, head_rows * d.vocab * per, w.training.loss == LossKind::standard ? 6 : 3, false);
  }
}

}  // namespace detail

/// Calls `sink(const Operator&)` for every operator of `shape.repeat` identical forward calls of job
/// `w` (and, when `training`, their backward, the recomputation under checkpointing and the loss), without
/// storing them. Inference calls read the KV cache; the optimizer step is separate (optimizer_operator).
template <class Sink>
constexpr void visit_operators(const Job& job, const StepShape& shape, bool training, Sink&& sink) noexcept {
  const Job w = normalize(job);
  detail::emit_operators(w, shape, training, false, sink);
  if (training && w.training.checkpointing != Checkpointing::none) detail::emit_operators(w, shape, false, true, sink);
}

/// The same operators collected in a list.
[[nodiscard]] constexpr OperatorList forward_operators(const Job& w, const StepShape& shape,
                                                       bool training = false) noexcept {
  OperatorList list;
  visit_operators(w, shape, training, [&list](const Operator& op) { list.push(op); });
  return list;
}

/// Every weight of the model: the matmul weights (all experts), the input embedding unless tied to the
/// head, two norms per layer (what full training updates).
[[nodiscard]] constexpr double weight_params(const Job& w) noexcept {
  const ModelDims d = model_dims(*w.model);
  return matmul_params(d, false) + (w.model->tied_embeddings ? 0 : d.vocab * d.h) + d.layers * 2 * d.h;
}

/// Parameters the optimizer updates (full: all weights and embeddings; LoRA: adapters only).
[[nodiscard]] constexpr double trainable_params(const Job& w) noexcept {
  if (w.training.method == Method::full) return weight_params(w);
  const ModelDims d = model_dims(*w.model);
  if (w.training.method == Method::freeze) return d.vocab * d.h;  // TODO: the frozen subset is not in the case format yet
  const double r = static_cast<double>(w.training.lora_rank);
  const auto adapter = [&](std::uint32_t bit, double in, double out) {
    return (w.training.lora_targets & bit) != 0 ? r * (in + out) : 0.0;
  };
  // The attention projections exist in the layers that attend (not a hybrid's linear-attention layers), the
  // MLP ones in the layers with an MLP (not nemotron_h's mixer-only layers), as emit_operators places them.
  const double attention = adapter(lora_q, d.h, d.q_width()) + adapter(lora_k, d.h, d.kv_width()) +
                           adapter(lora_v, d.h, d.kv_width()) + adapter(lora_o, d.q_width(), d.h);
  const double mlp = (d.gated ? adapter(lora_gate, d.h, d.intermediate) : 0.0) + adapter(lora_up, d.h, d.intermediate) +
                     adapter(lora_down, d.intermediate, d.h);
  return attention * d.attn_layers + mlp * (d.dense_layers + d.moe_layers);
}

/// Bytes of the weights training leaves frozen, in their stored format: the whole base model under
/// LoRA/QLoRA (QLoRA's packed codes and constants), all but the embedding under freeze, none under full
/// training. A full shard gathers them like the trainable ones (scaling.hpp).
[[nodiscard]] constexpr double frozen_weight_bytes(const Job& w) noexcept {
  if (w.training.method == Method::full || !w.weights) return 0;
  const double base = weight_params(w);
  if (base <= 0) return 0;
  const ModelDims d = model_dims(*w.model);
  const double block_linears = matmul_params(d, false) - d.vocab * d.h;  // the head stays 16-bit
  const double experts = d.moe_layers * d.experts * d.mlp_matrices() * d.h * d.expert_i;
  const WeightBytes b = weight_bytes(*w.weights, base, experts_only_quantized(w) ? experts : block_linears, d.h);
  const double frozen = w.training.method == Method::freeze ? base - trainable_params(w) : base;
  return (b.codes + b.constants) * frozen / base;
}

/// Bytes the optimizer reads and writes per trainable parameter (docs/reference/formulas.md §3.4: AdamW with fp32 master,
/// m and v reads 4+4+4 + grad, writes 4+4+4 + the 16-bit weight).
[[nodiscard]] constexpr double optimizer_bytes_per_param(const Job& w) noexcept {
  const bool lora = w.training.method == Method::lora || w.training.method == Method::qlora;
  const bool mixed = w.training.precision == PrecisionPolicy::mixed || lora;  // PEFT keeps adapters in fp32
  const double wb = mixed ? 4 : detail::act_bytes(w.compute);        // master (or only) weight
  const double gb = mixed ? 4 : wb;
  double state = 0;  // per moment
  int moments = 2;
  switch (w.training.optimizer) {
    case Optimizer::adamw: state = mixed ? 4 : wb; break;
    case Optimizer::adamw_8bit:
    case Optimizer::paged_adamw_8bit: state = 1; break;
    case Optimizer::sgd:
      state = mixed ? 4 : wb;
      moments = 1;
      break;
    case Optimizer::adafactor:
      state = 0;
      moments = 0;
      break;
  }
  const double copy16 = mixed && !lora ? detail::act_bytes(w.compute) : 0;  // the 16-bit copy of the master weight
  return 2 * wb + gb + 2 * moments * state + copy16;
}

/// The optimizer step as one memory-bound operator.
[[nodiscard]] constexpr Operator optimizer_operator(const Job& w) noexcept {
  Operator op;
  op.kind = OpKind::optimizer;
  op.name = "optimizer";
  const double params = trainable_params(w);
  op.bytes = Bytes{params * optimizer_bytes_per_param(w)};
  op.flops = Flops{params * 12};
  op.precision = Precision::fp32;
  const ModelDims d = model_dims(*w.model);
  // Tensors updated: a multi-tensor (foreach) kernel handles many per launch; a step inside backward
  // runs one small optimizer per tensor.
  const double tensors = d.layers * 9 + 3;
  op.kernels = w.training.optimizer_in_backward ? tensors * 4 : tensors / 8;
  op.fusable = false;
  return op;
}

}  // namespace headroom
