#pragma once
/// @file io/hf_config.hpp
/// Reads Hugging Face config.json files into ModelArch and writes ModelArch as JSON (the generated
/// catalog header is written by tools/model_table.hpp). Opt-in: needs nlohmann_json (the core
/// headers do not).
///
/// Each model_type is read with its own field names and the defaults of its transformers
/// configuration class (docs/catalog.md "Models" lists them). The shape fields (hidden size,
/// layers, heads, vocabulary and the FFN width where the family has no rule for it) are required:
/// transformers would fill them from a reference checkpoint, which would silently describe some
/// other model. Keys this reader does not use are ignored, as transformers ignores them.

#include <algorithm>
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "headroom/detail/closest.hpp"
#include "headroom/error.hpp"
#include "headroom/io/json_file.hpp"
#include "headroom/io/strict_json.hpp"
#include "headroom/model.hpp"
#include "headroom/string_store.hpp"

namespace headroom {

/// The model_type values model_from_hf_config() reads (RefinedWeb and RefinedWebModel are the
/// legacy names of falcon-40b and falcon-7b before transformers adopted them).
inline constexpr std::array<std::string_view, 21> hf_model_types{
    "bloom", "deepseek_v2", "deepseek_v3", "falcon", "gemma", "gemma2", "gpt2", "gpt_neox", "llama", "mistral", "mixtral",
    "mpt", "nemotron", "opt", "phi", "phi3", "qwen2", "qwen2_moe", "qwen3", "RefinedWeb", "RefinedWebModel"};

namespace detail::hf {

using json = nlohmann::json;

/// Typed access to one config object, with errors that name the file and the field.
class Fields {
 public:
  Fields(const json& j, std::string where, std::string prefix = {})
      : j_(j), where_(std::move(where)), prefix_(std::move(prefix)) {}

  [[nodiscard]] std::string name(std::string_view key) const { return prefix_ + std::string(key); }
  [[nodiscard]] DataError error(std::string_view key, const std::string& what) const {
    return DataError(where_, name(key), what);
  }
  [[nodiscard]] const std::string& where() const noexcept { return where_; }

  /// The value of `key`, or nullptr when the key is absent or null (transformers reads null as "unset").
  [[nodiscard]] const json* find(std::string_view key) const {
    const auto it = j_.find(std::string(key));
    return it == j_.end() || it->is_null() ? nullptr : &*it;
  }
  [[nodiscard]] bool has_key(std::string_view key) const { return j_.contains(std::string(key)); }
  [[nodiscard]] bool is_null(std::string_view key) const { return has_key(key) && j_.at(std::string(key)).is_null(); }

  [[nodiscard]] std::int64_t to_int(const json& v, std::string_view key) const {
    if (v.is_number_integer()) {
      const auto x = v.get<std::int64_t>();
      if (x < 0) throw error(key, "must not be negative, got " + v.dump());
      if (x > max_int) throw error(key, too_large(v));
      return x;
    }
    if (v.is_number_float()) {
      const double d = v.get<double>();
      if (d > static_cast<double>(max_int)) throw error(key, too_large(v));
      if (d >= 0 && static_cast<double>(static_cast<std::int64_t>(d)) == d) return static_cast<std::int64_t>(d);
    }
    throw error(key, "must be a non-negative integer, got " + v.dump());
  }

  /// No integer of a config comes near this; capping here keeps the readers' own defaults
  /// (4 x hidden, hidden + 2) from overflowing before check() applies ModelLimits.
  static constexpr std::int64_t max_int = std::int64_t{1} << 40;
  [[nodiscard]] static std::string too_large(const json& v) {
    return v.dump() + " is beyond any model dimension (at most " + std::to_string(max_int) +
           "; the limits are in docs/cases.md)";
  }

  /// The first of `keys` that is set (aliases: the family's own name first).
  [[nodiscard]] std::optional<std::int64_t> opt_int(std::initializer_list<std::string_view> keys) const {
    for (const auto k : keys)
      if (const json* v = find(k)) return to_int(*v, k);
    return std::nullopt;
  }
  [[nodiscard]] std::int64_t int_or(std::initializer_list<std::string_view> keys, std::int64_t fallback) const {
    return opt_int(keys).value_or(fallback);
  }
  /// A required positive integer; the error names the first key and its aliases.
  [[nodiscard]] std::int64_t need_int(std::initializer_list<std::string_view> keys, std::string_view model_type) const {
    if (const auto v = opt_int(keys)) {
      if (*v == 0) throw error(*keys.begin(), "must be positive");
      return *v;
    }
    std::string what = "missing (required for model_type '" + std::string(model_type) + "')";
    if (keys.size() > 1) {
      what += "; also accepted: ";
      bool first = true;
      for (const auto k : keys) {
        if (k == *keys.begin()) continue;
        what += (first ? "'" : ", '") + name(k) + "'";
        first = false;
      }
    }
    throw error(*keys.begin(), what);
  }

