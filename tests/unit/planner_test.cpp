#include <catch2/catch.hpp>

#include <algorithm>
#include <string_view>
#include <vector>

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

// Serving: plan_serving with a stand-in serving model whose answers are set by hand, so the winner,
// its cost and the search count follow from arithmetic (the model's own numbers are tested elsewhere).
namespace {
/// Stand-in: output tokens/s = 100 × concurrency, TPOT = TTFT = 1 ms × concurrency / GPUs (all
/// percentiles alike), KV for 100,000 tokens per GPU; everything fits.
Answer stand_in(const Job& w) {
  Answer a;
  a.has_memory = true;
  a.memory.fits = true;
  a.has_serving = true;
  const double c = static_cast<double>(w.serving.concurrency), n = w.hardware.count;
  ServingResult& s = a.serving;
  s.output_tokens_per_s = 100 * c;
  s.tpot_s = s.tpot_p90_s = s.tpot_p99_s = 0.001 * c / n;
  s.ttft_s = s.ttft_p90_s = s.ttft_p99_s = s.tpot_s;
  s.e2e_s = s.ttft_s + 127 * s.tpot_s;
  s.requests_per_s = s.output_tokens_per_s / 128;
  s.kv_capacity_tokens = 1e5 * n;
  return a;
}
}  // namespace

TEST_CASE("the serving plan: cheapest per Mtok that meets the SLO, ties in search order", "[planner]") {
  const GpuSpec* h100 = nullptr;
  for (const auto& g : builtin::gpus)
    if (g.id == "h100-sxm5-80gb") h100 = &g;
  REQUIRE(h100 != nullptr);
  GpuSpec cheap = *h100, dear = *h100;
  cheap.id = "cheap";
  cheap.price_usd_per_hour = 1.0;
  dear.id = "dear";
  dear.price_usd_per_hour = 3.0;
  PlanRequest r = request("llama-3-8b", Task::serving);  // 32 heads: tp 1 and 2 both divide them
  r.gpus = {&dear, &cheap};  // search order: dear first
  r.job.runtime = Runtime::vllm;
  r.job.serving.slo = ServingSlo{0, 0.016, 90};  // p90 TPOT <= 16 ms: concurrency <= 16 per GPU
  r.max_gpus = 2;
  r.objective = Objective::cost;
  const Plan p = plan_serving(r, stand_in);
  // Layouts per GPU: 1 GPU; 2 GPUs as dp 2, and as tp 2. Each meets the SLO up to concurrency 16 x GPUs
  // and the ladder stops at the first that breaks it: 1..32 is 6 points on one GPU, 1..64 is 7 on two.
  CHECK(p.considered == 2 * (6 + 7 + 7));
  CHECK(p.fitting == 6);
  REQUIRE(p.options.size() == 6);
  // Cheapest: $1/h per GPU; one GPU at concurrency 16 makes 1,600 tokens/s, $1 / (1600 x 3600) x 1e6 =
  // 0.1736 per Mtok; two GPUs at 32 make 3,200 for $2/h: the same cost, so the search order decides
  // (fewer GPUs first, then dp 2 before tp 2).
  const PlanOption& best = p.options[0];
  CHECK(best.gpu->id == "cheap");
  CHECK(best.job.hardware.count == 1);
  CHECK(best.job.serving.concurrency == 16);
  CHECK(best.usd_per_mtok == Approx(1e6 / (1600.0 * 3600)).epsilon(1e-9));
  CHECK(p.options[1].gpu->id == "cheap");
  CHECK(p.options[1].job.parallel.dp == 2);
  CHECK(p.options[2].job.parallel.tp == 2);
  // The $3/h GPU costs three times as much per Mtok.
  CHECK(p.options[3].gpu->id == "dear");
  CHECK(p.options[3].usd_per_mtok == Approx(3 * best.usd_per_mtok).epsilon(1e-9));

  // Throughput: two GPUs at concurrency 32 make 3,200 tokens/s; dear comes first in the search order.
  r.objective = Objective::throughput;
  const Plan t = plan_serving(r, stand_in);
  REQUIRE(!t.options.empty());
  CHECK(t.options[0].gpu->id == "dear");
  CHECK(t.options[0].job.hardware.count == 2);
  CHECK(t.options[0].job.parallel.dp == 2);
  CHECK(t.options[0].throughput == Approx(3200));

  // An SLO that even concurrency 1 on one GPU breaks (1 ms): only two GPUs at concurrency 1 (0.5 ms) pass.
  r.job.serving.slo = ServingSlo{0, 0.0007, 50};
  r.objective = Objective::cost;
  const Plan tight = plan_serving(r, stand_in);
  for (const auto& o : tight.options) CHECK(o.job.hardware.count == 2);
  CHECK(tight.options.size() == 4);
}

