#pragma once
/// @file model.hpp
/// ModelArch: an LLM architecture normalised from its Hugging Face config.json, and the parameter
/// counts derived from it (docs/catalog.md "Models"; formulas in docs/reference/formulas.md §1).
///
/// Everything here is standard library only, allocation-free and constexpr, so a count can be
/// checked in a static_assert:
/// @code
/// static_assert(headroom::count_params(my_arch).total == 8'030'261'248);
/// @endcode

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace headroom {

enum class NormKind { rms, layer, layer_no_bias };  ///< RMSNorm (weight), LayerNorm (weight + bias), LayerNorm without bias
enum class PositionKind { rotary, learned, alibi };
enum class AttentionKind { standard, mla };  ///< MHA/GQA/MQA, or DeepSeek multi-head latent attention
/// The token mixer of the layers that do not attend (ModelArch::linear_layers): a recurrent
/// state of constant size per sequence instead of a KV cache.
enum class LinearKind { none, gated_deltanet, mamba2 };
/// The weight format a checkpoint's config.json declares in its `quantization_config` (docs/catalog.md
/// "Checkpoint formats"): a job that gives no `weights` stores the weights so (normalize(), job.hpp).
enum class CheckpointFormat { none, fp8, nvfp4, mxfp4 };

struct ModelArch {
  std::string_view id{};          ///< catalog id or the config's name
  std::string_view model_type{};  ///< HF model_type, e.g. "llama"
  std::string_view source{};      ///< where the config comes from

  std::int64_t hidden = 0;        ///< h
  std::int64_t layers = 0;        ///< L
  std::int64_t heads = 0;         ///< a
  std::int64_t kv_heads = 0;      ///< a_kv (GQA; 1 = MQA)
  std::int64_t head_dim = 0;      ///< d (h/a unless the config says otherwise)
  std::int64_t intermediate = 0;  ///< FFN width I of dense layers
  std::int64_t vocab = 0;         ///< V (rows of the embedding table)
  std::int64_t max_positions = 0;
  std::int64_t position_rows = 0;  ///< rows of a learned position table (0 for rotary/ALiBi)
  std::int64_t embed_proj_dim = 0;  ///< OPT word_embed_proj_dim when it differs from hidden, else 0

  PositionKind position = PositionKind::rotary;
  bool rope_scaling = false;    ///< the config sets rope_scaling (RoPE interpolation: linear, dynamic, YaRN, llama3)
  NormKind norm = NormKind::rms;
  int norms_per_layer = 2;
  bool final_norm = true;
  bool embedding_norm = false;  ///< BLOOM word_embeddings_layernorm
  bool qk_norm = false;         ///< per-head q/k norms of width head_dim (qwen3 q_norm/k_norm, phi qk_layernorm)
  bool tied_embeddings = false;
  bool gated_mlp = true;        ///< SwiGLU/GeGLU: gate, up, down; else up, down
  bool parallel_block = false;  ///< attention and MLP both read the block input (falcon, phi, gpt-neox parallel residual)
  bool qkv_bias = false;        ///< biases on q, k, v (MLA: on q_a_proj and kv_a_proj_with_mqa)
  bool o_bias = false;
  bool mlp_bias = false;
  bool lm_head_bias = false;
  bool fused_qkv = false;      ///< q, k, v are one Linear (gpt2 c_attn, query_key_value, mpt Wqkv, phi3 qkv_proj)
  bool fused_gate_up = false;  ///< gate and up are one Linear (phi3 gate_up_proj)

  // Mixture of experts (experts == 0: dense).
  std::int64_t experts = 0;
  std::int64_t experts_per_token = 0;
  std::int64_t expert_intermediate = 0;
  std::int64_t shared_experts = 0;        ///< always-active experts (deepseek n_shared_experts)
  std::int64_t shared_intermediate = 0;   ///< width of one shared expert; the shared MLP is shared_experts x this wide
  bool shared_expert_gate = false;        ///< qwen2_moe sigmoid gate on the shared expert (Linear h -> 1)
  std::int64_t dense_layers = 0;          ///< leading dense layers (deepseek first_k_dense_replace)
  std::int64_t moe_layer_freq = 1;        ///< every k-th layer is MoE
  std::int64_t moe_layer_offset = 0;      ///< layer i >= dense_layers is MoE when i % moe_layer_freq == this (qwen2_moe: freq - 1)

  // Multi-head latent attention (attention == mla).
  AttentionKind attention = AttentionKind::standard;
  std::int64_t q_lora_rank = 0;  ///< 0: a plain q_proj (DeepSeek-V2-Lite)
  std::int64_t kv_lora_rank = 0;
  std::int64_t qk_nope_head_dim = 0;
  std::int64_t qk_rope_head_dim = 0;
  std::int64_t v_head_dim = 0;

  // Fields of the 2025-2026 families (docs/catalog.md "Models"); zero/false leaves a model as above.
  bool qk_norm_all_heads = false;  ///< with qk_norm: q_norm/k_norm span all heads (a*d and a_kv*d wide; minimax_m2)
  bool attention_output_gate = false;  ///< q_proj also emits a sigmoid gate on the attention output (2ad wide; qwen3_next, qwen3_5_moe)
  bool attention_sinks = false;    ///< one learned sink logit per head and layer (gpt_oss `sinks`)
  bool router_bias = false;        ///< one value per expert beside the router (gpt_oss router bias, e_score_correction_bias)
  std::int64_t index_heads = 0;    ///< DeepSeek sparse attention indexer heads (glm_moe_dsa index_n_heads); 0: none
  std::int64_t index_head_dim = 0; ///< its head width; the indexer caches one key of this width per token and layer

  // Attention kinds per layer. Of the `layers`, `linear_layers` use a recurrent mixer, `window_layers`
  // attend over a local window and the rest attend over the whole context.
  std::int64_t window_layers = 0;  ///< sliding-window (or chunked local) attention layers
  std::int64_t window = 0;         ///< their window in tokens (sliding_window; llama4 attention_chunk_size)
  bool window_chunked = false;     ///< the window restarts every `window` tokens (llama4) instead of sliding

  // Hybrids whose layers each hold one part (nemotron_h: a Mamba-2 mixer, attention or an MLP).
  std::int64_t mixer_only_layers = 0;  ///< layers with a token mixer (attention or linear) and no MLP
  std::int64_t mlp_only_layers = 0;    ///< layers with an MLP and no token mixer

  LinearKind linear_kind = LinearKind::none;
  std::int64_t linear_layers = 0;       ///< Gated DeltaNet / Mamba-2 layers (no KV cache)
  std::int64_t linear_key_heads = 0;    ///< GDN linear_num_key_heads; Mamba-2 n_groups
  std::int64_t linear_key_dim = 0;      ///< GDN linear_key_head_dim; Mamba-2 ssm_state_size
  std::int64_t linear_value_heads = 0;  ///< GDN linear_num_value_heads; Mamba-2 mamba_num_heads
  std::int64_t linear_value_dim = 0;    ///< GDN linear_value_head_dim; Mamba-2 mamba_head_dim
  std::int64_t linear_conv_kernel = 0;  ///< depthwise causal conv width (linear_conv_kernel_dim, conv_kernel)
  std::int64_t state_bytes = 2;         ///< bytes per element of the recurrent state (config mamba_ssm_dtype; 16-bit otherwise)

  std::int64_t vision_params = 0;  ///< multimodal wrappers: vision tower + projector weights (held in memory, not active for text)

  CheckpointFormat checkpoint_format = CheckpointFormat::none;  ///< quantization_config of the published checkpoint
  bool checkpoint_experts_only = false;  ///< it quantizes the routed experts only (gpt-oss: attention, router, dense MLPs stay 16-bit)

  [[nodiscard]] constexpr bool is_moe() const noexcept { return experts > 0; }
};

/// Limits on the dimensions of a ModelArch. Each is far above the repo's configs (widest hidden
/// 25,600, FFN 102,400, vocabulary 256,000, 128 layers, 160 heads, 256 routed experts, MLA rank
/// 1,536: data/models, tests/data/hf_configs) and low enough that every product in count_params(),
/// linear_modules(), kv_elements_per_token() and lora_params() (rank up to max_lora_rank) fits in
/// a signed 64-bit integer: the largest allowed config has about 1.9e18 parameters, a fifth of
/// INT64_MAX = 9.2e18 (tests/unit/model_limits_test.cpp counts it). docs/cases.md states them.
struct ModelLimits {
  static constexpr std::int64_t layers = std::int64_t{1} << 12;        ///< 4,096
  static constexpr std::int64_t hidden = std::int64_t{1} << 17;        ///< 131,072 (also embed_proj_dim)
  static constexpr std::int64_t ffn_width = std::int64_t{1} << 19;     ///< 524,288: intermediate, expert and shared MLP widths
  static constexpr std::int64_t vocab = std::int64_t{1} << 22;         ///< 4,194,304
  static constexpr std::int64_t heads = std::int64_t{1} << 12;         ///< 4,096 (also key/value heads)
  static constexpr std::int64_t head_dim = std::int64_t{1} << 14;      ///< 16,384 (also the MLA ranks and head widths)
  static constexpr std::int64_t experts = std::int64_t{1} << 11;       ///< 2,048 routed (and shared) experts
  static constexpr std::int64_t positions = std::int64_t{1} << 27;     ///< 134,217,728 positions
};
inline constexpr ModelLimits model_limits{};

/// The first dimension of a ModelArch beyond its limit (or negative), as valid() reports it.
struct ModelLimitBreach {
  std::string_view field{};  ///< ModelArch member name; empty when the config is within the limits
  std::int64_t value = 0;
  std::int64_t limit = 0;
  [[nodiscard]] constexpr explicit operator bool() const noexcept { return !field.empty(); }
};

/// Checks every dimension against ModelLimits (and that none is negative). The readers call it
/// before counting; a ModelArch that passes counts without overflow.
[[nodiscard]] constexpr ModelLimitBreach check_limits(const ModelArch& m) noexcept {
  using L = ModelLimits;
  const std::int64_t shared_width = m.shared_experts <= L::experts && m.shared_intermediate <= L::ffn_width
                                        ? m.shared_experts * m.shared_intermediate : L::ffn_width + 1;
  const struct {
    std::string_view field;
    std::int64_t value, limit;
  } dims[] = {
      {"hidden", m.hidden, L::hidden},
      {"layers", m.layers, L::layers},
      {"heads", m.heads, L::heads},
      {"kv_heads", m.kv_heads, L::heads},
      {"head_dim", m.head_dim, L::head_dim},
      {"intermediate", m.intermediate, L::ffn_width},
      {"vocab", m.vocab, L::vocab},
      {"max_positions", m.max_positions, L::positions},
      {"position_rows", m.position_rows, L::positions + 2},
      {"embed_proj_dim", m.embed_proj_dim, L::hidden},
      {"experts", m.experts, L::experts},
      {"experts_per_token", m.experts_per_token, L::experts},
      {"expert_intermediate", m.expert_intermediate, L::ffn_width},
      {"shared_experts", m.shared_experts, L::experts},
      {"shared_intermediate", m.shared_intermediate, L::ffn_width},
      {"shared_experts x shared_intermediate", shared_width, L::ffn_width},
      {"dense_layers", m.dense_layers, L::layers},
      {"moe_layer_freq", m.moe_layer_freq, L::layers},
      {"moe_layer_offset", m.moe_layer_offset, L::layers},
      {"q_lora_rank", m.q_lora_rank, L::head_dim},
      {"kv_lora_rank", m.kv_lora_rank, L::head_dim},
      {"qk_nope_head_dim", m.qk_nope_head_dim, L::head_dim},
      {"qk_rope_head_dim", m.qk_rope_head_dim, L::head_dim},
      {"v_head_dim", m.v_head_dim, L::head_dim},
      {"norms_per_layer", m.norms_per_layer, 8},
      {"index_heads", m.index_heads, L::heads},
      {"index_head_dim", m.index_head_dim, L::head_dim},
      {"window_layers", m.window_layers, m.layers - m.linear_layers},
      {"mixer_only_layers", m.mixer_only_layers, m.layers},
      {"mlp_only_layers", m.mlp_only_layers, m.layers - m.linear_layers},
      {"window", m.window, L::positions},
      {"linear_layers", m.linear_layers, m.layers},
      {"linear_key_heads", m.linear_key_heads, L::heads},
      {"linear_key_dim", m.linear_key_dim, L::head_dim},
      {"linear_value_heads", m.linear_value_heads, L::heads},
      {"linear_value_dim", m.linear_value_dim, L::head_dim},
      {"linear_conv_kernel", m.linear_conv_kernel, 64},
      {"state_bytes", m.state_bytes, 8},
      {"vision_params", m.vision_params, std::int64_t{1} << 40},
  };
  for (const auto& d : dims)
    if (d.value < 0 || d.value > d.limit) return {d.field, d.value, d.limit};
  return {};
}

/// True when every dimension is within ModelLimits.
[[nodiscard]] constexpr bool valid(const ModelArch& m) noexcept { return !check_limits(m); }

/// Parameter counts by part. `total` counts every weight and bias the model type instantiates.
struct ParamCounts {
  std::int64_t total = 0;
  std::int64_t active = 0;          ///< per token: MoE counts only the routed top-k (+ shared) experts
  std::int64_t embedding = 0;       ///< token table (+ learned positions, + projections/norm of the embedding)
  std::int64_t lm_head = 0;         ///< untied output head (0 when tied), with its bias
  std::int64_t blocks = 0;          ///< all transformer blocks
  std::int64_t final_norm = 0;
  std::int64_t vision = 0;          ///< vision tower + projector of a multimodal wrapper (in total, not in active)
  std::int64_t block_linear = 0;    ///< weights of nn.Linear modules inside blocks (what 4/8-bit formats quantize)
  std::int64_t largest_linear = 0;  ///< elements of the largest single Linear weight in a block
};

/// One kind of Linear module of a block, for LoRA and quantization. Fused modules (gpt2 c_attn,
/// falcon/bloom/gpt-neox query_key_value, mpt Wqkv, phi3 qkv_proj and gate_up_proj) are reported
/// as their split equivalents, so that a LoRA target means the same thing in every family.
struct LinearModule {
  std::string_view name{};    ///< q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj; MLA: q_a_proj,
                              ///< q_b_proj, kv_a_proj_with_mqa, kv_b_proj; empty for an unused slot
  std::int64_t d_in = 0;
  std::int64_t d_out = 0;
  std::int64_t per_layer = 0;   ///< copies in each layer that has it (routed experts: the expert count)
  std::int64_t layers = 0;      ///< layers that have it (dense MLP and experts split the layers of an MoE model)
  std::uint32_t lora_bits = 0;  ///< LoraTarget bits (job.hpp) that select it: q=1 k=2 v=4 o=8 gate=16 up=32 down=64
  std::string_view group{};     ///< self_attn, mlp, experts, shared_experts

  [[nodiscard]] constexpr std::int64_t copies() const noexcept { return per_layer * layers; }
  [[nodiscard]] constexpr std::int64_t weights() const noexcept { return d_in * d_out * copies(); }
};

/// Slots of linear_modules(): 0-4 attention, 5-7 dense MLP, 8-10 routed experts, 11-13 shared experts,
/// 14-15 the input and output projections of linear-attention/SSM layers.
inline constexpr std::size_t max_linear_modules = 16;

namespace detail {
inline constexpr std::uint32_t lora_bit_q = 1u, lora_bit_k = 2u, lora_bit_v = 4u, lora_bit_o = 8u, lora_bit_gate = 16u,
                               lora_bit_up = 32u, lora_bit_down = 64u;
}  // namespace detail

/// Parameters of one norm of width `width`.
[[nodiscard]] constexpr std::int64_t norm_params(NormKind kind, std::int64_t width) noexcept {
  return kind == NormKind::layer ? 2 * width : width;
}

/// Layers whose MLP is a mixture of experts.
[[nodiscard]] constexpr std::int64_t moe_layer_count(const ModelArch& m) noexcept {
  if (m.experts <= 0) return 0;
  const std::int64_t freq = m.moe_layer_freq > 0 ? m.moe_layer_freq : 1;
  std::int64_t n = 0;
  for (std::int64_t i = m.dense_layers < 0 ? 0 : m.dense_layers; i < m.layers; ++i)
    if (i % freq == m.moe_layer_offset) ++n;
  return n;
}

/// Layers that attend (full or windowed); the others are linear-attention/SSM layers or, in
/// nemotron_h, MLP-only layers.
[[nodiscard]] constexpr std::int64_t attention_layer_count(const ModelArch& m) noexcept {
  return m.layers - m.linear_layers - m.mlp_only_layers;
}

/// Width of the input projection of one linear-attention/SSM layer and of the channels its
/// causal conv runs over. Gated DeltaNet (transformers Qwen3NextGatedDeltaNet): q, k (key heads x
/// key dim), v, z (value heads x value dim) and b, a (one per value head); conv over q, k, v.
/// Mamba-2 (MambaMixer2): x and z (d_inner each), B and C (n_groups x d_state) and dt (one per
/// head); conv over x, B, C.
struct LinearWidths {
  std::int64_t in_proj = 0, conv = 0, inner = 0;
};
[[nodiscard]] constexpr LinearWidths linear_widths(const ModelArch& m) noexcept {
  const std::int64_t key = m.linear_key_heads * m.linear_key_dim, value = m.linear_value_heads * m.linear_value_dim;
  if (m.linear_kind == LinearKind::gated_deltanet) return {2 * key + 2 * value + 2 * m.linear_value_heads, 2 * key + value, value};
  if (m.linear_kind == LinearKind::mamba2) return {2 * value + 2 * key + m.linear_value_heads, value + 2 * key, value};
  return {};
}

/// Layers with a dense MLP of width `intermediate` (mixer-only layers have none).
[[nodiscard]] constexpr std::int64_t dense_layer_count(const ModelArch& m) noexcept {
  return m.layers - moe_layer_count(m) - m.mixer_only_layers;
}

/// Calls `visit(slot, module)` for each Linear module of the blocks that linear_modules() lists, in
/// slot order (count_params() sums them without building the array).
template <class Visit>
constexpr void for_each_linear_module(const ModelArch& m, Visit&& visit) {
  using namespace detail;
  const std::int64_t h = m.hidden, L = attention_layer_count(m);
  constexpr std::uint32_t kv_bits = lora_bit_k | lora_bit_v;
  if (m.attention == AttentionKind::mla) {
    const std::int64_t qk = m.qk_nope_head_dim + m.qk_rope_head_dim;
    if (m.q_lora_rank > 0) {
      visit(0, LinearModule{"q_a_proj", h, m.q_lora_rank, 1, L, lora_bit_q, "self_attn"});
      visit(1, LinearModule{"q_b_proj", m.q_lora_rank, m.heads * qk, 1, L, lora_bit_q, "self_attn"});
    } else {
      visit(0, LinearModule{"q_proj", h, m.heads * qk, 1, L, lora_bit_q, "self_attn"});
    }
    visit(2, LinearModule{"kv_a_proj_with_mqa", h, m.kv_lora_rank + m.qk_rope_head_dim, 1, L, kv_bits, "self_attn"});
    visit(3, LinearModule{"kv_b_proj", m.kv_lora_rank, m.heads * (m.qk_nope_head_dim + m.v_head_dim), 1, L, kv_bits,
                          "self_attn"});
    visit(4, LinearModule{"o_proj", m.heads * m.v_head_dim, h, 1, L, lora_bit_o, "self_attn"});
  } else {
    const std::int64_t q = m.heads * m.head_dim, kv = m.kv_heads * m.head_dim;
    visit(0, LinearModule{"q_proj", h, m.attention_output_gate ? 2 * q : q, 1, L, lora_bit_q, "self_attn"});
    visit(2, LinearModule{"k_proj", h, kv, 1, L, lora_bit_k, "self_attn"});
    visit(3, LinearModule{"v_proj", h, kv, 1, L, lora_bit_v, "self_attn"});
    visit(4, LinearModule{"o_proj", q, h, 1, L, lora_bit_o, "self_attn"});
  }
  const auto mlp = [&](std::size_t slot, std::int64_t width, std::int64_t per_layer, std::int64_t layers,
                       std::string_view group) {
    if (width <= 0 || per_layer <= 0 || layers <= 0) return;
    if (m.gated_mlp) visit(slot, LinearModule{"gate_proj", h, width, per_layer, layers, lora_bit_gate, group});
    visit(slot + 1, LinearModule{"up_proj", h, width, per_layer, layers, lora_bit_up, group});
    visit(slot + 2, LinearModule{"down_proj", width, h, per_layer, layers, lora_bit_down, group});
  };
  const std::int64_t moe = moe_layer_count(m);
  mlp(5, m.intermediate, 1, dense_layer_count(m), "mlp");
  mlp(8, m.expert_intermediate, m.experts, moe, "experts");
  mlp(11, m.shared_experts * m.shared_intermediate, 1, moe, "shared_experts");
  if (m.linear_layers > 0 && m.linear_kind != LinearKind::none) {
    const LinearWidths w = linear_widths(m);
    visit(14, LinearModule{"in_proj", h, w.in_proj, 1, m.linear_layers, 0, "linear_attn"});
    visit(15, LinearModule{"out_proj", w.inner, h, 1, m.linear_layers, 0, "linear_attn"});
  }
}

/// The Linear modules of the blocks (unused slots have an empty name and no copies). Routers
/// (h x experts) and the qwen2_moe shared-expert gate are not listed: they are counted in
/// count_params().blocks, are never LoRA targets here and stay unquantized in the quantized formats.
[[nodiscard]] constexpr std::array<LinearModule, max_linear_modules> linear_modules(const ModelArch& m) noexcept {
  std::array<LinearModule, max_linear_modules> out{};
  for_each_linear_module(m, [&](std::size_t slot, const LinearModule& lm) { out[slot] = lm; });
  return out;
}

namespace detail {
/// Weights + biases of one MLP of width `width`.
[[nodiscard]] constexpr std::int64_t mlp_params(const ModelArch& m, std::int64_t width) noexcept {
  if (width <= 0) return 0;
  const std::int64_t mats = m.gated_mlp ? 3 : 2;
  const std::int64_t bias = m.mlp_bias ? (m.gated_mlp ? 2 * width : width) + m.hidden : 0;
  return mats * m.hidden * width + bias;
}

/// Parameters of one layer's attention: projections, their biases and the norms inside attention.
[[nodiscard]] constexpr std::int64_t attention_params(const ModelArch& m) noexcept {
  const std::int64_t h = m.hidden;
  if (m.attention == AttentionKind::mla) {
    const std::int64_t qk = m.qk_nope_head_dim + m.qk_rope_head_dim;
    std::int64_t p = 0;
    if (m.q_lora_rank > 0) {
      p += h * m.q_lora_rank + (m.qkv_bias ? m.q_lora_rank : 0) + norm_params(m.norm, m.q_lora_rank);
      p += m.q_lora_rank * m.heads * qk;
    } else {
      p += h * m.heads * qk;
    }
    p += h * (m.kv_lora_rank + m.qk_rope_head_dim) + (m.qkv_bias ? m.kv_lora_rank + m.qk_rope_head_dim : 0);
    p += norm_params(m.norm, m.kv_lora_rank);
    p += m.kv_lora_rank * m.heads * (m.qk_nope_head_dim + m.v_head_dim);
    p += m.heads * m.v_head_dim * h + (m.o_bias ? h : 0);
    // DeepSeek sparse attention indexer (DeepSeek-V3.2 Indexer): wq_b from the q latent, wk,
    // a LayerNorm on its key, and one weight per indexer head from the hidden state.
    if (m.index_heads > 0)
      p += m.q_lora_rank * m.index_heads * m.index_head_dim + h * m.index_head_dim + 2 * m.index_head_dim +
           h * m.index_heads;
    return p;
  }
  const std::int64_t q = m.heads * m.head_dim, kv = m.kv_heads * m.head_dim;
  const std::int64_t q_out = m.attention_output_gate ? 2 * q : q;
  std::int64_t p = h * q_out + 2 * h * kv + q * h;
  if (m.qkv_bias) p += q_out + 2 * kv;
  if (m.o_bias) p += h;
  if (m.qk_norm) p += m.qk_norm_all_heads ? norm_params(m.norm, q) + norm_params(m.norm, kv) : 2 * norm_params(m.norm, m.head_dim);
  if (m.attention_sinks) p += m.heads;
  return p;
}

/// Parameters of one linear-attention/SSM mixer: the projections, the depthwise conv, the per-head
/// decay parameters and the gated output norm. Gated DeltaNet: conv without bias, dt_bias and
/// A_log per value head, RMSNormGated(value dim). Mamba-2: conv with bias, dt_bias, A_log and D
/// per head, RMSNormGated(d_inner).
[[nodiscard]] constexpr std::int64_t linear_mixer_params(const ModelArch& m) noexcept {
  const LinearWidths w = linear_widths(m);
  std::int64_t p = m.hidden * w.in_proj + w.inner * m.hidden + w.conv * m.linear_conv_kernel;
  if (m.linear_kind == LinearKind::gated_deltanet) p += 2 * m.linear_value_heads + m.linear_value_dim;
  if (m.linear_kind == LinearKind::mamba2) p += w.conv + 3 * m.linear_value_heads + w.inner;
  return p;
}

/// Parameters of one MoE MLP block with `routed` experts counted (all of them, or the top-k).
[[nodiscard]] constexpr std::int64_t moe_params(const ModelArch& m, std::int64_t routed) noexcept {
  std::int64_t p = routed * mlp_params(m, m.expert_intermediate);
  p += mlp_params(m, m.shared_experts * m.shared_intermediate);
  p += m.hidden * m.experts;  // router
  if (m.router_bias) p += m.experts;
  if (m.shared_expert_gate) p += m.hidden;
  return p;
}
}  // namespace detail

/// Counts every weight and bias, by part (docs/reference/formulas.md §1.1-1.2 and the rules of
/// data/models/README.md). `active` keeps the embedding table and lm_head (docs/reference/formulas.md §1.2:
/// Mixtral-8x7B 46.70e9 total, 12.88e9 active).
[[nodiscard]] constexpr ParamCounts count_params(const ModelArch& m) noexcept {
  ParamCounts p{};
  const std::int64_t h = m.hidden;
  const std::int64_t table_width = m.embed_proj_dim > 0 ? m.embed_proj_dim : h;

  p.embedding = m.vocab * table_width + m.position_rows * h;
  if (m.embedding_norm) p.embedding += norm_params(m.norm, h);
  if (m.embed_proj_dim > 0 && m.embed_proj_dim != h) p.embedding += 2 * m.embed_proj_dim * h;  // OPT project_in/out

  p.lm_head = (m.tied_embeddings ? 0 : m.vocab * table_width) + (m.lm_head_bias ? m.vocab : 0);
  p.final_norm = m.final_norm ? norm_params(m.norm, h) : 0;

  const std::int64_t moe = moe_layer_count(m);
  const std::int64_t dense = dense_layer_count(m);
  const std::int64_t norms = m.norms_per_layer * norm_params(m.norm, h);
  p.blocks = attention_layer_count(m) * detail::attention_params(m) + m.linear_layers * detail::linear_mixer_params(m) +
             m.layers * norms + dense * detail::mlp_params(m, m.intermediate) + moe * detail::moe_params(m, m.experts);
  p.vision = m.vision_params;
  p.total = p.embedding + p.lm_head + p.blocks + p.final_norm + p.vision;
  p.active = p.total - p.vision - moe * (detail::moe_params(m, m.experts) - detail::moe_params(m, m.experts_per_token));

  for_each_linear_module(m, [&p](std::size_t, const LinearModule& lm) {
    p.block_linear += lm.weights();
    if (lm.copies() > 0 && lm.d_in * lm.d_out > p.largest_linear) p.largest_linear = lm.d_in * lm.d_out;
  });
  if (m.attention == AttentionKind::standard && m.fused_qkv) {
    const std::int64_t qkv = h * (m.heads + 2 * m.kv_heads) * m.head_dim;
    if (qkv > p.largest_linear) p.largest_linear = qkv;
  }
  if (m.fused_gate_up && dense > 0 && 2 * h * m.intermediate > p.largest_linear) p.largest_linear = 2 * h * m.intermediate;
  return p;
}

/// K and V elements one attention layer caches per token: 2·a_kv·d, or for MLA kv_lora_rank +
/// qk_rope_head_dim (docs/reference/formulas.md §2.5), plus the indexer key of DeepSeek sparse attention.
[[nodiscard]] constexpr std::int64_t kv_elements_per_layer(const ModelArch& m) noexcept {
  if (m.attention == AttentionKind::mla) return m.kv_lora_rank + m.qk_rope_head_dim + m.index_head_dim;
  return 2 * m.kv_heads * m.head_dim;
}

/// K and V elements cached per token over all attention layers when each holds the whole context
/// (linear-attention/SSM layers cache none). Multiply by the bytes per element.
[[nodiscard]] constexpr std::int64_t kv_elements_per_token(const ModelArch& m) noexcept {
  return attention_layer_count(m) * kv_elements_per_layer(m);
}

/// KV elements of one sequence of `tokens` tokens when each window layer holds at most
/// `window_held` of them (docs/memory.md "KV cache": the runtime decides whether it keeps only the
/// window; pass `tokens` when it keeps everything). In double, as memory.hpp multiplies it on: at
/// the ModelLimits corners the product leaves int64.
[[nodiscard]] constexpr double kv_elements_per_sequence(const ModelArch& m, double tokens, double window_held) noexcept {
  const double held = window_held < tokens ? window_held : tokens;
  return static_cast<double>(kv_elements_per_layer(m)) *
         (static_cast<double>(attention_layer_count(m) - m.window_layers) * tokens +
          static_cast<double>(m.window_layers) * held);
}

/// Bytes of recurrent state one sequence keeps in the linear-attention/SSM layers, whatever its
/// length: the state matrix per value head (GDN: key dim x value dim; Mamba-2: head dim x d_state)
/// at state_bytes, and the last conv_kernel - 1 inputs of the conv channels at 16 bit.
[[nodiscard]] constexpr std::int64_t linear_state_bytes_per_sequence(const ModelArch& m) noexcept {
  if (m.linear_layers <= 0 || m.linear_kind == LinearKind::none) return 0;
  const std::int64_t state = m.linear_value_heads * m.linear_value_dim * m.linear_key_dim * m.state_bytes;
  const std::int64_t conv = linear_widths(m).conv * (m.linear_conv_kernel > 0 ? m.linear_conv_kernel - 1 : 0) * 2;
  return m.linear_layers * (state + conv);
}

/// Trainable LoRA parameters: r·(d_in + d_out) for every copy of every Linear module selected by
/// `target_mask` (LoraTarget bits of job.hpp; MLA kv_a/kv_b answer to k and v), as PEFT
/// creates lora_A (d_in x r) and lora_B (r x d_out) (docs/reference/formulas.md §1.3). Routed experts count once
/// per expert.
[[nodiscard]] constexpr std::int64_t lora_params(const ModelArch& m, std::uint32_t target_mask,
                                                 std::int64_t rank) noexcept {
  std::int64_t p = 0;
  for_each_linear_module(m, [&](std::size_t, const LinearModule& lm) {
    if ((lm.lora_bits & target_mask) != 0) p += rank * (lm.d_in + lm.d_out) * lm.copies();
  });
  return p;
}

}  // namespace headroom