  [[nodiscard]] bool flag(std::string_view key, bool fallback) const {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_boolean()) throw error(key, "must be true or false, got " + v->dump());
    return v->get<bool>();
  }
  [[nodiscard]] std::string text(std::string_view key, std::string fallback) const {
    const json* v = find(key);
    if (!v) return fallback;
    if (!v->is_string()) throw error(key, "must be a string, got " + v->dump());
    return v->get<std::string>();
  }
  /// A nested object (MPT attn_config / ffn_config); an empty object when absent.
  [[nodiscard]] Fields sub(std::string_view key) const {
    static const json empty = json::object();
    const json* v = find(key);
    if (v && !v->is_object()) throw error(key, "must be an object, got " + v->dump());
    return Fields(v ? *v : empty, where_, prefix_ + std::string(key) + ".");
  }

 private:
  const json& j_;
  std::string where_;
  std::string prefix_;
};

/// num_key_value_heads as transformers resolves it: absent -> the class default (nullopt: the
/// number of heads), null -> the number of heads.
inline std::int64_t kv_heads(const Fields& f, std::string_view key, std::int64_t heads,
                             std::optional<std::int64_t> absent_default) {
  if (const auto v = f.opt_int({key})) return *v;
  if (f.is_null(key) || !absent_default) return heads;
  return *absent_default;
}

/// head_dim: the config's value, else the class default, else hidden / heads.
inline std::int64_t head_dim(const Fields& f, std::int64_t hidden, std::int64_t heads,
                             std::optional<std::int64_t> class_default, std::string_view hidden_key) {
  if (const auto v = f.opt_int({"head_dim"})) return *v;
  if (class_default && !f.is_null("head_dim")) return *class_default;
  if (hidden % heads != 0)
    throw f.error(hidden_key, std::to_string(hidden) + " is not a multiple of the " + std::to_string(heads) +
                                  " attention heads and the config sets no head_dim");
  return hidden / heads;
}

/// Defaults of one Llama-style family (transformers configuration class).
struct DecoderDefaults {
  std::optional<std::int64_t> kv_heads;  ///< nullopt: the number of heads
  std::optional<std::int64_t> head_dim;  ///< nullopt: hidden / heads
  bool tie = false;
  std::int64_t max_positions = 2048;
};

/// The fields every Llama-derived family shares (hidden_size, num_hidden_layers, ...).
inline void read_decoder(const Fields& f, ModelArch& m, std::string_view type, const DecoderDefaults& d,
                         bool need_intermediate = true) {
  m.hidden = f.need_int({"hidden_size"}, type);
  m.layers = f.need_int({"num_hidden_layers"}, type);
  m.heads = f.need_int({"num_attention_heads"}, type);
  m.kv_heads = kv_heads(f, "num_key_value_heads", m.heads, d.kv_heads);
  m.head_dim = head_dim(f, m.hidden, m.heads, d.head_dim, "hidden_size");
  m.intermediate = need_intermediate ? f.need_int({"intermediate_size"}, type) : f.int_or({"intermediate_size"}, 0);
  m.vocab = f.need_int({"vocab_size"}, type);
  m.max_positions = f.int_or({"max_position_embeddings"}, d.max_positions);
  m.tied_embeddings = f.flag("tie_word_embeddings", d.tie);
  m.position = PositionKind::rotary;
  m.norm = NormKind::rms;
  m.norms_per_layer = 2;
  m.gated_mlp = true;
}

inline void read_llama(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "llama", {std::nullopt, std::nullopt, false, 2048});
  m.qkv_bias = m.o_bias = f.flag("attention_bias", false);
  m.mlp_bias = f.flag("mlp_bias", false);
}

inline void read_mistral(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "mistral", {8, std::nullopt, false, 4096 * 32});
}

