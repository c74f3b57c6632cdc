#pragma once
/// @file planner.hpp
/// "What should I rent?": enumerates GPU type × count × parallelism (dp/tp/pp, tp inside a node) ×
/// micro-batch × activation checkpointing × ZeRO stage for one job, keeps what fits (memory.hpp), times
/// it (scaling.hpp) and ranks by time, cost, tokens per dollar or throughput. Task serving searches GPU
/// type × count × tp/ep/dp × concurrency instead, answering each point with the serving model (each
/// layout's deployment prepared once, serving.hpp), and keeps the points that fit and meet the SLO.
///
/// The search gives the answer of the plain one (every configuration checked, sized, timed, sorted;
/// tests/unit/planner_test.cpp compares the two) at a fraction of its cost (docs/performance.md): it keeps
/// only the best `top` options; mutates one job; sizes a training configuration once for all GPUs (its
/// memory depends on the GPU only through the capacity) and checks a layout once for its micro-batches;
/// skips the micro-batches above one that did not fit (memory grows with the micro-batch); times a
/// training shard once for all dp and ZeRO stages; and skips timing a configuration whose lower bound
/// (its GEMM FLOPs at the GPU's best GEMM rate) cannot beat the current last of the top. Ties keep a
/// stated order: score, then fewer GPUs (not for serving), then search order (the order of `gpus`, then
/// count, tp, pp, ZeRO stage, micro-batch, checkpointing; serving: count, tp, ep).
///
/// @code
/// headroom::PlanRequest req;
/// req.job = my_job;                      // model, task, method, seq, ... (gpu and parallel are set here)
/// req.gpus = {&catalog.gpu("rtx-4090"), &catalog.gpu("a100-sxm4-80gb")};
/// req.objective = headroom::Objective::cost;
/// const headroom::Plan plan = headroom::plan(req);
/// @endcode

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "headroom/checks.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/gpu.hpp"
#include "headroom/job.hpp"
#include "headroom/memory.hpp"
#include "headroom/names.hpp"  // Objective
#include "headroom/result.hpp"
#include "headroom/scaling.hpp"

