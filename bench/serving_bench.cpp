// How long a serving answer takes (serving.hpp): the closed-loop fixed point on given step costs, a full
// serving evaluation (step costs from the time model, KV pool, answer) in a closed and an open loop, and a
// max_concurrency solve. Run: build/bench/headroom_bench --benchmark_filter=serving (Release for figures).
#include <benchmark/benchmark.h>

#include <string_view>

#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/catalog/builtin_models.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/serving.hpp"

namespace {

using namespace headroom;

const GpuSpec& serving_gpu(std::string_view id) {
  for (const GpuSpec& g : builtin::gpus)
    if (g.id == id) return g;
  return builtin::gpus.front();
}
const ModelArch& serving_model(std::string_view id) {
  for (const ModelArch& m : builtin::models)
    if (m.id == id) return m;
  return builtin::models.front();
}

Job serving_case() {
  Job w;
  w.hardware.gpu = &serving_gpu("h100-sxm5-80gb");
  w.hardware.count = 8;
  w.parallel.tp = 8;
  w.model = &serving_model("llama-3.1-70b");
  w.weights = WeightFormat::fp8;
  w.compute = Precision::fp8;
  w.task = Task::serving;
  w.runtime = Runtime::vllm;
  w.inference.prompt = 1024;
  w.inference.generate = 256;
  w.serving.concurrency = 64;
  return w;
}

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
  Job w = serving_case();
  for (auto _ : state) {
    benchmark::DoNotOptimize(w);
    const Answer a = evaluate(w);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(serving_evaluate_closed);

void serving_evaluate_open(benchmark::State& state) {
  Job w = serving_case();
  w.serving.request_rate = 4.0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(w);
    const Answer a = evaluate(w);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(serving_evaluate_open);

void serving_max_concurrency(benchmark::State& state) {
  Job w = serving_case();
  w.question.solve = Solve::max_concurrency;
  w.serving.slo = ServingSlo{.ttft_s = 1.0, .tpot_s = 0.05, .percentile = 90};
  for (auto _ : state) {
    benchmark::DoNotOptimize(w);
    const Answer a = evaluate(w);
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(serving_max_concurrency);

}  // namespace
