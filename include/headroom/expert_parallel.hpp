#pragma once
/// @file expert_parallel.hpp
/// Where the routed experts of an MoE model run on several GPUs, and how each runtime moves tokens to
/// them: the expert layout of a job (which share of the experts a GPU holds, how wide, whose tokens
/// meet there), the dispatch/combine all-to-all volume, and the runtime's MoE traits (how much of that
/// all-to-all it hides behind computation, redundant expert replicas). docs/time.md "Mixture of experts"
/// and docs/memory.md "Expert parallelism" explain the formulas; data/runtimes/<name>.json cites every
/// trait and tests/io/framework_test.cpp checks that the files and this table agree.

#include <array>
#include <cstdint>
#include <string_view>

#include "headroom/job.hpp"
#include "headroom/model.hpp"

namespace headroom {

/// Calls per local expert, summed over the expert's projections (Megatron-Core: fc1, fc2), by pass.
struct ExpertSyncCalls {
  double forward = 0;       ///< forward GEMMs
  double input_grad = 0;    ///< input-gradient GEMMs
  double weight_grad = 0;   ///< weight-gradient GEMMs and their per-parameter bookkeeping
  double fp8_quantize = 0;  ///< extra per pass that quantizes (forward, input gradient) under FP8 compute
  double bias_forward = 0;  ///< extra forward calls when the experts have biases
  double bias_backward = 0; ///< extra backward calls when the experts have biases

