#pragma once
/// @file plan_json.hpp
/// `headroom plan` in JSON, for the CLI (src/cli/cmd_scale.cpp) and the web page's engine
/// (web/engine/engine.cpp `hr_plan`), so that both ask the planner (planner.hpp) the same question and
/// write the same answer. The request:
///
///   {"case": a case (docs/cases.md): the model, the task and the settings to keep,
///    "gpu": [GPU ids] (absent or empty: every GPU of the catalog),
///    "gpus": [GPU counts to keep] (absent or empty: every count up to max_gpus),
///    "objective": "time" | "cost" | "tokens-per-dollar" | "throughput" (default: cost for serving, else time),
///    "max_gpus": 64, "top": 10}
///
/// What the case gives narrows the search (docs/cli.md, `headroom plan`): a training `batch` (not "max")
/// is the only micro-batch; `grad_checkpointing` is kept; the degrees of `parallel` are kept (the case,
/// with `gpus` = the GPUs its degrees multiply to, is checked as it is given); a serving `concurrency`
/// is the only load. Inference without `batch` under an objective other than time tries batches 1 to
/// 256. Inference and serving without `runtime` plan on a serving engine (serving_default_runtime): eager
/// PyTorch at batch 1 would rank every GPU at the same host-bound speed. The case's `gpu` (default: the
/// first candidate) and `gpus` only serve to check it: the planner searches GPU, count and layout.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "headroom/catalog.hpp"
#include "headroom/detail/closest.hpp"
#include "headroom/error.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/names.hpp"
#include "headroom/planner.hpp"