TEST_CASE("plan serves with the serving model: every option fits and meets the SLO", "[planner]") {
  PlanRequest r = request("llama-3-8b", Task::serving);
  r.job.runtime = Runtime::vllm;
  r.job.serving.slo = ServingSlo{2.0, 0.05, 90};
  r.max_gpus = 2;
  r.gpus.clear();
  for (const auto& g : builtin::gpus)
    if (g.id == "h100-sxm5-80gb" || g.id == "a100-sxm4-80gb") r.gpus.push_back(&g);
  r.objective = Objective::cost;
  const Plan p = plan(r);
  REQUIRE(!p.options.empty());
  for (const auto& o : p.options) {
    CHECK(o.has_serving);
    CHECK(o.serving.ttft_p90_s <= 2.0);
    CHECK(o.serving.tpot_p90_s <= 0.05);
    CHECK(o.usd_per_mtok == Approx(o.cost_per_hour / (o.throughput * 3600) * 1e6));
  }
  for (std::size_t i = 1; i < p.options.size(); ++i) CHECK(p.options[i - 1].score <= p.options[i].score);
}

TEST_CASE("plan's serving search prepares each layout once: the same options as answering every point", "[planner]") {
  // plan() prepares a layout's deployment once for all its load points; plan_serving with the plain
  // serving_answer prepares it at every point. Both must rank the same options with the same numbers.
  PlanRequest r = request("qwen3-30b-a3b", Task::serving);
  r.job.runtime = Runtime::vllm;
  r.job.inference.prompt = 1024;
  r.job.inference.generate = 256;
  r.max_gpus = 4;
  r.top = 50;
  r.gpus.clear();
  for (const auto& g : builtin::gpus)
    if (g.id == "h100-sxm5-80gb" || g.id == "a100-sxm4-80gb" || g.id == "l40s") r.gpus.push_back(&g);
  for (const Objective obj : {Objective::cost, Objective::throughput}) {
    r.objective = obj;
    const Plan fast = plan(r);
    const Plan plain = plan_serving(r, [](const Job& w) { return serving_answer(w, builtin_efficiency); });
    REQUIRE(fast.options.size() == plain.options.size());
    REQUIRE(fast.options.size() > 3);
    CHECK(fast.considered == plain.considered);
    CHECK(fast.fitting == plain.fitting);
    for (std::size_t i = 0; i < fast.options.size(); ++i) {
      const PlanOption& a = fast.options[i];
      const PlanOption& b = plain.options[i];
      CHECK(a.gpu == b.gpu);
      CHECK(a.job.hardware.count == b.job.hardware.count);
      CHECK(a.job.parallel == b.job.parallel);
      CHECK(a.job.serving.concurrency == b.job.serving.concurrency);
      CHECK(a.score == b.score);
      CHECK(a.serving.ttft_p90_s == b.serving.ttft_p90_s);
      CHECK(a.serving.tpot_s == b.serving.tpot_s);
      CHECK(a.memory.per_gpu.value() == b.memory.per_gpu.value());
    }
  }
}

