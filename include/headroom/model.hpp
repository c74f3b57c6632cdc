#pragma once
/// @file model.hpp
/// ModelArch: an LLM architecture normalised from its Hugging Face config.json, and the parameter
/// counts derived from it (docs/catalog.md, reference formulas in docs/memory.md).

#include <array>
#include <cstdint>
#include <string_view>

namespace headroom {

enum class NormKind { rms, layer, layer_no_bias };
enum class PositionKind { rotary, learned, alibi };
enum class AttentionKind { standard, mla };  ///< MHA/GQA/MQA, or DeepSeek multi-head latent attention

struct ModelArch {
  std::string_view id;          ///< catalog id or the config's name
  std::string_view model_type;  ///< HF model_type, e.g. "llama"
  std::string_view source;      ///< where the config comes from

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
  NormKind norm = NormKind::rms;
  int norms_per_layer = 2;
  bool final_norm = true;
  bool embedding_norm = false;  ///< BLOOM word_embeddings_layernorm
  bool qk_norm = false;         ///< per-head q/k norms (qwen3)
  bool tied_embeddings = false;
  bool gated_mlp = true;        ///< SwiGLU/GeGLU: gate, up, down; else up, down
  bool parallel_block = false;  ///< attention and MLP read the same normed input (falcon, phi, gpt-j)
  bool qkv_bias = false;
  bool o_bias = false;
  bool mlp_bias = false;
  bool lm_head_bias = false;

  // Mixture of experts (experts == 0: dense).
  std::int64_t experts = 0;
  std::int64_t experts_per_token = 0;
  std::int64_t expert_intermediate = 0;
  std::int64_t shared_experts = 0;        ///< always-active experts (deepseek n_shared_experts)
  std::int64_t shared_intermediate = 0;   ///< width of the shared expert MLP (qwen2_moe)
  bool shared_expert_gate = false;        ///< qwen2_moe sigmoid gate on the shared expert
  std::int64_t dense_layers = 0;          ///< leading dense layers (deepseek first_k_dense_replace)
  std::int64_t moe_layer_freq = 1;        ///< every k-th layer is MoE

  // Multi-head latent attention (attention == mla).
  AttentionKind attention = AttentionKind::standard;
  std::int64_t q_lora_rank = 0;
  std::int64_t kv_lora_rank = 0;
  std::int64_t qk_nope_head_dim = 0;
  std::int64_t qk_rope_head_dim = 0;
  std::int64_t v_head_dim = 0;

  [[nodiscard]] constexpr bool is_moe() const noexcept { return experts > 0; }
};

/// Parameter counts by part. `total` counts every weight and bias the model type instantiates.
struct ParamCounts {
  std::int64_t total = 0;
  std::int64_t active = 0;          ///< per token: MoE counts only the routed top-k (+ shared) experts
  std::int64_t embedding = 0;       ///< token table (+ learned positions, + projections/norm of the embedding)
  std::int64_t lm_head = 0;         ///< untied output head (0 when tied), with its bias
  std::int64_t blocks = 0;          ///< all transformer blocks
  std::int64_t final_norm = 0;
  std::int64_t block_linear = 0;    ///< weights of nn.Linear modules inside blocks (what 4/8-bit formats quantize)
  std::int64_t largest_linear = 0;  ///< elements of the largest single Linear weight in a block
};

}  // namespace headroom
