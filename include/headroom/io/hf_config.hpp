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
inline constexpr std::array<std::string_view, 35> hf_model_types{
    "bloom", "deepseek_v2", "deepseek_v3", "falcon", "gemma", "gemma2", "gemma3", "gemma3_text", "glm4_moe",
    "glm_moe_dsa", "gpt2", "gpt_neox", "gpt_oss", "kimi_k2", "kimi_k25", "llama", "llama4", "minimax_m2", "mistral",
    "mixtral", "mpt", "nemotron", "nemotron_h", "opt", "phi", "phi3", "qwen2", "qwen2_moe", "qwen3", "qwen3_5", "qwen3_5_moe", "qwen3_moe",
    "qwen3_next", "RefinedWeb", "RefinedWebModel"};

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
  /// The first of `keys` that is set (the one opt_int read), else the first: the key an error names.
  [[nodiscard]] std::string_view given(std::initializer_list<std::string_view> keys) const {
    for (const auto k : keys)
      if (find(k) != nullptr) return k;
    return *keys.begin();
  }
  /// A required positive integer; the error names the key given, or the first key and its aliases.
  [[nodiscard]] std::int64_t need_int(std::initializer_list<std::string_view> keys, std::string_view model_type) const {
    if (const auto v = opt_int(keys)) {
      if (*v == 0) throw error(given(keys), "must be positive");
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
  /// A nested object when the key holds one, else an empty object (no error).
  [[nodiscard]] Fields sub_if_object(std::string_view key) const {
    static const json empty = json::object();
    const json* v = find(key);
    return Fields(v && v->is_object() ? *v : empty, where_, prefix_ + std::string(key) + ".");
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

/// A list of strings (layer_types, mlp_layer_types); nullopt when absent or null.
inline std::optional<std::vector<std::string>> string_list(const Fields& f, std::string_view key, std::int64_t layers) {
  const json* v = f.find(key);
  if (!v) return std::nullopt;
  if (!v->is_array()) throw f.error(key, "must be a list of strings, got " + v->dump());
  std::vector<std::string> out;
  for (const json& e : *v) {
    if (!e.is_string()) throw f.error(key, "must be a list of strings, got the entry " + e.dump());
    out.push_back(e.get<std::string>());
  }
  if (static_cast<std::int64_t>(out.size()) != layers)
    throw f.error(key, "has " + std::to_string(out.size()) + " entries for " + std::to_string(layers) +
                           " layers (num_hidden_layers); give one per layer");
  return out;
}

/// Counts the entries of a per-layer list that equal `kind`, after checking that each is one of `allowed`.
inline std::int64_t count_kind(const Fields& f, std::string_view key, const std::vector<std::string>& list,
                               std::string_view kind, std::initializer_list<std::string_view> allowed) {
  std::int64_t n = 0;
  for (const std::string& e : list) {
    if (std::find(allowed.begin(), allowed.end(), e) == allowed.end()) {
      std::string names;
      for (const auto a : allowed) names += (names.empty() ? "'" : ", '") + std::string(a) + "'";
      throw f.error(key, "unknown layer kind '" + e + "' (known: " + names + ")");
    }
    if (e == kind) ++n;
  }
  return n;
}

/// Bytes of a state dtype named in a config (mamba_ssm_dtype): float32 -> 4, 16-bit -> 2.
inline std::int64_t dtype_bytes(const Fields& f, std::string_view key, std::int64_t fallback) {
  const std::string d = f.text(key, "");
  if (d.empty()) return fallback;
  if (d == "float32" || d == "fp32") return 4;
  if (d == "bfloat16" || d == "float16" || d == "bf16" || d == "fp16") return 2;
  throw f.error(key, "unknown dtype '" + d + "' (float32, bfloat16 or float16)");
}

/// An MoE config's list of always-dense layers must be empty (the published configs' []).
inline void reject_mlp_only_layers(const Fields& f, std::string_view type) {
  if (const json* only = f.find("mlp_only_layers"); only && !(only->is_array() && only->empty()))
    throw f.error("mlp_only_layers", "a non-empty list is not supported (every published " + std::string(type) +
                                         " config has [])");
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

inline void read_deepseek(const Fields& f, ModelArch& m, bool v3, std::string_view type_name = {}) {
  const std::string_view type = !type_name.empty() ? type_name : v3 ? "deepseek_v3" : "deepseek_v2";
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
  m.router_bias = v3 && f.text("topk_method", "noaux_tc") == "noaux_tc";  // e_score_correction_bias
}

/// glm_moe_dsa (GLM-5, transformers GlmMoeDsaConfig): DeepSeek-V3's MLA and MoE with GLM-5's
/// defaults, plus the DeepSeek sparse attention indexer in every layer (index_n_heads, index_head_dim).
inline void read_glm_moe_dsa(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "glm_moe_dsa", {64, 64, false, 202752});
  m.attention = AttentionKind::mla;
  m.q_lora_rank = f.int_or({"q_lora_rank"}, 2048);
  m.kv_lora_rank = f.int_or({"kv_lora_rank"}, 512);
  m.qk_nope_head_dim = f.int_or({"qk_nope_head_dim"}, 192);
  m.qk_rope_head_dim = f.int_or({"qk_rope_head_dim"}, 64);
  m.v_head_dim = f.int_or({"v_head_dim"}, 256);
  m.head_dim = m.qk_nope_head_dim + m.qk_rope_head_dim;
  m.kv_heads = m.heads;
  m.qkv_bias = m.o_bias = f.flag("attention_bias", false);
  m.mlp_bias = f.flag("mlp_bias", false);
  m.experts = f.int_or({"n_routed_experts", "num_local_experts"}, 256);
  m.experts_per_token = f.int_or({"num_experts_per_tok"}, 8);
  m.expert_intermediate = f.int_or({"moe_intermediate_size"}, 2048);
  m.shared_experts = f.int_or({"n_shared_experts"}, 1);
  m.shared_intermediate = m.expert_intermediate;
  m.dense_layers = f.int_or({"first_k_dense_replace"}, 3);
  if (const auto types = string_list(f, "mlp_layer_types", m.layers)) {
    const std::int64_t dense = count_kind(f, "mlp_layer_types", *types, "dense", {"dense", "sparse"});
    for (std::int64_t i = 0; i < dense; ++i)
      if ((*types)[static_cast<std::size_t>(i)] != "dense")
        throw f.error("mlp_layer_types", "dense layers must lead (the layout first_k_dense_replace describes)");
    m.dense_layers = dense;
  }
  m.router_bias = true;  // e_score_correction_bias
  m.index_heads = f.int_or({"index_n_heads"}, 32);
  m.index_head_dim = f.int_or({"index_head_dim"}, 128);
  if (f.find("indexer_types") || f.find("index_topk_pattern") || f.int_or({"index_topk_freq"}, 1) != 1)
    throw f.error("indexer_types", "shared indexer layers are not supported (GLM-5 runs the indexer in every layer)");
}

/// Parameters of one pre-norm ViT block of width h and MLP width `inter`: qkv and output projections
/// with bias (4h² + 4h), a two-matrix MLP with bias (2h·inter + inter + h) and two LayerNorms with bias (4h).
constexpr std::int64_t vit_block(std::int64_t h, std::int64_t inter) {
  return 4 * h * h + 4 * h + 2 * h * inter + inter + h + 4 * h;
}

/// Parameters of a ViT-style vision tower and its projector, the part of a multimodal wrapper
/// that serving keeps in memory next to the language model: `depth` pre-norm blocks (LayerNorm
/// with bias, qkv and output projections with bias, a two-matrix MLP with bias), the patch
/// embedding (a conv of `patch_in` inputs with bias), a learned position table, a final norm,
/// and a merger (LayerNorm, Linear merge_in x merge_in, Linear merge_in x out, both with bias).
/// The count is the structure the Qwen3-VL and MoonViT towers share; their small differences
/// (a position-table shape, a norm placement) are below 1% of the tower and far below 0.1% of the models.
inline std::int64_t vit_params(std::int64_t depth, std::int64_t h, std::int64_t inter, std::int64_t patch_in,
                               std::int64_t pos_rows, std::int64_t merge_in, std::int64_t out) {
  return depth * vit_block(h, inter) + patch_in * h + h + pos_rows * h + 2 * h + 2 * h + merge_in * merge_in + merge_in +
         merge_in * out + out;
}

/// The nested text_config of a multimodal wrapper (errors name `text_config.<key>`).
inline Fields text_config(const Fields& f, std::string_view type) {
  if (!f.find("text_config"))
    throw f.error("text_config", "missing (required for model_type '" + std::string(type) +
                                     "': the language model's config.json fields)");
  return f.sub("text_config");
}

inline void read_qwen3_moe(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "qwen3_moe", {4, std::nullopt, false, 32768});
  m.qkv_bias = m.o_bias = f.flag("attention_bias", false);
  m.qk_norm = true;  // q_norm, k_norm: RMSNorm(head_dim), as qwen3
  m.experts = f.int_or({"num_experts"}, 128);
  m.experts_per_token = f.int_or({"num_experts_per_tok"}, 8);
  m.expert_intermediate = f.int_or({"moe_intermediate_size"}, 768);
  m.moe_layer_freq = f.int_or({"decoder_sparse_step"}, 1);
  if (m.moe_layer_freq == 0) throw f.error("decoder_sparse_step", "must be positive");
  m.moe_layer_offset = m.moe_layer_freq - 1;  // layer i is sparse when (i + 1) % decoder_sparse_step == 0
  reject_mlp_only_layers(f, "qwen3_moe");
}

/// gpt_oss (transformers GptOssConfig): every MLP is MoE with biased experts (gate_up_proj_bias,
/// down_proj_bias) and a biased router; q/k/v/o carry biases (attention_bias) and one learned
/// sink per head; layer_types alternates sliding_attention (window sliding_window) and full_attention.
inline void read_gpt_oss(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "gpt_oss", {8, 64, false, 131072});
  m.qkv_bias = m.o_bias = f.flag("attention_bias", true);
  m.attention_sinks = true;
  m.experts = f.int_or({"num_local_experts", "num_experts"}, 128);
  m.experts_per_token = f.int_or({"num_experts_per_tok"}, 4);
  m.expert_intermediate = m.intermediate;
  m.mlp_bias = true;
  m.router_bias = true;
  const std::int64_t window = f.int_or({"sliding_window"}, f.is_null("sliding_window") ? 0 : 128);
  std::int64_t sliding = 0;
  if (const auto types = string_list(f, "layer_types", m.layers))
    sliding = count_kind(f, "layer_types", *types, "sliding_attention", {"sliding_attention", "full_attention"});
  else
    sliding = (m.layers + 1) / 2;  // layer i slides when (i + 1) % 2 == 1
  if (window > 0) {
    m.window = window;
    m.window_layers = sliding;
  }
}

/// minimax_m2 (transformers MiniMaxM2Config): every MLP is MoE (intermediate_size is the expert
/// width), a sigmoid router with e_score_correction_bias, q/k RMSNorms over all heads
/// (qk_norm_type per_layer). The MTP modules (use_mtp) are not built by transformers and not counted.
inline void read_minimax_m2(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "minimax_m2", {8, 128, false, 196608});
  m.experts = f.int_or({"num_local_experts", "num_experts"}, 256);
  m.experts_per_token = f.int_or({"num_experts_per_tok"}, 8);
  m.expert_intermediate = m.intermediate;
  m.router_bias = f.flag("use_routing_bias", true);
  m.qk_norm = f.flag("use_qk_norm", true);
  const std::string qk_type = f.text("qk_norm_type", "per_layer");
  if (qk_type == "per_layer") m.qk_norm_all_heads = true;
  else if (qk_type != "per_head") throw f.error("qk_norm_type", "unknown value '" + qk_type + "' (per_layer or per_head)");
  if (f.int_or({"shared_intermediate_size"}, 0) > 0)
    throw f.error("shared_intermediate_size", "a shared expert is not supported for minimax_m2 (published configs have 0)");
}