  constexpr bool operator==(const ExpertSyncCalls&) const noexcept = default;
};

/// How a runtime runs the MoE layers of an expert-parallel job, at its defaults.
struct MoeTraits {
  Runtime runtime = Runtime::pytorch;
  std::string_view name;
  /// Share of the EP dispatch/combine all-to-all hidden behind independent computation (two-batch
  /// overlap, DualPipe-style micro-batch overlap); 0 = the all-to-all sits on the critical path.
  double ep_overlap = 0;
  /// Extra physical expert replicas over the whole EP group (SGLang ep_num_redundant_experts, vLLM
  /// num_redundant_experts, TensorRT-LLM load-balancer slots beyond the expert count).
  double redundant_experts = 0;
  /// The dispatch all-to-all sends FP8 activations when the job computes in FP8 (DeepEP's FP8 dispatch);
  /// the combine stays 16-bit.
  bool fp8_dispatch = false;
  /// Hierarchical all-to-all (DeepEP normal kernels, HybridEP): a token crosses the network once per
  /// remote node that holds one of its experts and is forwarded over NVLink inside that node, instead of
  /// once per expert.
  bool node_dedup = false;
  /// The MoE block runs its experts one after another in Python (Hugging Face transformers' eager
  /// SparseMoeBlock), each a gather, three Linears and a scatter of its own, instead of a grouped GEMM.
  bool expert_loop = false;
  /// GPTQ-4bit experts run a Marlin MoE kernel that the host launches once per expert (every expert, hit
  /// or not) per 256 rows, for each of the two fused projections (w13, w2), instead of one grouped launch:
  /// SGLang's GPTQMarlinMoEMethod on vLLM's 0.7-era marlin_gemm_moe, up to its sgl_kernel port (docs/time.md §12).
  bool gptq_expert_launches = false;
  /// Host-issued calls per local expert per MoE layer per micro-batch of training that the GPU waits on:
  /// the runtime learns the tokens per expert on the host (a device-to-host sync) and then issues the
  /// expert part eagerly, expert by expert (Megatron-Core TEGroupedMLP over Transformer Engine's
  /// GroupedLinear, docs/time.md §12 "Experts issued one by one after a host sync"). All 0: none.
  ExpertSyncCalls expert_sync_calls{};
};

/// One entry per runtime that runs expert parallelism; the others get the generic `pytorch` entry.
inline constexpr std::array<MoeTraits, 11> moe_traits_table{{
    {Runtime::pytorch, "pytorch", 0, 0, false, false, false},
    {Runtime::hf, "hf", 0, 0, false, false, true},
    {Runtime::torchtune, "torchtune", 0, 0, false, false, false},
    {Runtime::torchtitan, "torchtitan", 0, 0, false, false, false},
    {Runtime::litgpt, "litgpt", 0, 0, false, false, false},
    {Runtime::deepspeed, "deepspeed", 0, 0, false, false, false},
    {Runtime::megatron, "megatron", 0, 0, false, true, false, false, {2, 2, 6, 2, 2, 7}},
    {Runtime::unsloth, "unsloth", 0, 0, false, false, false},
    {Runtime::sglang, "sglang", 0, 0, false, false, false, true},
    {Runtime::vllm, "vllm", 0, 0, false, false, false},
    {Runtime::tensorrt_llm, "tensorrt-llm", 0, 0, false, false, false},
}};

/// The MoE traits of a runtime (the generic `pytorch` entry for runtimes without their own).
[[nodiscard]] constexpr const MoeTraits& moe_traits(Runtime r) noexcept {
  for (const auto& t : moe_traits_table)
    if (t.runtime == r) return t;
  return moe_traits_table[0];
}

/// Rows one launch of the per-expert Marlin MoE kernel covers (vLLM csrc/moe/marlin_moe_ops.cu: the host
/// loop steps m_block by 4·max_m_blocks 16-row blocks; max_m_blocks taken as 4, the largest thread_m_blocks).
inline constexpr double marlin_moe_rows_per_launch = 256;

/// Kernel launches per MoE layer of a runtime that launches its quantized experts one by one
/// (MoeTraits::gptq_expert_launches): 2 projections × local experts × ⌈rows of the call / 256⌉; 0 when the
/// runtime or the weight format uses one grouped launch.
[[nodiscard]] constexpr double per_expert_launches(Runtime r, WeightFormat f, double local_experts,
                                                   double call_tokens) noexcept {
  if (!moe_traits(r).gptq_expert_launches || f != WeightFormat::gptq_4bit || call_tokens <= 0) return 0;
  const double q = call_tokens / marlin_moe_rows_per_launch;
  auto blocks = static_cast<double>(static_cast<std::int64_t>(q));
  if (blocks < q) blocks += 1;
  return 2 * local_experts * blocks;
}

namespace detail {

/// x^n for n ≥ 0 by squaring (constexpr; std::pow is not).
[[nodiscard]] constexpr double ipow(double x, std::int64_t n) noexcept {
  double r = 1;
  while (n > 0) {
    if (n & 1) r *= x;
    x *= x;
    n >>= 1;
  }
  return r;
}

/// Expected share of E experts that at least one of `tokens` tokens is routed to, each token choosing k
/// distinct experts uniformly at random (independently of the other tokens): an expert is missed by one
/// token with probability 1 − k/E, by all of them with (1 − k/E)^tokens, so the expected number of
/// distinct experts touched is E·(1 − (1 − k/E)^tokens) (the occupancy count of docs/time.md). Tokens are
/// rounded to a whole number; k ≥ E touches every expert.
[[nodiscard]] constexpr double touched_expert_share(double experts, double top_k, double tokens) noexcept {
  if (experts <= 0 || top_k >= experts) return 1.0;
  if (tokens <= 0 || top_k <= 0) return 0.0;
  return 1.0 - ipow(1.0 - top_k / experts, static_cast<std::int64_t>(tokens + 0.5));
}

}  // namespace detail

/// Bytes one GPU sends in one direction of an MoE layer's all-to-all: each of its `tokens` goes to its
/// top_k experts as a hidden-wide row (docs/reference/formulas.md §4.7, before the (e−1)/e that stays on
/// the GPU, which collectives.hpp accounts for).
[[nodiscard]] constexpr double all_to_all_bytes(double tokens, double top_k, double hidden,
                                                double bytes_per_element) noexcept {
  return tokens * top_k * hidden * bytes_per_element;
}

/// Rows per token that cross the network in an all-to-all over `gpus` GPUs, `per_node` to a node, each
/// token going to `top_k` experts spread evenly over the nodes: top_k without deduplication; with it, the
/// expected number of distinct remote nodes (nodes − 1)·(1 − (1 − 1/nodes)^top_k), expressed per top_k row
/// of the whole group so that collectives.hpp's (n − per_node)/n off-node share gives exactly that count.
[[nodiscard]] constexpr double network_rows_per_token(double top_k, double gpus, double per_node,
                                                      bool node_dedup) noexcept {
  if (!node_dedup || per_node <= 0 || gpus <= per_node) return top_k;
  const double nodes = gpus / per_node;
  const double stay = detail::ipow(1 - 1 / nodes, static_cast<std::int64_t>(top_k + 0.5));
  const double remote_nodes = (nodes - 1) * (1 - stay);
  const double rows = remote_nodes * gpus / (gpus - per_node);
  return rows < top_k ? rows : top_k;
}

/// The expert-TP degree of a training job (Megatron-Core expert_tensor_parallel_size): tp, its default,
/// when ep·tp divides the dp·tp·cp GPUs of a stage; otherwise that default cannot run, and the layout
/// holds only the largest divisor of tp that fits (dp 16, tp 2, ep 32: 1). docs/time.md §12.
[[nodiscard]] constexpr int expert_tp(const Job& w) noexcept {
  const std::int64_t tp = w.parallel.tp > 1 ? w.parallel.tp : 1, ep = w.parallel.ep > 1 ? w.parallel.ep : 1;
  const std::int64_t stage = (w.parallel.dp > 1 ? w.parallel.dp : 1) * tp * (w.parallel.cp > 1 ? w.parallel.cp : 1);
  for (std::int64_t e = tp; e > 1; --e)
    if (tp % e == 0 && stage % (ep * e) == 0) return static_cast<int>(e);
  return 1;
}

/// How the routed experts of a job are laid out over its GPUs (one pipeline stage).
struct ExpertLayout {
  double ep = 1;           ///< expert-parallel degree: the experts are split into ep groups
  double etp = 1;          ///< expert tensor parallelism: each expert's width is split etp ways
  double token_group = 1;  ///< ranks with distinct tokens whose tokens meet at the same experts (training: in
                           ///< units of the GPU's micro-batch, ep·etp/tp)
  double weight_share = 1; ///< share of all routed-expert weights one GPU holds (redundant replicas included)
  bool all_to_all = false; ///< tokens cross GPUs by dispatch/combine all-to-alls (else the TP all-reduce)
};

/// The expert layout of a job (dense models and single GPUs: everything 1).
/// - Inference (cases.md `parallel`): the MoE layers span the dp·tp GPUs of a stage, ep of them hold
///   different experts and expert-TP = dp·tp/ep; the dp ranks (attention data parallelism) each bring
///   their own tokens, which reach the experts through dispatch/combine all-to-alls; with dp = 1 the
///   tensor-parallel ranks share the tokens and the attention's all-reduce combines the experts' outputs.
/// - Training (Megatron-Core, the framework that runs expert parallelism here): expert-TP = expert_tp(w)
///   (expert_tensor_parallel_size: tp where the layout allows it), the ep ranks of an expert
///   group have their own tokens, which move by all-to-all. With tp > 1 Megatron runs MoE under
///   sequence parallelism, so each rank brings 1/tp of its micro-batch and an expert's rows gather
///   ep·etp such shares: token_group = ep·etp/tp in units of the GPU's micro-batch.
/// Redundant replicas (MoeTraits) add redundant/E to the expert weights each GPU holds.
[[nodiscard]] constexpr ExpertLayout expert_layout(const Job& w) noexcept {
  ExpertLayout l;
  if (w.model == nullptr || !w.model->is_moe()) return l;
  const auto at1 = [](int v) { return v > 1 ? static_cast<double>(v) : 1.0; };
  const double dp = at1(w.parallel.dp), tp = at1(w.parallel.tp), ep = at1(w.parallel.ep);
  const double experts = static_cast<double>(w.model->experts);
  const double redundant = ep > 1 ? moe_traits(w.runtime).redundant_experts : 0;
  l.ep = ep;
  if (w.task == Task::training) {
    l.etp = expert_tp(w);
    l.token_group = ep * l.etp / tp;
    l.all_to_all = ep > 1;
  } else {
    l.etp = dp * tp / ep >= 1 ? dp * tp / ep : 1;
    l.token_group = dp;
    l.all_to_all = dp > 1;
  }
  l.weight_share = (1 + (experts > 0 ? redundant / experts : 0)) / (l.ep * l.etp);
  return l;
}

}  // namespace headroom