namespace headroom {

/// The load points the serving planner tries, and `headroom serve`'s default: 1, 2, 4, ..., 256
/// closed-loop clients (docs/cli.md "headroom serve").
inline constexpr std::array<std::int64_t, 9> serving_concurrency_ladder{1, 2, 4, 8, 16, 32, 64, 128, 256};

/// The runtime `plan` (inference and serving) and `serve` assume when none is given: a serving engine
/// with continuous batching and CUDA graphs, not eager PyTorch at batch 1.
inline constexpr Runtime serving_default_runtime = Runtime::vllm;

/// US dollars per million tokens for a deployment costing `usd_per_hour` that makes `tokens_per_s`
/// (0 without a rate): usd_per_hour / (tokens_per_s · 3600) · 1e6.
[[nodiscard]] constexpr double usd_per_million_tokens(double usd_per_hour, double tokens_per_s) noexcept {
  return tokens_per_s > 0 && usd_per_hour > 0 ? usd_per_hour / (tokens_per_s * 3600) * 1e6 : 0;
}

struct PlanRequest {
  Job job{};                      ///< the job; gpu, gpus, parallel, batch, checkpointing and zero are searched
  std::vector<const GpuSpec*> gpus{};  ///< candidates (e.g. the whole catalog)
  int max_gpus = 64;
  Objective objective = Objective::time;
  std::vector<std::int64_t> micro_batches{1, 2, 4, 8, 16};  ///< training micro-batches
  /// Inference: the batches (concurrent sequences) to try; empty = the job's batch alone.
  std::vector<std::int64_t> inference_batches{};
  /// Serving: the concurrencies to try, ascending; empty = serving_concurrency_ladder. With an SLO the
  /// search of a layout stops at the first concurrency that breaks it (latency grows with load).
  std::vector<std::int64_t> concurrencies{};
  /// Training: tokens per optimizer step across all GPUs; grad_accum is chosen to reach it (0: keep
  /// job.training.grad_accum and job.batch × dp).
  double global_tokens = 0;
  std::size_t top = 10;
  /// The configurations the caller wants (e.g. the CLI's --gpus, --parallel and --gc); empty keeps all.
  /// Only kept ones are ranked; `considered` and `fitting` still count the whole search space.
  std::function<bool(const Job&)> keep{};
};

struct PlanOption {
  const GpuSpec* gpu = nullptr;
  Job job{};  ///< the configuration, ready for evaluate()
  MemoryResult memory{};
  ParallelEstimate time{};
  double throughput = 0;          ///< training: tokens/s over all GPUs; inference: decode tokens/s; serving: output tokens/s
  double cost_per_hour = 0;       ///< gpus × price (0: no price)
  double tokens_per_dollar = 0;   ///< 0: no price
  double score = 0;               ///< lower is better under the objective
  bool has_serving = false;       ///< serving: `serving` is the answer at job.serving.concurrency
  ServingResult serving{};
  double usd_per_mtok = 0;        ///< cost per million (output) tokens; 0: no price
  std::uint64_t order = 0;        ///< position in the search order (the last tie-break)
};

struct Plan {
  std::vector<PlanOption> options;  ///< best first, at most `top`
  std::vector<std::string> skipped_unpriced;  ///< GPUs left out of a cost objective for lack of a price
  std::size_t considered = 0;  ///< configurations checked against the memory model
  std::size_t fitting = 0;     ///< of which fit
  std::size_t ranked = 0;      ///< of which `keep` kept and the time model answered (options before the cut to `top`)
};

namespace detail {

/// Whether the planner can time a job on a GPU: a capacity and a rate at the job's compute precision.
[[nodiscard]] constexpr bool has_rates(const GpuSpec& g, Precision compute) noexcept {
  return g.memory.value() > 0 && g.peak_for(compute).value() > 0;
}

/// The score of a training or inference option under the objective (lower is better): time = the
/// inverse throughput (training) or the request's latency `step_s` (inference); cost = dollars per
/// million tokens; tokens per dollar and throughput = their negatives.
[[nodiscard]] constexpr double option_score(Objective objective, bool training, double throughput,
                                            double tokens_per_dollar, double step_s) noexcept {
  switch (objective) {
    case Objective::time: return training ? (throughput > 0 ? 1 / throughput : 1e300) : step_s;
    case Objective::cost: return tokens_per_dollar > 0 ? 1e6 / tokens_per_dollar : 1e300;
    case Objective::tokens_per_dollar: return tokens_per_dollar > 0 ? -tokens_per_dollar : 1e300;
    case Objective::throughput: return throughput > 0 ? -throughput : 1e300;
  }
  return 1e300;
}

/// Whether the objective ranks by price (GPUs without one cannot be ranked).
[[nodiscard]] constexpr bool needs_price(Objective objective) noexcept {
  return objective == Objective::cost || objective == Objective::tokens_per_dollar;
}

/// The price figures of an option at `throughput` tokens/s on `n` GPUs of `g`.
constexpr void price_option(PlanOption& o, const GpuSpec& g, int n, double throughput) noexcept {
  o.throughput = throughput;
  o.cost_per_hour = g.price_usd_per_hour * n;
  o.tokens_per_dollar = o.cost_per_hour > 0 ? o.throughput * 3600 / o.cost_per_hour : 0;
  o.usd_per_mtok = usd_per_million_tokens(o.cost_per_hour, o.throughput);
}

/// Throughput, cost and score of an option whose time is set.
inline void score_option(const PlanRequest& req, PlanOption& o) {
  const bool training = req.job.task == Task::training;
  const int n = o.job.hardware.count;
  price_option(o, *o.gpu, n, training ? o.time.result.train_tokens_per_s_per_gpu * n : o.time.result.decode_tokens_per_s);
  o.score = option_score(req.objective, training, o.throughput, o.tokens_per_dollar, o.time.step_s);
}

/// Times a configuration that fits and scores it under the objective (lower is better); false when
/// the time model has no answer for it.
inline bool score_configuration(const PlanRequest& req, PlanOption& o) {
  o.time = estimate_parallel(o.job);
  if (o.time.result.bound == Bound::none) return false;
  score_option(req, o);
  return true;
}

/// The score of a serving point under the objective (lower is better): time = mean end-to-end
/// latency, cost = $ per million output tokens, tokens-per-dollar and throughput = their negatives.
[[nodiscard]] constexpr double serving_score(Objective objective, const PlanOption& o) noexcept {
  switch (objective) {
    case Objective::time: return o.serving.e2e_s > 0 ? o.serving.e2e_s : 1e300;
    case Objective::cost: return o.usd_per_mtok > 0 ? o.usd_per_mtok : 1e300;
    case Objective::tokens_per_dollar: return o.tokens_per_dollar > 0 ? -o.tokens_per_dollar : 1e300;
    case Objective::throughput: return o.throughput > 0 ? -o.throughput : 1e300;
  }
  return 1e300;
}

/// The best `top` options seen so far, best first: by score, then (unless serving) fewer GPUs, then
/// search order. A sorted vector of at most `top` + 1 elements: inserting moves a few options, and
/// nothing else is stored.
class TopOptions {
 public:
  TopOptions(std::size_t top, bool gpus_break_ties) : top_(top), gpus_break_ties_(gpus_break_ties) {
    kept_.reserve(top < 32 ? top + 1 : 33);
  }
  [[nodiscard]] bool full() const noexcept { return kept_.size() >= top_; }
  /// The score an option must reach to be kept once the list is full.
  [[nodiscard]] double last_score() const noexcept { return kept_.empty() ? 1e300 : kept_.back().score; }
  /// Whether an option of `score` on `gpus` GPUs at search position `order` would be kept.
  [[nodiscard]] bool admits(double score, int gpus, std::uint64_t order) const noexcept {
    return top_ > 0 && (!full() || before(score, gpus, order, kept_.back()));
  }
  void insert(const PlanOption& o) {
    if (!admits(o.score, o.job.hardware.count, o.order)) return;
    const auto at = std::find_if(kept_.begin(), kept_.end(), [&](const PlanOption& k) {
      return before(o.score, o.job.hardware.count, o.order, k);
    });
    kept_.insert(at, o);
    if (kept_.size() > top_) kept_.pop_back();
  }
  [[nodiscard]] std::vector<PlanOption> take() noexcept { return std::move(kept_); }

