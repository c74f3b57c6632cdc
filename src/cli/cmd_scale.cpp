// headroom scale MODEL --gpu ID [--gpu ID2] --gpus 1,2,4,8 [...]: per-GPU memory, step time, throughput
// and scaling efficiency per GPU count, for each GPU type (optionally plotted as SVG).
// headroom plan MODEL --task training|inference [...]: the best GPU type x count x parallelism under an
// objective (time, cost, tokens per dollar), with why.
//
// The job options become a case object parsed by the strict case parser (docs/cases.md), as for
// `headroom fit`; the GPU count and `parallel` are set here per configuration.

#include <fmt/core.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>

#include "cli.hpp"
#include "headroom/detail/closest.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/io/svg_lines.hpp"
#include "headroom/names.hpp"
#include "headroom/planner.hpp"
#include "headroom/scaling.hpp"
#include "job_options.hpp"
#include "json_out.hpp"
#include "plots.hpp"
#include "table.hpp"

namespace headroom::cli {

namespace {

struct ScaleOptions {
  JobOptions job;
  std::string plot;
  bool json = false;
};

/// `--solve` asks for a limit of one job; scale and plan answer other questions.
void reject_solve(const JobOptions& o, const char* command) {
  if (o.has("solve"))
    throw InputError("solve", std::string("`") + command +
                                  "` does not solve for a limit; ask `headroom fit` or `headroom perf` with --solve");
}

/// One GPU count of one GPU type.
struct ScalePoint {
  int gpus;
  Job w;
  Answer a;
  ParallelEstimate p;
  double efficiency;
};

/// The points of one GPU type over the counts; efficiency relative to that GPU's one-GPU rate.
std::vector<ScalePoint> scale_points(Context& ctx, const ScaleOptions& o, const std::string& gpu,
                                     const std::vector<int>& counts, StringStore& strings) {
  std::vector<ScalePoint> points;
  double base_rate = 0;
  for (int n : counts) {
    const Job w = job_from_json(o.job.to_case("scale", gpu, n), ctx.catalog(), strings);
    ScalePoint pt{n, w, evaluate(w), estimate_parallel(w), 0};
    const double rate = w.task == Task::training ? pt.p.result.train_tokens_per_s_per_gpu
                                                 : pt.p.result.decode_tokens_per_s / n;
    if (base_rate == 0) base_rate = rate / (w.task == Task::training ? scaling_efficiency(w) : 1.0);
    if (w.task == Task::training) pt.efficiency = scaling_efficiency(w);
    else pt.efficiency = base_rate > 0 ? rate / base_rate : 0;
    points.push_back(pt);
  }
  return points;
}

nlohmann::json scale_points_json(const std::vector<ScalePoint>& points) {
  auto list = nlohmann::json::array();
  for (const auto& pt : points)
    list.push_back({{"gpus", pt.gpus},
                    {"per_gpu_gib", to_gib(pt.a.memory.per_gpu)},
                    {"fits", pt.a.memory.fits},
                    {"step_time_s", pt.p.step_s},
                    {"train_tokens_per_s_per_gpu", pt.p.result.train_tokens_per_s_per_gpu},
                    {"decode_tokens_per_s", pt.p.result.decode_tokens_per_s},
                    {"efficiency", pt.efficiency},
                    {"exposed_comm_fraction", pt.p.exposed_fraction()},
                    {"bound", std::string(to_string(pt.p.result.bound))},
                    {"link", std::string(pt.p.intra_link)}});
  return list;
}

void run_scale(Context& ctx, const ScaleOptions& o) {
  reject_solve(o.job, "scale");
  o.job.reject_collective("scale");
  const std::vector<int> counts = o.job.counts();
  StringStore strings;
  std::vector<std::vector<ScalePoint>> per_gpu;
  for (const auto& gpu : o.job.gpu_ids) per_gpu.push_back(scale_points(ctx, o, gpu, counts, strings));
  const Job& first = per_gpu.front().front().w;
  const bool training = first.task == Task::training;
  if (o.json) {
    // One GPU: {model, gpu, points}; several: {model, gpus: [{gpu, points}, ...]}.
    if (per_gpu.size() == 1) {
      fmt::print("{}\n", json_text(nlohmann::json{{"model", std::string(first.model->id)},
                                                  {"gpu", o.job.gpu_ids.front()},
                                                  {"points", scale_points_json(per_gpu.front())}}));
    } else {
      auto gpus = nlohmann::json::array();
      for (std::size_t g = 0; g < per_gpu.size(); ++g)
        gpus.push_back({{"gpu", o.job.gpu_ids[g]}, {"points", scale_points_json(per_gpu[g])}});
      fmt::print("{}\n", json_text(nlohmann::json{{"model", std::string(first.model->id)}, {"gpus", gpus}}));
    }
  } else {
    for (std::size_t g = 0; g < per_gpu.size(); ++g) {
      const auto& points = per_gpu[g];
      const Parallel& last = points.back().w.parallel;
      fmt::print("{}{} {} on {} (at {} GPUs: dp {}, tp {}, pp {})\n", g > 0 ? "\n" : "", first.model->id,
                 training ? "training" : "inference", o.job.gpu_ids[g], points.back().gpus, last.dp, last.tp, last.pp);
      Table t({">gpus", "link", ">GiB/GPU", "fits", training ? ">step s" : ">request s",
               training ? ">tokens/s/GPU" : ">decode tok/s", ">efficiency", ">exposed comm", "bound"});
      for (const auto& pt : points)
        t.row({std::to_string(pt.gpus), pt.gpus > 1 ? std::string(pt.p.intra_link) : "-",
               fmt::format("{:.1f}", to_gib(pt.a.memory.per_gpu)), pt.a.memory.fits ? "yes" : "NO",
               fmt::format("{:.3f}", pt.p.step_s),
               fmt::format("{:.0f}", training ? pt.p.result.train_tokens_per_s_per_gpu : pt.p.result.decode_tokens_per_s),
               fmt::format("{:.1f}%", 100 * pt.efficiency), fmt::format("{:.1f}%", 100 * pt.p.exposed_fraction()),
               std::string(to_string(pt.p.result.bound))});
      fmt::print("{}", t.str());
    }
    fmt::print("efficiency: per-GPU throughput over that of one GPU running the same per-GPU job\n");
  }
  if (!o.plot.empty()) {
    svg::ScalingChart chart;
    chart.title = fmt::format("{} {}: scaling over GPU count", first.model->id, training ? "training" : "inference");
    chart.subtitle = job_words(per_gpu.front().front().w);
    chart.throughput_label = training ? "training tokens/s (all GPUs)" : "decode tokens/s (all GPUs)";
    for (std::size_t g = 0; g < per_gpu.size(); ++g) {
      svg::ScaleCurve curve{o.job.gpu_ids[g], svg::series_color(g), {}};
      for (const auto& pt : per_gpu[g])
        curve.points.push_back({pt.gpus,
                                training ? pt.p.result.train_tokens_per_s_per_gpu * pt.gpus : pt.p.result.decode_tokens_per_s,
                                pt.efficiency, pt.a.memory.fits});
      chart.curves.push_back(std::move(curve));
    }
    write_plot(o.plot, svg::scaling_chart(chart), "scale", "scaling chart");
  }
  for (const auto& points : per_gpu)
    for (const auto& pt : points)
      if (!pt.a.memory.fits) ctx.exit_code = does_not_fit;
}

struct PlanOptions {
  JobOptions job;
  std::string objective;  ///< empty: cost for serving, else time
  int max_gpus = 64;
  std::size_t top = 10;
  bool json = false;
};

/// Whether `w` has the degrees that --parallel fixed.
bool has_degrees(const Job& w, const nlohmann::json& fixed) {
  const Parallel& p = w.parallel;
  const std::pair<const char*, int> have[] = {{"dp", p.dp}, {"tp", p.tp}, {"pp", p.pp},
                                              {"cp", p.cp}, {"ep", p.ep}, {"zero", p.zero}};
  for (const auto& [key, v] : have)
    if (fixed.contains(key) && fixed[key].get<std::int64_t>() != v) return false;
  return true;
}

/// How many requests the KV pool of a serving answer holds at full length (prompt + generate each).
double kv_requests(const PlanOption& x) {
  const double per = static_cast<double>(x.job.inference.prompt + x.job.inference.generate);
  return per > 0 ? x.serving.kv_capacity_tokens / per : 0;
}

/// Why the first option wins: what it holds and how far ahead of the next it is under the objective.
std::string why_first(const Plan& p, Objective objective) {
  if (p.options.empty()) return {};
  const PlanOption& a = p.options.front();
  std::string s = fmt::format("{} x{} (dp {}, tp {}, ep {}) at concurrency {}: fits with KV for {:.0f} concurrent "
                              "requests of {} tokens",
                              a.gpu->id, a.job.hardware.count, a.job.parallel.dp, a.job.parallel.tp, a.job.parallel.ep,
                              a.job.serving.concurrency, kv_requests(a),
                              a.job.inference.prompt + a.job.inference.generate);
  if (a.job.serving.slo) s += " and meets the SLO";
  // The next option that differs in score: ties (such as replicas of the winner, more dp at
  // proportionally more load, at the same cost per Mtok) are counted instead.
  std::size_t i = 1, same = 0;
  while (i < p.options.size() && std::abs(p.options[i].score - a.score) <= 1e-3 * std::abs(a.score)) ++i, ++same;
  if (same > 0) s += fmt::format("; {} more option(s) tie with it", same);
  if (i >= p.options.size()) return s + "; nothing else shown fits" + (a.job.serving.slo ? " and meets the SLO" : "");
  const PlanOption& b = p.options[i];
  const std::string next = fmt::format("{} x{} (dp {}, tp {}, ep {}) at concurrency {}", b.gpu->id, b.job.hardware.count,
                                       b.job.parallel.dp, b.job.parallel.tp, b.job.parallel.ep, b.job.serving.concurrency);
  switch (objective) {
    case Objective::cost:
    case Objective::tokens_per_dollar:
      return s + fmt::format("; {:.0f}% cheaper per Mtok than the next, {}", 100 * (1 - a.usd_per_mtok / b.usd_per_mtok), next);
    case Objective::throughput:
      return s + fmt::format("; {:.0f}% more output tokens/s than the next, {}", 100 * (a.throughput / b.throughput - 1), next);
    case Objective::time:
      return s + fmt::format("; {:.0f}% lower mean end-to-end latency than the next, {}",
                             100 * (1 - a.serving.e2e_s / b.serving.e2e_s), next);
  }
  return s;
}

void print_serving_plan(const PlanRequest& req, const Plan& p, bool json) {
  const Job& w = req.job;
  const std::optional<ServingSlo>& slo = w.serving.slo;
  const int pct = slo ? slo->percentile : 50;
  if (json) {
    auto list = nlohmann::json::array();
    for (const auto& x : p.options) {
      const Parallel& par = x.job.parallel;
      const ServingResult& r = x.serving;
      list.push_back({{"gpu", std::string(x.gpu->id)},
                      {"gpus", x.job.hardware.count},
                      {"parallel", {{"dp", par.dp}, {"tp", par.tp}, {"pp", par.pp}, {"ep", par.ep}}},
                      {"concurrency", x.job.serving.concurrency},
                      {"serving", serving_to_json(r)},
                      {"output_tokens_per_s_per_gpu", r.output_tokens_per_s / x.job.hardware.count},
                      {"kv_requests", kv_requests(x)},
                      {"cost_usd_per_hour", x.cost_per_hour},
                      {"usd_per_million_output_tokens", x.usd_per_mtok > 0 ? nlohmann::json(x.usd_per_mtok) : nlohmann::json(nullptr)}});
    }
    nlohmann::json slo_j = nullptr;
    if (slo) slo_j = {{"ttft_s", slo->ttft_s}, {"tpot_s", slo->tpot_s}, {"percentile", slo->percentile}};
    fmt::print("{}\n", json_text(nlohmann::json{{"task", "serving"},
                                                {"runtime", std::string(to_string(w.runtime))},
                                                {"objective", std::string(to_string(req.objective))},
                                                {"slo", slo_j},
                                                {"considered", p.considered},
                                                {"fitting", p.fitting},
                                                {"skipped_unpriced", p.skipped_unpriced},
                                                {"why", why_first(p, req.objective)},
                                                {"options", list}}));
    return;
  }
  fmt::print("{} serving with {} (prompt {}, generate {} tokens{}): best by {} of {} fitting layouts ({} load points "
             "considered)\n",
             w.model->id, to_string(w.runtime), w.inference.prompt, w.inference.generate,
             slo ? "; SLO: " + slo_text(*slo) : std::string(), to_string(req.objective), p.fitting, p.considered);
  const std::string at = pct == 50 ? std::string("") : fmt::format(" p{}", pct);
  Table t({"gpu", ">gpus", "dp/tp/ep", ">concurrency", ">TTFT" + at + " ms", ">TPOT" + at + " ms", ">out tok/s",
           ">tok/s/GPU", ">KV reqs", ">$/h", ">$/Mtok"});
  for (const auto& x : p.options) {
    const Parallel& par = x.job.parallel;
    const SloValues v = slo_values(x.serving, pct);
    t.row({std::string(x.gpu->id), std::to_string(x.job.hardware.count), fmt::format("{}/{}/{}", par.dp, par.tp, par.ep),
           std::to_string(x.job.serving.concurrency), fmt::format("{:.1f}", 1e3 * v.ttft_s),
           fmt::format("{:.2f}", 1e3 * v.tpot_s), fmt::format("{:.0f}", x.throughput),
           fmt::format("{:.0f}", x.throughput / x.job.hardware.count), fmt::format("{:.0f}", kv_requests(x)),
           x.cost_per_hour > 0 ? fmt::format("{:.2f}", x.cost_per_hour) : "-", num(x.usd_per_mtok, 3)});
  }
  fmt::print("{}", t.str());
  if (p.options.empty())
    fmt::print("Nothing in the search space fits{}.\n", slo ? " and meets the SLO" : "");
  else
    fmt::print("why: {}\n", why_first(p, req.objective));
  fmt::print("KV reqs: requests of prompt + generate tokens the KV pool holds; $/Mtok per million output tokens at the "
             "catalog's rental price\n");
  if (!p.skipped_unpriced.empty())
    fmt::print("skipped for lack of a price: {} GPU(s), e.g. {}\n", p.skipped_unpriced.size(), p.skipped_unpriced.front());
}

void run_plan(Context& ctx, PlanOptions o) {
  reject_solve(o.job, "plan");
  o.job.reject_collective("plan");
  o.job.compose_slo();
  const std::string task = o.job.task();
  const bool serving = task == "serving";
  // Inference and serving plan a serving engine unless told otherwise: eager PyTorch at batch 1 would
  // rank every GPU at the same host-bound speed.
  if ((task.empty() || task == "inference" || serving) && !o.job.has("runtime"))
    o.job.values["runtime"] = std::string(to_string(serving_default_runtime));
  if (serving && o.job.has("request_rate"))
    throw InputError("request_rate", "`plan` searches closed-loop concurrency; leave --request-rate out (or fix the load "
                                     "with --concurrency N)");
  if (o.objective.empty()) o.objective = serving ? "cost" : "time";
  const auto chosen = names::value<Objective>(o.objective);
  if (!chosen) {
    const auto near = detail::closest(o.objective, names::spellings<Objective>(), 1);
    throw InputError("objective", "'" + o.objective + "' is not one of " + names::list<Objective>() +
                                      (near.empty() ? std::string() : "; did you mean '" + near.front() + "'?"));
  }
  const Objective objective = *chosen;
  StringStore strings;
  const std::vector<std::string>& ids = o.job.gpu_ids;
  const std::string first = ids.empty() ? std::string(ctx.catalog().gpus().front().id) : ids.front();
  // The planner searches count, parallelism, micro-batch and checkpointing; what the options fix
  // narrows the search. The job itself is parsed as a one-GPU case; --parallel is checked as a case
  // of its own (its keys and ranges).
  JobOptions one = o.job;
  one.gpus.clear();
  one.values.erase("parallel");
  one.tp = one.pp = one.zero = one.dp = one.ep = std::nullopt;
  const nlohmann::json fixed = o.job.parallel();
  if (!fixed.empty()) {
    JobOptions layout = o.job;
    layout.gpus.clear();
    (void)job_from_json(layout.to_case("plan", first), ctx.catalog(), strings);
  }
  const std::vector<int> counts = o.job.counts();
  PlanRequest req;
  req.job = job_from_json(one.to_case("plan", first, 1), ctx.catalog(), strings);
  req.max_gpus = counts.empty() ? o.max_gpus : *std::max_element(counts.begin(), counts.end());
  req.objective = objective;
  if (o.job.has("batch") && req.job.task == Task::training && !req.job.question.batch_max)
    req.micro_batches = {req.job.batch};
  // Inference: the throughput objectives try batches up to 256 concurrent sequences (the largest that
  // fits wins); time keeps the given batch (default 1, the latency of one request).
  if (req.job.task == Task::inference && !o.job.has("batch") && objective != Objective::time)
    req.inference_batches = {1, 4, 16, 64, 256};
  if (serving) {
    if (o.job.has("concurrency")) req.concurrencies = {req.job.serving.concurrency};
  }
  const bool fixed_ckpt = o.job.has("grad_checkpointing");
  const bool filtered = !counts.empty() || !fixed.empty() || fixed_ckpt;
  req.top = o.top;
  if (filtered)
    req.keep = [&counts, &fixed, fixed_ckpt, ckpt = req.job.training.checkpointing](const Job& w) {
      return (counts.empty() || std::find(counts.begin(), counts.end(), w.hardware.count) != counts.end()) &&
             has_degrees(w, fixed) && (!fixed_ckpt || w.training.checkpointing == ckpt);
    };
  if (ids.empty())
    for (const GpuSpec& g : ctx.catalog().gpus()) req.gpus.push_back(&g);
  else
    for (const auto& id : ids) req.gpus.push_back(&ctx.catalog().gpu(id));
  Plan p = plan(req);
  if (filtered) p.fitting = p.ranked;  // the configurations the options fix that fit
  if (serving) {
    print_serving_plan(req, p, o.json);
    if (p.options.empty()) ctx.exit_code = does_not_fit;
    return;
  }
  const bool training = req.job.task == Task::training;
  if (o.json) {
    auto list = nlohmann::json::array();
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
    fmt::print("{}\n", json_text(nlohmann::json{{"objective", std::string(to_string(objective))},
                                      {"considered", p.considered},
                                      {"fitting", p.fitting},
                                      {"skipped_unpriced", p.skipped_unpriced},
                                      {"options", list}}));
  } else {
    fmt::print("{} {}: best by {} of {} fitting configurations ({} considered)\n", req.job.model->id,
               training ? "training" : "inference", to_string(objective), p.fitting, p.considered);
    Table t({"gpu", ">gpus", "dp/tp/pp", ">zero", ">batch", "ckpt", ">GiB/GPU", training ? ">tokens/s" : ">decode tok/s",
             ">$/h", ">Mtok/$", "why"});
    for (const auto& x : p.options) {
      const Parallel& par = x.job.parallel;
      t.row({std::string(x.gpu->id), std::to_string(x.job.hardware.count), fmt::format("{}/{}/{}", par.dp, par.tp, par.pp),
             std::to_string(par.zero), std::to_string(x.job.batch),
             x.job.training.checkpointing == Checkpointing::full ? "full" : "none",
             fmt::format("{:.1f}", to_gib(x.memory.per_gpu)), fmt::format("{:.0f}", x.throughput),
             x.cost_per_hour > 0 ? fmt::format("{:.2f}", x.cost_per_hour) : "-",
             x.tokens_per_dollar > 0 ? fmt::format("{:.2f}", x.tokens_per_dollar / 1e6) : "-",
             fmt::format("{}-bound, {:.0f}% exposed comm{}", to_string(x.time.result.bound),
                         100 * x.time.exposed_fraction(),
                         x.job.hardware.count > 1 ? fmt::format(" ({})", x.time.intra_link) : std::string())});
    }
    fmt::print("{}", t.str());
    if (p.options.empty()) fmt::print("Nothing in the search space fits.\n");
    if (!p.skipped_unpriced.empty())
      fmt::print("skipped for lack of a price: {} GPU(s), e.g. {}\n", p.skipped_unpriced.size(),
                 p.skipped_unpriced.front());
  }
  if (p.options.empty()) ctx.exit_code = does_not_fit;
}

}  // namespace

void add_scale_command(CLI::App& app, Context& ctx) {
  static ScaleOptions so;
  auto* scale = app.add_subcommand("scale", "per-GPU memory, step time, throughput and scaling efficiency per GPU count");
  so.job.add_to(scale, JobShape{.many_gpu_types = true, .count_list = true, .default_counts = "1,2,4,8"});
  scale->add_option("--tp", so.job.tp, "alias of --parallel tp=N");
  scale->add_option("--pp", so.job.pp, "alias of --parallel pp=N");
  scale->add_option("--zero", so.job.zero, "alias of --parallel zero=N (training: ZeRO stage, 3 = FSDP)");
  scale->add_flag("--json", so.json, "JSON output");
  scale->add_option("--plot", so.plot,
                    "write throughput and scaling efficiency over the GPU count, one curve per --gpu, as SVG to this file");
  scale->callback([&ctx] {
    so.job.resolve_model(ctx.catalog());
    run_scale(ctx, so);
  });

  static PlanOptions po;
  auto* planner = app.add_subcommand(
      "plan", "what should I rent? GPU type x count x parallelism (serving: x concurrency under an SLO), ranked");
  po.job.add_to(planner, JobShape{.many_gpu_types = true, .count_list = true, .gpu_required = false});
  planner->add_flag("--json", po.json, "JSON output");
  planner->add_option("--max-gpus", po.max_gpus, "largest GPU count to consider when --gpus is not given (default 64)");
  planner->add_option("--objective", po.objective,
                      names::list<Objective>(", ", " or ") + " (default time; --task serving: cost, $ per million output tokens)");
  po.job.add_slo_options(planner);
  planner->add_option("--top", po.top, "configurations to show (default 10)");
  planner->callback([&ctx] {
    po.job.resolve_model(ctx.catalog());
    run_plan(ctx, po);
  });
}

}  // namespace headroom::cli