/// The Gated DeltaNet layers of the Qwen3-Next family (layer_types or full_attention_interval).
inline void read_linear_layers(const Fields& f, ModelArch& m, std::int64_t key_heads, std::int64_t value_heads) {
  if (const auto types = string_list(f, "layer_types", m.layers)) {
    m.linear_layers = count_kind(f, "layer_types", *types, "linear_attention", {"linear_attention", "full_attention"});
  } else {
    const std::int64_t interval = f.int_or({"full_attention_interval"}, 4);
    if (interval == 0) throw f.error("full_attention_interval", "must be positive");
    m.linear_layers = m.layers - m.layers / interval;  // layer i attends when (i + 1) % interval == 0
  }
  m.linear_kind = LinearKind::gated_deltanet;
  m.linear_key_heads = f.int_or({"linear_num_key_heads"}, key_heads);
  m.linear_value_heads = f.int_or({"linear_num_value_heads"}, value_heads);
  m.linear_key_dim = f.int_or({"linear_key_head_dim"}, 128);
  m.linear_value_dim = f.int_or({"linear_value_head_dim"}, 128);
  m.linear_conv_kernel = f.int_or({"linear_conv_kernel_dim"}, 4);
  m.state_bytes = dtype_bytes(f, "mamba_ssm_dtype", 2);
  if (m.linear_layers > 0 && (m.linear_key_heads == 0 || m.linear_value_heads % m.linear_key_heads != 0))
    throw f.error("linear_num_value_heads", std::to_string(m.linear_value_heads) +
                                                " is not a multiple of linear_num_key_heads " +
                                                std::to_string(m.linear_key_heads));
}

