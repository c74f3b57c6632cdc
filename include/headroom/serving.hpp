#pragma once
/// @file serving.hpp
/// Steady-state online serving (task serving): a continuous-batching scheduler with a token budget
/// per step, a KV block pool sized by the runtime's own rule, admission up to the runtime's limit on
/// running requests, over the step times of the time model (time_model.hpp, scaling.hpp).
///
/// Closed loop (`concurrency`): a fixed point of the mean step time, the share of steps that carry
/// prefill work and the request throughput (Little's law). Open loop (`request_rate`): the same
/// with the running batch from Little's law and, past the capacity, the backlog of a finite run.
/// docs/serving.md derives every formula and cites the runtimes' schedulers.
///
/// Allocation-free: a handful of time-model evaluations at fixed batches and scalar iterations.

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <string_view>

#include "headroom/job.hpp"
#include "headroom/memory.hpp"
#include "headroom/result.hpp"
#include "headroom/scaling.hpp"
#include "headroom/serving_traits.hpp"
#include "headroom/time_model.hpp"

namespace headroom {

/// Constants of the serving model that are not a runtime's setting (docs/serving.md says why).
struct ServingConstants {
  /// Closed loop: steps a new request waits before the scheduler takes it. The client sends it when
  /// the previous request's last token arrives, just after a step ended, and the engine has already
  /// launched the next step (the step in progress): about one step.
  double closed_loop_wait_steps = 1.0;
  /// Steps an overlapping scheduler (ServingTraits::overlap) adds to every wait: it planned the step
  /// after the one in progress before the request arrived.
  double overlap_wait_steps = 1.0;
  /// Closed loop: requests a benchmark sends per client (InferenceX: 10 × concurrency prompts). Its
  /// clients all start at once, so the first of these rounds meets a burst: `concurrency` prompts
  /// queued for prefill at an idle engine. The mean and percentiles mix the burst round in with weight
  /// 1 / rounds.
  double closed_loop_rounds = 10;
  /// Open loop: Poisson arrivals land uniformly within a step: half a step on average.
  double open_loop_wait_steps = 0.5;
  /// Open loop past capacity: requests of the finite run whose backlog the answer averages
  /// (`vllm bench serve --num-prompts` default 1000).
  double open_loop_requests = 1000;
  /// Fixed-point iterations (the step time converges geometrically under the damping below).
  int iterations = 60;
};
inline constexpr ServingConstants serving_constants{};

/// The scheduler a serving job gets: the traits with the case's overrides.
struct SchedulerConfig {
  double max_running = 1;  ///< per dp rank
  double budget = 0;       ///< tokens per step; 0 = unlimited
  bool chunked = false;
  bool mixed = false;
  bool overlap = false;  ///< the scheduler plans one step ahead (ServingTraits::overlap)
  double ranks = 1;  ///< dp ranks (replicas, or attention data-parallel ranks of an MoE)
};

[[nodiscard]] constexpr SchedulerConfig scheduler_config(const Job& w) noexcept {
  const ServingTraits& t = serving_traits(w.runtime);
  const bool large = w.hardware.gpu != nullptr && w.hardware.gpu->memory.value() >= t.large_gpu_gib * bytes_per_gib;
  SchedulerConfig c;
  c.max_running = large ? t.max_running : t.max_running_small;
  c.budget = large ? t.token_budget : t.token_budget_small;
  c.chunked = t.chunked;
  c.mixed = t.mixed;
  c.overlap = t.overlap;
  if (w.serving.chunked_prefill) {
    if (*w.serving.chunked_prefill > 0) {
      c.chunked = true;
      c.budget = static_cast<double>(*w.serving.chunked_prefill);
    } else {
      c.chunked = false;
    }
  }
  c.ranks = w.parallel.dp > 1 ? static_cast<double>(w.parallel.dp) : 1.0;
  return c;
}

/// Step costs of one dp rank with `running` requests decoding (seconds). A step with q prefill
/// tokens takes decode_s + prefill(q) − base_s when prefill and decodes share the step (the weights
/// are read once), decode_s + prefill(q) when a prefill step pauses the decodes (base_s = 0).
struct StepCosts {
  double decode_s = 0;             ///< a decode step of the running batch at the mean context
  double base_s = 0;               ///< what a mixed step does not pay twice (one sequence's decode step)
  double prefill_fixed_s = 0;      ///< prefill(q) = prefill_fixed_s + q · prefill_per_token_s
  double prefill_per_token_s = 0;

