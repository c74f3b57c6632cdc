#pragma once
/// @file serving_sim.hpp
/// A seeded discrete-event simulation of one dp rank of a continuous-batching engine, step by step,
/// over the same step costs, token budget and admission limit as the analytic serving model
/// (serving.hpp): N requests in a closed loop (C clients, each sends its next request when the
/// previous one ends) or an open loop (Poisson arrivals). docs/serving.md ("Simulation") says what it
/// models and how it compares with the analytic answer on the public file.
///
/// Deterministic: the same options and seed give the same answer on every platform (its own
/// generator, no <random> distribution). The per-request state lives in a SimWorkspace the caller
/// owns; simulate() allocates only when the workspace is smaller than the run (reserve once, reuse).

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "headroom/serving.hpp"

namespace headroom {

/// What a simulation runs besides the rank's load and step costs.
struct SimOptions {
  double rate = 0;             ///< open loop: requests/s on this rank; 0: closed loop of load.clients
  std::int64_t requests = 0;   ///< requests simulated; 0: closed_loop_rounds × clients, or open_loop_requests
  std::uint64_t seed = 1;
  /// Lengths drawn uniformly from [length_low, 1] × the nominal prompt and generate (InferenceX: 0.8);
  /// 1: every request has the nominal lengths.
  double length_low = 1;
  bool mixed = true;           ///< prefill shares a step with the decodes (else a prefill step pauses them)
  /// The scheduler plans one step ahead (ServingTraits::overlap): a request that arrives while a step
  /// runs misses the step after it too.
  bool overlap = false;
  /// Decode step at b running: linear between one sequence (decode_one_s) and `ref_running`, whose
  /// step is StepCosts::decode_s.
  double decode_one_s = 0;
  double ref_running = 1;
};

/// Per-request state of a run; reused across runs.
struct SimWorkspace {
  std::vector<double> arrival, first, ttft, tpot, e2e;
  std::vector<std::int32_t> prefill_left, generate, generate_left, running, next_running;
  void reserve(std::size_t n, std::size_t slots) {
    for (auto* v : {&arrival, &first, &ttft, &tpot, &e2e}) v->resize(n);
    for (auto* v : {&prefill_left, &generate, &generate_left}) v->resize(n);
    running.reserve(slots);
    next_running.reserve(slots);
  }
};

namespace detail::sim {

/// splitmix64 (Steele, Lea, Flood 2014): a 64-bit generator whose output is the same everywhere.
struct Rng {
  std::uint64_t s;
  constexpr std::uint64_t next() noexcept {
    std::uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  /// Uniform on (0, 1).
  constexpr double uniform() noexcept { return (static_cast<double>(next() >> 11) + 0.5) * 0x1.0p-53; }
};

/// The value at quantile p of v (nearest rank; reorders v).
inline double quantile(std::vector<double>& v, std::size_t n, double p) {
  if (n == 0) return 0;
  const auto k = static_cast<std::size_t>(std::min<double>(static_cast<double>(n) - 1, std::ceil(p * static_cast<double>(n)) - 1));
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.begin() + static_cast<std::ptrdiff_t>(n));
  return v[k];
}

}  // namespace detail::sim

/// Simulates one rank: `l` (prompt, generate, limit, budget, chunked, clients for a closed loop) on the
/// step costs `c`. Returns the rank's answer: means and percentiles over the simulated requests, rates
/// over the run (first arrival to last completion); kv_capacity_tokens is left 0.
inline ServingResult simulate(const RankLoad& l, const StepCosts& c, const SimOptions& o, SimWorkspace& ws) {
  ServingResult r;
  const bool closed = !(o.rate > 0);
  const auto clients = static_cast<std::int64_t>(std::max(1.0, std::round(l.clients)));
  const std::int64_t n = o.requests > 0 ? o.requests
                         : closed       ? static_cast<std::int64_t>(serving_constants.closed_loop_rounds) * clients
                                        : static_cast<std::int64_t>(serving_constants.open_loop_requests);
  const auto limit = static_cast<std::size_t>(std::max(1.0, std::floor(l.limit)));
  if (n <= 0) return r;
  const auto N = static_cast<std::size_t>(n);
  if (ws.arrival.size() < N || ws.running.capacity() < limit) ws.reserve(std::max(N, ws.arrival.size()), limit);
  ws.running.clear();
  detail::sim::Rng rng{o.seed};
  const double low = std::clamp(o.length_low, 0.0, 1.0);
  auto draw = [&](double nominal) {
    const double f = low < 1 ? low + (1 - low) * rng.uniform() : 1.0;
    return static_cast<std::int32_t>(std::max(1.0, std::round(nominal * f)));
  };
  std::size_t created = 0;
  auto create = [&](double at) {
    ws.arrival[created] = at;
    ws.prefill_left[created] = l.prompt > 0 ? draw(l.prompt) : 0;
    ws.generate[created] = draw(std::max(1.0, l.generate));
    ws.generate_left[created] = ws.generate[created];
    ++created;
  };
  double next_arrival = 0;  // open loop: the next Poisson arrival
  if (closed) {
    for (std::int64_t i = 0; i < clients && created < N; ++i) create(0.0);
  } else {
    next_arrival = -std::log(rng.uniform()) / o.rate;
  }
  // Decode step at b sequences, linear between one sequence and the reference batch; no decodes: the
  // mixed step's shared base (a plain prefill forward).
  const double slope = o.ref_running > 1 ? (c.decode_s - o.decode_one_s) / (o.ref_running - 1) : 0.0;
  auto decode_at = [&](double b) {
    return b > 0 ? std::max(0.0, o.decode_one_s + slope * (b - 1)) : (o.mixed ? c.base_s : 0.0);
  };
  const double budget = l.budget > 0 ? l.budget : 1e18;

  std::size_t admitted = 0, done = 0;
  double t = 0, out_tokens = 0;
  double last_start = -1e300;  // start of the last step run: an overlapping scheduler planned this one then
  while (done < N) {
    if (!closed) {
      while (created < N && next_arrival <= t) {
        create(next_arrival);
        next_arrival += -std::log(rng.uniform()) / o.rate;
      }
    }
    // An idle engine starts its next step when the next request arrives; a busy one has already
    // launched the step in progress, which a request arriving at its start misses.
    bool idle_join = false;
    if (ws.running.empty() && admitted == created) {
      if (closed || created >= N) break;  // nothing left to arrive
      t = next_arrival;
      continue;
    }
    if (ws.running.empty() && ws.arrival[admitted] >= t) {
      t = ws.arrival[admitted];
      idle_join = true;
    }
    // The step about to run was planned when the last one started (overlap, while requests run) or
    // when it ended (t).
    const double planned = o.overlap && !ws.running.empty() ? std::min(last_start, t) : t;
    while (ws.running.size() < limit && admitted < created &&
           (ws.arrival[admitted] < planned || (idle_join && ws.arrival[admitted] <= t)))
      ws.running.push_back(static_cast<std::int32_t>(admitted++));

    // The step's work: decodes of the requests past their prompt, prefill tokens in admission order.
    double decodes = 0;
    bool prefilling = false;
    std::int32_t fewest_left = 1 << 30;  // output tokens left of the decode closest to its end
    for (const std::int32_t i : ws.running) {
      const auto k = static_cast<std::size_t>(i);
      if (ws.prefill_left[k] > 0) prefilling = true;
      else {
        decodes += 1;
        fewest_left = std::min(fewest_left, ws.generate_left[k]);
      }
    }
    const bool prefill_step = prefilling;
    const bool run_decodes = o.mixed || !prefilling;  // a prefill forward pauses the decodes
    double room = prefill_step ? (o.mixed ? budget - decodes : budget) : 0;
    room = l.chunked ? std::max(1.0, room) : room;
    double q = 0;
    std::size_t takers = 0;  // requests taking prefill tokens this step: the first `takers` prefilling ones
    for (const std::int32_t i : ws.running) {
      const double left = ws.prefill_left[static_cast<std::size_t>(i)];
      if (left <= 0) continue;
      const double take = l.chunked ? std::min(left, room - q) : (q == 0 || q + left <= room ? left : 0);
      if (take <= 0) break;
      q += take;
      ++takers;
      if (q >= room) break;
    }
    const double d = run_decodes ? decode_at(decodes) : 0.0;
    const double step = std::max(q > 0 ? (o.mixed ? d + c.prefill(q) - c.base_s : c.prefill(q)) : d, 1e-12);
    // Decode-only steps repeat unchanged until a request ends or one arrives: run them at once (the
    // steps a request arriving at `next_arrival` misses: those that start before it).
    double repeat = 1;
    const bool can_admit = admitted < created && ws.running.size() < limit;  // joins the next step
    if (q <= 0 && !can_admit) {
      repeat = fewest_left;
      if (!closed && created < N) repeat = std::min(repeat, std::floor((next_arrival - t) / step) + 1);
      repeat = std::max(1.0, repeat);
    }
    const double end = t + repeat * step;
    const auto repeats = static_cast<std::int32_t>(repeat);

    // Apply the step: prefill tokens, first tokens, decodes, completions (stable order kept).
    ws.next_running.clear();
    double given = q;
    std::size_t seen = 0;
    for (const std::int32_t i : ws.running) {
      const auto k = static_cast<std::size_t>(i);
      bool produced = false;
      if (ws.prefill_left[k] > 0) {
        if (seen < takers && given > 0) {
          ++seen;
          const double take = std::min<double>(ws.prefill_left[k], given);
          given -= take;
          ws.prefill_left[k] -= static_cast<std::int32_t>(take);
          if (ws.prefill_left[k] <= 0) {
            ws.first[k] = end;  // the step that ends the prompt gives the first token
            produced = true;
          }
        }
      } else if (run_decodes) {
        produced = true;
      }
      if (produced && (ws.generate_left[k] -= repeats) <= 0) {
        ws.ttft[done] = ws.first[k] - ws.arrival[k];
        ws.e2e[done] = end - ws.arrival[k];
        ws.tpot[done] = ws.generate[k] > 1 ? (end - ws.first[k]) / (ws.generate[k] - 1) : 0.0;
        out_tokens += ws.generate[k];
        ++done;
        if (closed && created < N) create(end);  // the client sends its next request
        continue;
      }
      ws.next_running.push_back(i);
    }
    std::swap(ws.running, ws.next_running);
    last_start = end - step;
    t = end;
  }
  if (done == 0) return r;
  auto mean = [&](const std::vector<double>& v) {
    double s = 0;
    for (std::size_t i = 0; i < done; ++i) s += v[i];
    return s / static_cast<double>(done);
  };
  r.ttft_s = mean(ws.ttft);
  r.tpot_s = mean(ws.tpot);
  r.e2e_s = mean(ws.e2e);
  const double span = t - ws.arrival[0];
  r.requests_per_s = span > 0 ? static_cast<double>(done) / span : 0.0;
  r.output_tokens_per_s = span > 0 ? out_tokens / span : 0.0;
  r.ttft_p90_s = detail::sim::quantile(ws.ttft, done, 0.90);
  r.ttft_p99_s = detail::sim::quantile(ws.ttft, done, 0.99);
  r.tpot_p90_s = detail::sim::quantile(ws.tpot, done, 0.90);
  r.tpot_p99_s = detail::sim::quantile(ws.tpot, done, 0.99);
  return r;
}

/// The simulated answer of a prepared serving deployment (serving.hpp prepare_serving) at its load: the
/// closed loop at `concurrency` (> 0) or the open loop at `rate`. The decode step's slope comes from the
/// time model at one sequence and at the analytic answer's running batch.
inline ServingEstimate simulate_serving(const ServingDeployment& d, const EfficiencyProfile& profile, double concurrency,
                                        double rate, SimWorkspace& ws, SimOptions o = {}) {
  ServingEstimate e = concurrency > 0 ? serve_closed(d, profile, concurrency) : serve_open(d, profile, rate);
  if (!e.ok) return e;
  const double ranks = e.scheduler.ranks;
  RankLoad l = d.load;
  l.clients = concurrency > 0 ? concurrency / ranks : 1;
  o.rate = concurrency > 0 ? 0.0 : rate / ranks;
  o.mixed = e.scheduler.mixed;
  o.overlap = e.scheduler.overlap;
  o.ref_running = std::max(1.0, e.running);
  o.decode_one_s = detail::serve::probe(d.job, profile, 1, d.job.inference.prompt).decode_s;
  e.result = simulate(l, e.costs, o, ws);
  detail::serve::finish(d, e);
  return e;
}

}  // namespace headroom