/// Hybrid Gated DeltaNet + gated attention (qwen3_next; the text_config of qwen3_5_moe, and of
/// qwen3_5 with a dense MLP when `experts` is 0): layer_types
/// (or every full_attention_interval-th layer) is full_attention, the rest linear_attention; the
/// attention q_proj is twice as wide (output gate), with q/k norms; MoE with a gated shared expert.
inline void read_qwen3_hybrid(const Fields& f, ModelArch& m, std::string_view type, const DecoderDefaults& d,
                              std::int64_t experts, std::int64_t top_k, std::int64_t moe_width, std::int64_t key_heads,
                              std::int64_t value_heads) {
  read_decoder(f, m, type, d, experts == 0);
  m.qkv_bias = m.o_bias = f.flag("attention_bias", false);
  m.qk_norm = true;
  m.attention_output_gate = f.flag("attn_output_gate", true);
  read_linear_layers(f, m, key_heads, value_heads);
  if (experts == 0) return;  // qwen3_5: a dense MLP of intermediate_size in every layer
  m.experts = f.int_or({"num_experts"}, experts);
  m.experts_per_token = f.int_or({"num_experts_per_tok"}, top_k);
  m.expert_intermediate = f.int_or({"moe_intermediate_size"}, moe_width);
  m.shared_intermediate = f.int_or({"shared_expert_intermediate_size"}, moe_width);
  m.shared_experts = m.shared_intermediate > 0 ? 1 : 0;
  m.shared_expert_gate = m.shared_experts > 0;
  m.moe_layer_freq = f.int_or({"decoder_sparse_step"}, 1);
  if (m.moe_layer_freq == 0) throw f.error("decoder_sparse_step", "must be positive");
  m.moe_layer_offset = m.moe_layer_freq - 1;
  reject_mlp_only_layers(f, type);
}