  [[nodiscard]] constexpr double prefill(double q) const noexcept {
    return std::max(prefill_fixed_s + q * prefill_per_token_s, base_s);
  }
  /// A step with q prefill tokens (q = 0: a plain decode step).
  [[nodiscard]] constexpr double step(double q) const noexcept {
    return q > 0 ? decode_s + prefill(q) - base_s : decode_s;
  }
};

/// The load of one dp rank.
struct RankLoad {
  double clients = 1;      ///< closed loop: clients on this rank
  double prompt = 0;       ///< prompt tokens prefilled per request (after prefix-cache hits)
  double generate = 1;     ///< output tokens per request
  double limit = 1;        ///< requests admitted at once: min(runtime limit, KV pool / tokens per request)
  double budget = 0;       ///< tokens per step; 0 = unlimited
  bool chunked = true;
  double wait_steps = 1;   ///< steps a new request waits for the step in progress
  /// Closed loop: the clients' rounds stay in step (whole prompts per step, or a prefill that pauses
  /// the decodes): a prefill step carries a whole group of prompts that arrived together.
  bool locked_rounds = false;
};

namespace detail::serve {

inline constexpr double z90 = 1.2815515655446004;
inline constexpr double z99 = 2.3263478740408408;

/// The steady state of a rank at `running` requests in service: mean step time, the share of steps
/// with prefill, the prefill tokens of such a step, the request rate it sustains.
struct Steady {
  double step_s = 0;        ///< mean step (= TPOT)
  double prefill_share = 0; ///< r: share of steps that carry prefill
  double prefill_tokens = 0;  ///< q: prefill tokens of such a step
  double own_steps = 1;     ///< steps a request's own prompt takes
  double rate = 0;          ///< requests/s the rank completes
  double service_s = 0;     ///< wait + prefill + decode of one admitted request
};

/// Prefill tokens a step may take besides `running` decodes.
[[nodiscard]] constexpr double prefill_room(const RankLoad& l, double running) noexcept {
  if (l.budget <= 0) return 1e18;
  const double room = l.budget - running;
  return l.chunked ? std::max(1.0, room) : std::max(room, l.prompt);
}

[[nodiscard]] constexpr Steady steady(const RankLoad& l, const StepCosts& c, double running, double clients,
                                      int iterations) noexcept {
  Steady s;
  const double U = prefill_room(l, running);
  const double P = l.prompt, G = std::max(1.0, l.generate);
  s.own_steps = P > 0 && l.chunked && U < 1e17 ? std::ceil(P / U) : 1.0;
  double t = c.decode_s;
  for (int i = 0; i < iterations; ++i) {
    const double q_own = P > 0 ? std::max(P / s.own_steps, s.prefill_tokens) : 0.0;
    s.service_s = l.wait_steps * t + s.own_steps * c.step(std::min(q_own, U)) + (G - 1) * t;
    // Admitted requests complete at running / service; prefill work per step cannot exceed the room.
    double x = running / s.service_s;
    if (P > 0 && U < 1e17) x = std::min(x, U / (P * c.step(U)));
    s.rate = std::min(x, clients / s.service_s);
    const double arrivals = s.rate * t;  // requests that start per step
    const double demand = arrivals * P;  // prefill tokens per step
    s.prefill_share = P > 0 ? std::clamp(std::max(arrivals, demand / U), 0.0, 1.0) : 0.0;
    s.prefill_tokens = s.prefill_share > 0 ? std::min(demand / s.prefill_share, U) : 0.0;
    const double next = (1 - s.prefill_share) * c.decode_s + s.prefill_share * c.step(s.prefill_tokens);
    t = 0.5 * (t + next);
  }
  s.step_s = t;
  return s;
}

/// The first round of a closed loop: `running` prompts arrive together at an idle engine and are
/// prefilled in arrival order, a step's room (the whole budget: nothing decodes yet) at a time;
/// request i gets its first token when the step that completes its prompt ends.
struct Burst {
  double step_s = 0;        ///< one burst step (a full prefill step)
  double per_step = 1;      ///< requests whose prompt completes per step
  double requests = 0;
  double mean_s = 0;        ///< mean TTFT over the burst's requests