inline void read_mixtral(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "mixtral", {8, std::nullopt, false, 4096 * 32});
  m.experts = f.int_or({"num_local_experts", "num_experts"}, 8);
  m.experts_per_token = f.int_or({"num_experts_per_tok"}, 2);
  m.expert_intermediate = m.intermediate;
}

inline void read_qwen2(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "qwen2", {32, std::nullopt, false, 32768});
  m.qkv_bias = true;  // Qwen2Attention: q/k/v with bias, o_proj without
}

inline void read_qwen2_moe(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "qwen2_moe", {16, std::nullopt, false, 32768});
  m.qkv_bias = f.flag("qkv_bias", true);
  m.experts = f.int_or({"num_experts"}, 60);
  if (m.experts == 0) return;
  m.experts_per_token = f.int_or({"num_experts_per_tok"}, 4);
  m.expert_intermediate = f.need_int({"moe_intermediate_size"}, "qwen2_moe");
  m.shared_intermediate = f.int_or({"shared_expert_intermediate_size"}, 5632);
  m.shared_experts = m.shared_intermediate > 0 ? 1 : 0;
  m.shared_expert_gate = m.shared_experts > 0;
  m.moe_layer_freq = f.int_or({"decoder_sparse_step"}, 1);
  if (m.moe_layer_freq == 0) throw f.error("decoder_sparse_step", "must be positive");
  m.moe_layer_offset = m.moe_layer_freq - 1;  // layer i is sparse when (i + 1) % decoder_sparse_step == 0
  if (const json* only = f.find("mlp_only_layers"); only && !(only->is_array() && only->empty()))
    throw f.error("mlp_only_layers", "a non-empty list is not supported (every published qwen2_moe config has [])");
}

inline void read_qwen3(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "qwen3", {32, 128, false, 32768});
  m.qkv_bias = m.o_bias = f.flag("attention_bias", false);
  m.qk_norm = true;  // q_norm, k_norm: RMSNorm(head_dim)
}

inline void read_gemma(const Fields& f, ModelArch& m, bool gemma2) {
  if (gemma2) read_decoder(f, m, "gemma2", {4, 256, true, 8192});
  else read_decoder(f, m, "gemma", {16, 256, true, 8192});
  m.qkv_bias = m.o_bias = f.flag("attention_bias", false);
  if (gemma2) m.norms_per_layer = 4;  // input, post_attention, pre_feedforward, post_feedforward
}

inline void read_phi3(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "phi3", {std::nullopt, std::nullopt, false, 4096});
  m.fused_qkv = true;      // qkv_proj
  m.fused_gate_up = true;  // gate_up_proj
}

inline void read_nemotron(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "nemotron", {std::nullopt, std::nullopt, false, 4096});
  m.qkv_bias = m.o_bias = f.flag("attention_bias", false);
  m.mlp_bias = f.flag("mlp_bias", false);
  m.norm = NormKind::layer;  // NemotronLayerNorm1P: LayerNorm with weight and bias
  m.gated_mlp = false;       // up_proj, down_proj with relu2
}

inline void read_phi(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "phi", {std::nullopt, std::nullopt, false, 2048});
  m.norm = NormKind::layer;
  m.norms_per_layer = 1;  // input_layernorm feeds attention and MLP
  m.parallel_block = true;
  m.qkv_bias = m.o_bias = m.mlp_bias = true;
  m.lm_head_bias = true;
  m.gated_mlp = false;  // fc1, fc2
  m.qk_norm = f.flag("qk_layernorm", false);
}