/// nemotron_h (NemotronHForCausalLM; transformers NemotronHConfig): every layer holds one part, named by
/// `hybrid_override_pattern` ("M" Mamba-2 mixer, "*" attention, "-" MLP) or the list `layers_block_type`
/// (`layer_types`: linear_attention, full_attention, mlp); the pattern sets the layer count. One RMSNorm
/// per layer; the MLP is up/down with squared ReLU (`mlp_hidden_act` relu2, no gate); the Mamba-2 mixer
/// (NemotronHMamba2Mixer) has `mamba_num_heads` x `mamba_head_dim` channels, `n_groups` x `ssm_state_size`
/// B and C, a biased conv of `conv_kernel`, and keeps its SSM state in `mamba_ssm_cache_dtype` (float32).
/// MoE layers ("E", Nemotron 3) are not modelled yet and are rejected.
inline void read_nemotron_h(const Fields& f, ModelArch& m) {
  std::string pattern;
  std::string source = "hybrid_override_pattern";  // the field the layer kinds came from, for the errors below
  const json* list = f.find("layers_block_type");
  if (list != nullptr) source = "layers_block_type";
  else if ((list = f.find("layer_types")) != nullptr) source = "layer_types";
  if (list != nullptr) {
    if (!list->is_array()) throw f.error(source, "must be a list of layer kinds, got " + list->dump());
    for (const json& e : *list) {
      const std::string kind = e.is_string() ? e.get<std::string>() : e.dump();
      if (kind == "linear_attention" || kind == "mamba") pattern += 'M';
      else if (kind == "full_attention" || kind == "attention") pattern += '*';
      else if (kind == "mlp") pattern += '-';
      else if (kind == "moe") pattern += 'E';
      else throw f.error(source, "unknown layer kind " + e.dump() + " (linear_attention, full_attention, mlp or moe)");
    }
  } else {
    pattern = f.text(source, "");
    if (pattern.empty()) throw f.error(source, "missing (required for model_type 'nemotron_h'; or give layers_block_type)");
  }
  std::int64_t mamba = 0, attention = 0, mlp = 0;
  for (const char c : pattern) {
    if (c == 'M') ++mamba;
    else if (c == '*') ++attention;
    else if (c == '-') ++mlp;
    else if (c == 'E')
      throw f.error(source, "MoE layers ('E', moe: Nemotron 3) are not modelled yet; the supported layers are "
                         "'M' (Mamba-2), '*' (attention) and '-' (MLP)");
    else throw f.error(source, std::string("unknown layer '") + c + "' (M, *, - or E)");
  }
  m.layers = static_cast<std::int64_t>(pattern.size());
  m.hidden = f.int_or({"hidden_size"}, 4096);
  m.vocab = f.int_or({"vocab_size"}, 131072);
  m.heads = f.int_or({"num_attention_heads"}, 32);
  m.kv_heads = kv_heads(f, "num_key_value_heads", m.heads, 8);
  // A size given under an alias is named by that alias in the errors below.
  const auto head_dim_keys = {std::string_view("head_dim"), std::string_view("attention_head_dim")};
  const auto group_keys = {std::string_view("n_groups"), std::string_view("mamba_n_groups")};
  const auto conv_keys = {std::string_view("conv_kernel"), std::string_view("mamba_d_conv")};
  m.head_dim = f.int_or(head_dim_keys, 128);
  m.intermediate = f.int_or({"intermediate_size"}, 21504);
  m.max_positions = f.int_or({"max_position_embeddings"}, 4096);
  m.tied_embeddings = f.flag("tie_word_embeddings", false);
  m.qkv_bias = m.o_bias = f.flag("attention_bias", false);
  m.mlp_bias = f.flag("mlp_bias", false);
  m.gated_mlp = false;  // up_proj, relu2, down_proj
  m.norm = NormKind::rms;
  m.norms_per_layer = 1;
  m.position = PositionKind::rotary;
  m.mixer_only_layers = mamba + attention;
  m.mlp_only_layers = mlp;
  m.linear_kind = LinearKind::mamba2;
  m.linear_layers = mamba;
  m.linear_key_heads = f.int_or(group_keys, 8);
  m.linear_key_dim = f.int_or({"ssm_state_size"}, 128);
  m.linear_value_heads = f.int_or({"mamba_num_heads"}, 128);
  m.linear_value_dim = f.int_or({"mamba_head_dim"}, 64);
  m.linear_conv_kernel = f.int_or(conv_keys, 4);
  m.state_bytes = dtype_bytes(f, "mamba_ssm_cache_dtype", 4);
  const struct {
    std::string_view key;
    std::int64_t value;
  } sizes[] = {{"hidden_size", m.hidden}, {"vocab_size", m.vocab}, {"num_attention_heads", m.heads},
               {"num_key_value_heads", m.kv_heads}, {f.given(head_dim_keys), m.head_dim},
               {"intermediate_size", m.intermediate}, {f.given(group_keys), m.linear_key_heads},
               {"ssm_state_size", m.linear_key_dim}, {"mamba_num_heads", m.linear_value_heads},
               {"mamba_head_dim", m.linear_value_dim}, {f.given(conv_keys), m.linear_conv_kernel}};
  for (const auto& [key, value] : sizes)
    if (value == 0) throw f.error(key, "must be positive");
  if (!f.flag("use_conv_bias", true)) throw f.error("use_conv_bias", "false is not modelled (the Mamba-2 conv is counted with its bias)");
  if (f.flag("mamba_proj_bias", false)) throw f.error("mamba_proj_bias", "true is not modelled (in_proj/out_proj are counted without bias)");
  if (m.linear_value_heads % m.linear_key_heads != 0)
    throw f.error("mamba_num_heads", std::to_string(m.linear_value_heads) + " is not a multiple of " +
                                         std::string(f.given(group_keys)) + " " + std::to_string(m.linear_key_heads));
}

