#pragma once
/// @file memory.hpp
/// The memory-fit model: peak device memory of the busiest GPU, by component.
///
/// `estimate_memory` is constexpr, noexcept and allocation-free. Formulas, sources and assumptions
/// are in docs/memory.md; every tunable constant is in runtime_profile.hpp (mirrored by
/// data/memory/runtimes.json) and every training framework's behaviour in framework.hpp (mirrored
/// by data/runtimes/*.json).

#include <algorithm>
#include <cstdint>

#include "headroom/expert_parallel.hpp"
#include "headroom/framework.hpp"
#include "headroom/job.hpp"
#include "headroom/model.hpp"
#include "headroom/quant.hpp"
#include "headroom/result.hpp"
#include "headroom/runtime_profile.hpp"
#include "headroom/units.hpp"

namespace headroom {

namespace detail::mem {

[[nodiscard]] constexpr double dbl(std::int64_t v) noexcept { return static_cast<double>(v); }
[[nodiscard]] constexpr double at_least1(double v) noexcept { return v < 1 ? 1 : v; }
[[nodiscard]] constexpr std::int64_t ceil_div(std::int64_t a, std::int64_t b) noexcept {
  return b <= 0 ? a : (a + b - 1) / b;
}

/// The sizes of a model the memory model needs, derived once.
struct Shape {
  ParamCounts p{};
  double h = 0, layers = 1, heads = 1, kv_heads = 1, head_dim = 0, inter = 0, vocab = 0;
  double q_width = 0;    ///< a*d (query/attention-output width)
  double kv_width = 0;   ///< a_kv*d (one of K or V)
  double v_width = 0;    ///< attention output width before o_proj
  double mlp_saved = 0;  ///< MLP elements saved per token in full fine-tuning (gated 4I, else 2I; MoE: top-k)
  double mlp_transient = 0;  ///< MLP elements alive per token in a forward (gated 3I, else 2I)
  double mlp_width = 0;      ///< MLP width per token (I; MoE: top-k experts + shared)
  double norms = 2;      ///< norms per block whose input and output are saved
  double expert_fraction = 0;  ///< share of block parameters that are routed experts (split by ep)
};

[[nodiscard]] constexpr Shape shape_of(const ModelArch& m) noexcept {
  Shape s{};
  s.p = count_params(m);
  s.h = dbl(m.hidden);
  s.layers = at_least1(dbl(m.layers));
  s.heads = at_least1(dbl(m.heads));
  s.kv_heads = at_least1(dbl(m.kv_heads > 0 ? m.kv_heads : m.heads));
  s.head_dim = m.head_dim > 0 ? dbl(m.head_dim) : s.h / s.heads;
  s.inter = dbl(m.intermediate > 0 ? m.intermediate : 4 * m.hidden);
  s.vocab = dbl(m.vocab);
  if (m.attention == AttentionKind::mla) {
    // Decompressed per-head Q and K of (nope + rope) dims, V of v_head_dim, plus the latents.
    const double qk = dbl(m.qk_nope_head_dim + m.qk_rope_head_dim);
    s.q_width = s.heads * qk + dbl(m.q_lora_rank);
    s.kv_width = 0.5 * (s.heads * (qk + dbl(m.v_head_dim)) + dbl(m.kv_lora_rank + m.qk_rope_head_dim));
    s.v_width = s.heads * dbl(m.v_head_dim);
  } else {
    s.q_width = s.heads * s.head_dim;
    s.kv_width = s.kv_heads * s.head_dim;
    s.v_width = s.q_width;
  }
  const double gated_saved = m.gated_mlp ? 4.0 : 2.0;
  const double gated_live = m.gated_mlp ? 3.0 : 2.0;
  if (m.is_moe()) {
    const double moe_i = dbl(m.expert_intermediate > 0 ? m.expert_intermediate : m.intermediate);
    const double shared_i = dbl(m.shared_experts * m.shared_intermediate);
    const double per_moe = dbl(m.experts_per_token) * moe_i + shared_i;
    const double moe_layers = dbl(moe_layer_count(m));
    const double dense_layers = s.layers - moe_layers;
    const double avg_i = (dense_layers * s.inter + moe_layers * per_moe) / s.layers;
    s.mlp_width = avg_i;
    s.mlp_saved = gated_saved * avg_i;
    s.mlp_transient = gated_live * avg_i;
    double expert_params = 0;
    for_each_linear_module(m, [&](std::size_t, const LinearModule& lm) {
      if (lm.group == "experts") expert_params += dbl(lm.weights());
    });
    s.expert_fraction = s.p.blocks > 0 ? std::min(1.0, expert_params / dbl(s.p.blocks)) : 0.0;
  } else {
    // Averaged over the layers: nemotron_h's mixer-only layers have no MLP (1 for every other model).
    const double mlp_share = dbl(dense_layer_count(m)) / s.layers;
    s.mlp_width = s.inter * mlp_share;
    s.mlp_saved = gated_saved * s.inter * mlp_share;
    s.mlp_transient = gated_live * s.inter * mlp_share;
  }
  s.norms = m.parallel_block ? std::max(1.0, static_cast<double>(m.norms_per_layer)) : 2.0;
  return s;
}

/// Elements saved per token and layer for backward, in units of 2-byte (16-bit) values, without
/// the s x s attention scores. Llama-style block with FlashAttention (docs/reference/formulas.md §2.4):
/// norm input + output per norm, Q, K, V, attention output, MLP intermediates. For h = 4096,
/// a_kv*d = 1024, I = 14336 (Llama-3-8B) this is 12h + 4h_kv + 8I = 167,936 bytes.
/// `replicated` is the part outside a tensor-parallel region (norm inputs/outputs).
struct LayerActivation {
  double sharded = 0;     ///< bytes per token, split by tp
  double replicated = 0;  ///< bytes per token, split by tp only under sequence parallelism
  double lse = 0;         ///< FlashAttention fp32 log-sum-exp, bytes per token (split by tp)
  double scores = 0;      ///< bytes per token per context token without FlashAttention (split by tp)
};

[[nodiscard]] constexpr LayerActivation layer_activation(const Shape& s, double act_bytes) noexcept {
  const double k = act_bytes / 2.0;  // the formula counts 16-bit values at 2 bytes
  LayerActivation a{};
  a.replicated = k * s.norms * 4.0 * s.h;
  a.sharded = k * (2.0 * s.q_width + 4.0 * s.kv_width + 2.0 * s.v_width + 2.0 * s.mlp_saved);
  a.lse = memory_constants.lse_bytes * s.heads;
  a.scores = k * memory_constants.attention_score_bytes * s.heads;  // 5 bytes per score (Korthikanti)
  return a;
}

/// LoRA adapter parameters on one GPU's share of the layers (and the head adapter on the last stage).
[[nodiscard]] constexpr double lora_count(const Job& w, const Shape& s, double layer_share, bool has_head) noexcept {
  const double blocks = dbl(lora_params(*w.model, w.training.lora_targets & ~lora_lm_head, w.training.lora_rank)) * layer_share;
  const double head = (has_head && (w.training.lora_targets & lora_lm_head) != 0) ? dbl(w.training.lora_rank) * (s.h + s.vocab) : 0.0;
  return blocks + head;
}

/// Per-GPU memory of one pipeline stage (0 = first, pp-1 = last) of a normalized job.
struct StageMemory {
  MemoryBreakdown b{};
  double fragmentation = 0;  ///< reserved - allocated
  double outside = 0;        ///< device - reserved
  double device = 0;         ///< device bytes in use, KV pool included
  double pageable = 0;       ///< bytes of paged optimizer state
};

[[nodiscard]] constexpr double capacity_bytes(const Job& w) noexcept {
  if (w.hardware.gpu == nullptr) return 0;  // a collective asked without a GPU record
  const double cap = w.hardware.gpu->memory.value();
  if (!w.hardware.gpu->unified_memory) return cap;
  const bool small = cap <= memory_constants.unified_memory_small_gib * bytes_per_gib;
  return cap * (small ? memory_constants.unified_memory_gpu_fraction_small : memory_constants.unified_memory_gpu_fraction);
}

/// Where a pipeline stage sits and its share of the model on one GPU (before ZeRO-3 sharding).
struct StagePlace {
  int stage = 0;
  bool first = true, last = true;
  bool training = false;
  bool zero3 = false;           ///< ZeRO-3 / FSDP full shard over dp*cp > 1
  bool fsdp = false;            ///< the framework shards with PyTorch FSDP (1 or 2)
  bool offload_params = false;  ///< parameters held in CPU memory
  double tp = 1, pp = 1, dp = 1, cp = 1;
  double shard = 1;         ///< ZeRO/FSDP shard group: dp*cp (context-parallel ranks hold the same weights)
  double expert_shard = 1;  ///< expert-data-parallel group: dp*cp/ep (expert-TP = tp), at least 1
  double layers_here = 1;  ///< blocks on this stage
  double share = 1;        ///< share of the blocks on this stage
  double act_b = 2;        ///< bytes per activation element
  double block_linear = 0, embed_params = 0, head_params = 0;
  double params_here = 0;   ///< blocks + embedding (first stage) + head (last stage)
  double expert_params = 0; ///< routed-expert parameters on this GPU (part of params_here)
  double layer_params = 0;  ///< parameters of one block
  double largest = 0;       ///< the largest linear
};

/// The groups that share the model state: ZeRO/FSDP over dp*cp (torchtitan parallel_dims
/// `fsdp = dp_shard * cp`, Megatron's dp-cp group), experts over the expert-data-parallel group
/// world/(etp*ep*pp) = tp*cp*dp/(ep*etp), dp*cp/ep with the default expert-TP = tp (Megatron
/// parallel_state). docs/memory.md.
[[nodiscard]] constexpr double shard_group(const Parallel& par) noexcept {
  return at_least1(par.dp) * at_least1(par.cp);
}
[[nodiscard]] constexpr double expert_shard_group(const Parallel& par, double etp) noexcept {
  return at_least1(shard_group(par) * at_least1(par.tp) / (at_least1(par.ep) * at_least1(etp)));
}

[[nodiscard]] constexpr StagePlace place_of(const Job& w, const Shape& s, int stage) noexcept {
  const Parallel& par = w.parallel;
  StagePlace p{};
  p.stage = stage;
  p.tp = at_least1(par.tp);
  p.pp = at_least1(par.pp);
  p.dp = at_least1(par.dp);
  p.cp = at_least1(par.cp);
  const double ep = at_least1(par.ep);
  p.first = stage == 0;
  p.last = stage == par.pp - 1 || par.pp <= 1;
  const std::int64_t L = w.model->layers > 0 ? w.model->layers : 1;
  p.layers_here = dbl(ceil_div(L, par.pp > 0 ? par.pp : 1));
  p.share = std::min(1.0, p.layers_here / s.layers);
  p.act_b = activation_bytes(w.compute);
  p.training = w.task == Task::training;
  p.shard = shard_group(par);
  const double etp = p.training ? expert_tp(w) : p.tp;
  p.expert_shard = expert_shard_group(par, etp);
  p.zero3 = p.training && par.zero >= 3 && p.shard > 1;
  const Sharding sh = framework_profile(w.runtime).sharding;
  p.fsdp = sh == Sharding::fsdp1_flat || sh == Sharding::fsdp2;
  p.offload_params = p.training && w.training.offload == Offload::params;

  // Routed experts per GPU: 1/(ep·etp) in training (expert_tp: tp unless the layout cannot hold it); in
  // inference the MoE layers span the dp·tp GPUs (attention data parallelism), plus the runtime's
  // redundant replicas (expert_parallel.hpp, docs/memory.md "Expert parallelism"). Divided by tp below.
  const double expert_ways = p.training ? ep * etp / p.tp
                                        : 1.0 / (expert_layout(w).weight_share * p.tp);
  const double expert_div = 1.0 - s.expert_fraction + s.expert_fraction / expert_ways;
  const double block_params = dbl(s.p.blocks) * p.share * expert_div / p.tp;
  p.block_linear = dbl(s.p.block_linear) * p.share * expert_div / p.tp;
  p.embed_params = p.first ? dbl(s.p.embedding) / p.tp : 0.0;
  p.head_params = p.last ? dbl(s.p.lm_head + s.p.final_norm) / p.tp : 0.0;
  if (p.last && !p.first && w.model->tied_embeddings) p.head_params += dbl(s.p.embedding) / p.tp;  // tied copy on the last stage
  p.params_here = block_params + p.embed_params + p.head_params;
  p.expert_params = dbl(s.p.blocks) * p.share * s.expert_fraction / expert_ways / p.tp;
  p.layer_params = dbl(s.p.blocks) / s.layers * expert_div / p.tp;
  p.largest = dbl(s.p.largest_linear) / p.tp;
  return p;
}

/// Pipeline parallelism with a full shard where the framework skips the per-micro-batch reshard and
/// reduce-scatter (torchtitan reshard_after_forward = not pp; torch pipelining stage.py
/// backward_maybe_with_nosync): the stage's parameters stay gathered and its gradients unsharded
/// until the last micro-batch.
[[nodiscard]] constexpr bool pp_keeps_gathered(const Job& w, const StagePlace& p, const FrameworkProfile& fw) noexcept {
  return p.zero3 && w.parallel.pp > 1 && fw.pp_full_shard_unsharded;
}

/// Bytes per parameter of a unit gathered by a full shard: FSDP gathers in the mixed-precision
/// param_dtype (the compute width) whatever the sharded storage (torch fully_shard docstring,
/// FSDP1 MixedPrecision); quantized storage is gathered packed; ZeRO-3 gathers its 16-bit storage.
[[nodiscard]] constexpr double gather_bytes(const Job& w, const StagePlace& p, double storage_ratio) noexcept {
  const bool mixed = w.training.precision == PrecisionPolicy::mixed;
  if (p.fsdp && mixed && !weight_format_info(*w.weights).quantized()) return std::min(storage_ratio, p.act_b);
  return storage_ratio;
}

/// FSDP mixed precision with trainable weights: the sharded parameter IS the fp32 master (counted
/// with the optimizer state), so no persistent 16-bit copy of the shard exists (torchtitan
/// TrainingConfig dtype float32 + mp_policy bf16). ZeRO and Megatron keep their 16-bit params.
[[nodiscard]] constexpr bool shard_is_master(const Job& w, const StagePlace& p) noexcept {
  const TrainingJob& t = w.training;
  return p.zero3 && p.fsdp && t.precision == PrecisionPolicy::mixed && t.method == Method::full &&
         unquantized_bytes(*w.weights) < 4 && !weight_format_info(*w.weights).quantized();
}

/// The stored weights of the stage: sharded by a full shard over dp*cp (or held on the host under
/// parameter offload) plus what is gathered at a time, and autocast's 16-bit copies of fp32 weights
/// in training without a full shard.
[[nodiscard]] constexpr WeightBytes stage_weights(const Job& w, const Shape& s, const StagePlace& p,
                                                  const FrameworkProfile& fw) noexcept {
  // A checkpoint that quantizes only the routed experts (gpt-oss MXFP4) keeps the rest 16-bit.
  const double quantized_linears = experts_only_quantized(w) ? p.expert_params : p.block_linear;
  const WeightBytes wb = weight_bytes(*w.weights, p.params_here, quantized_linears, s.h);
  const double layer_wb_ratio = p.params_here > 0 ? (wb.codes + wb.constants) / p.params_here : 2.0;
  const double gather_b = gather_bytes(w, p, layer_wb_ratio);
  WeightBytes out = wb;
  if (p.zero3 || p.offload_params) {
    // Sharded (or host-resident) storage plus what is gathered at a time: `zero3_live_layers`
    // blocks and, when the framework keeps it gathered through forward and backward (FSDP's root
    // unit), the embedding and head.
    const double keep = (p.offload_params || shard_is_master(w, p)) ? 0.0 : 1.0 / p.shard;
    const double root_b = std::min(unquantized_bytes(*w.weights), gather_b);
    const double root = (p.embed_params + p.head_params) * root_b;
    const double live = std::min(p.layers_here, runtime_profile(w.runtime).zero3_live_layers) * p.layer_params * gather_b;
    const double root_gathered = (fw.root_gathered || p.offload_params) ? root * (1.0 - keep) : 0.0;
    out.codes = wb.codes * keep + live + root_gathered;
    out.constants = wb.constants * keep;
    // Pipeline stages under a full shard stay gathered from the first backward to the last
    // micro-batch (torch.distributed.pipelining: reshard_after_backward False).
    if (pp_keeps_gathered(w, p, fw)) out.codes = wb.codes * keep + p.params_here * gather_b;
  }
  // Autocast keeps a 16-bit copy of every fp32 weight it multiplies until backward has used it; a
  // full shard gathers the 16-bit unit instead.
  const bool full_shard_gathers = p.zero3 && p.fsdp;
  if (p.training && w.weights == WeightFormat::fp32 && p.act_b < 4 && !full_shard_gathers) out.codes += p.block_linear * 2.0;
  return out;
}

/// What training keeps for the trainable parameters of the stage.
struct TrainableState {
  double trainable = 0;        ///< trainable parameters (not adapters)
  double optimizer = 0;        ///< optimizer state (+ fp32 master)
  double gradients = 0;        ///< gradients as held at the peak
  double one_layer_grads = 0;  ///< gradients of one block
  double lora = 0;             ///< adapters: weights + gradients + optimizer state
  double pageable = 0;         ///< paged optimizer state
};

/// Gradient bytes per trainable parameter: the weights' dtype, the runtime's mixed-precision
/// gradient dtype (Megatron fp32 main grads), or fp32 under an FSDP mixed-precision full shard
/// (the sharded fp32 parameter gets an fp32 gradient; reduce_dtype fp32).
[[nodiscard]] constexpr double gradient_bytes(const Job& w, const StagePlace& p, const RuntimeProfile& rt) noexcept {
  const double wbytes = unquantized_bytes(*w.weights);
  if (w.training.precision != PrecisionPolicy::mixed) return wbytes;
  if (shard_is_master(w, p)) return 4.0;
  return rt.grad_bytes_mixed > 0 ? rt.grad_bytes_mixed : wbytes;
}

/// Divides state over the shard group, the routed-expert part over the expert-data-parallel group.
[[nodiscard]] constexpr double shard_state(double bytes, double expert_share, const StagePlace& p) noexcept {
  return bytes * (1.0 - expert_share) / p.shard + bytes * expert_share / p.expert_shard;
}

[[nodiscard]] constexpr TrainableState trainable_state(const Job& w, const Shape& s, const StagePlace& p,
                                                       const RuntimeProfile& rt, const FrameworkProfile& fw) noexcept {
  const TrainingJob& t = w.training;
  const Parallel& par = w.parallel;
  const WeightFormatInfo fmt = weight_format_info(*w.weights);
  const double wbytes = unquantized_bytes(*w.weights);
  const bool mixed = t.precision == PrecisionPolicy::mixed;
  const double grad_b = gradient_bytes(w, p, rt);
  double trainable = 0;
  double lora = 0;
  const bool adapters = t.method == Method::lora || t.method == Method::qlora;
  if (adapters) {
    lora = lora_count(w, s, p.share, p.last) / p.tp;
  } else if (t.method == Method::freeze) {
    const double tl = std::min(p.layers_here, memory_constants.freeze_trainable_layers);
    trainable = tl * p.layer_params;
  } else {
    trainable = p.params_here;
  }
  const double expert_share = (t.method == Method::full && p.params_here > 0) ? p.expert_params / p.params_here : 0.0;
  // Optimizer bytes per trainable parameter, on top of the weight itself.
  auto opt_state = [&](double param_bytes) {
    switch (t.optimizer) {
      case Optimizer::adamw: return mixed ? 8.0 : 2.0 * param_bytes;
      case Optimizer::adamw_8bit:
      case Optimizer::paged_adamw_8bit: return memory_constants.adam8bit_state_bytes;
      case Optimizer::sgd: return mixed ? 4.0 : param_bytes;
      case Optimizer::adafactor: return 2.0 * 4.0 / std::max(1.0, s.h);  // factored row + column moments
    }
    return 8.0;
  };
  const double master = (mixed && wbytes < 4) ? 4.0 : 0.0;
  double opt = trainable * (opt_state(wbytes) + master);
  double grads = trainable * grad_b;
  // Adapters (PEFT up-casts them to fp32 under mixed precision): weights + grads + optimizer.
  const double ab = mixed ? 4.0 : wbytes;
  double lora_bytes = lora * (ab + ab + opt_state(ab));
  const bool paged = t.optimizer == Optimizer::paged_adamw_8bit;

  // ZeRO / FSDP / distributed-optimizer sharding over dp*cp; experts over expert-DP.
  const bool sharded = par.zero >= 1 && p.shard > 1;
  if (sharded) {
    opt = shard_state(opt, expert_share, p);
    lora_bytes /= p.shard;
  }
  if (sharded && par.zero >= 2) grads = shard_state(grads, expert_share, p);
  const double one_layer_grads = trainable > 0 ? std::min(trainable, p.layer_params) * grad_b : 0.0;
  // A frozen base in the same flat parameter as trainable adapters (FSDP1 use_orig_params=True)
  // gets a gradient buffer as if it were not frozen: sharded, or whole while accumulating without
  // sync (no_sync). Frameworks that allocate gradients only for trainable tensors add nothing.
  const bool frozen_grads = adapters && p.zero3 && fw.frozen_grads && !fmt.quantized();
  if (frozen_grads) grads = p.params_here * wbytes / p.shard;
  if (p.zero3 && t.grad_accum > 1 && fw.accumulate_unsharded) {
    grads = trainable * grad_b;
    if (frozen_grads) grads = p.params_here * wbytes;
  }
  if (pp_keeps_gathered(w, p, fw)) grads = trainable * (mixed ? 4.0 : wbytes);  // unsharded, reduce dtype
  if (t.offload == Offload::optimizer || p.offload_params) {
    opt = 0;
    grads = std::min(grads, one_layer_grads);
  }
  if (t.optimizer_in_backward) {
    // One parameter's gradient at a time: the largest tensor (embedding or a block linear).
    const double biggest =
        std::max(p.largest, p.embed_params + p.head_params > 0 ? std::max(p.embed_params, p.head_params) : 0.0);
    grads = std::min(grads, (trainable > 0 ? biggest : 0.0) * grad_b);
  }
  TrainableState r{};
  r.trainable = trainable;
  r.optimizer = opt;
  r.gradients = grads;
  r.one_layer_grads = one_layer_grads;
  r.lora = lora_bytes;
  if (paged) r.pageable = opt + (adapters ? lora_bytes * 0.5 : 0.0);
  return r;
}

/// Activations saved for backward, what lives only while one block runs, and the logits and loss.
struct TrainingActivations {
  double saved = 0, transient = 0, logits = 0;
};

/// Layer-activations held by this pipeline stage at its peak, in units of the stage's layers for one
/// micro-batch. 1F1B (Megatron schedules.py, torch pipelining): stage r holds p - r micro-batches.
/// Interleaved with v virtual stages: warm-up 2(p - r - 1) + (v - 1)p chunks (+ the one in flight)
/// of L/(p v) layers each, at most m v chunks (Megatron get_pp_rank_microbatches; stage 0 holds
/// L (1 + (p - 1)/(p v)) layers, Korthikanti et al. 2022 sec. 4.2.3).
[[nodiscard]] constexpr double in_flight_microbatches(const Parallel& par, int stage, double micro_batches) noexcept {
  if (par.pp <= 1) return 1.0;
  const double pp = dbl(par.pp), r = dbl(stage), m = at_least1(micro_batches);
  if (par.vpp <= 1) return std::min(pp - r, m);
  const double v = dbl(par.vpp);
  const double chunks = std::min(2.0 * (pp - r - 1.0) + (v - 1.0) * pp + 1.0, m * v);
  return chunks / v;
}

/// Bytes per token and layer that torchtitan's per-op selective policy saves for a Llama block:
/// the outputs of every other matmul in forward order (wq, wv, w1, w2), the attention output and
/// the block input (torchtitan activation_checkpoint.py SelectiveAC / _op_sac_save_list). The block
/// input and the w2 output are the residual stream (split by tp only under sequence parallelism).
[[nodiscard]] constexpr LayerActivation op_policy_activation(const Shape& s, double act_bytes) noexcept {
  LayerActivation a{};
  a.replicated = act_bytes * 2.0 * s.h;
  a.sharded = act_bytes * (s.q_width + s.kv_width + s.v_width + s.mlp_width);
  a.lse = memory_constants.lse_bytes * s.heads;
  return a;
}

[[nodiscard]] constexpr TrainingActivations training_activations(const Job& w, const Shape& s, const StagePlace& p,
                                                                 const RuntimeProfile& rt, const FrameworkProfile& fw,
                                                                 const TrainableState& st) noexcept {
  const TrainingJob& t = w.training;
  const WeightFormatInfo fmt = weight_format_info(*w.weights);
  const double tp = p.tp;
  const LayerActivation la = layer_activation(s, p.act_b);
  const double tokens = dbl(w.batch) * dbl(t.seq) / p.cp;
  const double f = rt.activation_factor * (w.compile ? rt.compile_activation_factor : 1.0);
  // Korthikanti et al. 2022 Table 2: without sequence parallelism the norm/residual part is
  // replicated on every tp rank; with it, everything is divided by tp.
  const double sp = fw.tp_implies_sp ? tp : 1.0;
  const double per_tok = la.sharded / tp + la.replicated / sp + la.lse / tp;
  const double scores = w.flash_attention ? 0.0 : la.scores / tp * dbl(t.seq);
  // bitsandbytes 4/8-bit matmuls save their input even when the weight is frozen: the o_proj,
  // MLP and down_proj inputs that a frozen 16-bit linear would not keep.
  const double bnb_inputs = (fmt.bitsandbytes && rt.quantized_linears_save_input)
                                ? p.act_b / 2.0 * (2.0 * s.v_width + 2.0 * s.h + 2.0 * s.mlp_width) / tp
                                : 0.0;
  const double layer_full = tokens * (per_tok + scores + bnb_inputs) * f;
  const double layer_selective = tokens * (per_tok + bnb_inputs) * f;
  const double in_flight = in_flight_microbatches(w.parallel, p.stage, dbl(t.grad_accum));
  const LayerActivation op = op_policy_activation(s, p.act_b);
  const double layer_op = tokens * ((op.sharded + op.lse) / tp + op.replicated / sp + bnb_inputs) * f;
  // Layers that keep activations: all of them, or only the trainable top layers under freeze.
  const double saving_layers = t.method == Method::freeze
                                   ? std::min(p.layers_here, memory_constants.freeze_trainable_layers)
                                   : p.layers_here;
  TrainingActivations a{};
  // `selective` means what the framework means by it; without a selective mode it is full.
  Checkpointing mode = t.checkpointing;
  if (mode == Checkpointing::selective && fw.selective == SelectiveMeaning::none) mode = Checkpointing::full;
  switch (mode) {
    case Checkpointing::none: a.saved = saving_layers * layer_full; break;
    case Checkpointing::selective:
      if (fw.selective == SelectiveMeaning::torchtitan_op_policy) {  // unsaved ops recomputed per block
        a.saved = saving_layers * std::min(layer_op, layer_full);
        a.transient = layer_full - std::min(layer_op, layer_full);
      } else {  // the attention core is recomputed: scores live for one layer
        a.saved = saving_layers * layer_selective;
        a.transient = layer_full - layer_selective;
      }
      break;
    case Checkpointing::full:
      a.saved = saving_layers * tokens * s.h * p.act_b / sp;  // each block's input
      a.transient = layer_full;                              // one block recomputed during backward
      break;
  }
  a.saved *= in_flight;
  if (t.activation_offload)
    a.saved = a.saved / std::max(1.0, saving_layers) * std::min(saving_layers, memory_constants.activation_offload_layers);
  // Quantized base weights are dequantized to 16 bit one linear at a time.
  if (fmt.quantized()) a.transient += p.largest * dequantized_bytes(*w.weights);
  // ZeRO-3: the unsharded gradients of the layer being reduced.
  if (p.zero3 && st.trainable > 0) a.transient += st.one_layer_grads;

  // Logits and loss (last stage only): the framework's loss path, split by tp where the loss is
  // vocab-parallel.
  if (p.last) a.logits = tokens * s.vocab / (fw.loss_parallel ? tp : 1.0) * loss_bytes(fw, t.loss, w.compile);
  return a;
}

/// The training peak: the end of forward (loss computed) or the backward pass, whichever is larger,
/// unless the load-time transient is larger still.
constexpr void training_peak(const Job& w, const TrainableState& st, const TrainingActivations& a,
                             double load_transient, MemoryBreakdown& b) noexcept {
  const double grads = st.gradients, saved = a.saved;
  // Gradients of earlier micro-batches stay allocated while accumulating.
  const double g0 = (w.training.grad_accum > 1 && !w.training.optimizer_in_backward) ? grads : 0.0;
  const double fwd_end = g0 + saved + a.logits;                                          // loss computed
  const double bwd = (g0 > 0 ? grads + saved : std::max(saved, grads)) + a.transient;  // during backward
  if (fwd_end >= bwd && fwd_end >= load_transient) {
    b.gradients = Bytes{g0};
    b.activations = Bytes{saved};
    b.logits = Bytes{a.logits};
  } else if (bwd >= load_transient) {
    const bool grads_win = g0 > 0 || grads > saved;
    b.gradients = Bytes{grads_win ? grads : 0.0};
    b.activations = Bytes{(g0 > 0 || !grads_win ? saved : 0.0) + a.transient};
  } else {
    b.weights += Bytes{load_transient};
  }
}

/// The KV cache one sequence of the job's prompt + generate holds on a GPU of stage `p`, allocated
/// in the runtime's blocks: full-attention layers the context, window layers the context or, where
/// the runtime allocates it so, the window plus one forward's tokens; linear-attention/SSM layers a
/// constant state per sequence, split by tp with their heads (docs/memory.md "KV cache").
[[nodiscard]] constexpr double kv_sequence_bytes(const Job& w, const Shape& s, const StagePlace& p,
                                                 const RuntimeProfile& rt) noexcept {
  const InferenceJob& in = w.inference;
  double ctx_alloc = dbl(in.prompt + in.generate);
  if (rt.kv_block_tokens > 0)
    ctx_alloc = dbl(ceil_div(in.prompt + in.generate, static_cast<std::int64_t>(rt.kv_block_tokens))) * rt.kv_block_tokens;
  const double kv_split = w.model->attention == AttentionKind::mla
                              ? 1.0
                              : dbl(ceil_div(static_cast<std::int64_t>(s.kv_heads), w.parallel.tp > 0 ? w.parallel.tp : 1)) /
                                    s.kv_heads;
  const double kv_b = kv_bytes_per_element(*in.kv_cache);
  const ModelArch& m = *w.model;
  double window_held = ctx_alloc;
  if (rt.kv_window_only && m.window_layers > 0)
    window_held = std::min(ctx_alloc, dbl(m.window) + rt.workspace_tokens + rt.kv_block_tokens);
  const double kv_elements = kv_elements_per_sequence(m, ctx_alloc, window_held);
  const double state = dbl(linear_state_bytes_per_sequence(m)) / p.tp;
  return (kv_elements * kv_split * kv_b + state) * p.share;
}

/// Inference: the KV cache of the batch and the activation workspace of the largest forward.
constexpr void inference_memory(const Job& w, const Shape& s, const StagePlace& p, const RuntimeProfile& rt,
                                double load_transient, MemoryBreakdown& b) noexcept {
  const InferenceJob& in = w.inference;
  const double tp = p.tp, act_b = p.act_b;
  const double ctx = dbl(in.prompt + in.generate);
  const double kv = kv_sequence_bytes(w, s, p, rt) * dbl(w.batch);

  // Activation workspace of the largest forward.
  const double per_tok = act_b * (4.0 * s.h + s.mlp_transient / tp) +
                         (w.flash_attention ? 0.0 : 4.0 * s.heads / tp * std::max(1.0, ctx));
  double work = 0, logits = 0;
  switch (rt.workspace) {
    case Workspace::prefill:
      work = dbl(w.batch) * std::max<double>(1.0, dbl(in.prompt)) * per_tok;
      if (p.last) logits = dbl(w.batch) * s.vocab / tp * (act_b + 4.0);  // last position, 16-bit + fp32
      break;
    case Workspace::token_budget:
      work = rt.workspace_tokens * per_tok;
      if (p.last) logits = std::min(rt.workspace_tokens, dbl(w.batch)) * s.vocab / tp * 4.0;
      break;
    case Workspace::compute_buffer: {
      // llama.cpp sizes one graph for n_ubatch tokens in fp32: the output logits of the batch,
      // one layer's K*Q scores over the context (without flash attention) and the FFN.
      const double ub = std::min(rt.workspace_tokens, std::max(1.0, dbl(w.batch) * std::max<double>(1.0, dbl(in.prompt))));
      work = ub * 4.0 * ((w.flash_attention ? 0.0 : s.heads / tp * std::max(1.0, ctx)) + s.mlp_transient / tp + 4.0 * s.h);
      if (p.last) logits = ub * s.vocab / tp * 4.0;
      break;
    }
  }
  work *= rt.inference_activation_factor;
  b.kv_cache = Bytes{kv};
  b.activations = Bytes{std::max(work, load_transient)};
  b.logits = Bytes{work >= load_transient ? logits : 0.0};
}

/// The runtime's fixed costs, by where they sit (docs/memory.md "Allocated, reserved, device"):
/// library workspaces come from the runtime's allocator (part of per_gpu, component `runtime`);
/// allocator fragmentation is reserved but not allocated; the CUDA context and NCCL's buffers
/// (cudaMalloc'd by NCCL itself, only with more than one GPU) are outside the allocator.
struct RuntimeCosts {
  double workspace = 0;  ///< allocated: cuBLAS/cuDNN workspaces through the caching allocator
  double fragmentation = 0;  ///< reserved - allocated
  double outside = 0;    ///< device - reserved: CUDA context + NCCL buffers
};

/// Share of the reserved pool that PyTorch's caching allocator leaves fragmented when training
/// allocates irregularly (recomputation, offloading, sharded data parallel, LoRA): GMLake (Guo et
/// al., ASPLOS 2024, abstract) removes 15% fragmentation on average (up to 33%) across eight LLMs on
/// A100-80GB under these techniques, so the stock allocator fragments at least that much. A lower
/// bound, taken from the paper, not fitted to the public cases (docs/memory.md "Allocated, reserved,
/// device").
inline constexpr double irregular_fragmentation = 0.15;

/// Whether a job uses one of the memory-reduction techniques that make allocations irregular.
[[nodiscard]] constexpr bool irregular_allocations(const Job& w) noexcept {
  if (w.task != Task::training) return false;
  const TrainingJob& t = w.training;
  return t.checkpointing != Checkpointing::none || t.offload != Offload::none || t.activation_offload ||
         w.parallel.zero >= 3 || t.method == Method::lora || t.method == Method::qlora;
}

[[nodiscard]] constexpr RuntimeCosts runtime_costs(const Job& w, const RuntimeProfile& rt, double allocated) noexcept {
  RuntimeCosts c{};
  c.workspace = rt.workspace_gib * bytes_per_gib;
  // reserved = allocated / (1 - f) when a share f of the reserved pool is fragmented.
  const double f = irregular_allocations(w) ? irregular_fragmentation / (1 - irregular_fragmentation) : 0.0;
  c.fragmentation = std::max(rt.fragmentation, f) * (allocated + c.workspace);
  c.outside = rt.cuda_context_gib * bytes_per_gib + (w.hardware.count > 1 ? rt.nccl_gib * bytes_per_gib : 0.0);
  return c;
}

/// The pool fraction of a runtime with a KV pool: the case's `kv_memory_fraction` (the runtime's own
/// setting: vLLM gpu_memory_utilization, SGLang mem_fraction_static, TensorRT-LLM
/// kv_cache_free_gpu_mem_fraction) when given, else the runtime's default. Runtimes that size the
/// KV cache exactly have no pool, so the field changes nothing there.
[[nodiscard]] constexpr double kv_pool_fraction(const Job& w, const RuntimeProfile& rt) noexcept {
  return w.inference.kv_memory_fraction ? *w.inference.kv_memory_fraction : rt.kv_pool_fraction;
}

/// What the runtime lets the job use: the capacity, or vLLM/SGLang/MLC's utilization fraction x
/// capacity for inference (the budget includes the CUDA context and non-torch memory: vllm
/// gpu_worker.py determine_available_memory).
[[nodiscard]] constexpr double usable_bytes(const Job& w, const RuntimeProfile& rt) noexcept {
  const double cap = capacity_bytes(w);
  return w.task == Task::inference && rt.kv_pool == KvPool::fraction_of_capacity ? kv_pool_fraction(w, rt) * cap : cap;
}

/// KV pools that take what is left once the job's device memory `need_device` is in use (vLLM,
/// TensorRT-LLM): the KV bytes they add.
[[nodiscard]] constexpr double kv_pool_bytes(const Job& w, const RuntimeProfile& rt, double need_device) noexcept {
  if (rt.kv_pool == KvPool::exact) return 0;
  if (rt.kv_pool == KvPool::fraction_of_capacity) {
    const double budget = usable_bytes(w, rt);  // everything the instance may use
    return need_device <= budget ? budget - need_device : 0.0;
  }
  const double free = capacity_bytes(w) - need_device;
  return free > 0 ? kv_pool_fraction(w, rt) * free : 0.0;
}

/// The memory of one stage of a normalized job, in the order the parts add up: the stage's place,
/// its weights, then the training state and activations or the inference KV cache and workspace,
/// the runtime's fixed costs at their three levels and the KV pool.
[[nodiscard]] constexpr StageMemory stage_memory(const Job& w, const Shape& s, int stage) noexcept {
  const RuntimeProfile& rt = runtime_profile(w.runtime);
  const FrameworkProfile& fw = framework_profile(w.runtime);
  const StagePlace p = place_of(w, s, stage);
  StageMemory out{};
  MemoryBreakdown& b = out.b;

  const WeightBytes wb = stage_weights(w, s, p, fw);
  b.weights = Bytes{wb.codes};
  b.quant_constants = Bytes{wb.constants};
  // Load-time transient: bitsandbytes quantizes each weight on the GPU from its 16-bit copy.
  const double load_transient = weight_format_info(*w.weights).bitsandbytes ? rt.quantize_on_load_bytes * p.largest : 0.0;

  if (p.training) {
    const TrainableState st = trainable_state(w, s, p, rt, fw);
    b.optimizer = Bytes{st.optimizer};
    b.lora = Bytes{st.lora};
    out.pageable = st.pageable;
    training_peak(w, st, training_activations(w, s, p, rt, fw, st), load_transient, b);
  } else {
    inference_memory(w, s, p, rt, load_transient, b);
  }

  const RuntimeCosts c = runtime_costs(w, rt, b.total().value());
  b.runtime = Bytes{c.workspace};
  out.fragmentation = c.fragmentation;
  out.outside = c.outside;
  out.device = b.total().value() + c.fragmentation + c.outside;
  if (!p.training) {
    const double pool = kv_pool_bytes(w, rt, out.device);
    b.kv_cache += Bytes{pool};
    // A pool that fills the runtime's budget ends exactly at it (no rounding past `usable`).
    if (pool > 0) out.device = rt.kv_pool == KvPool::fraction_of_capacity ? usable_bytes(w, rt) : out.device + pool;
  }
  return out;
}

/// The model's sizes a job's memory needs (none for a collective, which has no model).
[[nodiscard]] constexpr Shape shape_of(const Job& w) noexcept {
  return w.task == Task::collective ? Shape{} : shape_of(*w.model);
}

/// estimate_memory of a job normalize() returned, whose model has the sizes `s` (shape_of(w)): evaluate()
/// holds a normalized job, and a search over batches or lengths changes neither the normalization nor the
/// model (normalize copies the job, shape_of counts the parameters).
[[nodiscard]] constexpr MemoryResult memory_normalized(const Job& w, const Shape& s) noexcept {
  MemoryResult r{};
  r.capacity = Bytes{capacity_bytes(w)};
  r.usable = r.capacity;
  if (w.task == Task::collective) {
    r.fits = fits_in(r);
    return r;
  }
  StageMemory best = stage_memory(w, s, 0);
  if (w.parallel.pp > 1) {
    const StageMemory tail = stage_memory(w, s, w.parallel.pp - 1);
    if (tail.device > best.device) best = tail;
  }
  const RuntimeProfile& rt = runtime_profile(w.runtime);
  r.breakdown = best.b;
  r.per_gpu = best.b.total();
  r.reserved = r.per_gpu + Bytes{best.fragmentation};
  r.device = Bytes{best.device};
  r.usable = Bytes{usable_bytes(w, rt)};
  r.fits = fits_in(r);
  r.may_page = !r.fits && best.pageable > 0 && best.device - best.pageable <= r.usable.value();
  r.limiting = r.breakdown.largest();
  return r;
}
}  // namespace detail::mem

/// Peak device memory of the busiest GPU of a job, by component, and whether it fits.
///
/// Training: weights (by format, sharded by tp/pp/ZeRO-3), LoRA adapters with their gradients and
/// optimizer state, gradients, optimizer state (+ fp32 master under mixed precision), activations
/// (per checkpointing mode), logits and loss; the peak is the larger of the end of forward and the
/// backward pass. Inference: weights, KV cache, the activation workspace of the largest forward.
/// Both add the runtime's fixed costs at their level: workspaces in per_gpu (allocated), allocator
/// fragmentation in reserved, the CUDA context and NCCL buffers in device; `fits` = device <= usable
/// (fits_in). For pipeline parallelism the first and the last stage are both evaluated and the one
/// with more device memory is reported. Collectives have no memory answer (zeros).
[[nodiscard]] constexpr MemoryResult estimate_memory(const Job& job) noexcept {
  const Job w = normalize(job);
  return detail::mem::memory_normalized(w, detail::mem::shape_of(w));
}

/// estimate_memory(w).fits of a training job whose device bytes (estimate_memory's `device`) are known
/// from the same configuration on another GPU: training memory has no KV pool and depends on the GPU
/// only through its capacity, so a search over GPUs (planner.hpp) sizes each configuration once.
[[nodiscard]] constexpr bool training_fits(const Job& w, Bytes device) noexcept {
  return (Bytes{detail::mem::capacity_bytes(w)} - device).value() >= 0;
}

/// The KV cache one sequence of the job's prompt + generate holds on the busiest GPU (the first or
/// the last pipeline stage), in the runtime's blocks: the unit the serving model divides the KV pool
/// by (serving.hpp).
[[nodiscard]] constexpr double kv_bytes_per_sequence(const Job& job) noexcept {
  const Job w = normalize(job);
  if (w.task == Task::collective || w.model == nullptr) return 0;
  const detail::mem::Shape s = detail::mem::shape_of(*w.model);
  const RuntimeProfile& rt = runtime_profile(w.runtime);
  double kv = detail::mem::kv_sequence_bytes(w, s, detail::mem::place_of(w, s, 0), rt);
  if (w.parallel.pp > 1)
    kv = std::max(kv, detail::mem::kv_sequence_bytes(w, s, detail::mem::place_of(w, s, w.parallel.pp - 1), rt));
  return kv;
}

}  // namespace headroom
