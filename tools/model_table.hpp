#pragma once
/// @file tools/model_table.hpp
/// The generator of include/headroom/catalog/builtin_models.hpp (used by headroom-gen-models and its
/// test): models as a constexpr C++ table. Not installed: consumers get the generated header.

#include <algorithm>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "headroom/io/hf_config.hpp"
#include "headroom/model.hpp"

namespace headroom {

namespace detail::hf {
inline std::string cpp_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      static constexpr char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[(static_cast<unsigned char>(c) >> 4) & 0xf];
      out += hex[static_cast<unsigned char>(c) & 0xf];
      out += "\"\"";  // end the hex escape
    } else {
      out += c;
    }
  }
  return out + "\"";
}

/// Designated initializers of the fields that differ from a default ModelArch, in declaration order.
inline std::vector<std::string> initializers(const ModelArch& m) {
  const ModelArch d{};
  std::vector<std::string> v;
  const auto str = [&](const char* n, std::string_view x, std::string_view y) {
    if (x != y) v.push_back(std::string(".") + n + " = " + cpp_string(x));
  };
  const auto num = [&](const char* n, auto x, auto y) {
    if (x != y) v.push_back(std::string(".") + n + " = " + std::to_string(x));
  };
  const auto boolean = [&](const char* n, bool x, bool y) {
    if (x != y) v.push_back(std::string(".") + n + " = " + (x ? "true" : "false"));
  };
  const auto enumeration = [&](const char* n, const char* type, const char* x, const char* y) {
    if (std::string_view(x) != y) v.push_back(std::string(".") + n + " = " + type + "::" + x);
  };
  str("id", m.id, d.id);
  str("model_type", m.model_type, d.model_type);
  str("source", m.source, d.source);
  num("hidden", m.hidden, d.hidden);
  num("layers", m.layers, d.layers);
  num("heads", m.heads, d.heads);
  num("kv_heads", m.kv_heads, d.kv_heads);
  num("head_dim", m.head_dim, d.head_dim);
  num("intermediate", m.intermediate, d.intermediate);
  num("vocab", m.vocab, d.vocab);
  num("max_positions", m.max_positions, d.max_positions);
  num("position_rows", m.position_rows, d.position_rows);
  num("embed_proj_dim", m.embed_proj_dim, d.embed_proj_dim);
  enumeration("position", "PositionKind", name_of(m.position), name_of(d.position));
  boolean("rope_scaling", m.rope_scaling, d.rope_scaling);
  enumeration("norm", "NormKind", name_of(m.norm), name_of(d.norm));
  num("norms_per_layer", m.norms_per_layer, d.norms_per_layer);
  boolean("final_norm", m.final_norm, d.final_norm);
  boolean("embedding_norm", m.embedding_norm, d.embedding_norm);
  boolean("qk_norm", m.qk_norm, d.qk_norm);
  boolean("tied_embeddings", m.tied_embeddings, d.tied_embeddings);
  boolean("gated_mlp", m.gated_mlp, d.gated_mlp);
  boolean("parallel_block", m.parallel_block, d.parallel_block);
  boolean("qkv_bias", m.qkv_bias, d.qkv_bias);
  boolean("o_bias", m.o_bias, d.o_bias);
  boolean("mlp_bias", m.mlp_bias, d.mlp_bias);
  boolean("lm_head_bias", m.lm_head_bias, d.lm_head_bias);
  boolean("fused_qkv", m.fused_qkv, d.fused_qkv);
  boolean("fused_gate_up", m.fused_gate_up, d.fused_gate_up);
  num("experts", m.experts, d.experts);
  num("experts_per_token", m.experts_per_token, d.experts_per_token);
  num("expert_intermediate", m.expert_intermediate, d.expert_intermediate);
  num("shared_experts", m.shared_experts, d.shared_experts);
  num("shared_intermediate", m.shared_intermediate, d.shared_intermediate);
  boolean("shared_expert_gate", m.shared_expert_gate, d.shared_expert_gate);
  num("dense_layers", m.dense_layers, d.dense_layers);
  num("moe_layer_freq", m.moe_layer_freq, d.moe_layer_freq);
  num("moe_layer_offset", m.moe_layer_offset, d.moe_layer_offset);
  enumeration("attention", "AttentionKind", name_of(m.attention), name_of(d.attention));
  num("q_lora_rank", m.q_lora_rank, d.q_lora_rank);
  num("kv_lora_rank", m.kv_lora_rank, d.kv_lora_rank);
  num("qk_nope_head_dim", m.qk_nope_head_dim, d.qk_nope_head_dim);
  num("qk_rope_head_dim", m.qk_rope_head_dim, d.qk_rope_head_dim);
  num("v_head_dim", m.v_head_dim, d.v_head_dim);
  boolean("qk_norm_all_heads", m.qk_norm_all_heads, d.qk_norm_all_heads);
  boolean("attention_output_gate", m.attention_output_gate, d.attention_output_gate);
  boolean("attention_sinks", m.attention_sinks, d.attention_sinks);
  boolean("router_bias", m.router_bias, d.router_bias);
  num("index_heads", m.index_heads, d.index_heads);
  num("index_head_dim", m.index_head_dim, d.index_head_dim);
  num("window_layers", m.window_layers, d.window_layers);
  num("window", m.window, d.window);
  num("mixer_only_layers", m.mixer_only_layers, d.mixer_only_layers);
  num("mlp_only_layers", m.mlp_only_layers, d.mlp_only_layers);
  boolean("window_chunked", m.window_chunked, d.window_chunked);
  enumeration("linear_kind", "LinearKind", name_of(m.linear_kind), name_of(d.linear_kind));
  num("linear_layers", m.linear_layers, d.linear_layers);
  num("linear_key_heads", m.linear_key_heads, d.linear_key_heads);
  num("linear_key_dim", m.linear_key_dim, d.linear_key_dim);
  num("linear_value_heads", m.linear_value_heads, d.linear_value_heads);
  num("linear_value_dim", m.linear_value_dim, d.linear_value_dim);
  num("linear_conv_kernel", m.linear_conv_kernel, d.linear_conv_kernel);
  num("state_bytes", m.state_bytes, d.state_bytes);
  num("vision_params", m.vision_params, d.vision_params);
  enumeration("checkpoint_format", "CheckpointFormat", name_of(m.checkpoint_format), name_of(d.checkpoint_format));
  boolean("checkpoint_experts_only", m.checkpoint_experts_only, d.checkpoint_experts_only);
  return v;
}
}  // namespace detail::hf

