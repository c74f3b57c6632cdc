#pragma once
/// @file scaling.hpp
/// Time of a job on several GPUs: data parallel (DDP, ZeRO 1-3/FSDP), tensor parallel (Megatron),
/// pipeline parallel (1F1B, optional interleaving), context parallel and expert parallel, for training;
/// tensor and pipeline (layer split) parallel for inference. Formulas: docs/reference/formulas.md §4,
/// docs/scaling.md.
///
/// Per-GPU compute is the single-GPU time model (time_model.hpp) run on the shard one GPU holds: heads,
/// FFN width and vocabulary divided by tp, layers by pp; context parallelism divides the step's work by cp.
/// Communication comes from collectives.hpp on the job's links. One training step (§4.8):
///
///   slot   = T_mb + TP + EP all-to-alls + CP exposed + PP send/recv       (one micro-batch on one stage)
///   T_step = slot·(m + (p−1)/v) + DP exposed + T_opt / (dp if ZeRO ≥ 1) + offload exposed
///   v = parallel.vpp (interleaved 1F1B: v× the PP send/recvs); CPU offload: T_opt = the host's step
///   DP exposed: DDP   max(0, AR(Ψ·b_g) − ω·T_bwd) + AR(last bucket)
///               ZeRO-1/2 max(0, RS − ω·T_bwd) + RS(last bucket) + AG(Ψ·b_w)   (the gather follows the step)
///               ZeRO-3 m·(max(0, 2·AG + RS − ω·T_mb) + AG(one layer))         (FSDP prefetch, per micro-batch)
///
/// Everything is constexpr, noexcept and allocation-free.

#include <cstdint>

#include "headroom/collectives.hpp"
#include "headroom/efficiency.hpp"
#include "headroom/expert_parallel.hpp"
#include "headroom/job.hpp"
#include "headroom/links.hpp"
#include "headroom/offload.hpp"
#include "headroom/operators.hpp"
#include "headroom/result.hpp"
#include "headroom/serving_traits.hpp"
#include "headroom/time_model.hpp"

namespace headroom {

/// The tunable constants of the parallel model (mirrored in data/links/links.json "scaling").
struct ScalingConstants {
  double dp_overlap = 0.9;          ///< ω: share of the backward (FSDP: the micro-batch) that hides DP traffic
  double bucket_mb = 25;            ///< DDP gradient bucket (bucket_cap_mb): the last one is never hidden
  double moe_imbalance = 1.2;       ///< max/mean expert load on the all-to-alls
  double cp_overlap = 1.0;          ///< share of the micro-batch compute that hides the CP ring
  double llama_cpp_ubatch = 512;    ///< llama.cpp n_ubatch: prompt micro-batches pipelined over a layer split
};
inline constexpr ScalingConstants scaling_constants{};

/// What the parallel model computed; `result` is the public summary.
struct ParallelEstimate {
  TimeResult result{};
  double compute_s = 0;         ///< per-GPU compute of all micro-batches (or one inference request)
  double bubble_s = 0;          ///< pipeline bubble
  double tp_s = 0, cp_s = 0, ep_s = 0, pp_s = 0;  ///< exposed, on the critical path
  double dp_comm_s = 0;         ///< DP traffic in total
  double dp_exposed_s = 0;
  double optimizer_s = 0;       ///< GPU optimizer step, or the host's under CPU offload
  double offload_pcie_s = 0;    ///< CPU offload / activation offload copies in total (offload.hpp)
  double offload_exposed_s = 0;  ///< of which on the critical path
  double exposed_comm_s = 0;    ///< tp + cp + ep + pp + dp exposed
  double step_s = 0;            ///< training step; inference: the whole request (prefill + decode)
  std::string_view intra_link;  ///< links.json id
  std::string_view inter_link;  ///< "" when the job fits in one node

