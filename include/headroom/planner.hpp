#pragma once
/// @file planner.hpp
/// "What should I rent?": enumerates GPU type × count × parallelism (dp/tp/pp, tp inside a node) ×
/// micro-batch × activation checkpointing × ZeRO stage for one job, keeps what fits (memory.hpp), times
/// it (scaling.hpp) and ranks by time, cost, tokens per dollar or throughput. Allocates; meant for a
/// scheduler loop. Task serving searches GPU type × count × tp/ep/dp × concurrency instead, answering
/// each point with evaluate() (the serving model), and keeps the points that fit and meet the SLO.
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
#include <optional>
#include <string>
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
};

struct Plan {
  std::vector<PlanOption> options;  ///< best first, at most `top`
  std::vector<std::string> skipped_unpriced;  ///< GPUs left out of a cost objective for lack of a price
  std::size_t considered = 0;  ///< configurations checked against the memory model
  std::size_t fitting = 0;     ///< of which fit (and were timed)
};

namespace detail {

/// Whether the planner can time a job on a GPU: a capacity and a rate at the job's compute precision.
[[nodiscard]] constexpr bool has_rates(const GpuSpec& g, Precision compute) noexcept {
  return g.memory.value() > 0 && g.peak_for(compute).value() > 0;
}

/// Every configuration of the search space on one GPU, in search order, before the memory check:
/// counts (powers of two up to max_gpus; one GPU without peer access), tp inside a node dividing
/// the heads, pp up to the layers (inference: only with tp filling a node), dp the rest (1 for
/// inference), ZeRO 0/1/3 (dp > 1, pp = 1),
/// micro-batches and checkpointing (training), grad_accum for the global tokens and the bubble.
inline std::vector<Job> enumerate_configurations(const PlanRequest& req, const GpuSpec* g) {
  std::vector<Job> out;
  const bool training = req.job.task == Task::training;
  const std::vector<std::int64_t> batches = training                        ? req.micro_batches
                                            : !req.inference_batches.empty() ? req.inference_batches
                                                                             : std::vector<std::int64_t>{req.job.batch};
  const std::vector<Checkpointing> ckpts =
      training ? std::vector<Checkpointing>{Checkpointing::none, Checkpointing::full} : std::vector<Checkpointing>{req.job.training.checkpointing};
  const std::vector<int> zeros = training ? std::vector<int>{0, 1, 3} : std::vector<int>{0};
  const int max_gpus = req.max_gpus > 0 ? req.max_gpus : 1;
  Job base = normalize(req.job);
  base.hardware.gpu = g;
  const int node = g->peer_access == PeerAccess::none ? 1 : 8;
  for (int n = 1; n <= max_gpus; n *= 2) {
    if (g->peer_access == PeerAccess::none && n > 1) break;
    for (int tp = 1; tp <= n && tp <= node; tp *= 2) {
      for (int pp = 1; tp * pp <= n; pp *= 2) {
        if (pp > 1 && pp > base.model->layers) break;
        const int dp = n / (tp * pp);
        if (!training && dp > 1) continue;  // inference: replicas do not change a request; scale them apart
        // Inference pipelines only across nodes: within a node tp splits the same weights and also
        // speeds a request up, where pp only adds stage handoffs (vLLM and TensorRT-LLM deploy so).
        if (!training && pp > 1 && tp < node) continue;
        if (tp > 1 && base.model->heads % tp != 0) continue;
        for (int zero : zeros) {
          if (zero > 0 && dp == 1) continue;
          if (zero > 0 && pp > 1) continue;  // ZeRO-2/3 with pipelines: not a common pairing
          for (std::int64_t b : batches) {
            for (Checkpointing ck : ckpts) {
              Job w = base;
              w.hardware.count = n;
              w.hardware.per_node = n < node ? n : node;
              w.parallel = Parallel{dp, tp, pp, 1, 1, zero};
              w.batch = b;
              w.question.batch_max = false;
              w.training.checkpointing = ck;
              if (training && req.global_tokens > 0) {
                const double per_mb = static_cast<double>(b * w.training.seq) * dp;
                const double m = std::max(1.0, std::round(req.global_tokens / per_mb));
                w.training.grad_accum = static_cast<std::int64_t>(m);
                if (pp > 1 && w.training.grad_accum < 2 * pp) w.training.grad_accum = 2 * pp;  // keep the bubble small
              } else if (training && pp > 1 && w.training.grad_accum < 2 * pp) {
                w.training.grad_accum = 2 * pp;
              }
              out.push_back(w);
            }
          }
        }
      }
    }
  }
  return out;
}

/// Times a configuration that fits and scores it under the objective (lower is better); false when
/// the time model has no answer for it.
inline bool score_configuration(const PlanRequest& req, PlanOption& o) {
  const bool training = req.job.task == Task::training;
  const int n = o.job.hardware.count;
  o.time = estimate_parallel(o.job);
  if (o.time.result.bound == Bound::none) return false;
  o.throughput = training ? o.time.result.train_tokens_per_s_per_gpu * n : o.time.result.decode_tokens_per_s;
  o.cost_per_hour = o.gpu->price_usd_per_hour * n;
  if (o.cost_per_hour > 0) o.tokens_per_dollar = o.throughput * 3600 / o.cost_per_hour;
  o.usd_per_mtok = usd_per_million_tokens(o.cost_per_hour, o.throughput);
  switch (req.objective) {
    case Objective::time:  // training: step throughput; inference: the request's latency
      o.score = training ? (o.throughput > 0 ? 1 / o.throughput : 1e300) : o.time.step_s;
      break;
    // Cost of a fixed amount of work: dollars per million tokens.
    case Objective::cost: o.score = o.tokens_per_dollar > 0 ? 1e6 / o.tokens_per_dollar : 1e300; break;
    case Objective::tokens_per_dollar: o.score = o.tokens_per_dollar > 0 ? -o.tokens_per_dollar : 1e300; break;
    case Objective::throughput: o.score = o.throughput > 0 ? -o.throughput : 1e300; break;
  }
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

/// The serving layouts of one GPU in search order: counts (powers of two up to max_gpus; one GPU
/// without peer access) × tp inside a node dividing the heads × ep (1, or for an MoE model every GPU
/// of the deployment), dp the rest, pp 1.
inline std::vector<Job> enumerate_serving_layouts(const PlanRequest& req, const GpuSpec* g) {
  std::vector<Job> out;
  const int max_gpus = req.max_gpus > 0 ? req.max_gpus : 1;
  Job base = normalize(req.job);
  base.hardware.gpu = g;
  base.question.solve = Solve::none;
  base.serving.request_rate.reset();
  const int node = g->peer_access == PeerAccess::none ? 1 : 8;
  for (int n = 1; n <= max_gpus; n *= 2) {
    if (g->peer_access == PeerAccess::none && n > 1) break;
    for (int tp = 1; tp <= n && tp <= node; tp *= 2) {
      if (tp > 1 && base.model->heads % tp != 0) continue;
      for (int ep : {1, n}) {
        if (ep > 1 && !base.model->is_moe()) continue;
        Job w = base;
        w.hardware.count = n;
        w.hardware.per_node = n < node ? n : node;
        w.parallel = Parallel{n / tp, tp, 1, 1, ep, 0};
        out.push_back(w);
        if (n == 1) break;  // ep 1 and ep n are the same layout
      }
    }
  }
  return out;
}

}  // namespace detail

/// The serving search with `answer(job)` as the serving model (evaluate() in plan(); a test can give its
/// own): for every layout of every usable GPU, the concurrencies in order, each answered; a point
/// counts when it fits and meets the job's SLO (if any), and the layout's best point under the
/// objective is its option. Ties keep the search order (GPU order of `req.gpus`, then count, tp, ep,
/// concurrency), so the result is deterministic.
template <class Answerer>
[[nodiscard]] Plan plan_serving(const PlanRequest& req, Answerer&& answer) {
  Plan out;
  std::vector<PlanOption> all;
  const bool needs_price = req.objective == Objective::cost || req.objective == Objective::tokens_per_dollar;
  std::vector<std::int64_t> loads = req.concurrencies;
  if (loads.empty()) loads.assign(serving_concurrency_ladder.begin(), serving_concurrency_ladder.end());
  const std::optional<ServingSlo> slo = req.job.serving.slo;
  for (const GpuSpec* g : req.gpus) {
    if (g == nullptr || !can_run(*g, normalize(req.job)) || !detail::has_rates(*g, req.job.compute)) continue;
    if (needs_price && g->price_usd_per_hour <= 0) {
      out.skipped_unpriced.emplace_back(g->id);
      continue;
    }
    for (Job w : detail::enumerate_serving_layouts(req, g)) {
      std::optional<PlanOption> best;
      bool fits = false;
      for (const std::int64_t c : loads) {
        w.serving.concurrency = c;
        ++out.considered;
        if (check(w).first_error() != nullptr) break;  // e.g. an ep the experts do not divide
        const Answer a = answer(w);
        if (!a.has_serving || (a.has_memory && !a.memory.fits) || !(a.serving.output_tokens_per_s > 0)) break;
        fits = true;
        if (slo && !meets(a.serving, *slo)) break;  // serving.hpp's rule; more load only adds latency
        PlanOption o;
        o.gpu = g;
        o.job = w;
        o.memory = a.memory;
        o.has_serving = true;
        o.serving = a.serving;
        o.throughput = a.serving.output_tokens_per_s;
        o.cost_per_hour = g->price_usd_per_hour * w.hardware.count;
        if (o.cost_per_hour > 0) o.tokens_per_dollar = o.throughput * 3600 / o.cost_per_hour;
        o.usd_per_mtok = usd_per_million_tokens(o.cost_per_hour, o.throughput);
        o.score = detail::serving_score(req.objective, o);
        if (!best || o.score < best->score) best = o;
      }
      if (fits) ++out.fitting;
      if (best) all.push_back(*best);
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const PlanOption& a, const PlanOption& b) { return a.score < b.score; });
  if (all.size() > req.top) all.resize(req.top);
  out.options = std::move(all);
  return out;
}

/// Searches the space and returns the best configurations under the objective: enumerate the
/// configurations of every usable GPU, keep those that fit (memory.hpp), time and score them. Task
/// serving: plan_serving with evaluate() as the serving model.
[[nodiscard]] inline Plan plan(const PlanRequest& req) {
  if (req.job.task == Task::serving) return plan_serving(req, [](const Job& w) { return evaluate(w); });
  Plan out;
  std::vector<PlanOption> all;
  const bool needs_price = req.objective == Objective::cost || req.objective == Objective::tokens_per_dollar;
  for (const GpuSpec* g : req.gpus) {
    if (g == nullptr || !can_run(*g, normalize(req.job)) || !detail::has_rates(*g, req.job.compute)) continue;
    if (needs_price && g->price_usd_per_hour <= 0) {
      out.skipped_unpriced.emplace_back(g->id);
      continue;
    }
    for (const Job& w : detail::enumerate_configurations(req, g)) {
      ++out.considered;
      if (check(w).first_error() != nullptr) continue;  // e.g. a tp that does not divide the heads
      const MemoryResult mem = estimate_memory(w);
      if (!mem.fits) continue;
      ++out.fitting;
      PlanOption o;
      o.gpu = g;
      o.job = w;
      o.memory = mem;
      if (detail::score_configuration(req, o)) all.push_back(o);
    }
  }
  std::sort(all.begin(), all.end(), [](const PlanOption& a, const PlanOption& b) {
    if (a.score != b.score) return a.score < b.score;
    return a.job.hardware.count < b.job.hardware.count;
  });
  if (all.size() > req.top) all.resize(req.top);
  out.options = std::move(all);
  return out;
}

}  // namespace headroom