 private:
  [[nodiscard]] bool before(double score, int gpus, std::uint64_t order, const PlanOption& k) const noexcept {
    if (score != k.score) return score < k.score;
    if (gpus_break_ties_ && gpus != k.job.hardware.count) return gpus < k.job.hardware.count;
    return order < k.order;
  }
  std::size_t top_;
  bool gpus_break_ties_;
  std::vector<PlanOption> kept_;
};

/// The GPUs of a request in the order the search visits them: priced ones first for a cost
/// objective, then by the dense rate at the job's precision (per dollar for a cost objective), so
/// that the top fills with good options early and the bound skips more. The order changes only the
/// speed: ties are broken by the position in `gpus`.
inline std::vector<std::size_t> visit_order(const PlanRequest& req) {
  std::vector<std::size_t> idx(req.gpus.size());
  for (std::size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  const bool per_dollar = needs_price(req.objective);
  const auto merit = [&](std::size_t i) {
    const GpuSpec* g = req.gpus[i];
    if (g == nullptr) return 0.0;
    const double rate = g->peak_for(req.job.compute).value();
    return per_dollar ? (g->price_usd_per_hour > 0 ? rate / g->price_usd_per_hour : 0.0) : rate;
  };
  std::stable_sort(idx.begin(), idx.end(), [&](std::size_t a, std::size_t b) { return merit(a) > merit(b); });
  return idx;
}

/// GEMM FLOPs of a training shard's step by precision (linear, LoRA and output-head products that run
/// as GEMMs, with what checkpointing recomputes, as OperatorTimer counts them): the work that bounds
/// the shard's time from below on any GPU (gemm_lower_bound).
struct GemmFlops {
  std::array<double, names::count<Precision>> by_precision{};
  Checkpointing recompute = Checkpointing::none;

  constexpr void operator()(const Operator& op) noexcept {
    if (op.kind != OpKind::linear && op.kind != OpKind::lm_head && op.kind != OpKind::lora) return;
    if (op.small_m()) return;  // a GEMV: timed on the vector units
    const double f = op.flops.value() * op.count;
    by_precision[static_cast<std::size_t>(op.precision)] += f;
    if (recompute == Checkpointing::full && op.pass == Pass::forward && op.in_layer)
      by_precision[static_cast<std::size_t>(op.precision)] += f;
  }
};

/// The GEMM FLOPs of the shard of normalized training job `w` (any GPU).
[[nodiscard]] constexpr GemmFlops shard_gemm_flops(const Job& w) noexcept {
  const ModelArch shard = training_shard_model(w);
  const Job ws = normalize(training_shard_job(w, shard));
  StepShape s;  // estimate_time_on's training step
  s.seqs = static_cast<double>(ws.batch > 0 ? ws.batch : 1);
  s.tokens = static_cast<double>(ws.training.seq > 0 ? ws.training.seq : 1);
  s.inference = false;
  s.logits_all = true;
  s.repeat = static_cast<double>(ws.training.grad_accum > 0 ? ws.training.grad_accum : 1);
  s.moe = training_placement(w);
  GemmFlops g;
  g.recompute = ws.training.checkpointing;
  emit_operators(ws, s, true, false, g);
  return g;
}

/// A lower bound of the shard's compute time on a GPU: every GEMM takes at least work / (rate · η_max)
/// (roofline.hpp: gemm_time's shape factor is >= 1 when the half-constants are >= 0), every other
/// operator at least nothing; 0 when the bound does not hold (a negative half-constant).
[[nodiscard]] constexpr double gemm_lower_bound(const GemmFlops& g, const RatedGpu& dev,
                                                const RuntimeEfficiency& rt) noexcept {
  const GemmEfficiency& e = dev.eff->gemm;
  if (e.m_half < 0 || e.n_half < 0 || e.k_half < 0) return 0;
  double t = 0;
  for (int i = 0; i < names::count<Precision>; ++i) {
    const double f = g.by_precision[static_cast<std::size_t>(i)];
    if (f <= 0) continue;
    const auto p = static_cast<Precision>(i);
    const FlopRate peak = rt.half_accumulate(p) ? dev.peak_fp16_accumulate() : dev.peak(p);
    const double den = (peak * rt.gemm_scale).value() * e.eta_max[static_cast<std::size_t>(i)];
    if (den > 0) t += f / den;
  }
  return t;
}

/// What the training search remembers between GPUs and between dp/ZeRO stages, indexed by the
/// configuration's position in a GPU's search (device bytes: the same for every GPU) or by its shard
/// (tp, pp, micro-batch, checkpointing; grad_accum is stored and compared).
struct TrainingMemo {
  static constexpr std::size_t tp_slots = 4;  // tp 1..8 inside a node
  std::size_t pp_slots = 1;                   // pp 1..2^(pp_slots-1)
  std::size_t batches = 0;
  struct Sized {
    int per_node = -1;  ///< -1: not sized yet
    Bytes device{};
  };
  std::vector<Sized> device;  ///< by position in a GPU's search
  struct Shard {
    std::int64_t grad_accum = -1;  ///< -1: not computed
    GemmFlops flops{};
  };
  std::vector<Shard> flops;  ///< by shard
  struct Timed {
    std::size_t gpu = static_cast<std::size_t>(-1);  ///< the GPU (its position in `gpus`) it was timed on
    std::int64_t grad_accum = -1;
    TimeEstimate time{};
  };
  std::vector<Timed> times;  ///< by shard, for the current GPU

  TrainingMemo(int max_gpus, std::size_t n_batches) : batches(n_batches) {
    while ((1 << (pp_slots - 1)) < max_gpus && pp_slots < 31) ++pp_slots;
    flops.resize(tp_slots * pp_slots * n_batches * 2);
    times.resize(flops.size());
  }

  [[nodiscard]] std::size_t shard_slot(int tp, int pp, std::size_t b, std::size_t ck) const noexcept {
    const auto log2 = [](int v) {
      std::size_t l = 0;
      while (v > 1) v >>= 1, ++l;
      return l;
    };
    return ((log2(tp) * pp_slots + log2(pp)) * batches + b) * 2 + ck;
  }
};

/// The training and inference search (plan() without serving).
inline Plan plan_configurations(const PlanRequest& req) {
  Plan out;
  const bool training = req.job.task == Task::training;
  const bool priced_only = detail::needs_price(req.objective);
  const Job job = normalize(req.job);
  const std::vector<std::int64_t> batches = training                        ? req.micro_batches
                                            : !req.inference_batches.empty() ? req.inference_batches
                                                                             : std::vector<std::int64_t>{req.job.batch};
  const std::array<Checkpointing, 2> ckpt_list{training ? Checkpointing::none : req.job.training.checkpointing,
                                               Checkpointing::full};
  const std::size_t n_ckpts = training ? 2 : 1;
  const std::array<int, 3> zero_list{0, 1, 3};
  const std::size_t n_zeros = training ? 3 : 1;
  const int max_gpus = req.max_gpus > 0 ? req.max_gpus : 1;
  // Only GPUs that take part; those a cost objective cannot price are listed in `gpus` order.
  std::vector<bool> usable(req.gpus.size(), false);
  for (std::size_t i = 0; i < req.gpus.size(); ++i) {
    const GpuSpec* g = req.gpus[i];
    if (g == nullptr || !can_run(*g, job) || !has_rates(*g, req.job.compute)) continue;
    if (priced_only && g->price_usd_per_hour <= 0) {
      out.skipped_unpriced.emplace_back(g->id);
      continue;
    }
    usable[i] = true;
  }
  TopOptions top(req.top, true);
  TrainingMemo memo(training ? max_gpus : 1, training ? batches.size() : 0);
  PlanOption o;  // the configuration being timed
  Job w = job;
  w.question.batch_max = false;
  std::vector<std::int64_t> failed(n_ckpts);  // smallest micro-batch that did not fit, per checkpointing
  for (const std::size_t gi : visit_order(req)) {
    if (!usable[gi]) continue;
    const GpuSpec* g = req.gpus[gi];
    w.hardware.gpu = g;
    const RatedGpu dev = rated_gpu(w, builtin_efficiency);
    const RuntimeEfficiency rt = rated_runtime(w, builtin_efficiency);
    const bool answers = dev.peak(w.compute).value() > 0 && dev.memory_bandwidth().value() > 0;
    const int node = g->peer_access == PeerAccess::none ? 1 : 8;
    std::size_t position = 0;  // in this GPU's search
    for (int n = 1; n <= max_gpus; n *= 2) {
      if (g->peer_access == PeerAccess::none && n > 1) break;
      for (int tp = 1; tp <= n && tp <= node; tp *= 2) {
        for (int pp = 1; tp * pp <= n; pp *= 2) {
          if (pp > 1 && pp > job.model->layers) break;
          const int dp = n / (tp * pp);
          if (!training && dp > 1) continue;  // inference: replicas do not change a request; scale them apart
          // Inference pipelines only across nodes: within a node tp splits the same weights and also
          // speeds a request up, where pp only adds stage handoffs (vLLM and TensorRT-LLM deploy so).
          if (!training && pp > 1 && tp < node) continue;
          if (tp > 1 && job.model->heads % tp != 0) continue;
          w.hardware.count = n;
          w.hardware.per_node = n < node ? n : node;
          // check() reads the GPU, tp, pp, ep and the context, none of which the inner loops change.
          w.parallel = Parallel{dp, tp, pp, 1, 1, 0};
          const bool valid = check(w).first_error() == nullptr;
          for (std::size_t zi = 0; zi < n_zeros; ++zi) {
            const int zero = zero_list[zi];
            if (zero > 0 && dp == 1) continue;
            if (zero > 0 && pp > 1) continue;  // ZeRO-2/3 with pipelines: not a common pairing
            w.parallel = Parallel{dp, tp, pp, 1, 1, zero};
            std::fill(failed.begin(), failed.end(), std::numeric_limits<std::int64_t>::max());
            for (std::size_t bi = 0; bi < batches.size(); ++bi) {
              const std::int64_t b = batches[bi];
              for (std::size_t ci = 0; ci < n_ckpts; ++ci) {
                ++out.considered;
                const std::size_t at = position++;
                if (!valid) continue;  // e.g. a tp that does not divide the heads
                if (b >= failed[ci]) continue;  // a larger micro-batch than one that did not fit
                w.batch = b;
                w.training.checkpointing = ckpt_list[ci];
                w.training.grad_accum = job.training.grad_accum;
                if (training && req.global_tokens > 0) {
                  const double per_mb = static_cast<double>(b * w.training.seq) * dp;
                  const double m = std::max(1.0, std::round(req.global_tokens / per_mb));
                  w.training.grad_accum = static_cast<std::int64_t>(m);
                  if (pp > 1 && w.training.grad_accum < 2 * pp) w.training.grad_accum = 2 * pp;  // keep the bubble small
                } else if (training && pp > 1 && w.training.grad_accum < 2 * pp) {
                  w.training.grad_accum = 2 * pp;
                }
                bool fits = false;
                MemoryResult mem{};
                if (training) {
                  if (memo.device.size() <= at) memo.device.resize(at + 1);
                  TrainingMemo::Sized& d = memo.device[at];
                  if (d.per_node != w.hardware.per_node) {
                    mem = estimate_memory(w);
                    d.per_node = w.hardware.per_node;
                    d.device = mem.device;
                  }
                  fits = training_fits(w, d.device);
                } else {
                  mem = estimate_memory(w);
                  fits = mem.fits;
                }
                if (!fits) {
                  failed[ci] = std::min(failed[ci], b);
                  continue;
                }
                ++out.fitting;
                if (req.keep && !req.keep(w)) continue;
                if (!answers) continue;
                // 64 bits also where size_t has 32 (WebAssembly): the GPU's index above, the position below.
                const std::uint64_t order = (static_cast<std::uint64_t>(gi) << 32) | at;
                if (training) {
                  const std::size_t slot = memo.shard_slot(tp, pp, bi, ci);
                  if (top.full()) {  // can this configuration beat the last kept one at all?
                    TrainingMemo::Shard& sh = memo.flops[slot];
                    if (sh.grad_accum != w.training.grad_accum) {
                      sh.flops = shard_gemm_flops(w);
                      sh.grad_accum = w.training.grad_accum;
                    }
                    // step >= the shard's compute (scaling.hpp: every other term adds); a relative margin
                    // covers the different order of the sums.
                    const double step = gemm_lower_bound(sh.flops, dev, rt) * (1 - 1e-9);
                    if (step > 0) {
                      const double m = static_cast<double>(w.training.grad_accum > 0 ? w.training.grad_accum : 1);
                      const double thr = static_cast<double>(b) * static_cast<double>(w.training.seq) * m /
                                         (tp * pp) / step * n;
                      const double cost = g->price_usd_per_hour * n;
                      const double best = option_score(req.objective, true, thr, cost > 0 ? thr * 3600 / cost : 0, 0);
                      if (best > top.last_score()) {
                        ++out.ranked;  // it has an answer (the GPU has the rates), just not a good one
                        continue;
                      }
                    }
                  }
                  TrainingMemo::Timed& t = memo.times[slot];
                  if (t.gpu != gi || t.grad_accum != w.training.grad_accum) {
                    t.time = training_shard_time(w, builtin_efficiency);
                    t.gpu = gi;
                    t.grad_accum = w.training.grad_accum;
                  }
                  o.time = estimate_parallel_training(w, t.time);
                } else {
                  o.time = estimate_parallel(w);
                }
                if (o.time.result.bound == Bound::none) continue;
                ++out.ranked;
                o.gpu = g;
                o.job = w;
                score_option(req, o);
                if (!top.admits(o.score, n, order)) continue;
                o.memory = training ? estimate_memory(w) : mem;
                o.order = order;
                top.insert(o);
              }
            }
          }
        }
      }
    }
  }
  out.options = top.take();
  return out;
}

/// The serving layouts of one GPU in search order: counts (powers of two up to max_gpus; one GPU
/// without peer access) × tp inside a node dividing the heads × ep (1, or for an MoE model every GPU
/// of the deployment), dp the rest, pp 1. `f(w)` gets each layout in `w`, mutated in place.
template <class F>
void for_each_serving_layout(const PlanRequest& req, Job& w, const GpuSpec* g, F&& f) {
  const int max_gpus = req.max_gpus > 0 ? req.max_gpus : 1;
  const int node = g->peer_access == PeerAccess::none ? 1 : 8;
  for (int n = 1; n <= max_gpus; n *= 2) {
    if (g->peer_access == PeerAccess::none && n > 1) break;
    for (int tp = 1; tp <= n && tp <= node; tp *= 2) {
      if (tp > 1 && w.model->heads % tp != 0) continue;
      for (int ep : {1, n}) {
        if (ep > 1 && !w.model->is_moe()) continue;
        w.hardware.count = n;
        w.hardware.per_node = n < node ? n : node;
        w.parallel = Parallel{n / tp, tp, 1, 1, ep, 0};
        f(w);
        if (n == 1) break;  // ep 1 and ep n are the same layout
      }
    }
  }
}

}  // namespace detail

/// The serving search with `answer(job)` as the serving model (plan(): serve_closed on each layout's
/// prepared deployment, as evaluate() answers; a test can give its own): for every layout of every usable GPU, the concurrencies in order, each answered; a point
/// counts when it fits and meets the job's SLO (if any), and the layout's best point under the
/// objective is its option. Ties keep the search order (GPU order of `req.gpus`, then count, tp, ep,
/// concurrency), so the result is deterministic.
template <class Answerer>
[[nodiscard]] Plan plan_serving(const PlanRequest& req, Answerer&& answer) {
  Plan out;
  detail::TopOptions top(req.top, false);
  const bool priced_only = detail::needs_price(req.objective);
  std::vector<std::int64_t> loads = req.concurrencies;
  if (loads.empty()) loads.assign(serving_concurrency_ladder.begin(), serving_concurrency_ladder.end());
  const std::optional<ServingSlo> slo = req.job.serving.slo;
  const Job normalized = normalize(req.job);
  Job w = normalized;
  w.question.solve = Solve::none;
  w.serving.request_rate.reset();
  PlanOption o;  // the point being scored
  std::optional<PlanOption> best;
  std::uint64_t order = 0;
  for (const GpuSpec* g : req.gpus) {
    if (g == nullptr || !can_run(*g, normalized) || !detail::has_rates(*g, req.job.compute)) continue;
    if (priced_only && g->price_usd_per_hour <= 0) {
      out.skipped_unpriced.emplace_back(g->id);
      continue;
    }
    w.hardware.gpu = g;
    detail::for_each_serving_layout(req, w, g, [&](Job& layout) {
      ++order;
      best.reset();
      bool fits = false;
      // check() does not read the concurrency: an error (e.g. an ep the experts do not divide) ends the
      // layout at its first load point.
      const bool valid = check(layout).first_error() == nullptr;
      for (const std::int64_t c : loads) {
        layout.serving.concurrency = c;
        ++out.considered;
        if (!valid) break;
        const Answer a = answer(layout);
        if (!a.has_serving || (a.has_memory && !a.memory.fits) || !(a.serving.output_tokens_per_s > 0)) break;
        fits = true;
        if (slo && !meets(a.serving, *slo)) break;  // serving.hpp's rule; more load only adds latency
        detail::price_option(o, *g, layout.hardware.count, a.serving.output_tokens_per_s);
        o.serving = a.serving;
        o.score = detail::serving_score(req.objective, o);
        if (best && !(o.score < best->score)) continue;
        o.gpu = g;
        o.job = layout;
        o.memory = a.memory;
        o.has_serving = true;
        o.order = order;
        best = o;
      }
      if (fits) ++out.fitting;
      if (best && (!req.keep || req.keep(best->job))) {
        ++out.ranked;
        top.insert(*best);
      }
    });
  }
  out.options = top.take();
  return out;
}

/// Searches the space and returns the best configurations under the objective: enumerate the
/// configurations of every usable GPU, keep those that fit (memory.hpp), time and score them. Task
/// serving: plan_serving with the serving model's answer (serving_answer's, without bands).
[[nodiscard]] inline Plan plan(const PlanRequest& req) {
  // The serving answer without its bands, which ranking does not read. A layout's load points differ
  // only in concurrency, so its deployment (pool, admission, prefill costs) is prepared once: the
  // answers equal serving_answer's.
  if (req.job.task == Task::serving) {
    ServingDeployment d;
    std::optional<std::pair<Hardware, Parallel>> layout;  // the layout `d` was prepared for
    return plan_serving(req, [&](const Job& w) {
      if (!layout || layout->first != w.hardware || layout->second != w.parallel) {
        d = prepare_serving(w, builtin_efficiency);
        layout.emplace(w.hardware, w.parallel);
      }
      if (!d.ready) return detail::serving_parts(d.job, d.base);
      return detail::serving_parts(d.job, serve_closed(d, builtin_efficiency, static_cast<double>(w.serving.concurrency)));
    });
  }
  return detail::plan_configurations(req);
}

}  // namespace headroom