/// The stored weight format a config's `quantization_config` declares (docs/catalog.md "Checkpoint
/// formats"): quant_method "mxfp4" (gpt-oss), "fp8" (DeepSeek-V3/R1, Kimi K2, MiniMax: e4m3 with a
/// fp32 scale per `weight_block_size` block, 4/16384 bytes per weight, not counted), and ModelOpt's
/// quant_algo "NVFP4" / "FP8" (quant_method "modelopt", the nvidia/*-FP4 repos). Other methods
/// (GPTQ, AWQ, compressed-tensors, bitsandbytes) are not read: a case names them in `weights`.
/// When the list of modules left unquantized (`modules_to_not_convert`, ModelOpt's `ignore` /
/// `exclude_modules`) names whole attention blocks ("...self_attn" or "...self_attn*"), only the
/// routed experts are stored in the format.
inline void read_quantization_config(const Fields& f, ModelArch& m) {
  const Fields q = f.sub("quantization_config");
  const std::string method = q.text("quant_method", "");
  const std::string algo = q.text("quant_algo", "");
  if (method == "mxfp4") m.checkpoint_format = CheckpointFormat::mxfp4;
  else if (algo == "NVFP4") m.checkpoint_format = CheckpointFormat::nvfp4;
  else if (method == "fp8" || algo == "FP8") m.checkpoint_format = CheckpointFormat::fp8;
  else return;
  for (const std::string_view key : {"modules_to_not_convert", "ignore", "exclude_modules"}) {
    const json* list = q.find(key);
    if (list == nullptr || !list->is_array()) continue;
    for (const json& e : *list) {
      if (!e.is_string()) continue;
      std::string_view name = e.get_ref<const std::string&>();
      if (name.ends_with("*")) name.remove_suffix(1);
      if (name.ends_with("self_attn")) m.checkpoint_experts_only = true;
    }
  }
}