inline void read_deepseek(const Fields& f, ModelArch& m, bool v3) {
  const std::string_view type = v3 ? "deepseek_v3" : "deepseek_v2";
  read_decoder(f, m, type, {v3 ? std::optional<std::int64_t>{128} : std::nullopt, 1, false, v3 ? 4096 : 2048});
  m.attention = AttentionKind::mla;
  m.q_lora_rank = f.is_null("q_lora_rank") ? 0 : f.int_or({"q_lora_rank"}, 1536);
  m.kv_lora_rank = f.int_or({"kv_lora_rank"}, 512);
  m.qk_nope_head_dim = f.int_or({"qk_nope_head_dim"}, 128);
  m.qk_rope_head_dim = f.int_or({"qk_rope_head_dim"}, 64);
  m.v_head_dim = f.int_or({"v_head_dim"}, 128);
  m.head_dim = m.qk_nope_head_dim + m.qk_rope_head_dim;  // query/key head width
  m.kv_heads = m.heads;  // MLA expands the latent into per-head K and V
  m.qkv_bias = m.o_bias = f.flag("attention_bias", false);
  m.mlp_bias = f.flag("mlp_bias", false);
  m.experts = f.is_null("n_routed_experts") ? 0 : f.int_or({"n_routed_experts"}, v3 ? 256 : 64);
  if (m.experts == 0) return;
  if (const auto k = f.opt_int({"num_experts_per_tok"})) m.experts_per_token = *k;
  else if (v3) m.experts_per_token = 8;
  else throw f.error("num_experts_per_tok", "missing (required when n_routed_experts is set)");
  m.expert_intermediate = f.need_int({"moe_intermediate_size"}, type);
  m.shared_experts = f.is_null("n_shared_experts") ? 0 : f.int_or({"n_shared_experts"}, v3 ? 1 : 2);
  m.shared_intermediate = m.expert_intermediate;  // DeepseekMLP(intermediate = moe_intermediate_size * n_shared_experts)
  m.dense_layers = f.int_or({"first_k_dense_replace"}, v3 ? 3 : 0);
  m.moe_layer_freq = f.int_or({"moe_layer_freq"}, 1);
  if (m.moe_layer_freq == 0) throw f.error("moe_layer_freq", "must be positive");
}

inline void read_gpt2(const Fields& f, ModelArch& m) {
  m.hidden = f.need_int({"n_embd", "hidden_size"}, "gpt2");
  m.layers = f.need_int({"n_layer", "num_hidden_layers"}, "gpt2");
  m.heads = f.need_int({"n_head", "num_attention_heads"}, "gpt2");
  m.kv_heads = m.heads;
  m.head_dim = head_dim(f, m.hidden, m.heads, std::nullopt, "n_embd");
  m.intermediate = f.int_or({"n_inner"}, 4 * m.hidden);
  m.vocab = f.need_int({"vocab_size"}, "gpt2");
  m.max_positions = f.int_or({"n_positions", "max_position_embeddings"}, 1024);
  m.position = PositionKind::learned;
  m.position_rows = m.max_positions;
  m.norm = NormKind::layer;
  m.tied_embeddings = f.flag("tie_word_embeddings", true);
  m.gated_mlp = false;
  m.qkv_bias = m.o_bias = m.mlp_bias = true;
  m.fused_qkv = true;  // c_attn
}

inline void read_gpt_neox(const Fields& f, ModelArch& m) {
  m.hidden = f.need_int({"hidden_size"}, "gpt_neox");
  m.layers = f.need_int({"num_hidden_layers"}, "gpt_neox");
  m.heads = f.need_int({"num_attention_heads"}, "gpt_neox");
  m.kv_heads = m.heads;
  m.head_dim = head_dim(f, m.hidden, m.heads, std::nullopt, "hidden_size");
  m.intermediate = f.need_int({"intermediate_size"}, "gpt_neox");
  m.vocab = f.need_int({"vocab_size"}, "gpt_neox");
  m.max_positions = f.int_or({"max_position_embeddings"}, 2048);
  m.norm = NormKind::layer;
  m.tied_embeddings = f.flag("tie_word_embeddings", false);
  m.parallel_block = f.flag("use_parallel_residual", true);
  m.gated_mlp = false;
  m.qkv_bias = m.o_bias = f.flag("attention_bias", true);
  m.mlp_bias = true;
  m.fused_qkv = true;  // query_key_value
}

inline void read_opt(const Fields& f, ModelArch& m) {
  m.hidden = f.need_int({"hidden_size"}, "opt");
  m.layers = f.need_int({"num_hidden_layers"}, "opt");
  m.heads = f.need_int({"num_attention_heads"}, "opt");
  m.kv_heads = m.heads;
  m.head_dim = head_dim(f, m.hidden, m.heads, std::nullopt, "hidden_size");
  m.intermediate = f.need_int({"ffn_dim"}, "opt");
  m.vocab = f.need_int({"vocab_size"}, "opt");
  m.max_positions = f.int_or({"max_position_embeddings"}, 2048);
  m.position = PositionKind::learned;
  m.position_rows = m.max_positions + 2;  // OPTLearnedPositionalEmbedding offsets positions by 2
  const std::int64_t proj = f.int_or({"word_embed_proj_dim"}, m.hidden);
  m.embed_proj_dim = proj != m.hidden ? proj : 0;
  m.norm = NormKind::layer;
  if (!f.flag("layer_norm_elementwise_affine", true))
    throw f.error("layer_norm_elementwise_affine", "false (LayerNorms without parameters) is not supported");
  m.final_norm = f.flag("do_layer_norm_before", true) && !f.flag("_remove_final_layer_norm", false);
  m.tied_embeddings = f.flag("tie_word_embeddings", true);
  m.gated_mlp = false;
  m.qkv_bias = m.o_bias = m.mlp_bias = f.flag("enable_bias", true);
}