// The planner skips work (the top alone, sizes shared between GPUs, micro-batches above one that did not
// fit, shard times shared between dp and ZeRO stages, a lower bound against the last of the top); none of
// it may change the answer. The reference below is the plain search written out: every configuration of
// the space planner.hpp describes is checked, sized and timed, and all are sorted by the stated order
// (score, fewer GPUs, search order).
namespace {

struct Reference {
  std::vector<PlanOption> options;
  std::size_t considered = 0, fitting = 0, ranked = 0;
};

Reference exhaustive(const PlanRequest& req) {
  Reference out;
  const bool training = req.job.task == Task::training;
  const bool priced = req.objective == Objective::cost || req.objective == Objective::tokens_per_dollar;
  const std::vector<std::int64_t> batches = training ? req.micro_batches
                                            : req.inference_batches.empty() ? std::vector<std::int64_t>{req.job.batch}
                                                                            : req.inference_batches;
  std::vector<Checkpointing> ckpts{req.job.training.checkpointing};
  if (training) ckpts = {Checkpointing::none, Checkpointing::full};
  const std::vector<int> zeros = training ? std::vector<int>{0, 1, 3} : std::vector<int>{0};
  std::vector<PlanOption> all;
  for (std::size_t gi = 0; gi < req.gpus.size(); ++gi) {
    const GpuSpec* g = req.gpus[gi];
    Job base = normalize(req.job);
    if (!can_run(*g, base) || !detail::has_rates(*g, base.compute) || (priced && g->price_usd_per_hour <= 0)) continue;
    base.hardware.gpu = g;
    base.question.batch_max = false;
    const int node = g->peer_access == PeerAccess::none ? 1 : 8;
    std::size_t position = 0;
    for (int n = 1; n <= req.max_gpus && (n == 1 || node > 1); n *= 2)
      for (int tp = 1; tp <= n && tp <= node; tp *= 2)
        for (int pp = 1; tp * pp <= n && (pp == 1 || pp <= base.model->layers); pp *= 2) {
          const int dp = n / (tp * pp);
          if (!training && (dp > 1 || (pp > 1 && tp < node))) continue;
          if (tp > 1 && base.model->heads % tp != 0) continue;
          for (int zero : zeros) {
            if (zero > 0 && (dp == 1 || pp > 1)) continue;
            for (std::int64_t b : batches)
              for (Checkpointing ck : ckpts) {
                ++out.considered;
                PlanOption o;
                o.gpu = g;
                o.order = (gi << 32) | position++;
                o.job = base;
                o.job.hardware.count = n;
                o.job.hardware.per_node = n < node ? n : node;
                o.job.parallel = Parallel{dp, tp, pp, 1, 1, zero};
                o.job.batch = b;
                o.job.training.checkpointing = ck;
                if (training && pp > 1 && o.job.training.grad_accum < 2 * pp) o.job.training.grad_accum = 2 * pp;
                if (check(o.job).first_error() != nullptr) continue;
                o.memory = estimate_memory(o.job);
                if (!o.memory.fits) continue;
                ++out.fitting;
                if (!detail::score_configuration(req, o)) continue;
                ++out.ranked;
                all.push_back(o);
              }
          }
        }
  }
  std::sort(all.begin(), all.end(), [](const PlanOption& a, const PlanOption& b) {
    if (a.score != b.score) return a.score < b.score;
    if (a.job.hardware.count != b.job.hardware.count) return a.job.hardware.count < b.job.hardware.count;
    return a.order < b.order;
  });
  if (all.size() > req.top) all.resize(req.top);
  out.options = all;
  return out;
}

void require_same_plan(const PlanRequest& r) {
  const Plan p = plan(r);
  const Reference x = exhaustive(r);
  CHECK(p.considered == x.considered);
  CHECK(p.fitting == x.fitting);
  CHECK(p.ranked == x.ranked);
  REQUIRE(p.options.size() == x.options.size());
  // Every case here has configurations that fit: an empty pair of answers would compare nothing.
  REQUIRE(!x.options.empty());
  CHECK(x.options.size() == std::min<std::size_t>(r.top, x.ranked));
  for (std::size_t i = 0; i < p.options.size(); ++i) {
    const PlanOption& a = p.options[i];
    const PlanOption& b = x.options[i];
    INFO("option " << i << ": " << a.gpu->id << " x" << a.job.hardware.count << " vs " << b.gpu->id << " x"
                   << b.job.hardware.count);
    CHECK(a.gpu == b.gpu);
    CHECK(a.job.hardware.count == b.job.hardware.count);
    CHECK(a.job.parallel.dp == b.job.parallel.dp);
    CHECK(a.job.parallel.tp == b.job.parallel.tp);
    CHECK(a.job.parallel.pp == b.job.parallel.pp);
    CHECK(a.job.parallel.zero == b.job.parallel.zero);
    CHECK(a.job.batch == b.job.batch);
    CHECK(a.job.training.grad_accum == b.job.training.grad_accum);
    CHECK(a.job.training.checkpointing == b.job.training.checkpointing);
    CHECK(a.score == b.score);
    CHECK(a.throughput == b.throughput);
    CHECK(a.time.step_s == b.time.step_s);
    CHECK(a.memory.per_gpu.value() == b.memory.per_gpu.value());
    CHECK(a.order == b.order);
  }
}

PlanRequest small_catalog(std::string_view model, Task task, Objective objective) {
  PlanRequest r = request(model, task);
  r.gpus.clear();
  // A consumer GPU without peer access, two data-centre GPUs of different sizes, one with an FP8 rate,
  // a priced AMD GPU, and two with identical rates (exact ties).
  for (std::string_view id : {"rtx-4090", "a100-sxm4-40gb", "h100-sxm5-80gb", "mi300x", "gb200-per-gpu", "gb300-per-gpu"})
    for (const auto& g : builtin::gpus)
      if (g.id == id) r.gpus.push_back(&g);
  REQUIRE(r.gpus.size() == 6);
  r.objective = objective;
  r.top = 7;
  return r;
}

}  // namespace

