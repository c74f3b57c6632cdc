// How long one answer takes: the time model alone, one full case evaluation (memory, limits, time), and a
// sweep of one job over the whole GPU catalog. Run: build/bench/headroom_bench (Release build for figures).
#include <benchmark/benchmark.h>

#include <string_view>

#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/catalog/builtin_models.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/time_model.hpp"

namespace {

using namespace headroom;

const GpuSpec& gpu(std::string_view id) {
  for (const GpuSpec& g : builtin::gpus)
    if (g.id == id) return g;
  return builtin::gpus.front();
}
const ModelArch& model(std::string_view id) {
  for (const ModelArch& m : builtin::models)
    if (m.id == id) return m;
  return builtin::models.front();
}

Job decode_case() {
  Job w;
  w.hardware.gpu = &gpu("rtx-4090");
  w.model = &model("llama-3-8b");
  w.inference.prompt = 512;
  w.inference.generate = 128;
  return w;
}

Job training_case() {
  Job w;
  w.hardware.gpu = &gpu("a100-sxm4-80gb");
  w.model = &model("llama-3.1-8b");
  w.task = Task::training;
  w.training.method = Method::qlora;
  w.weights = WeightFormat::nf4_dq;
  w.batch = 2;
  w.training.seq = 2048;
  w.training.checkpointing = Checkpointing::full;
  return w;
}

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
  Job w = decode_case();
  w.runtime = Runtime::vllm;
  w.question.batch_max = true;
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