inline void read_bloom(const Fields& f, ModelArch& m) {
  m.hidden = f.need_int({"hidden_size", "n_embed"}, "bloom");
  m.layers = f.need_int({"n_layer", "num_hidden_layers"}, "bloom");
  m.heads = f.need_int({"n_head", "num_attention_heads"}, "bloom");
  m.kv_heads = m.heads;
  m.head_dim = head_dim(f, m.hidden, m.heads, std::nullopt, "hidden_size");
  m.intermediate = 4 * m.hidden;  // BloomMLP is always 4h
  m.vocab = f.need_int({"vocab_size"}, "bloom");
  m.max_positions = f.int_or({"seq_length"}, 2048);  // ALiBi: no table; BLOOM was trained at 2048
  m.position = PositionKind::alibi;
  m.norm = NormKind::layer;
  m.embedding_norm = true;  // word_embeddings_layernorm
  m.tied_embeddings = f.flag("tie_word_embeddings", true);
  m.gated_mlp = false;
  m.qkv_bias = m.o_bias = m.mlp_bias = true;
  m.fused_qkv = true;  // query_key_value
}

inline void read_falcon(const Fields& f, ModelArch& m, std::string_view type) {
  m.hidden = f.need_int({"hidden_size", "n_embed"}, type);
  m.layers = f.need_int({"num_hidden_layers", "n_layer"}, type);
  m.heads = f.need_int({"num_attention_heads", "n_head"}, type);
  m.head_dim = head_dim(f, m.hidden, m.heads, std::nullopt, "hidden_size");
  m.vocab = f.need_int({"vocab_size"}, type);
  // The legacy remote-code names fix the architecture: RefinedWeb (falcon-40b) is the new decoder.
  const bool new_arch = f.flag("new_decoder_architecture", type == "RefinedWeb");
  if (new_arch) m.kv_heads = f.int_or({"num_kv_heads", "n_head_kv"}, m.heads);
  else if (f.flag("multi_query", true)) m.kv_heads = 1;
  else m.kv_heads = m.heads;
  m.parallel_block = f.flag("parallel_attn", true);
  const std::int64_t ln = f.int_or({"num_ln_in_parallel_attn"}, new_arch ? 2 : 1);
  m.norms_per_layer = !m.parallel_block || ln == 2 ? 2 : 1;
  m.intermediate = f.int_or({"ffn_hidden_size"}, 4 * m.hidden);
  m.max_positions = f.int_or({"max_position_embeddings"}, 2048);
  m.position = f.flag("alibi", false) ? PositionKind::alibi : PositionKind::rotary;
  m.norm = NormKind::layer;
  m.tied_embeddings = f.flag("tie_word_embeddings", true);
  m.gated_mlp = false;
  m.qkv_bias = m.o_bias = m.mlp_bias = f.flag("bias", false);
  m.fused_qkv = true;  // query_key_value
}