TEST_CASE("the planner's top equals an exhaustive search: training", "[planner]") {
  for (Objective objective : {Objective::time, Objective::cost}) {
    INFO("objective " << to_string(objective));
    PlanRequest r8 = small_catalog("llama-3-8b", Task::training, objective);
    r8.max_gpus = 16;
    require_same_plan(r8);
    PlanRequest r70 = small_catalog("llama-3-70b", Task::training, objective);
    r70.max_gpus = 32;
    r70.job.training.method = Method::qlora;
    require_same_plan(r70);
  }
}

TEST_CASE("the planner's top equals an exhaustive search: inference", "[planner]") {
  for (Objective objective : {Objective::time, Objective::cost}) {
    INFO("objective " << to_string(objective));
    PlanRequest r = small_catalog("llama-3-70b", Task::inference, objective);
    r.job.runtime = Runtime::vllm;
    r.max_gpus = 16;
    if (objective == Objective::cost) r.inference_batches = {1, 4, 16, 64, 256};
    require_same_plan(r);
  }
}

TEST_CASE("the planner's `keep` ranks only the configurations it keeps", "[planner]") {
  PlanRequest r = small_catalog("llama-3-8b", Task::training, Objective::time);
  r.max_gpus = 8;
  const Plan all = plan(r);
  r.keep = [](const Job& w) { return w.hardware.count == 4 && w.parallel.tp == 2; };
  const Plan some = plan(r);
  CHECK(some.considered == all.considered);
  CHECK(some.fitting == all.fitting);
  CHECK(some.ranked < all.ranked);
  REQUIRE(!some.options.empty());
  for (const PlanOption& o : some.options) {
    CHECK(o.job.hardware.count == 4);
    CHECK(o.job.parallel.tp == 2);
  }
}