  /// Burst requests with their first token by time x.
  [[nodiscard]] constexpr double done_by(double x) const noexcept {
    if (step_s <= 0) return requests;
    return std::min(requests, std::floor(x / step_s + 1e-12) * per_step);
  }
};

[[nodiscard]] constexpr Burst burst(const RankLoad& l, const StepCosts& c, double running) noexcept {
  Burst b;
  b.requests = std::max(1.0, running);
  if (l.prompt <= 0) return b;
  const double room = l.budget > 0 ? l.budget : b.requests * l.prompt;
  // Chunked: room / P prompts complete per step; whole prompts: as many as fit (at least one).
  b.per_step = l.chunked ? room / l.prompt : std::max(1.0, std::floor(room / l.prompt));
  const double tokens = std::min(room, b.requests * l.prompt);
  b.step_s = c.step(l.chunked ? tokens : std::min(b.requests, b.per_step) * l.prompt);
  // Mean over i = 1..n of ceil(i / per_step) steps.
  double steps = 0;
  const auto n = static_cast<std::int64_t>(b.requests);
  for (std::int64_t i = 1; i <= n; ++i) steps += std::ceil(static_cast<double>(i) / b.per_step - 1e-9);
  b.mean_s = b.step_s * steps / static_cast<double>(n > 0 ? n : 1);
  return b;
}

/// Closed loop with locked rounds: the first round's burst splits the clients into groups of the
/// prompts one step takes (all of them when they fit); with fixed lengths a group's requests finish
/// together and send their next prompts together, so each later round meets a prefill step of its whole
/// group: TTFT = wait + own steps × step(group tokens) plus the admission queue. 0 when not locked.
[[nodiscard]] constexpr double locked_ttft(const RankLoad& l, const StepCosts& c, const Steady& s, double running,
                                           double queue_s) noexcept {
  if (!l.locked_rounds || l.prompt <= 0) return 0;
  const double U = prefill_room(l, running);
  const double all = running * l.prompt;
  const bool fits = all <= U;
  const double group = fits ? all : (l.chunked ? U : std::max(1.0, std::floor(U / l.prompt)) * l.prompt);
  return queue_s + l.wait_steps * s.step_s + (fits ? 1.0 : s.own_steps) * c.step(group);
}

/// Quantile `p` of TTFT = wait + own prefill, over the wait (uniform over one step, scaled so its
/// mean is `wait_steps` steps) and the other requests whose prompts share the prefill step (Poisson
/// with the mean arrivals per prefill step). Returns the quantile minus the mixture's mean, the
/// spread the answer adds to its mean TTFT.
/// With `burst_weight` > 0 the closed loop's first round (burst) is mixed in with that weight, and
/// `steady_shift` moves the steady mixture to its Little's-law mean; the result is then the quantile itself.
[[nodiscard]] constexpr double ttft_quantile(const RankLoad& l, const StepCosts& c, const Steady& s, double p,
                                             const Burst& b, double burst_weight, double steady_shift) noexcept {
  constexpr std::size_t kmax = 32;
  const double U = prefill_room(l, 0);
  const double arrivals_per_prefill_step =
      s.prefill_share > 0 && l.prompt > 0 ? s.prefill_tokens / l.prompt : 0.0;
  const double others = std::max(0.0, arrivals_per_prefill_step - 1);  // besides the request itself
  std::array<double, kmax> base{}, weight{};
  double pk = std::exp(-others), mean = 0;
  const double width = 2 * l.wait_steps * s.step_s;  // uniform wait on [0, width]
  std::size_t terms = 0;  // the Poisson terms that carry weight (the tail past the mean below 1e-15 is dropped)
  for (std::size_t k = 0; k < kmax; ++k) {
    const double tokens = static_cast<double>(k + 1) * l.prompt;
    const double steps = l.chunked && U < 1e17 ? std::max(1.0, std::ceil(tokens / U)) : 1.0;
    base[k] = steps * c.step(tokens / steps);
    weight[k] = pk;
    mean += pk * (base[k] + 0.5 * width);
    terms = k + 1;
    pk *= others / static_cast<double>(k + 1);
    if (static_cast<double>(k) >= others && pk < 1e-15) break;
  }
  // The steady mixture shifted so that its mean is the Little's-law TTFT (which includes queueing).
  const double shift = steady_shift - mean;
  // Bisection on the CDF of the steady mixture, and of the burst when it is mixed in.
  double lo = 0, hi = std::max(base[terms - 1] + width + std::max(0.0, shift), b.step_s * b.requests) + 1e-9;
  for (int it = 0; it < 60; ++it) {
    const double x = 0.5 * (lo + hi);
    double cdf = 0;
    for (std::size_t k = 0; k < terms; ++k) {
      const double y = x - shift;
      const double f = width > 0 ? std::clamp((y - base[k]) / width, 0.0, 1.0) : (y >= base[k] ? 1.0 : 0.0);
      cdf += weight[k] * f;
    }
    if (burst_weight > 0) cdf = (1 - burst_weight) * cdf + burst_weight * b.done_by(x) / b.requests;
    (cdf < p ? lo : hi) = x;
  }
  return hi;
}

/// Fills TTFT/TPOT means and percentiles, e2e and rates of one rank from its steady state; `queue_s`
/// is the wait for admission (or the backlog) every request adds to its TTFT.
[[nodiscard]] constexpr ServingResult rank_result(const RankLoad& l, const StepCosts& c, const Steady& s,
                                                  double queue_s, const Burst& b = {}, double burst_weight = 0,
                                                  double locked_s = 0) noexcept {
  ServingResult r;
  const double G = std::max(1.0, l.generate);
  const double decode = (G - 1) * s.step_s;
  // The later rounds: the steady state, or the locked group's prefill step when that is longer.
  const double steady_ttft = std::max(queue_s + s.service_s - decode, locked_s);
  r.ttft_s = (1 - burst_weight) * steady_ttft + burst_weight * b.mean_s;
  r.e2e_s = r.ttft_s + decode;
  r.ttft_p90_s = std::max(r.ttft_s, ttft_quantile(l, c, s, 0.9, b, burst_weight, steady_ttft));
  r.ttft_p99_s = std::max(r.ttft_p90_s, ttft_quantile(l, c, s, 0.99, b, burst_weight, steady_ttft));
  r.tpot_s = G > 1 ? s.step_s : 0.0;
  // A request's decode steps carry prefill with probability r each: its TPOT is the mean over
  // G − 1 steps (normal approximation of the binomial count).
  if (G > 1) {
    const double extra = c.step(s.prefill_tokens) - c.decode_s;
    const double sd = std::sqrt(s.prefill_share * (1 - s.prefill_share) / (G - 1)) * extra;
    r.tpot_p90_s = r.tpot_s + z90 * sd;
    r.tpot_p99_s = r.tpot_s + z99 * sd;
  }
  r.requests_per_s = s.rate;
  r.output_tokens_per_s = s.rate * G;
  return r;
}

}  // namespace detail::serve

/// Closed loop on one rank with step costs at the running batch min(clients, limit): clients beyond
/// the limit wait for a slot (Little's law: e2e = clients / throughput).
[[nodiscard]] constexpr ServingResult closed_loop(const RankLoad& l, const StepCosts& c,
                                                  int iterations = serving_constants.iterations) noexcept {
  const double running = std::min(l.clients, l.limit);
  const detail::serve::Steady s = detail::serve::steady(l, c, running, running, iterations);
  const double e2e = s.rate > 0 ? l.clients / s.rate : 0.0;
  const double rounds = serving_constants.closed_loop_rounds;
  const double queue = std::max(0.0, e2e - s.service_s);
  return detail::serve::rank_result(l, c, s, queue, detail::serve::burst(l, c, running), rounds > 1 ? 1 / rounds : 1.0,
                                    detail::serve::locked_ttft(l, c, s, running, queue));
}

namespace detail::serve {

/// The inference job whose time model gives the step costs: `batch` sequences of the serving job's
/// prompt (prefill: less the prefix-cache hits) and generate.
[[nodiscard]] constexpr Job probe_job(const Job& w, std::int64_t batch, std::int64_t prompt) noexcept {
  Job x = w;
  x.task = Task::inference;
  x.batch = batch > 0 ? batch : 1;
  x.question = Question{};
  x.serving = ServingJob{};
  x.inference.prompt = prompt;
  x.inference.generate = std::max<std::int64_t>(w.inference.generate, 2);
  return x;
}

struct Probe {
  double prefill_s = 0;
  double decode_s = 0;
};

[[nodiscard]] constexpr Probe probe(const Job& w, const EfficiencyProfile& profile, std::int64_t batch,
                                    std::int64_t prompt) noexcept {
  const Job x = probe_job(w, batch, prompt);
  const ParallelEstimate e = estimate_parallel(x, profile);
  Probe p;
  const double steps = static_cast<double>(x.inference.generate - (prompt > 0 ? 1 : 0));
  p.prefill_s = prompt > 0 ? e.result.ttft_s : 0.0;
  p.decode_s = steps > 0 ? (e.step_s - p.prefill_s) / steps : 0.0;
  return p;
}

/// Decode step at a fractional running batch: linear between the neighbouring whole batches.
[[nodiscard]] constexpr double decode_at(const Job& w, const EfficiencyProfile& profile, double running) noexcept {
  const double b = std::max(1.0, running);
  const auto lo = static_cast<std::int64_t>(std::floor(b));
  const double f = b - static_cast<double>(lo);
  const double d_lo = probe(w, profile, lo, w.inference.prompt).decode_s;
  if (f < 1e-9) return d_lo;
  const double d_hi = probe(w, profile, lo + 1, w.inference.prompt).decode_s;
  return d_lo + f * (d_hi - d_lo);
}

/// Prefill and base costs of a rank (independent of the running batch).
[[nodiscard]] constexpr StepCosts prefill_costs(const Job& w, const EfficiencyProfile& profile, const RankLoad& l,
                                                bool mixed) noexcept {
  StepCosts c;
  const auto P = static_cast<std::int64_t>(std::llround(l.prompt));
  const Probe one = probe(w, profile, 1, P > 0 ? P : 1);
  // One sequence's decode step; the probe above is that job unless prefix-cache hits shortened the prompt.
  if (mixed)
    c.base_s = P > 0 && P == w.inference.prompt ? one.decode_s : probe(w, profile, 1, w.inference.prompt).decode_s;
  if (P <= 0) return c;
  const double budget = l.budget > 0 ? l.budget : 8192.0;
  const auto k = static_cast<std::int64_t>(std::clamp(std::floor(budget / static_cast<double>(P)), 2.0, 64.0));
  const Probe many = probe(w, profile, k, P);
  c.prefill_per_token_s = std::max(0.0, (many.prefill_s - one.prefill_s) / (static_cast<double>((k - 1) * P)));
  c.prefill_fixed_s = one.prefill_s - static_cast<double>(P) * c.prefill_per_token_s;
  return c;
}

}  // namespace detail::serve

/// What the serving model computed besides the answer: the scheduler and the pool.
struct ServingEstimate {
  ServingResult result{};
  bool ok = false;               ///< false: the weights leave no KV pool or the time model has no answer
  SchedulerConfig scheduler{};
  double kv_pool_bytes = 0;      ///< per GPU
  double kv_sequence_bytes = 0;  ///< one request of prompt + generate, per GPU
  double admitted = 0;           ///< requests admitted at once per rank: min(max_running, pool / request)
  double running = 0;            ///< requests in service per rank at this load
  StepCosts costs{};             ///< the step costs at this load (decode_s at `running`)
};

/// The KV pool per GPU (bytes) of a serving job: what the runtime's rule leaves for KV blocks once
/// the weights, the workspace and the fixed costs are in (memory.hpp at one running sequence).
[[nodiscard]] constexpr double serving_kv_pool_bytes(const Job& w) noexcept {
  const Job x = detail::serve::probe_job(w, 1, w.inference.prompt);
  const MemoryResult m = estimate_memory(x);
  const RuntimeProfile& rt = runtime_profile(w.runtime);
  double pool = m.breakdown.kv_cache.value();
  if (rt.kv_pool == KvPool::exact) pool += std::max(0.0, m.usable.value() - m.device.value());
  else if (m.device.value() > m.usable.value()) pool = 0;
  return pool;
}

/// What a serving answer needs that does not depend on the load: the normalized job, the scheduler,
/// the KV pool and admission, the rank's load without its clients and the prefill costs. Computing it
/// once and answering several loads with serve_closed / serve_open (max_concurrency, `serve` tables)
/// skips the memory model and the prefill probes at every load point.
struct ServingDeployment {
  Job job{};                 ///< normalized
  ServingEstimate base{};    ///< scheduler, pool, admission; its result holds only kv_capacity_tokens
  RankLoad load{};           ///< clients, wait_steps and locked_rounds are set per load
  StepCosts costs{};         ///< decode_s is set per load
  bool ready = false;        ///< false: not a serving job, or no request fits the pool
};

[[nodiscard]] constexpr ServingDeployment prepare_serving(const Job& job, const EfficiencyProfile& profile) noexcept {
  ServingDeployment d;
  d.job = normalize(job);
  const Job& w = d.job;
  ServingEstimate& e = d.base;
  if (w.task != Task::serving || w.model == nullptr) return d;
  e.scheduler = scheduler_config(w);
  const SchedulerConfig& sc = e.scheduler;
  const double P = static_cast<double>(std::max<std::int64_t>(0, w.inference.prompt));
  const double G = static_cast<double>(std::max<std::int64_t>(1, w.inference.generate));
  e.kv_sequence_bytes = kv_bytes_per_sequence(detail::serve::probe_job(w, 1, w.inference.prompt));
  e.kv_pool_bytes = serving_kv_pool_bytes(w);
  const double fit = e.kv_sequence_bytes > 0 ? std::floor(e.kv_pool_bytes / e.kv_sequence_bytes) : 0.0;
  // Engines that admit on blocks in use hold requests at their mean occupancy, prompt + generate / 2.
  double held = fit;
  if (!serving_traits(w.runtime).admit_whole_request) {
    Job half = detail::serve::probe_job(w, 1, w.inference.prompt);
    half.inference.generate = w.inference.generate / 2;
    const double mean_bytes = kv_bytes_per_sequence(half);
    held = mean_bytes > 0 ? std::floor(e.kv_pool_bytes / mean_bytes) : fit;
  }
  e.admitted = std::min(sc.max_running, held);
  e.result.kv_capacity_tokens = fit * (P + G) * sc.ranks;
  if (e.admitted < 1) return d;  // held < 1 implies fit = 0: no KV capacity to report

  RankLoad& l = d.load;
  l.prompt = std::round(P * (1 - w.serving.prefix_cache_hit));
  l.generate = G;
  l.limit = e.admitted;
  l.budget = sc.budget;
  l.chunked = sc.chunked;
  d.costs = detail::serve::prefill_costs(w, profile, l, sc.mixed);
  d.ready = true;
  return d;
}

namespace detail::serve {
/// A load point's estimate before it is answered: the deployment's scheduler, pool and step costs,
/// no result yet (finish() fills the capacity with the answer).
[[nodiscard]] constexpr ServingEstimate at_load(const ServingDeployment& d) noexcept {
  ServingEstimate e = d.base;
  e.result = ServingResult{};
  e.costs = d.costs;
  return e;
}

/// Steps an overlapping scheduler adds to a new request's wait (0 for one that plans after each step).
[[nodiscard]] constexpr double overlap_steps(const SchedulerConfig& sc) noexcept {
  return sc.overlap ? serving_constants.overlap_wait_steps : 0.0;
}

/// Rates of one rank to the whole deployment; ok when the answer has a time.
constexpr void finish(const ServingDeployment& d, ServingEstimate& e) noexcept {
  e.result.requests_per_s *= e.scheduler.ranks;
  e.result.output_tokens_per_s *= e.scheduler.ranks;
  e.result.kv_capacity_tokens = d.base.result.kv_capacity_tokens;
  e.ok = e.result.tpot_s > 0 || e.result.ttft_s > 0;
}
}  // namespace detail::serve

/// The closed-loop answer of a prepared deployment at `concurrency` clients.
[[nodiscard]] constexpr ServingEstimate serve_closed(const ServingDeployment& d, const EfficiencyProfile& profile,
                                                     double concurrency) noexcept {
  ServingEstimate e = detail::serve::at_load(d);
  if (!d.ready) return e;
  RankLoad l = d.load;
  StepCosts& c = e.costs;
  l.clients = concurrency / e.scheduler.ranks;
  l.wait_steps = serving_constants.closed_loop_wait_steps + detail::serve::overlap_steps(e.scheduler);
  l.locked_rounds = !(e.scheduler.chunked && e.scheduler.mixed);
  e.running = std::min(l.clients, l.limit);
  c.decode_s = detail::serve::decode_at(d.job, profile, e.running);
  if (!(c.decode_s > 0)) return e;
  e.result = closed_loop(l, c);
  detail::serve::finish(d, e);
  return e;
}

/// The open-loop answer of a prepared deployment at `rate` requests/s (Poisson arrivals).
[[nodiscard]] constexpr ServingEstimate serve_open(const ServingDeployment& d, const EfficiencyProfile& profile,
                                                   double rate) noexcept {
  ServingEstimate e = detail::serve::at_load(d);
  if (!d.ready) return e;
  RankLoad l = d.load;
  StepCosts& c = e.costs;
  // Open loop: running = rate × service (Little), at most the admitted count; past the capacity
  // the queue grows through the run and its mean backlog adds to every TTFT.
  const double lambda = rate / e.scheduler.ranks;
  l.wait_steps = serving_constants.open_loop_wait_steps + detail::serve::overlap_steps(e.scheduler);
  double running = 1;
  l.clients = 1e18;  // open loop: no closed-loop cap on the rate
  detail::serve::Steady s;
  for (int i = 0; i < 12; ++i) {
    c.decode_s = detail::serve::decode_at(d.job, profile, running);
    if (!(c.decode_s > 0)) return e;
    s = detail::serve::steady(l, c, running, 1e18, serving_constants.iterations);
    // The rank at `running` sustains running / service; the arrivals need lambda × service running.
    const double need = std::min(lambda * s.service_s, l.limit);
    running = std::max(1.0, 0.5 * (running + need));
  }
  c.decode_s = detail::serve::decode_at(d.job, profile, running);
  const detail::serve::Steady cap = detail::serve::steady(l, c, running, 1e18, serving_constants.iterations);
  // Below capacity the rank completes what arrives; above it, what it can.
  const double capacity = cap.rate;
  detail::serve::Steady at = detail::serve::steady(l, c, running, lambda * cap.service_s, serving_constants.iterations);
  double backlog = 0;
  if (lambda > capacity && capacity > 0) {
    // N requests arrive over N/λ; the queue grows at λ − capacity; a request waits on average for
    // half the final backlog.
    const double n = serving_constants.open_loop_requests / e.scheduler.ranks;
    backlog = 0.5 * (n / lambda) * (lambda / capacity - 1);
    at.rate = capacity;
  } else {
    at.rate = lambda;
  }
  e.running = running;
  e.result = detail::serve::rank_result(l, c, at, backlog);
  detail::serve::finish(d, e);
  return e;
}

/// The serving answer of a serving job at its concurrency or request rate (`concurrency_override` > 0:
/// a closed loop at that concurrency instead). prepare_serving + serve_closed / serve_open.
[[nodiscard]] constexpr ServingEstimate estimate_serving(const Job& job, const EfficiencyProfile& profile,
                                                         std::int64_t concurrency_override = 0) noexcept {
  const ServingDeployment d = prepare_serving(job, profile);
  if (!d.ready) return d.base;
  const Job& w = d.job;
  if (concurrency_override > 0 || !w.serving.request_rate)
    return serve_closed(d, profile,
                        static_cast<double>(concurrency_override > 0 ? concurrency_override : w.serving.concurrency));
  return serve_open(d, profile, *w.serving.request_rate);
}

/// The TTFT and TPOT an SLO at `percentile` compares: p99, p90, else the mean (the answer has no median).
struct SloValues {
  double ttft_s = 0;
  double tpot_s = 0;
};
[[nodiscard]] constexpr SloValues slo_values(const ServingResult& r, int percentile) noexcept {
  if (percentile >= 99) return {r.ttft_p99_s, r.tpot_p99_s};
  if (percentile >= 90) return {r.ttft_p90_s, r.tpot_p90_s};
  return {r.ttft_s, r.tpot_s};
}

/// Whether a serving answer meets an SLO at its percentile (a target of 0 is not checked).
[[nodiscard]] constexpr bool meets(const ServingResult& r, const ServingSlo& slo) noexcept {
  const SloValues v = slo_values(r, slo.percentile);
  return (slo.ttft_s <= 0 || v.ttft_s <= slo.ttft_s) && (slo.tpot_s <= 0 || v.tpot_s <= slo.tpot_s);
}

/// The largest value in [1, hi] for which `ok` holds, by bisection, for `ok` true up to some value
/// and false beyond (0 when ok(1) fails).
template <class Pred>
[[nodiscard]] constexpr std::int64_t largest_passing(std::int64_t hi, Pred ok) {
  if (hi < 1 || !ok(std::int64_t{1})) return 0;
  if (ok(hi)) return hi;
  std::int64_t lo = 1;  // ok(lo), !ok(hi)
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (ok(mid) ? lo : hi) = mid;
  }
  return lo;
}

/// `solve: max_concurrency`: the largest closed-loop concurrency that the KV pool admits without
/// queueing (admitted requests per rank × ranks) and whose answer meets the job's `slo`.
[[nodiscard]] constexpr std::int64_t max_concurrency(const Job& job, const EfficiencyProfile& profile) noexcept {
  const ServingDeployment d = prepare_serving(job, profile);  // once for every concurrency tried
  const ServingEstimate base = serve_closed(d, profile, 1);
  if (!base.ok) return 0;
  const auto hi = static_cast<std::int64_t>(base.admitted * base.scheduler.ranks);
  if (!d.job.serving.slo) return hi;
  const ServingSlo slo = *d.job.serving.slo;
  return largest_passing(hi, [&](std::int64_t c) {
    const ServingEstimate e = serve_closed(d, profile, static_cast<double>(c));
    return e.ok && meets(e.result, slo);
  });
}

}  // namespace headroom