inline void read_mpt(const Fields& f, ModelArch& m) {
  m.hidden = f.need_int({"d_model", "hidden_size"}, "mpt");
  m.layers = f.need_int({"n_layers", "num_hidden_layers"}, "mpt");
  m.heads = f.need_int({"n_heads", "num_attention_heads"}, "mpt");
  m.head_dim = head_dim(f, m.hidden, m.heads, std::nullopt, "d_model");
  m.vocab = f.need_int({"vocab_size"}, "mpt");
  m.max_positions = f.int_or({"max_seq_len"}, 2048);
  const Fields attn = f.sub("attn_config");
  const Fields ffn = f.sub("ffn_config");
  const std::string attn_type = attn.text("attn_type", "multihead_attention");
  if (attn_type == "multihead_attention") m.kv_heads = m.heads;
  else if (attn_type == "multiquery_attention") m.kv_heads = 1;
  else if (attn_type == "grouped_query_attention") m.kv_heads = attn.int_or({"kv_n_heads"}, m.heads);
  else throw attn.error("attn_type", "unknown value '" + attn_type + "'");
  // MptAttentionConfig: alibi defaults to true; learned positions only when neither ALiBi nor RoPE.
  if (attn.flag("alibi", true)) m.position = PositionKind::alibi;
  else if (attn.flag("rope", false)) m.position = PositionKind::rotary;
  else if (f.flag("learned_pos_emb", true)) {
    m.position = PositionKind::learned;
    m.position_rows = m.max_positions;
  }
  const std::string ffn_type = ffn.text("ffn_type", "mptmlp");
  if (ffn_type == "mptglu") m.gated_mlp = true;
  else if (ffn_type == "mptmlp" || ffn_type == "te_ln_mlp") m.gated_mlp = false;
  else throw ffn.error("ffn_type", "'" + ffn_type + "' is not supported (mptmlp, mptglu, te_ln_mlp are)");
  const std::int64_t ratio = f.int_or({"expansion_ratio"}, 4);
  if (ratio > ModelLimits::ffn_width) throw f.error("expansion_ratio", std::to_string(ratio) + " is beyond the limit " +
                                                                          std::to_string(ModelLimits::ffn_width));
  m.intermediate = ffn.int_or({"ffn_hidden_size"}, ratio * m.hidden);
  const bool bias = !f.flag("no_bias", true);
  const std::string norm_type = f.text("norm_type", "low_precision_layernorm");
  if (norm_type.find("rmsnorm") != std::string::npos) m.norm = NormKind::rms;
  else m.norm = bias ? NormKind::layer : NormKind::layer_no_bias;
  m.qkv_bias = m.o_bias = m.mlp_bias = bias;
  m.tied_embeddings = f.flag("tie_word_embeddings", true);
  m.fused_qkv = true;  // Wqkv
}

/// The config key a ModelArch member was read from: the first of its spellings the config sets.
inline std::string config_key(const Fields& f, std::string_view arch_field, std::string_view kv_key) {
  static constexpr struct {
    std::string_view field;
    std::array<std::string_view, 4> keys;
  } spellings[] = {
      {"hidden", {"hidden_size", "n_embd", "d_model", "n_embed"}},
      {"layers", {"num_hidden_layers", "n_layer", "n_layers"}},
      {"heads", {"num_attention_heads", "n_head", "n_heads"}},
      {"head_dim", {"head_dim"}},
      {"intermediate", {"intermediate_size", "n_inner", "ffn_dim", "ffn_hidden_size"}},
      {"vocab", {"vocab_size"}},
      {"max_positions", {"max_position_embeddings", "n_positions", "max_seq_len", "seq_length"}},
      {"position_rows", {"max_position_embeddings", "n_positions", "max_seq_len"}},
      {"embed_proj_dim", {"word_embed_proj_dim"}},
      {"experts", {"num_local_experts", "num_experts", "n_routed_experts"}},
      {"experts_per_token", {"num_experts_per_tok"}},
      {"expert_intermediate", {"moe_intermediate_size", "intermediate_size"}},
      {"shared_experts", {"n_shared_experts"}},
      {"shared_intermediate", {"shared_expert_intermediate_size", "moe_intermediate_size"}},
      {"dense_layers", {"first_k_dense_replace"}},
      {"moe_layer_freq", {"moe_layer_freq", "decoder_sparse_step"}},
      {"q_lora_rank", {"q_lora_rank"}},
      {"kv_lora_rank", {"kv_lora_rank"}},
      {"qk_nope_head_dim", {"qk_nope_head_dim"}},
      {"qk_rope_head_dim", {"qk_rope_head_dim"}},
      {"v_head_dim", {"v_head_dim"}},
  };
  if (arch_field == "kv_heads") return std::string(kv_key);
  for (const auto& s : spellings)
    if (s.field == arch_field)
      for (const auto k : s.keys)
        if (!k.empty() && f.has_key(k)) return std::string(k);
  return std::string(arch_field);
}

