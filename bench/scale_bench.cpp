// The planner's whole-catalog search for one job, and one parallel step estimate.
#include <benchmark/benchmark.h>

#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/catalog/builtin_models.hpp"
#include "headroom/planner.hpp"

namespace {

const headroom::ModelArch& model(std::string_view id) {
  for (const auto& m : headroom::builtin::models)
    if (m.id == id) return m;
  return headroom::builtin::models[0];
}

void BM_PlanWholeCatalogTraining(benchmark::State& state) {
  headroom::PlanRequest r;
  r.job.model = &model("llama-3-8b");
  r.job.task = headroom::Task::training;
  for (const auto& g : headroom::builtin::gpus) r.gpus.push_back(&g);
  for (auto _ : state) benchmark::DoNotOptimize(headroom::plan(r));
}
BENCHMARK(BM_PlanWholeCatalogTraining)->Unit(benchmark::kMillisecond);

void BM_ParallelStep(benchmark::State& state) {
  headroom::Job w;
  w.hardware.gpu = &headroom::builtin::gpus[0];
  w.model = &model("llama-3-8b");
  w.task = headroom::Task::training;
  w.hardware.count = 64;
  w.parallel = headroom::Parallel{8, 8, 1, 1, 1, 1};
  for (auto _ : state) benchmark::DoNotOptimize(headroom::estimate_parallel(w));
}
BENCHMARK(BM_ParallelStep);

}  // namespace
