// How long one answer takes: the time model alone, one full case evaluation (memory, limits, time), and a
// sweep of one job over the whole GPU catalog. Run: build/bench/headroom_bench (Release build for figures).
#include <benchmark/benchmark.h>

#include <string_view>

#include "bench_cases.hpp"
#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/time_model.hpp"

namespace {

using namespace headroom;

using bench::batch_max_case;
using bench::decode_case;
using bench::training_case;

void time_model_decode(benchmark::State& state) {
  Job w = decode_case();
  for (auto _ : state) {
    benchmark::DoNotOptimize(w);
    const TimeResult r = estimate_time(w);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(time_model_decode);

void time_model_training(benchmark::State& state) {
  Job w = training_case();
  for (auto _ : state) {
    benchmark::DoNotOptimize(w);
    const TimeResult r = estimate_time(w);
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(time_model_training);

void evaluate_decode_case(benchmark::State& state) {
  Job w = decode_case();
  for (auto _ : state) {
    benchmark::DoNotOptimize(w);
    const Answer a = evaluate(w);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(evaluate_decode_case);

void evaluate_training_case(benchmark::State& state) {
  Job w = training_case();
  for (auto _ : state) {
    benchmark::DoNotOptimize(w);
    const Answer a = evaluate(w);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(evaluate_training_case);

// batch "max": memory solve for the largest batch, then time at that batch.
void evaluate_batch_max_case(benchmark::State& state) {
  Job w = batch_max_case();
  for (auto _ : state) {
    benchmark::DoNotOptimize(w);
    const Answer a = evaluate(w);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(evaluate_batch_max_case);

// One job over every GPU of the catalog (what a scheduler ranking GPUs does).
void sweep_gpu_catalog(benchmark::State& state) {
  Job w = decode_case();
  for (auto _ : state) {
    double best = 0;
    for (const GpuSpec& g : builtin::gpus) {
      w.hardware.gpu = &g;
      const Answer a = evaluate(w);
      if (a.memory.fits && a.time.decode_tokens_per_s > best) best = a.time.decode_tokens_per_s;
    }
    benchmark::DoNotOptimize(best);
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(builtin::gpus.size()));
}
BENCHMARK(sweep_gpu_catalog);

}  // namespace

BENCHMARK_MAIN();
