// How long a serving answer takes (serving.hpp, serving_sim.hpp): the closed-loop fixed point on given
// step costs, a full serving evaluation (step costs from the time model, KV pool, answer) in a closed and
// an open loop, the deployment part alone and one load point on a prepared deployment, a max_concurrency
// solve, and the simulation of 10k requests. Run: build/bench/headroom_bench --benchmark_filter=serving
// (Release for figures; bench/serving_cost.cpp counts instructions under callgrind).
#include <benchmark/benchmark.h>

#include "bench_cases.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/serving.hpp"
#include "headroom/serving_sim.hpp"

namespace {

using namespace headroom;

void serving_closed_loop_core(benchmark::State& state) {
  const StepCosts c{.decode_s = 0.02, .base_s = 0.01, .prefill_fixed_s = 0.01, .prefill_per_token_s = 2e-5};
  RankLoad l{.clients = 64, .prompt = 1024, .generate = 256, .limit = 1024, .budget = 8192, .chunked = true, .wait_steps = 1};
  for (auto _ : state) {
    benchmark::DoNotOptimize(l);
    const ServingResult r = closed_loop(l, c);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(serving_closed_loop_core);

void serving_evaluate_closed(benchmark::State& state) {
  Job w = bench::serving_case();
  for (auto _ : state) {
    benchmark::DoNotOptimize(w);
    const Answer a = evaluate(w);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(serving_evaluate_closed);

void serving_evaluate_open(benchmark::State& state) {
  Job w = bench::serving_case();
  w.serving.request_rate = 4.0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w);
    const Answer a = evaluate(w);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(serving_evaluate_open);

void serving_max_concurrency(benchmark::State& state) {
  Job w = bench::serving_case();
  w.question.solve = Solve::max_concurrency;
  w.serving.slo = ServingSlo{.ttft_s = 1.0, .tpot_s = 0.05, .percentile = 90};
  for (auto _ : state) {
    benchmark::DoNotOptimize(w);
    const Answer a = evaluate(w);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(serving_max_concurrency);

void serving_prepare(benchmark::State& state) {
  const Job w = bench::serving_case();
  for (auto _ : state) {
    const ServingDeployment d = prepare_serving(w, builtin_efficiency);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(serving_prepare);

void serving_closed_point(benchmark::State& state) {
  const ServingDeployment d = prepare_serving(bench::serving_case(), builtin_efficiency);
  double c = 64;
  for (auto _ : state) {
    benchmark::DoNotOptimize(c);
    const ServingEstimate e = serve_closed(d, builtin_efficiency, c);
    benchmark::DoNotOptimize(e);
  }
}
BENCHMARK(serving_closed_point);

// 10k requests on fixed step costs (the time model's part is the analytic answer's): a closed loop of 64
// clients (0), and an open loop (1) at 80% of what 64 slots decode without prefill (about 97% of the
// capacity once the prefill steps count).
void serving_simulate_10k(benchmark::State& state) {
  const SimOptions o = bench::sim_options(state.range(0) ? 0.8 * 64 / (256 * 0.02) : 0.0);
  SimWorkspace ws;
  ws.reserve(10000, 64);
  for (auto _ : state) {
    const ServingResult r = simulate(bench::sim_load, bench::sim_costs, o, ws);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(serving_simulate_10k)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