/// glm4_moe (GLM-4.5): standard attention with q/k/v biases (attention_bias), optional q/k norms
/// (use_qk_norm), leading dense layers, sigmoid router with e_score_correction_bias, one shared expert.
inline void read_glm4_moe(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "glm4_moe", {8, 128, false, 131072});
  m.qkv_bias = f.flag("attention_bias", false);  // Glm4MoeAttention: q/k/v biased, o_proj not
  m.qk_norm = f.flag("use_qk_norm", false);
  m.experts = f.int_or({"n_routed_experts"}, 128);
  m.experts_per_token = f.int_or({"num_experts_per_tok"}, 8);
  m.expert_intermediate = f.int_or({"moe_intermediate_size"}, 1408);
  m.shared_experts = f.int_or({"n_shared_experts"}, 1);
  m.shared_intermediate = m.expert_intermediate;
  m.dense_layers = f.int_or({"first_k_dense_replace"}, 1);
  m.router_bias = true;  // e_score_correction_bias
}

/// gemma3 (Gemma3ForConditionalGeneration: text_config + a SigLIP vision tower) and gemma3_text:
/// gemma2's block with q/k norms; layer_types (or sliding_window_pattern) makes five of every six
/// layers sliding_attention with window sliding_window.
inline void read_gemma3_text(const Fields& f, ModelArch& m) {
  read_decoder(f, m, "gemma3_text", {4, 256, true, 131072});
  m.qkv_bias = m.o_bias = f.flag("attention_bias", false);
  m.norms_per_layer = 4;
  m.qk_norm = true;
  const std::int64_t window = f.int_or({"sliding_window"}, f.is_null("sliding_window") ? 0 : 4096);
  std::int64_t sliding = 0;
  if (const auto types = string_list(f, "layer_types", m.layers)) {
    sliding = count_kind(f, "layer_types", *types, "sliding_attention", {"sliding_attention", "full_attention"});
  } else {
    const std::int64_t pattern = f.int_or({"sliding_window_pattern"}, 6);
    if (pattern == 0) throw f.error("sliding_window_pattern", "must be positive");
    sliding = m.layers - m.layers / pattern;  // layer i is global when (i + 1) % pattern == 0
  }
  if (window > 0) {
    m.window = window;
    m.window_layers = sliding;
  }
}

/// SigLIP vision tower of gemma3 (vision_config) and its projector: mm_input_projection
/// (vision hidden x text hidden, no bias) after an RMSNorm of the vision width.
inline std::int64_t gemma3_vision(const Fields& v, std::int64_t text_hidden) {
  const std::int64_t h = v.int_or({"hidden_size"}, 1152), inter = v.int_or({"intermediate_size"}, 4304);
  const std::int64_t depth = v.int_or({"num_hidden_layers"}, 27), patch = v.int_or({"patch_size"}, 14);
  const std::int64_t image = v.int_or({"image_size"}, 896), channels = v.int_or({"num_channels"}, 3);
  if (patch == 0) throw v.error("patch_size", "must be positive");
  const std::int64_t positions = (image / patch) * (image / patch);
  return depth * vit_block(h, inter) + channels * patch * patch * h + h + positions * h + 2 * h + h + h * text_hidden;
}

inline void read_gemma3(const Fields& f, ModelArch& m) {
  const Fields text = text_config(f, "gemma3");
  read_gemma3_text(text, m);
  m.tied_embeddings = text.flag("tie_word_embeddings", f.flag("tie_word_embeddings", true));
  m.vision_params = gemma3_vision(f.sub("vision_config"), m.hidden);
}

