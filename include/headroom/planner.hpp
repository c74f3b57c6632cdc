#pragma once
/// @file planner.hpp
/// "What should I rent?": enumerates GPU type × count × parallelism (dp/tp/pp, tp inside a node) ×
/// micro-batch × activation checkpointing × ZeRO stage for one job, keeps what fits (memory.hpp), times
/// it (scaling.hpp) and ranks by time, cost or tokens per dollar. Allocates; meant for a scheduler loop.
///
/// @code
/// headroom::PlanRequest req;
/// req.job = my_workload;                 // model, task, method, seq, ... (gpu and parallel are set here)
/// req.gpus = {&catalog.gpu("rtx-4090"), &catalog.gpu("a100-sxm4-80gb")};
/// req.objective = headroom::Objective::cost;
/// const headroom::Plan plan = headroom::plan(req);
/// @endcode

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "headroom/gpu.hpp"
#include "headroom/memory.hpp"
#include "headroom/names.hpp"  // Objective
#include "headroom/scaling.hpp"
#include "headroom/workload.hpp"

namespace headroom {

struct PlanRequest {
  Workload job{};                      ///< the job; gpu, gpus, parallel, batch, checkpointing and zero are searched
  std::vector<const GpuSpec*> gpus{};  ///< candidates (e.g. the whole catalog)
  int max_gpus = 64;
  Objective objective = Objective::time;
  std::vector<std::int64_t> micro_batches{1, 2, 4, 8, 16};  ///< training micro-batches (inference: batch fixed)
  /// Training: tokens per optimizer step across all GPUs; grad_accum is chosen to reach it (0: keep
  /// job.grad_accum and job.batch × dp).
  double global_tokens = 0;
  std::size_t top = 10;
};

struct PlanOption {
  const GpuSpec* gpu = nullptr;
  Workload workload{};  ///< the configuration, ready for evaluate()
  MemoryResult memory{};
  ParallelEstimate time{};
  double throughput = 0;          ///< training: tokens/s over all GPUs; inference: decode tokens/s
  double cost_per_hour = 0;       ///< gpus × price (0: no price)
  double tokens_per_dollar = 0;   ///< 0: no price
  double score = 0;               ///< lower is better under the objective
};

struct Plan {
  std::vector<PlanOption> options;  ///< best first, at most `top`
  std::vector<std::string> skipped_unpriced;  ///< GPUs left out of a cost objective for lack of a price
  std::size_t considered = 0;  ///< configurations checked against the memory model
  std::size_t fitting = 0;     ///< of which fit (and were timed)
};

namespace detail {

[[nodiscard]] inline bool usable_for(const GpuSpec& g, const Workload& job) noexcept {
  if (g.memory.value() <= 0 || g.peak_for(job.compute).value() <= 0) return false;
  if (job.runtime == Runtime::tensorrt_llm && g.vendor != "NVIDIA") return false;
  return true;
}

/// Degrees that divide n (powers of two up to `cap`).
inline void powers_of_two(int cap, std::vector<int>& out) {
  out.clear();
  for (int v = 1; v <= cap; v *= 2) out.push_back(v);
}

}  // namespace detail

/// Searches the space and returns the best configurations under the objective.
[[nodiscard]] inline Plan plan(const PlanRequest& req) {
  Plan out;
  std::vector<PlanOption> all;
  const bool training = req.job.task == Task::training;
  const bool needs_price = req.objective != Objective::time;
  std::vector<int> counts, degrees;
  detail::powers_of_two(req.max_gpus > 0 ? req.max_gpus : 1, counts);
  const std::vector<std::int64_t> batches = training ? req.micro_batches : std::vector<std::int64_t>{req.job.batch};
  const std::vector<Checkpointing> ckpts =
      training ? std::vector<Checkpointing>{Checkpointing::none, Checkpointing::full} : std::vector<Checkpointing>{req.job.checkpointing};
  const std::vector<int> zeros = training ? std::vector<int>{0, 1, 3} : std::vector<int>{0};

  for (const GpuSpec* g : req.gpus) {
    if (g == nullptr || !detail::usable_for(*g, req.job)) continue;
    if (needs_price && g->price_usd_per_hour <= 0) {
      out.skipped_unpriced.emplace_back(g->id);
      continue;
    }
    Workload base = req.job;
    base.gpu = *g;
    const int node = g->peer_access == PeerAccess::none ? 1 : 8;
    for (int n : counts) {
      if (g->peer_access == PeerAccess::none && n > 1) break;
      for (int tp = 1; tp <= n && tp <= node; tp *= 2) {
        for (int pp = 1; tp * pp <= n; pp *= 2) {
          if (pp > 1 && pp > base.model.layers) break;
          const int dp = n / (tp * pp);
          if (!training && dp > 1) continue;  // inference: replicas do not change a request; scale them apart
          if (tp > 1 && base.model.heads % tp != 0) continue;
          for (int zero : zeros) {
            if (zero > 0 && dp == 1) continue;
            if (zero > 0 && pp > 1) continue;  // ZeRO-2/3 with pipelines: not a common pairing
            for (std::int64_t b : batches) {
              for (Checkpointing ck : ckpts) {
                Workload w = base;
                w.gpus = n;
                w.gpus_per_node = n < node ? n : node;
                w.parallel = Parallel{dp, tp, pp, 1, 1, zero};
                w.batch = b;
                w.batch_max = false;
                w.checkpointing = ck;
                if (training && req.global_tokens > 0) {
                  const double per_mb = static_cast<double>(b * w.seq) * dp;
                  const double m = std::max(1.0, std::round(req.global_tokens / per_mb));
                  w.grad_accum = static_cast<std::int64_t>(m);
                  if (pp > 1 && w.grad_accum < 2 * pp) w.grad_accum = 2 * pp;  // keep the bubble small
                } else if (training && pp > 1 && w.grad_accum < 2 * pp) {
                  w.grad_accum = 2 * pp;
                }
                ++out.considered;
                const MemoryResult mem = estimate_memory(w);
                if (!mem.fits) continue;
                ++out.fitting;
                PlanOption o;
                o.gpu = g;
                o.workload = w;
                o.memory = mem;
                o.time = estimate_parallel(w);
                if (o.time.result.bound == Bound::none) continue;
                o.throughput = training ? o.time.result.train_tokens_per_s_per_gpu * n
                                        : o.time.result.decode_tokens_per_s;
                o.cost_per_hour = g->price_usd_per_hour * n;
                if (o.cost_per_hour > 0) o.tokens_per_dollar = o.throughput * 3600 / o.cost_per_hour;
                switch (req.objective) {
                  case Objective::time:  // training: step throughput; inference: the request's latency
                    o.score = training ? (o.throughput > 0 ? 1 / o.throughput : 1e300) : o.time.step_s;
                    break;
                  // Cost of a fixed amount of work: dollars per million tokens.
                  case Objective::cost: o.score = o.tokens_per_dollar > 0 ? 1e6 / o.tokens_per_dollar : 1e300; break;
                  case Objective::tokens_per_dollar: o.score = o.tokens_per_dollar > 0 ? -o.tokens_per_dollar : 1e300; break;
                }
                all.push_back(o);
              }
            }
          }
        }
      }
    }
  }
  std::sort(all.begin(), all.end(), [](const PlanOption& a, const PlanOption& b) {
    if (a.score != b.score) return a.score < b.score;
    return a.workload.gpus < b.workload.gpus;
  });
  if (all.size() > req.top) all.resize(req.top);
  out.options = std::move(all);
  return out;
}

}  // namespace headroom