  [[nodiscard]] constexpr double exposed_fraction() const noexcept {
    return step_s > 0 ? exposed_comm_s / step_s : 0;
  }
};

namespace detail {

[[nodiscard]] constexpr std::int64_t div_up(std::int64_t a, std::int64_t b) noexcept {
  return b > 1 ? (a + b - 1) / b : a;
}

/// Bytes of one activation element in the compute precision (communication runs in it).
[[nodiscard]] constexpr double comm_act_bytes(Precision p) noexcept {
  return p == Precision::fp32 || p == Precision::tf32 ? 4.0 : 2.0;
}

[[nodiscard]] constexpr int at_least1(int v) noexcept { return v > 1 ? v : 1; }

}  // namespace detail

/// The part of a model one GPU holds under tensor parallelism `tp` and pipeline parallelism `pp`.
[[nodiscard]] constexpr ModelArch shard_model(const ModelArch& m, int tp, int pp) noexcept {
  ModelArch s = m;
  if (s.head_dim == 0 && s.heads > 0) s.head_dim = s.hidden / s.heads;
  if (s.intermediate == 0) s.intermediate = 4 * s.hidden;
  if (s.kv_heads == 0) s.kv_heads = s.heads;
  if (tp > 1) {
    s.heads = detail::div_up(s.heads, tp);
    s.kv_heads = detail::div_up(s.kv_heads, tp);  // fewer KV heads than tp: replicated
    s.intermediate = detail::div_up(s.intermediate, tp);
    s.expert_intermediate = detail::div_up(s.expert_intermediate, tp);
    s.shared_intermediate = detail::div_up(s.shared_intermediate, tp);
    s.vocab = detail::div_up(s.vocab, tp);
  }
  if (pp > 1) {
    s.layers = detail::div_up(s.layers, pp);
    s.dense_layers = detail::div_up(s.dense_layers, pp);
    // Each stage holds its share of every layer kind (sliding-window, linear-attention, mixer- or MLP-only).
    s.window_layers = detail::div_up(s.window_layers, pp);
    s.linear_layers = detail::div_up(s.linear_layers, pp);
    s.mixer_only_layers = detail::div_up(s.mixer_only_layers, pp);
    s.mlp_only_layers = detail::div_up(s.mlp_only_layers, pp);
  }
  return s;
}

/// The single-GPU job of one shard (gpus 1, no parallelism) running `shard`, the job's model as
/// shard_model cuts it; `shard` must outlive the returned job.
[[nodiscard]] constexpr Job shard_job(const Job& w, const ModelArch& shard) noexcept {
  Job s = w;
  s.hardware.count = 1;
  s.hardware.per_node = 0;
  s.parallel = Parallel{};
  s.model = &shard;
  return s;
}

namespace detail {

/// GPUs of a group of `n` ranks spaced `stride` apart that share one node.
[[nodiscard]] constexpr CommGroup strided_group(int n, int stride, int node) noexcept {
  int per_node = stride >= node ? 1 : node / (stride > 0 ? stride : 1);
  if (per_node > n) per_node = n;
  if (per_node < 1) per_node = 1;
  return CommGroup{n, per_node};
}

[[nodiscard]] constexpr Seconds comm(const Job& w, Collective c, double bytes, CommGroup g) noexcept {
  return collective_time(fabric_of(w, g.per_node), c, Bytes{bytes}, g).time;
}

/// llama.cpp splits a model over GPUs by layer by default (`--split-mode layer`, llama_model_default_params):
/// each GPU runs its layers in turn, a pipeline. The case format has no split field, so a llama.cpp job's
/// tensor-parallel degree is timed as that many more pipeline stages. (Row split, which gathers each matmul's
/// output to the main GPU, is not selectable; docs/scaling.md.)
[[nodiscard]] constexpr Job llama_cpp_split(Job w) noexcept {
  if (w.runtime == Runtime::llama_cpp && w.parallel.tp > 1) {
    w.parallel.pp *= w.parallel.tp;
    w.parallel.tp = 1;
  }
  return w;
}

/// The single-GPU job of a training job's shard as parallel_training times it: the model cut by tp and
/// pp, offload timed apart (with the rank's share).
[[nodiscard]] constexpr Job training_shard_job(const Job& w, const ModelArch& shard) noexcept {
  Job ws = shard_job(w, shard);
  ws.training.offload = Offload::none;  // offload is timed in parallel_training with the rank's share
  ws.training.activation_offload = false;
  return ws;
}

/// The part of the model one GPU of a training job holds: shard_model's tp and pp cut, the routed
/// experts at 1/etp of their width (expert-TP, expert_parallel.hpp).
[[nodiscard]] constexpr ModelArch training_shard_model(const Job& w) noexcept {
  ModelArch s = shard_model(*w.model, at_least1(w.parallel.tp), at_least1(w.parallel.pp));
  if (w.model->is_moe()) s.expert_intermediate = div_up(w.model->expert_intermediate, expert_tp(w));
  return s;
}

/// Where the routed experts of a training shard run: this GPU holds 1/ep of the experts at 1/etp of
/// their width, and the rows of ep·etp/tp micro-batches meet there (expert_parallel.hpp).
[[nodiscard]] constexpr MoePlacement training_placement(const Job& w) noexcept {
  MoePlacement placement;
  // With ep = 1 expert-TP is tp (the layout always holds it), so only expert parallelism moves experts.
  if (w.model->is_moe() && at_least1(w.parallel.ep) > 1) {
    const ExpertLayout el = expert_layout(w);
    placement.expert_share = 1.0 / el.ep;
    placement.token_group = el.token_group;
    placement.imbalance = scaling_constants.moe_imbalance;
  }
  return placement;
}

/// The shard's single-GPU time of a normalized training job (what parallel_training builds on).
[[nodiscard]] constexpr TimeEstimate training_shard_time(const Job& w, const EfficiencyProfile& profile) noexcept {
  const ModelArch shard = training_shard_model(w);
  return estimate_time_detailed(training_shard_job(w, shard), profile, training_placement(w));
}

/// The parallel training step of a normalized job on top of its shard's single-GPU time `te`
/// (training_shard_time: it depends on the GPU, tp, pp, ep, the micro-batch, grad_accum and the job's
/// other fields, not on dp, ZeRO or the links, so a search over those times the shard once; planner.hpp).
[[nodiscard]] constexpr ParallelEstimate parallel_training(const Job& w, const TimeEstimate& te) noexcept {
  ParallelEstimate p;
  const Parallel& par = w.parallel;
  const int tp = at_least1(par.tp), pp = at_least1(par.pp), dp = at_least1(par.dp), cp = at_least1(par.cp),
            ep = at_least1(par.ep);
  const int node = w.hardware.node_size() > 0 ? w.hardware.node_size() : 1;
  const ScalingConstants& k = scaling_constants;
  const ModelArch shard = training_shard_model(w);
  const Job ws = training_shard_job(w, shard);
  if (te.result.bound == Bound::none) return p;

  const double m = static_cast<double>(w.training.grad_accum > 0 ? w.training.grad_accum : 1);
  const double b = static_cast<double>(w.batch > 0 ? w.batch : 1);
  const double s = static_cast<double>(w.training.seq > 0 ? w.training.seq : 1);
  const ModelDims d = model_dims(*ws.model);
  const double h = static_cast<double>(w.model->hidden);
  const double act = comm_act_bytes(w.compute);
  const double layers = d.layers;  // per stage

  const double compute = te.train.time.value() / cp;
  const double t_mb = compute / m;
  const bool full_recompute = w.training.checkpointing == Checkpointing::full;
  const double bwd_share = full_recompute ? 0.75 : 2.0 / 3.0;  // backward (+ recompute) of fwd+bwd time

  // Tensor parallel: 2 all-reduces forward + 2 backward per layer (+2 for the recomputed forward).
  double tp_mb = 0;
  if (tp > 1) {
    const double msg = b * (s / cp) * h * act;
    const double count = full_recompute ? 6 : 4;
    tp_mb = layers * count * comm(w, Collective::all_reduce, msg, strided_group(tp, 1, node)).value();
  }
  // Context parallel: K/V ring forward, twice that backward, hidden behind the attention blocks.
  double cp_mb = 0;
  if (cp > 1) {
    const double kv = (cp - 1.0) / cp * 2 * s * b * d.kv_heads * d.d_qk * act;  // K and V of the other ranks
    const double ring = 3 * layers * comm(w, Collective::send_recv, kv, strided_group(2, tp, node)).value();
    cp_mb = ring - k.cp_overlap * t_mb;
    if (cp_mb < 0) cp_mb = 0;
  }
  // Expert parallel: dispatch + combine all-to-alls forward, the same backward, per MoE layer; the
  // runtime hides ep_overlap of them behind other micro-batches' computation (expert_parallel.hpp).
  // Megatron-Core runs MoE with tp > 1 only under sequence parallelism: each tensor-parallel rank
  // dispatches its own 1/tp of the micro-batch's tokens, and the ep ranks of a group are etp apart
  // (expert ranks ordered expert-TP first; docs/time.md §12).
  double ep_mb = 0;
  if (ep > 1 && w.model->is_moe()) {
    const double moe_layers = d.moe_layers > 0 ? d.moe_layers : layers;
    const MoeTraits& traits = moe_traits(w.runtime);
    const CommGroup g = strided_group(ep, expert_tp(w), node);
    const double rows = network_rows_per_token(d.top_k, g.n, g.per_node, traits.node_dedup);
    const double msg = all_to_all_bytes(b * (s / cp) / tp, rows, h, act) * k.moe_imbalance;
    ep_mb = 4 * moe_layers * comm(w, Collective::all_to_all, msg, g).value();
    ep_mb *= 1 - traits.ep_overlap;
  }
  // Pipeline: activations forward and gradients backward across each stage boundary; interleaved 1F1B
  // (vpp = v chunks per GPU) crosses every GPU v times per micro-batch (Narayanan et al. 2021 §2.2.2).
  const double v = par.vpp > 1 ? par.vpp : 1;
  double pp_mb = 0;
  if (pp > 1) {
    const CommGroup g = strided_group(2, tp * cp * dp, node);
    const double msg = b * (s / cp) * h * act / (g.per_node == 1 ? tp : 1);  // scatter/gather across nodes
    pp_mb = 2 * v * comm(w, Collective::send_recv, msg, g).value();
  }
  const double slot = t_mb + tp_mb + cp_mb + ep_mb + pp_mb;
  const double bubble_slots = (pp - 1.0) / v;
  const double pipe = slot * (m + bubble_slots);

  // Data parallel.
  const double psi = trainable_params(ws);
  double dp_total = 0, dp_exposed = 0;
  if (dp > 1) {
    const double gbytes = w.training.precision == PrecisionPolicy::mixed && par.zero == 0 ? 4.0 : act;
    const double wbytes = act;
    const CommGroup g = strided_group(dp, tp * cp, node);
    const double t_bwd = t_mb * bwd_share;
    const double bucket_bytes = k.bucket_mb * 1e6 < psi * gbytes ? k.bucket_mb * 1e6 : psi * gbytes;
    if (par.zero >= 3) {
      // A full shard partitions every parameter, trainable or frozen (FSDP FULL_SHARD, ZeRO-3), and gathers
      // them all before forward and backward; only the trainable ones have gradients to reduce-scatter.
      const double gathered = psi * wbytes + frozen_weight_bytes(ws);
      const double ag = comm(w, Collective::all_gather, gathered, g).value();
      const double rs = comm(w, Collective::reduce_scatter, psi * gbytes, g).value();
      const double first = comm(w, Collective::all_gather, gathered / (d.layers > 0 ? d.layers : 1), g).value();
      const double per_mb = 2 * ag + rs;
      double hidden_left = per_mb - k.dp_overlap * t_mb;
      if (hidden_left < 0) hidden_left = 0;
      dp_total = m * per_mb;
      dp_exposed = m * (hidden_left + first);
    } else if (par.zero >= 1) {
      const double rs = comm(w, Collective::reduce_scatter, psi * gbytes, g).value();
      const double ag = comm(w, Collective::all_gather, psi * wbytes, g).value();
      const double last = comm(w, Collective::reduce_scatter, bucket_bytes, g).value();
      double left = rs - k.dp_overlap * t_bwd;
      if (left < 0) left = 0;
      dp_total = rs + ag;
      dp_exposed = left + last + ag;
    } else {
      const double ar = comm(w, Collective::all_reduce, psi * gbytes, g).value();
      const double last = comm(w, Collective::all_reduce, bucket_bytes, g).value();
      double left = ar - k.dp_overlap * t_bwd;
      if (left < 0) left = 0;
      dp_total = ar;
      dp_exposed = left + last;
    }
  }
  // CPU offload (offload.hpp): the rank's ZeRO partition is stepped on the host, which the node's ranks share.
  const int node_ranks = w.hardware.count < node ? w.hardware.count : node;
  const OffloadShare share{psi / (par.zero >= 1 ? dp : 1), weight_params(ws) / (par.zero >= 3 ? dp : 1),
                           node_ranks};
  Job wo = ws;  // the shard, with the job's offload settings
  wo.training.offload = w.training.offload;
  wo.training.activation_offload = w.training.activation_offload;
  const OffloadTime off = offload_time(wo, share, m, t_mb, t_mb * bwd_share);
  const double optimizer = w.training.offload != Offload::none ? off.cpu_step_s
                                                                : te.optimizer.time.value() / (par.zero >= 1 ? dp : 1);
  const double step = pipe + dp_exposed + optimizer + off.exposed_s;

  p.compute_s = compute;
  p.bubble_s = slot * bubble_slots;
  p.tp_s = tp_mb * (m + bubble_slots);
  p.cp_s = cp_mb * (m + bubble_slots);
  p.ep_s = ep_mb * (m + bubble_slots);
  p.pp_s = pp_mb * (m + bubble_slots);
  p.dp_comm_s = dp_total;
  p.dp_exposed_s = dp_exposed;
  p.optimizer_s = optimizer;
  p.offload_pcie_s = off.pcie_s;
  p.offload_exposed_s = off.exposed_s;
  p.exposed_comm_s = p.tp_s + p.cp_s + p.ep_s + p.pp_s + dp_exposed + off.exposed_s;
  p.step_s = step;
  TimeResult& r = p.result;
  r.step_time_s = step;
  r.train_tokens_per_s_per_gpu = b * s * m / (tp * pp * cp) / step;
  const FlopRate peak = mfu_peak(*w.hardware.gpu);  // the BF16 peak whatever `compute` is (time_model.hpp)
  r.mfu = peak.value() > 0 ? r.train_tokens_per_s_per_gpu * model_flops_per_token(w) / peak.value() : 0;
  r.hfu = peak.value() > 0 ? r.train_tokens_per_s_per_gpu * hardware_flops_per_token(w) / peak.value() : 0;
  r.intensity = te.result.intensity;
  r.bound = p.exposed_comm_s > compute ? Bound::communication : te.result.bound;
  return p;
}

[[nodiscard]] constexpr ParallelEstimate parallel_training(const Job& w, const EfficiencyProfile& profile) noexcept {
  return parallel_training(w, training_shard_time(w, profile));
}

[[nodiscard]] constexpr ParallelEstimate parallel_inference(const Job& job,
                                                            const EfficiencyProfile& profile) noexcept {
  ParallelEstimate p;
  const Job w = llama_cpp_split(job);
  const Parallel& par = w.parallel;
  const int tp = at_least1(par.tp), pp = at_least1(par.pp), dp = at_least1(par.dp);
  const int node = w.hardware.node_size() > 0 ? w.hardware.node_size() : 1;
  // Layers run one stage after another: the stages together take the whole model's time on one GPU's
  // tensor-parallel shard; each boundary adds a send/recv.
  ModelArch shard = shard_model(*w.model, tp, 1);
  // MoE over the dp·tp GPUs of a stage (expert_parallel.hpp): 1/ep of the experts at 1/etp of their width,
  // with the tokens of the dp (attention data-parallel) ranks.
  const ExpertLayout el = expert_layout(w);
  MoePlacement placement;
  if (w.model->is_moe() && (el.ep > 1 || el.token_group > 1)) {
    shard.expert_intermediate = div_up(w.model->expert_intermediate, static_cast<std::int64_t>(el.etp));
    placement.expert_share = 1.0 / el.ep;
    placement.token_group = el.token_group;
    placement.imbalance = el.ep > 1 ? scaling_constants.moe_imbalance : 1.0;
  }
  const Job ws = shard_job(w, shard);
  const TimeEstimate te = estimate_time_detailed(ws, profile, placement);
  TimeResult r = te.result;
  if (r.bound == Bound::none) return p;
  const RuntimeEfficiency& rt = profile.for_runtime(w.runtime);
  const MoeTraits& traits = moe_traits(w.runtime);
  const double h = static_cast<double>(w.model->hidden);
  const double act = comm_act_bytes(w.compute);
  const double layers = static_cast<double>(w.model->layers);
  const double prompt = static_cast<double>(w.inference.prompt > 0 ? w.inference.prompt : 0);
  const double batch = static_cast<double>(w.batch > 0 ? w.batch : 1);
  const CommGroup tpg = strided_group(tp, 1, node);
  const CommGroup ppg = strided_group(2, tp * dp, node);

  // One forward call of `tokens` tokens: 2 all-reduces per layer (tp), one hop per stage boundary (pp).
  // Serving engines reduce small messages inside an NVLink node with their own one-shot kernel: each
  // GPU reads its peers' buffers after one flag barrier (two link latencies), no ring.
  const double custom_ar = serving_traits(w.runtime).custom_all_reduce_bytes;
  const Fabric tp_fabric = fabric_of(w, tpg.per_node);
  const bool one_shot_link = tpg.nodes() == 1 && tp_fabric.intra.id().starts_with("nvlink");
  const auto all_reduce = [&](double bytes) noexcept {
    if (one_shot_link && bytes <= custom_ar)
      return 2 * tp_fabric.intra.step_latency().value() + bytes * (tp - 1) / tp_fabric.intra.achievable.value();
    return comm(w, Collective::all_reduce, bytes, tpg).value();
  };
  const auto tp_call = [&](double tokens) noexcept {
    return tp > 1 ? layers * 2 * all_reduce(tokens * h * act) : 0.0;
  };
  const auto pp_call = [&](double tokens) noexcept {
    return pp > 1 ? (pp - 1) * comm(w, Collective::send_recv, tokens * h * act, ppg).value() : 0.0;
  };
  // Attention data parallelism: per MoE layer a dispatch and a combine all-to-all over the dp·tp GPUs, each
  // GPU sending its share (1/tp) of its dp rank's tokens; the runtime hides ep_overlap of it.
  const double moe_layers = static_cast<double>(moe_layer_count(*w.model));
  const CommGroup epg = strided_group(dp * tp, 1, node);
  const double top_k = network_rows_per_token(
      static_cast<double>(w.model->experts_per_token > 0 ? w.model->experts_per_token : 1), epg.n, epg.per_node,
      traits.node_dedup);
  const double dispatch_b = traits.fp8_dispatch && w.compute == Precision::fp8 ? 1.0 : act;
  const auto ep_call = [&](double tokens) noexcept {
    if (!el.all_to_all || moe_layers <= 0) return 0.0;
    const double rows = tokens / tp * placement.imbalance;
    const double t = comm(w, Collective::all_to_all, all_to_all_bytes(rows, top_k, h, dispatch_b), epg).value() +
                     comm(w, Collective::all_to_all, all_to_all_bytes(rows, top_k, h, act), epg).value();
    return moe_layers * t * (1 - traits.ep_overlap);
  };
  double prefill = te.prefill.time.value(), decode = te.decode.time.value();
  double tp_total = 0, pp_total = 0, ep_total = 0;
  if (prompt > 0 && prefill > 0) {
    const StepShape sh = detail::prefill_shape(batch, prompt, static_cast<double>(rt.prefill_chunk));
    const double calls = sh.repeat > 0 ? sh.repeat : 1;
    double stages = prefill;
    if (pp > 1 && w.runtime == Runtime::llama_cpp) {
      // llama.cpp pipelines prompt micro-batches (n_ubatch) over the layer split.
      double u = batch * prompt / scaling_constants.llama_cpp_ubatch;
      u = u < 1 ? 1 : static_cast<double>(static_cast<std::int64_t>(u + 0.999999));
      stages = prefill * (u + pp - 1) / (u * pp);
    }
    tp_total += calls * tp_call(sh.seqs * sh.tokens);
    pp_total += calls * pp_call(sh.seqs * sh.tokens);
    ep_total += calls * ep_call(sh.seqs * sh.tokens);
    const double new_prefill = stages + tp_total + pp_total + ep_total;
    r.prefill_tokens_per_s *= prefill / new_prefill;
    r.ttft_s = new_prefill;
    prefill = new_prefill;
  }
  if (decode > 0) {
    const double tc = tp_call(batch), pc = pp_call(batch), ec = ep_call(batch);
    const double new_decode = decode + tc + pc + ec;
    const double old_total = te.prefill.time.value() + te.decode_steps * decode;
    const double new_total = prefill + te.decode_steps * new_decode;
    if (new_total > 0) r.decode_tokens_per_s *= old_total / new_total;
    if (prompt <= 0) r.ttft_s = new_decode;
    tp_total += te.decode_steps * tc;
    pp_total += te.decode_steps * pc;
    ep_total += te.decode_steps * ec;
    decode = new_decode;
  }
  // Data-parallel replicas serve independently: the throughput adds up.
  r.prefill_tokens_per_s *= dp;
  r.decode_tokens_per_s *= dp;
  p.compute_s = te.prefill.time.value() + te.decode_steps * te.decode.time.value();
  p.tp_s = tp_total;
  p.pp_s = pp_total;
  p.ep_s = ep_total;
  p.exposed_comm_s = tp_total + pp_total + ep_total;
  p.step_s = prefill + te.decode_steps * decode;
  if (p.exposed_comm_s > p.compute_s) r.bound = Bound::communication;
  p.result = r;
  return p;
}

}  // namespace detail

namespace detail {
/// The links estimate_parallel names.
constexpr void name_links(const Job& w, ParallelEstimate& p) noexcept {
  const Fabric f = fabric_of(w);
  p.intra_link = w.hardware.count > 1 ? f.intra.id() : std::string_view{};
  p.inter_link = w.hardware.count > w.hardware.node_size() ? f.inter.id() : std::string_view{};
}
}  // namespace detail

/// The parallel time model of a job (any gpus; gpus == 1 gives the single-GPU model's answer).
[[nodiscard]] constexpr ParallelEstimate estimate_parallel(const Job& job, const EfficiencyProfile& profile) noexcept {
  const Job w = normalize(job);
  ParallelEstimate p;
  if (w.task == Task::collective) {
    p.result = estimate_collective(w);
    p.step_s = p.result.step_time_s;
    p.exposed_comm_s = p.step_s;
    return p;
  }
  p = w.task == Task::training ? detail::parallel_training(w, profile) : detail::parallel_inference(w, profile);
  detail::name_links(w, p);
  return p;
}

/// The parallel time model of a training job whose shard time is known: `shard` =
/// detail::training_shard_time(normalize(job), profile) gives estimate_parallel(job, profile)'s answer.
[[nodiscard]] constexpr ParallelEstimate estimate_parallel_training(const Job& job, const TimeEstimate& shard) noexcept {
  const Job w = normalize(job);
  ParallelEstimate p = detail::parallel_training(w, shard);
  detail::name_links(w, p);
  return p;
}

[[nodiscard]] constexpr ParallelEstimate estimate_parallel(const Job& w) noexcept {
  return estimate_parallel(w, builtin_efficiency);
}

/// Time answers of a multi-GPU job with the built-in profile.
[[nodiscard]] constexpr TimeResult estimate_parallel_time(const Job& w) noexcept {
  return estimate_parallel(w).result;
}

/// Scaling efficiency: per-GPU training throughput on w.hardware.count GPUs over that of one GPU running the same
/// per-GPU job (same micro-batch, sequence and grad_accum, no parallelism). Inference: total decode
/// throughput over gpus × the one-GPU throughput. 0 when either has no answer.
[[nodiscard]] constexpr double scaling_efficiency(const Job& w, const EfficiencyProfile& profile) noexcept {
  const ParallelEstimate many = estimate_parallel(w, profile);
  const ModelArch whole = shard_model(*w.model, 1, 1);
  const ParallelEstimate one = estimate_parallel(shard_job(w, whole), profile);
  if (w.task == Task::training) {
    const double a = many.result.train_tokens_per_s_per_gpu, z = one.result.train_tokens_per_s_per_gpu;
    return a > 0 && z > 0 ? a / z : 0;
  }
  const double a = many.result.decode_tokens_per_s, z = one.result.decode_tokens_per_s;
  return a > 0 && z > 0 ? a / (z * w.hardware.count) : 0;
}

[[nodiscard]] constexpr double scaling_efficiency(const Job& w) noexcept {
  return scaling_efficiency(w, builtin_efficiency);
}

}  // namespace headroom
