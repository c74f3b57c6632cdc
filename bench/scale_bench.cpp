// The planner's whole-catalog search for one job, one parallel step estimate, and a catalog sweep of
// a prepared job (the same jobs as bench/plan_cost.cpp; docs/performance.md).
#include <benchmark/benchmark.h>

#include "bench_cases.hpp"
#include "headroom/planner.hpp"
#include "headroom/prepared.hpp"

namespace {

void BM_PlanWholeCatalogTraining(benchmark::State& state) {
  const headroom::PlanRequest r = headroom::bench::plan_training("llama-3-8b");
  for (auto _ : state) benchmark::DoNotOptimize(headroom::plan(r));
}
BENCHMARK(BM_PlanWholeCatalogTraining)->Unit(benchmark::kMillisecond);

void BM_PlanWholeCatalogTraining70B(benchmark::State& state) {
  const headroom::PlanRequest r = headroom::bench::plan_training("llama-3-70b");
  for (auto _ : state) benchmark::DoNotOptimize(headroom::plan(r));
}
BENCHMARK(BM_PlanWholeCatalogTraining70B)->Unit(benchmark::kMillisecond);

void BM_PlanWholeCatalogInference(benchmark::State& state) {
  const headroom::PlanRequest r = headroom::bench::plan_inference();
  for (auto _ : state) benchmark::DoNotOptimize(headroom::plan(r));
}
BENCHMARK(BM_PlanWholeCatalogInference)->Unit(benchmark::kMillisecond);

void BM_PlanWholeCatalogServing(benchmark::State& state) {
  const headroom::PlanRequest r = headroom::bench::plan_serving();
  for (auto _ : state) benchmark::DoNotOptimize(headroom::plan(r));
}
BENCHMARK(BM_PlanWholeCatalogServing)->Unit(benchmark::kMillisecond);

void BM_PreparedCatalogSweep(benchmark::State& state) {
  const headroom::PreparedJob p = headroom::prepare(headroom::bench::decode_case());
  for (auto _ : state)
    for (const auto& g : headroom::builtin::gpus) benchmark::DoNotOptimize(p.time_on(g));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(headroom::builtin::gpus.size()));
}
BENCHMARK(BM_PreparedCatalogSweep);

void BM_ParallelStep(benchmark::State& state) {
  headroom::Job w;
  w.hardware.gpu = &headroom::builtin::gpus[0];
  w.model = &headroom::bench::model("llama-3-8b");
  w.task = headroom::Task::training;
  w.hardware.count = 64;
  w.parallel = headroom::Parallel{8, 8, 1, 1, 1, 1};
  for (auto _ : state) benchmark::DoNotOptimize(headroom::estimate_parallel(w));
}
BENCHMARK(BM_ParallelStep);

}  // namespace