/// Writes the generated catalog header (include/headroom/catalog/builtin_models.hpp): the models
/// sorted by id as `headroom::builtin::models`, each with its parameter total as a comment.
inline void write_model_table(std::ostream& os, std::span<const ModelArch> models) {
  std::vector<ModelArch> sorted(models.begin(), models.end());
  std::sort(sorted.begin(), sorted.end(), [](const ModelArch& a, const ModelArch& b) { return a.id < b.id; });
  os << "#pragma once\n"
        "/// @file catalog/builtin_models.hpp\n"
        "/// GENERATED from data/models by headroom-gen-models; do not edit.\n"
        "/// Regenerate with `cmake --build <build-dir> --target update-catalog-models` (docs/catalog.md).\n"
        "\n"
        "#include <array>\n"
        "\n"
        "#include \"headroom/model.hpp\"\n"
        "\n"
        "namespace headroom::builtin {\n"
        "\n"
        "/// The built-in models, sorted by id.\n"
        "inline constexpr std::array<ModelArch, "
     << sorted.size() << "> models{{\n";
  constexpr std::size_t width = 118;
  for (const ModelArch& m : sorted) {
    os << "    // " << m.id << ": " << count_params(m).total << " parameters\n";
    std::string line = "    {";
    bool first = true;
    for (const std::string& init : detail::hf::initializers(m)) {
      const std::string piece = (first ? "" : ", ") + init;
      if (!first && line.size() + piece.size() > width) {
        os << line << ",\n";
        line = "     " + init;
      } else {
        line += piece;
      }
      first = false;
    }
    os << line << "},\n";
  }
  os << "}};\n"
        "\n"
        "}  // namespace headroom::builtin\n";
}

}  // namespace headroom
