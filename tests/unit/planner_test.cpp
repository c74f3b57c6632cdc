#include <catch2/catch.hpp>

#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/catalog/builtin_models.hpp"
#include "headroom/planner.hpp"

using namespace headroom;

namespace {
const ModelArch& find_model(std::string_view id) {
  for (const auto& m : builtin::models)
    if (m.id == id) return m;
  return builtin::models[0];
}
PlanRequest request(std::string_view model, Task task) {
  PlanRequest r;
  r.job.model = &find_model(model);
  r.job.task = task;
  r.job.training.seq = 2048;
  for (const auto& g : builtin::gpus) r.gpus.push_back(&g);
  return r;
}
}  // namespace

TEST_CASE("every option the planner returns fits, best first", "[planner]") {
  PlanRequest r = request("llama-3-8b", Task::training);
  r.max_gpus = 16;
  const Plan p = plan(r);
  REQUIRE(!p.options.empty());
  for (const auto& o : p.options) {
    CHECK(o.memory.fits);
    const Parallel& par = o.job.parallel;
    CHECK(par.dp * par.tp * par.pp == o.job.hardware.count);
    CHECK(par.tp <= 8);  // tensor parallel stays inside a node
  }
  for (std::size_t i = 1; i < p.options.size(); ++i) CHECK(p.options[i - 1].score <= p.options[i].score);
}

TEST_CASE("cost objectives skip GPUs without a price and say so", "[planner]") {
  PlanRequest r = request("llama-3-8b", Task::training);
  r.objective = Objective::cost;
  r.max_gpus = 8;
  const Plan p = plan(r);
  CHECK(!p.skipped_unpriced.empty());
  for (const auto& o : p.options) CHECK(o.gpu->price_usd_per_hour > 0);
}

TEST_CASE("a 70B model for training needs several GPUs; nothing fits when max-gpus is 1", "[planner]") {
  PlanRequest r = request("llama-3-70b", Task::training);
  r.max_gpus = 1;
  CHECK(plan(r).options.empty());
}

TEST_CASE("the planner offers a GPU only to a runtime that can use it", "[planner]") {
  // Unified-memory SoCs without CUDA (Apple, Ryzen AI; the Apple ones publish an fp32 rate only):
  // llama.cpp runs on them, PyTorch does not. (GB10 and Jetson run CUDA, so PyTorch runs there.)
  PlanRequest r = request("llama-3-8b", Task::inference);
  r.gpus.clear();
  for (const auto& g : builtin::gpus)
    if (g.unified_memory && g.compute_capability.empty() && g.peak.fp32.value() > 0) r.gpus.push_back(&g);
  REQUIRE(!r.gpus.empty());
  r.job.compute = Precision::fp32;
  r.job.runtime = Runtime::pytorch;
  CHECK(plan(r).considered == 0);
  r.job.runtime = Runtime::llama_cpp;
  CHECK(plan(r).considered > 0);
}

// How long the search takes is measured in bench/scale_bench.cpp, not asserted here.
TEST_CASE("the whole-catalog search for one job considers the whole grid", "[planner]") {
  PlanRequest r = request("llama-3-8b", Task::training);
  const Plan p = plan(r);
  CHECK(p.considered > 1000);
  CHECK(!p.options.empty());
}