/// llama4 (Llama4ForConditionalGeneration, text_config): MoE every interleave_moe_layer_step-th layer
/// with one shared expert as wide as an expert (intermediate_size), dense layers of width
/// intermediate_size_mlp; RoPE layers (no_rope_layers entry 1; by default three of every four)
/// use chunked local attention over attention_chunk_size tokens, the others attend globally.
inline void read_llama4(const Fields& f, ModelArch& m) {
  const Fields t = text_config(f, "llama4");
  read_decoder(t, m, "llama4", {8, 128, false, 4096 * 32}, false);
  m.qkv_bias = m.o_bias = t.flag("attention_bias", false);
  m.experts = t.int_or({"num_local_experts"}, 16);
  m.experts_per_token = t.int_or({"num_experts_per_tok"}, 1);
  m.expert_intermediate = t.int_or({"intermediate_size"}, 8192);
  m.intermediate = t.int_or({"intermediate_size_mlp"}, 16384);
  m.shared_experts = 1;
  m.shared_intermediate = m.expert_intermediate;
  m.moe_layer_freq = t.int_or({"interleave_moe_layer_step"}, 1);
  if (m.moe_layer_freq == 0) throw t.error("interleave_moe_layer_step", "must be positive");
  m.moe_layer_offset = m.moe_layer_freq - 1;  // moe_layers = [step-1, 2*step-1, ...]
  if (const json* moe = t.find("moe_layers"); moe && !moe->is_array())
    throw t.error("moe_layers", "must be a list of layer indices, got " + moe->dump());
  const std::int64_t chunk = t.int_or({"attention_chunk_size"}, t.is_null("attention_chunk_size") ? 0 : 8192);
  std::int64_t rope_layers = 0;
  if (const json* nr = t.find("no_rope_layers"); nr && !nr->empty()) {
    if (!nr->is_array() || static_cast<std::int64_t>(nr->size()) != m.layers)
      throw t.error("no_rope_layers", "must list 0 or 1 for each of the " + std::to_string(m.layers) + " layers");
    for (const json& e : *nr) {
      if (!e.is_number_integer() || (e.get<int>() != 0 && e.get<int>() != 1))
        throw t.error("no_rope_layers", "entries must be 0 (NoPE, global) or 1 (RoPE, chunked), got " + e.dump());
      rope_layers += e.get<int>();
    }
  } else {
    const std::int64_t interval = t.int_or({"no_rope_layer_interval"}, 4);
    if (interval == 0) throw t.error("no_rope_layer_interval", "must be positive");
    rope_layers = m.layers - m.layers / interval;  // layer i is NoPE when (i + 1) % interval == 0
  }
  if (chunk > 0) {
    m.window = chunk;
    m.window_layers = rope_layers;
    m.window_chunked = true;
  }
  const Fields v = f.sub("vision_config");
  if (f.find("vision_config")) {
    // Llama4VisionModel: CLIP-style blocks with biases, class token + positions, an unfold patch
    // embedding without bias, a pixel-shuffle MLP adapter (two Linears without bias) and the
    // multi_modal_projector (vision_output_dim x text hidden, no bias).
    const std::int64_t h = v.int_or({"hidden_size"}, 768), inter = v.int_or({"intermediate_size"}, 5632);
    const std::int64_t depth = v.int_or({"num_hidden_layers"}, 34), patch = v.int_or({"patch_size"}, 14);
    const std::int64_t image = v.int_or({"image_size"}, 448), channels = v.int_or({"num_channels"}, 3);
    const std::int64_t proj_in = v.int_or({"projector_input_dim"}, 4096), proj_out = v.int_or({"projector_output_dim"}, 4096);
    const std::int64_t out = v.int_or({"vision_output_dim"}, 7680);
    const std::int64_t ratio_sq = 4;  // pixel_shuffle_ratio 0.5: 4 patches into one
    if (patch == 0) throw v.error("patch_size", "must be positive");
    const std::int64_t positions = (image / patch) * (image / patch) + 1;
    m.vision_params = depth * vit_block(h, inter) + channels * patch * patch * h + h + positions * h + 4 * h +
                      h * ratio_sq * proj_in + proj_in * proj_out + out * m.hidden;
  }
}

/// The vision tower of kimi_k25 (MoonViT, vision_config vt_*) and its patch-merger projector.
inline std::int64_t kimi_k25_vision(const Fields& v) {
  const std::int64_t h = v.int_or({"vt_hidden_size"}, 1152), inter = v.int_or({"vt_intermediate_size"}, 4304);
  const std::int64_t depth = v.int_or({"vt_num_hidden_layers"}, 27), patch = v.int_or({"patch_size"}, 14);
  const std::int64_t rows = v.int_or({"init_pos_emb_height"}, 64) * v.int_or({"init_pos_emb_width"}, 64);
  const std::int64_t out = v.int_or({"text_hidden_size"}, 7168), mm = v.int_or({"mm_hidden_size"}, h);
  return vit_params(depth, h, inter, 3 * patch * patch, rows, mm * 4, out);  // merge_kernel_size 2 x 2
}