namespace headroom {

namespace detail::plan_json {

/// Whether `w` has the degrees that the case's `parallel` fixed.
inline bool has_degrees(const Job& w, const nlohmann::json& fixed) {
  const Parallel& p = w.parallel;
  const std::pair<const char*, int> have[] = {{"dp", p.dp}, {"tp", p.tp}, {"pp", p.pp},
                                              {"cp", p.cp}, {"ep", p.ep}, {"zero", p.zero}};
  for (const auto& [key, v] : have)
    if (fixed.contains(key) && fixed[key].get<std::int64_t>() != v) return false;
  return true;
}

/// `v` with no decimals, as printf rounds it.
inline std::string whole(double v) {
  char buf[64];
  const int n = std::snprintf(buf, sizeof buf, "%.0f", v);
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

/// "h100-sxm x2 (dp 1, tp 2, ep 1) at concurrency 64": a serving option in words.
inline std::string serving_layout(const PlanOption& x) {
  const Parallel& p = x.job.parallel;
  return std::string(x.gpu->id) + " x" + std::to_string(x.job.hardware.count) + " (dp " + std::to_string(p.dp) + ", tp " +
         std::to_string(p.tp) + ", ep " + std::to_string(p.ep) + ") at concurrency " +
         std::to_string(x.job.serving.concurrency);
}

}  // namespace detail::plan_json

/// Reads a plan request (above) into the planner's PlanRequest. `strings` keeps the case's inline GPU
/// or model text and must outlive the request.
/// @throws InputError naming the field (the objective, a count, any field of the case), UnknownId.
[[nodiscard]] inline PlanRequest plan_request_from_json(const nlohmann::json& request, const Catalog& catalog,
                                                        StringStore& strings) {
  if (!request.is_object()) throw InputError("request", "must be an object {\"case\": {...}, ...}; got " + request.dump());
  nlohmann::json c = request.at("case");
  if (!c.is_object()) throw InputError("case", "must be a JSON object {...}; got " + c.dump());
  Task task = Job{}.task;
  if (const auto t = c.find("task"); t != c.end() && t->is_string())
    if (const auto v = names::value<Task>(t->get<std::string>())) task = *v;
  const bool serving = task == Task::serving;
  if ((task == Task::inference || serving) && !c.contains("runtime"))
    c["runtime"] = std::string(to_string(serving_default_runtime));

  PlanRequest req;
  const std::string objective = request.value("objective", std::string(serving ? "cost" : "time"));
  const auto chosen = names::value<Objective>(objective);
  if (!chosen) {
    const auto near = detail::closest(objective, names::spellings<Objective>(), 1);
    throw InputError("objective", "'" + objective + "' is not one of " + names::list<Objective>() +
                                      (near.empty() ? std::string() : "; did you mean '" + near.front() + "'?"));
  }
  req.objective = *chosen;

  if (const auto g = request.find("gpu"); g != request.end() && !g->empty())
    for (const auto& id : *g) req.gpus.push_back(&catalog.gpu(id.get<std::string>()));
  else
    for (const GpuSpec& gpu : catalog.gpus()) req.gpus.push_back(&gpu);
  if (!c.contains("gpu") && !req.gpus.empty()) c["gpu"] = std::string(req.gpus.front()->id);

  std::vector<int> counts;
  if (const auto n = request.find("gpus"); n != request.end())
    for (const auto& v : *n) {
      if (!v.is_number_integer() || v.get<std::int64_t>() < 1 || v.get<std::int64_t>() > cases::max_gpus)
        throw InputError("gpus", "a GPU count must be an integer from 1 to " + std::to_string(cases::max_gpus) + "; got " +
                                     v.dump());
      counts.push_back(v.get<int>());
    }
  req.max_gpus = counts.empty() ? request.value("max_gpus", 64) : *std::max_element(counts.begin(), counts.end());
  req.top = request.value("top", std::size_t{10});

  // The layout the case fixes, checked as a case of its own; the planner then starts from one GPU.
  nlohmann::json fixed = nlohmann::json::object();
  if (c.contains("parallel")) {
    (void)job_from_json(c, catalog, strings);
    fixed = c["parallel"];
    c.erase("parallel");
  }
  c["gpus"] = 1;
  req.job = job_from_json(c, catalog, strings);

  if (req.job.task == Task::training && c.contains("batch") && !req.job.question.batch_max)
    req.micro_batches = {req.job.batch};
  if (req.job.task == Task::inference && !c.contains("batch") && req.objective != Objective::time)
    req.inference_batches = {1, 4, 16, 64, 256};
  if (serving && c.contains("concurrency")) req.concurrencies = {req.job.serving.concurrency};
  const bool fixed_ckpt = c.contains("grad_checkpointing");
  if (!counts.empty() || !fixed.empty() || fixed_ckpt)
    req.keep = [counts, fixed, fixed_ckpt, ckpt = req.job.training.checkpointing](const Job& w) {
      return (counts.empty() || std::find(counts.begin(), counts.end(), w.hardware.count) != counts.end()) &&
             detail::plan_json::has_degrees(w, fixed) && (!fixed_ckpt || w.training.checkpointing == ckpt);
    };
  return req;
}

/// plan(req); when the request narrowed the search (`keep`), `fitting` counts the configurations it
/// kept that fit rather than the whole search space.
[[nodiscard]] inline Plan plan_kept(const PlanRequest& req) {
  Plan p = plan(req);
  if (req.keep) p.fitting = p.ranked;
  return p;
}

/// How many requests the KV pool of a serving option holds at full length (prompt + generate each).
[[nodiscard]] inline double kv_requests(const PlanOption& x) {
  const double per = static_cast<double>(x.job.inference.prompt + x.job.inference.generate);
  return per > 0 ? x.serving.kv_capacity_tokens / per : 0;
}

/// Why the first serving option wins: what it holds and how far ahead of the next it is under the
/// objective ("" when there is none).
[[nodiscard]] inline std::string why_first(const Plan& p, Objective objective) {
  using detail::plan_json::serving_layout;
  using detail::plan_json::whole;
  if (p.options.empty()) return {};
  const PlanOption& a = p.options.front();
  std::string s = serving_layout(a) + ": fits with KV for " + whole(kv_requests(a)) + " concurrent requests of " +
                  std::to_string(a.job.inference.prompt + a.job.inference.generate) + " tokens";
  if (a.job.serving.slo) s += " and meets the SLO";
  // The next option that differs in score: ties (such as replicas of the winner, more dp at
  // proportionally more load, at the same cost per Mtok) are counted instead.
  std::size_t i = 1, same = 0;
  while (i < p.options.size() && std::abs(p.options[i].score - a.score) <= 1e-3 * std::abs(a.score)) ++i, ++same;
  if (same > 0) s += "; " + std::to_string(same) + " more option(s) tie with it";
  if (i >= p.options.size()) return s + "; nothing else shown fits" + (a.job.serving.slo ? " and meets the SLO" : "");
  const PlanOption& b = p.options[i];
  const std::string next = serving_layout(b);
  switch (objective) {
    case Objective::cost:
    case Objective::tokens_per_dollar:
      return s + "; " + whole(100 * (1 - a.usd_per_mtok / b.usd_per_mtok)) + "% cheaper per Mtok than the next, " + next;
    case Objective::throughput:
      return s + "; " + whole(100 * (a.throughput / b.throughput - 1)) + "% more output tokens/s than the next, " + next;
    case Objective::time:
      return s + "; " + whole(100 * (1 - a.serving.e2e_s / b.serving.e2e_s)) + "% lower mean end-to-end latency than the next, " +
             next;
  }
  return s;
}

/// The answer of `headroom plan --json` (unrounded; the CLI rounds it as every JSON it prints).
[[nodiscard]] inline nlohmann::json plan_to_json(const PlanRequest& req, const Plan& p) {
  using nlohmann::json;
  auto list = json::array();
  const auto per_mtok = [](const PlanOption& x) { return x.usd_per_mtok > 0 ? json(x.usd_per_mtok) : json(nullptr); };
  if (req.job.task == Task::serving) {
    for (const auto& x : p.options) {
      const Parallel& par = x.job.parallel;
      list.push_back({{"gpu", std::string(x.gpu->id)},
                      {"gpus", x.job.hardware.count},
                      {"parallel", {{"dp", par.dp}, {"tp", par.tp}, {"pp", par.pp}, {"ep", par.ep}}},
                      {"concurrency", x.job.serving.concurrency},
                      {"serving", serving_to_json(x.serving)},
                      {"output_tokens_per_s_per_gpu", x.serving.output_tokens_per_s / x.job.hardware.count},
                      {"kv_requests", kv_requests(x)},
                      {"cost_usd_per_hour", x.cost_per_hour},
                      {"usd_per_million_output_tokens", per_mtok(x)}});
    }
    const std::optional<ServingSlo>& slo = req.job.serving.slo;
    json slo_j = nullptr;
    if (slo) slo_j = {{"ttft_s", slo->ttft_s}, {"tpot_s", slo->tpot_s}, {"percentile", slo->percentile}};
    return {{"task", "serving"},
            {"runtime", std::string(to_string(req.job.runtime))},
            {"objective", std::string(to_string(req.objective))},
            {"slo", slo_j},
            {"considered", p.considered},
            {"fitting", p.fitting},
            {"skipped_unpriced", p.skipped_unpriced},
            {"why", why_first(p, req.objective)},
            {"options", list}};
  }
  for (const auto& x : p.options) {
    const Parallel& par = x.job.parallel;
    list.push_back({{"gpu", std::string(x.gpu->id)},
                    {"gpus", x.job.hardware.count},
                    {"parallel", {{"dp", par.dp}, {"tp", par.tp}, {"pp", par.pp}, {"zero", par.zero}}},
                    {"batch", x.job.batch},
                    {"grad_accum", x.job.training.grad_accum},
                    {"grad_checkpointing", x.job.training.checkpointing == Checkpointing::full ? "full" : "none"},
                    {"per_gpu_gib", to_gib(x.memory.per_gpu)},
                    {"throughput_tokens_per_s", x.throughput},
                    {"cost_usd_per_hour", x.cost_per_hour},
                    {"tokens_per_dollar", x.tokens_per_dollar},
                    {"bound", std::string(to_string(x.time.result.bound))},
                    {"exposed_comm_fraction", x.time.exposed_fraction()},
                    {"link", std::string(x.time.intra_link)}});
  }
  return {{"objective", std::string(to_string(req.objective))},
          {"considered", p.considered},
          {"fitting", p.fitting},
          {"skipped_unpriced", p.skipped_unpriced},
          {"options", list}};
}

}  // namespace headroom