inline void check(const Fields& f, const ModelArch& m, std::string_view kv_key) {
  if (const ModelLimitBreach b = check_limits(m))
    throw f.error(config_key(f, b.field, kv_key),
                  std::to_string(b.value) + " is beyond the limit " + std::to_string(b.limit) + " on " +
                      std::string(b.field) + " (no published model comes near it; docs/cases.md lists the limits)");
  if (m.kv_heads == 0 || m.kv_heads > m.heads || m.heads % m.kv_heads != 0)
    throw f.error(kv_key, std::to_string(m.kv_heads) + " key/value heads do not divide the " +
                              std::to_string(m.heads) + " attention heads");
  if (m.is_moe() && (m.experts_per_token == 0 || m.experts_per_token > m.experts))
    throw f.error("num_experts_per_tok", std::to_string(m.experts_per_token) + " is not between 1 and the " +
                                             std::to_string(m.experts) + " experts");
}

inline std::string quoted_list(std::span<const std::string_view> names) {
  std::string s;
  for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", '" : "'") + std::string(names[i]) + "'";
  return s;
}

}  // namespace detail::hf

/// Reads one Hugging Face config.json object. `_id` (if present) becomes the id (else the id is
/// left empty for the caller to fill), `_source` the source; `where` names the file in errors.
/// @throws DataError naming `model_type` (unknown: with the closest supported names) or the
///         missing or malformed field.
[[nodiscard]] inline ModelArch model_from_hf_config(const nlohmann::json& config, StringStore& store,
                                                    std::string_view where) {
  namespace hf = detail::hf;
  if (!config.is_object()) throw DataError(std::string(where), "", "a config.json must be a JSON object");
  strict_json::expect_kind(config, strict_json::RecordKind::hf_config, where);
  const hf::Fields f(config, std::string(where));
  if (!f.find("model_type")) throw f.error("model_type", "missing; supported: " + hf::quoted_list(hf_model_types));
  const std::string type = f.text("model_type", "");

  ModelArch m;
  std::string_view canonical = type;
  std::string_view kv_key = "num_key_value_heads";
  if (type == "llama") hf::read_llama(f, m);
  else if (type == "mistral") hf::read_mistral(f, m);
  else if (type == "mixtral") hf::read_mixtral(f, m);
  else if (type == "qwen2") hf::read_qwen2(f, m);
  else if (type == "qwen2_moe") hf::read_qwen2_moe(f, m);
  else if (type == "qwen3") hf::read_qwen3(f, m);
  else if (type == "gemma") hf::read_gemma(f, m, false);
  else if (type == "gemma2") hf::read_gemma(f, m, true);
  else if (type == "phi") hf::read_phi(f, m);
  else if (type == "phi3") hf::read_phi3(f, m);
  else if (type == "nemotron") hf::read_nemotron(f, m);
  else if (type == "deepseek_v2") hf::read_deepseek(f, m, false);
  else if (type == "deepseek_v3") hf::read_deepseek(f, m, true);
  else if (type == "gpt2") {
    hf::read_gpt2(f, m);
    kv_key = "n_head";
  } else if (type == "gpt_neox") hf::read_gpt_neox(f, m);
  else if (type == "opt") hf::read_opt(f, m);
  else if (type == "bloom") {
    hf::read_bloom(f, m);
    kv_key = "n_head";
  } else if (type == "mpt") {
    hf::read_mpt(f, m);
    kv_key = "attn_config.kv_n_heads";
  } else if (type == "falcon" || type == "RefinedWeb" || type == "RefinedWebModel") {
    hf::read_falcon(f, m, type);
    canonical = "falcon";
    kv_key = "num_kv_heads";
  } else {
    std::string what = "unknown value '" + type + "'";
    const auto near = detail::closest(type, hf_model_types);
    if (!near.empty()) {
      what += "; did you mean ";
      for (std::size_t i = 0; i < near.size(); ++i)
        what += (i ? (i + 1 == near.size() ? " or '" : ", '") : "'") + near[i] + "'";
      what += "?";
    }
    throw UnsupportedModelType(f.where(), f.name("model_type"), what + " (supported: " + hf::quoted_list(hf_model_types) + ")");
  }
  hf::check(f, m, kv_key);
  // A RoPE scaling block (not null) says the positions can be stretched beyond max_positions.
  m.rope_scaling = m.position == PositionKind::rotary && f.find("rope_scaling") != nullptr;

  m.model_type = store.keep(canonical);
  if (const auto* id = f.find("_id")) {
    if (!id->is_string() || id->get<std::string>().empty()) throw f.error("_id", "must be a non-empty string");
    m.id = store.keep(id->get<std::string>());
  }
  if (const auto* src = f.find("_source"); src && src->is_string()) m.source = store.keep(src->get<std::string>());
  return m;
}

