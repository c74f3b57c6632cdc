// ModelLimits (model.hpp): the largest config the limits allow counts without overflow, and a
// config one beyond a limit is reported with the field, the value and the limit.

#include <catch2/catch.hpp>

#include <cstdint>
#include <limits>

#include "headroom/model.hpp"

using namespace headroom;

namespace {

/// Every dimension at its limit: standard attention with every bias and q/k norms, LayerNorm,
/// a gated MLP, an untied head with bias, a learned position table, every layer a MoE layer with
/// a shared expert: the most parameters the limits allow.
constexpr ModelArch largest() {
  ModelArch m;
  m.hidden = ModelLimits::hidden;
  m.layers = ModelLimits::layers;
  m.heads = ModelLimits::heads;
  m.kv_heads = ModelLimits::heads;
  m.head_dim = ModelLimits::head_dim;
  m.intermediate = ModelLimits::ffn_width;
  m.vocab = ModelLimits::vocab;
  m.max_positions = ModelLimits::positions;
  m.position_rows = ModelLimits::positions + 2;
  m.position = PositionKind::learned;
  m.norm = NormKind::layer;
  m.embedding_norm = m.qk_norm = true;
  m.qkv_bias = m.o_bias = m.mlp_bias = m.lm_head_bias = true;
  m.experts = ModelLimits::experts;
  m.experts_per_token = 8;
  m.expert_intermediate = ModelLimits::ffn_width;
  m.shared_experts = 1;
  m.shared_intermediate = ModelLimits::ffn_width;
  m.shared_expert_gate = true;
  return m;
}

}  // namespace

TEST_CASE("the largest config within ModelLimits counts without overflow", "[model][limits]") {
  constexpr ModelArch m = largest();
  STATIC_REQUIRE(valid(m));
  const ParamCounts p = count_params(m);

  // By hand, in long double: h = 2^17, L = 2^12, q = kv = a·d = 2^12·2^14 = 2^26, I = 2^19,
  // V = 2^22, E = 2^11, position rows P = 2^27 + 2.
  const long double h = 131072.0L, L = 4096.0L, q = 67108864.0L, I = 524288.0L, V = 4194304.0L, E = 2048.0L,
                    P = 134217730.0L, d = 16384.0L;
  const long double attention = 4 * h * q + 3 * q + h + 2 * (2 * d);  // q,k,v,o; q,k,v,o biases; q/k LayerNorms
  const long double mlp = 3 * h * I + 2 * I + h;                       // gate, up, down with biases
  const long double moe = E * mlp + mlp + h * E + h;                   // routed, shared, router, shared gate
  const long double block = attention + 2 * (2 * h) + moe;            // + two LayerNorms
  const long double total = L * block + (V * h + P * h + 2 * h) + (V * h + V) + 2 * h;
  CHECK(static_cast<long double>(p.total) == total);
  CHECK(p.total == 1'874'372'389'690'408'960);  // the same sum, evaluated once by hand
  CHECK(static_cast<long double>(p.active) == total - L * (E - 8) * mlp);
  CHECK(p.total < std::numeric_limits<std::int64_t>::max() / 4);

  // K and V of every layer: 2·L·a_kv·d = 2^39; LoRA at rank 2^16 on every module stays positive.
  CHECK(kv_elements_per_token(m) == 549'755'813'888);
  const long double lora_all = 65536.0L * L * (4 * (h + q) + (E + 1) * 3 * (h + I));
  CHECK(static_cast<long double>(lora_params(m, 127u, 65536)) == lora_all);
}

TEST_CASE("one beyond a limit is reported with the field, the value and the limit", "[model][limits]") {
  ModelArch m = largest();
  m.hidden += 1;
  const ModelLimitBreach b = check_limits(m);
  CHECK(b.field == "hidden");
  CHECK(b.value == ModelLimits::hidden + 1);
  CHECK(b.limit == ModelLimits::hidden);
  CHECK_FALSE(valid(m));

  m = largest();
  m.layers = std::int64_t{1} << 31;  // the overflow of issue 10
  CHECK(check_limits(m).field == "layers");
  m = largest();
  m.shared_experts = 2;  // 2 x 2^19: the shared MLP is wider than any FFN may be
  CHECK(check_limits(m).field == "shared_experts x shared_intermediate");
  m = largest();
  m.kv_lora_rank = -1;
  CHECK(check_limits(m).field == "kv_lora_rank");
}
