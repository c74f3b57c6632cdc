// io/plan_json.hpp: the plan request that `headroom plan` and the web page's hr_plan both read, the
// settings it keeps, and the answer they both write (expectations from the request rules of the
// header and hand arithmetic).

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "headroom/io/plan_json.hpp"

namespace hr = headroom;
using nlohmann::json;

namespace {

hr::PlanRequest read(const json& request, hr::StringStore& strings) {
  return hr::plan_request_from_json(request, hr::Catalog::builtin(), strings);
}

std::string error_of(const json& request) {
  hr::StringStore strings;
  try {
    (void)read(request, strings);
  } catch (const hr::InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST_CASE("plan request: defaults by task") {
  hr::StringStore strings;
  // Serving: cost objective, a serving engine, the GPU of the case is the first candidate.
  const hr::PlanRequest s = read({{"case", {{"model", "llama-3-8b"}, {"task", "serving"}}}, {"gpu", {"l40s", "h100-sxm"}}}, strings);
  CHECK(s.objective == hr::Objective::cost);
  CHECK(s.job.runtime == hr::serving_default_runtime);
  CHECK(s.job.hardware.gpu->id == "l40s");
  CHECK(s.job.hardware.count == 1);
  REQUIRE(s.gpus.size() == 2);
  CHECK(s.gpus[1]->id == "h100-sxm5-80gb");  // the catalog id of the alias
  CHECK(s.concurrencies.empty());
  CHECK(!s.keep);
  CHECK(s.max_gpus == 64);
  CHECK(s.top == 10);

  // Inference without a batch tries batches up to 256 unless the objective is time; no "gpu": every GPU.
  const hr::PlanRequest i = read({{"case", {{"model", "llama-3-8b"}}}, {"objective", "cost"}}, strings);
  CHECK(i.job.task == hr::Task::inference);
  CHECK(i.job.runtime == hr::serving_default_runtime);
  CHECK(i.inference_batches == std::vector<std::int64_t>{1, 4, 16, 64, 256});
  CHECK(i.gpus.size() == hr::Catalog::builtin().gpus().size());
  CHECK(read({{"case", {{"model", "llama-3-8b"}}}}, strings).inference_batches.empty());  // time
  CHECK(read({{"case", {{"model", "llama-3-8b"}, {"batch", 8}}}, {"objective", "cost"}}, strings).inference_batches.empty());
  CHECK(read({{"case", {{"model", "llama-3-8b"}, {"runtime", "pytorch"}}}}, strings).job.runtime == hr::Runtime::pytorch);

  // Training: a batch given is the only micro-batch; "max" leaves the planner's list; the runtime is the case's.
  const json train{{"model", "llama-3-8b"}, {"task", "training"}, {"method", "lora"}, {"gpu", "h100-sxm"}};
  json b = train;
  b["batch"] = 4;
  const hr::PlanRequest t = read({{"case", b}}, strings);
  CHECK(t.objective == hr::Objective::time);
  CHECK(t.micro_batches == std::vector<std::int64_t>{4});
  CHECK(t.job.runtime != hr::serving_default_runtime);
  b["batch"] = "max";
  CHECK(read({{"case", b}}, strings).micro_batches == std::vector<std::int64_t>{1, 2, 4, 8, 16});

  json conc{{"model", "llama-3-8b"}, {"task", "serving"}, {"concurrency", 16}};
  CHECK(read({{"case", conc}, {"gpu", {"l40s"}}}, strings).concurrencies == std::vector<std::int64_t>{16});
}

TEST_CASE("plan request: counts, parallel and checkpointing given are kept") {
  hr::StringStore strings;
  const json c{{"model", "llama-3-8b"}, {"task", "training"}, {"method", "lora"}, {"gpu", "h100-sxm"},
               {"gpus", 2}, {"parallel", {{"tp", 2}}}, {"grad_checkpointing", "full"}};
  const hr::PlanRequest req = read({{"case", c}, {"gpu", {"h100-sxm"}}, {"gpus", {2, 4}}, {"max_gpus", 64}}, strings);
  CHECK(req.max_gpus == 4);  // the largest count asked for
  CHECK(req.job.hardware.count == 1);
  CHECK(req.job.parallel.tp == 1);  // the planner starts from one GPU; the layout is kept by `keep`
  REQUIRE(req.keep);
  const hr::Plan p = hr::plan_kept(req);
  REQUIRE(!p.options.empty());
  CHECK(p.fitting == p.ranked);
  for (const auto& x : p.options) {
    CHECK((x.job.hardware.count == 2 || x.job.hardware.count == 4));
    CHECK(x.job.parallel.tp == 2);
    CHECK(x.job.training.checkpointing == hr::Checkpointing::full);
  }
}

TEST_CASE("plan request: errors name the field") {
  const json c{{"model", "llama-3-8b"}};
  const std::string objective = error_of({{"case", c}, {"objective", "cots"}});
  CHECK(objective.find("'objective'") != std::string::npos);
  CHECK(objective.find("did you mean 'cost'") != std::string::npos);
  json bad = c;
  bad["parallel"] = {{"tq", 2}};
  CHECK(error_of({{"case", bad}}).find("parallel.tq") != std::string::npos);
  CHECK(error_of({{"case", c}, {"gpus", {0}}}).find("'gpus'") != std::string::npos);
  CHECK(error_of({{"case", "llama-3-8b"}}).find("'case'") != std::string::npos);
}

TEST_CASE("plan answer: why the first serving option wins, and its JSON") {
  const hr::Catalog& cat = hr::Catalog::builtin();
  hr::PlanRequest req;
  req.job.task = hr::Task::serving;
  req.objective = hr::Objective::cost;
  const auto option = [&](const char* gpu, int count, int dp, std::int64_t concurrency, double usd_per_mtok) {
    hr::PlanOption x;
    x.gpu = &cat.gpu(gpu);
    x.job.task = hr::Task::serving;
    x.job.hardware.count = count;
    x.job.parallel.dp = dp;
    x.job.serving.concurrency = concurrency;
    x.job.inference.prompt = 1500;
    x.job.inference.generate = 500;
    x.serving.kv_capacity_tokens = 100000;  // 50 requests of 2000 tokens
    x.serving.output_tokens_per_s = 3000;
    x.usd_per_mtok = usd_per_mtok;
    x.score = usd_per_mtok;
    return x;
  };
  hr::Plan p;
  p.options = {option("h100-sxm5-80gb", 2, 2, 64, 1.0), option("h100-sxm5-80gb", 4, 4, 128, 1.0), option("l40s", 1, 1, 16, 4.0)};
  // 1 - 1.0 / 4.0 = 75% cheaper; the second option ties with the first.
  CHECK(hr::why_first(p, req.objective) ==
        "h100-sxm5-80gb x2 (dp 2, tp 1, ep 1) at concurrency 64: fits with KV for 50 concurrent requests of 2000 tokens; "
        "1 more option(s) tie with it; 75% cheaper per Mtok than the next, l40s x1 (dp 1, tp 1, ep 1) at concurrency 16");
  p.options.resize(1);
  CHECK(hr::why_first(p, req.objective).ends_with("2000 tokens; nothing else shown fits"));
  CHECK(hr::why_first(hr::Plan{}, req.objective).empty());

  const json j = hr::plan_to_json(req, p);
  CHECK(j.at("task") == "serving");
  CHECK(j.at("objective") == "cost");
  REQUIRE(j.at("options").size() == 1);
  const json& o = j.at("options")[0];
  CHECK(o.at("kv_requests").get<double>() == 50.0);
  CHECK(o.at("output_tokens_per_s_per_gpu").get<double>() == 1500.0);  // 3000 over 2 GPUs
  CHECK(o.at("usd_per_million_output_tokens").get<double>() == 1.0);
  CHECK(o.at("parallel").at("dp") == 2);
}