/// Reads every `*.json` directly inside a directory (sorted by file name), or one file. A file
/// without `_id` takes its file stem as the id.
/// @throws IoError when the path or a file cannot be read; DataError for invalid JSON, a bad config
///         or a duplicate id.
[[nodiscard]] inline std::vector<ModelArch> load_model_files(const std::filesystem::path& dir_or_file,
                                                             StringStore& store) {
  const auto files = json_files(dir_or_file);
  std::vector<ModelArch> out;
  out.reserve(files.size());
  for (const auto& path : files) {
    ModelArch m = model_from_hf_config(read_json_file(path), store, path.string());
    if (m.id.empty()) m.id = store.keep(path.stem().string());
    for (const ModelArch& seen : out)
      if (seen.id == m.id) throw DataError(path.string(), "_id", "duplicate id '" + std::string(m.id) + "'");
    out.push_back(m);
  }
  return out;
}

namespace detail::hf {
inline const char* name_of(PositionKind p) {
  return p == PositionKind::rotary ? "rotary" : p == PositionKind::learned ? "learned" : "alibi";
}
inline const char* name_of(NormKind n) {
  return n == NormKind::rms ? "rms" : n == NormKind::layer ? "layer" : "layer_no_bias";
}
inline const char* name_of(AttentionKind a) { return a == AttentionKind::mla ? "mla" : "standard"; }
}  // namespace detail::hf

/// The architecture fields and the parameter counts (integers) of a model.
[[nodiscard]] inline nlohmann::json model_to_json(const ModelArch& m) {
  namespace hf = detail::hf;
  const ParamCounts p = count_params(m);
  nlohmann::json j;
  j["id"] = std::string(m.id);
  j["model_type"] = std::string(m.model_type);
  j["source"] = std::string(m.source);
  j["params_total"] = p.total;
  j["params_active"] = p.active;
  j["params_embedding"] = p.embedding;
  j["params_lm_head"] = p.lm_head;
  j["params_blocks"] = p.blocks;
  j["params_final_norm"] = p.final_norm;
  j["params_block_linear"] = p.block_linear;
  j["params_largest_linear"] = p.largest_linear;
  j["kv_elements_per_token"] = kv_elements_per_token(m);
  j["hidden"] = m.hidden;
  j["layers"] = m.layers;
  j["heads"] = m.heads;
  j["kv_heads"] = m.kv_heads;
  j["head_dim"] = m.head_dim;
  j["intermediate"] = m.intermediate;
  j["vocab"] = m.vocab;
  j["max_positions"] = m.max_positions;
  j["position_rows"] = m.position_rows;
  j["embed_proj_dim"] = m.embed_proj_dim;
  j["position"] = hf::name_of(m.position);
  j["rope_scaling"] = m.rope_scaling;
  j["norm"] = hf::name_of(m.norm);
  j["norms_per_layer"] = m.norms_per_layer;
  j["final_norm"] = m.final_norm;
  j["embedding_norm"] = m.embedding_norm;
  j["qk_norm"] = m.qk_norm;
  j["tied_embeddings"] = m.tied_embeddings;
  j["gated_mlp"] = m.gated_mlp;
  j["parallel_block"] = m.parallel_block;
  j["qkv_bias"] = m.qkv_bias;
  j["o_bias"] = m.o_bias;
  j["mlp_bias"] = m.mlp_bias;
  j["lm_head_bias"] = m.lm_head_bias;
  j["fused_qkv"] = m.fused_qkv;
  j["fused_gate_up"] = m.fused_gate_up;
  j["experts"] = m.experts;
  j["experts_per_token"] = m.experts_per_token;
  j["expert_intermediate"] = m.expert_intermediate;
  j["shared_experts"] = m.shared_experts;
  j["shared_intermediate"] = m.shared_intermediate;
  j["shared_expert_gate"] = m.shared_expert_gate;
  j["dense_layers"] = m.dense_layers;
  j["moe_layer_freq"] = m.moe_layer_freq;
  j["moe_layer_offset"] = m.moe_layer_offset;
  j["attention"] = hf::name_of(m.attention);
  j["q_lora_rank"] = m.q_lora_rank;
  j["kv_lora_rank"] = m.kv_lora_rank;
  j["qk_nope_head_dim"] = m.qk_nope_head_dim;
  j["qk_rope_head_dim"] = m.qk_rope_head_dim;
  j["v_head_dim"] = m.v_head_dim;
  return j;
}

}  // namespace headroom