/// The vision tower of qwen3_5_moe (Qwen3-VL style, vision_config) and its merger.
inline std::int64_t qwen3_5_vision(const Fields& v) {
  const std::int64_t h = v.int_or({"hidden_size"}, 1152), inter = v.int_or({"intermediate_size"}, 4304);
  const std::int64_t depth = v.int_or({"depth"}, 27), patch = v.int_or({"patch_size"}, 16);
  const std::int64_t temporal = v.int_or({"temporal_patch_size"}, 2), channels = v.int_or({"in_channels"}, 3);
  const std::int64_t merge = v.int_or({"spatial_merge_size"}, 2);
  const std::int64_t rows = v.int_or({"num_position_embeddings"}, 2304), out = v.int_or({"out_hidden_size"}, 3584);
  // No final norm in Qwen3-VL's tower: vit_params counts one LayerNorm (2h) too many, subtracted here.
  return vit_params(depth, h, inter, channels * temporal * patch * patch, rows, h * merge * merge, out) - 2 * h;
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
  else if (type == "kimi_k2") {
    hf::read_deepseek(f, m, true, "kimi_k2");  // Kimi K2: DeepseekV3ForCausalLM with DeepseekV3Config's defaults
    canonical = "deepseek_v3";
  } else if (type == "kimi_k25") {
    const hf::Fields text = hf::text_config(f, "kimi_k25");
    const std::string inner = text.text("model_type", "kimi_k2");
    if (inner != "kimi_k2" && inner != "deepseek_v3")
      throw text.error("model_type", "'" + inner + "' is not a DeepSeek-V3-style language model (kimi_k2 or deepseek_v3)");
    hf::read_deepseek(text, m, true, "kimi_k25");
    m.vision_params = hf::kimi_k25_vision(f.sub("vision_config"));
    hf::check(text, m, "num_key_value_heads");
  } else if (type == "qwen3_moe") hf::read_qwen3_moe(f, m);
  else if (type == "gpt_oss") hf::read_gpt_oss(f, m);
  else if (type == "minimax_m2") hf::read_minimax_m2(f, m);
  else if (type == "glm_moe_dsa") hf::read_glm_moe_dsa(f, m);
  else if (type == "glm4_moe") hf::read_glm4_moe(f, m);
  else if (type == "nemotron_h") hf::read_nemotron_h(f, m);
  else if (type == "qwen3_next") hf::read_qwen3_hybrid(f, m, "qwen3_next", {2, 256, false, 32768}, 512, 10, 512, 16, 32);
  else if (type == "qwen3_5") {
    const hf::Fields text = hf::text_config(f, "qwen3_5");
    hf::read_qwen3_hybrid(text, m, "qwen3_5", {4, 256, false, 32768}, 0, 0, 0, 16, 32);
    m.tied_embeddings = f.flag("tie_word_embeddings", m.tied_embeddings);
    m.vision_params = hf::qwen3_5_vision(f.sub("vision_config"));
    hf::check(text, m, "num_key_value_heads");
  } else if (type == "qwen3_5_moe") {
    const hf::Fields text = hf::text_config(f, "qwen3_5_moe");
    hf::read_qwen3_hybrid(text, m, "qwen3_5_moe", {2, 256, false, 32768}, 256, 8, 512, 16, 32);
    m.tied_embeddings = f.flag("tie_word_embeddings", m.tied_embeddings);
    m.vision_params = hf::qwen3_5_vision(f.sub("vision_config"));
    hf::check(text, m, "num_key_value_heads");
  } else if (type == "gemma3") {
    hf::read_gemma3(f, m);
    hf::check(f.sub("text_config"), m, "num_key_value_heads");
  }
  else if (type == "gemma3_text") {
    hf::read_gemma3_text(f, m);
    canonical = "gemma3";
  } else if (type == "llama4") {
    hf::read_llama4(f, m);
    hf::check(f.sub("text_config"), m, "num_key_value_heads");
  }
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
  // (A multimodal wrapper keeps it, and may keep its quantization_config, in text_config.)
  const hf::Fields text = f.sub_if_object("text_config");
  hf::read_quantization_config(f.find("quantization_config") != nullptr ? f : text, m);
  m.rope_scaling = m.position == PositionKind::rotary && (f.find("rope_scaling") != nullptr || text.find("rope_scaling") != nullptr);

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
inline const char* name_of(CheckpointFormat c) {
  return c == CheckpointFormat::fp8 ? "fp8" : c == CheckpointFormat::nvfp4 ? "nvfp4" : c == CheckpointFormat::mxfp4 ? "mxfp4" : "none";
}
inline const char* name_of(LinearKind k) {
  return k == LinearKind::gated_deltanet ? "gated_deltanet" : k == LinearKind::mamba2 ? "mamba2" : "none";
}
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
  j["params_vision"] = p.vision;
  j["qk_norm_all_heads"] = m.qk_norm_all_heads;
  j["attention_output_gate"] = m.attention_output_gate;
  j["attention_sinks"] = m.attention_sinks;
  j["router_bias"] = m.router_bias;
  j["index_heads"] = m.index_heads;
  j["index_head_dim"] = m.index_head_dim;
  j["window_layers"] = m.window_layers;
  j["window"] = m.window;
  j["window_chunked"] = m.window_chunked;
  j["mixer_only_layers"] = m.mixer_only_layers;
  j["mlp_only_layers"] = m.mlp_only_layers;
  j["linear_kind"] = hf::name_of(m.linear_kind);
  j["linear_layers"] = m.linear_layers;
  j["linear_key_heads"] = m.linear_key_heads;
  j["linear_key_dim"] = m.linear_key_dim;
  j["linear_value_heads"] = m.linear_value_heads;
  j["linear_value_dim"] = m.linear_value_dim;
  j["linear_conv_kernel"] = m.linear_conv_kernel;
  j["state_bytes"] = m.state_bytes;
  j["linear_state_bytes_per_sequence"] = linear_state_bytes_per_sequence(m);
  j["checkpoint_format"] = hf::name_of(m.checkpoint_format);
  j["checkpoint_experts_only"] = m.checkpoint_experts_only;
  return j;
}

}  // namespace headroom
