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
#include "headroom/evaluate.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/io/plan_json.hpp"
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

void print_serving_plan(const PlanRequest& req, const Plan& p) {
  const Job& w = req.job;
  const std::optional<ServingSlo>& slo = w.serving.slo;
  const int pct = slo ? slo->percentile : 50;
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
  if (serving && o.job.has("request_rate"))
    throw InputError("request_rate", "`plan` searches closed-loop concurrency; leave --request-rate out (or fix the load "
                                     "with --concurrency N)");
  // The question as plan_json.hpp reads it: the case with --parallel (checked as a case of its own, on
  // as many GPUs as its degrees multiply to), --gpu and --gpus as lists.
  JobOptions layout = o.job;
  layout.gpus.clear();
  const std::vector<std::string>& ids = o.job.gpu_ids;
  const std::string first = ids.empty() ? std::string(ctx.catalog().gpus().front().id) : ids.front();
  nlohmann::json request{{"case", layout.to_case("plan", first)}, {"gpu", ids}, {"gpus", o.job.counts()},
                         {"max_gpus", o.max_gpus}, {"top", o.top}};
  if (!o.objective.empty()) request["objective"] = o.objective;
  StringStore strings;
  const PlanRequest req = plan_request_from_json(request, ctx.catalog(), strings);
  const Plan p = plan_kept(req);
  const Objective objective = req.objective;
  if (p.options.empty()) ctx.exit_code = does_not_fit;
  if (o.json) {
    fmt::print("{}\n", json_text(plan_to_json(req, p)));
  } else if (serving) {
    print_serving_plan(req, p);
  } else {
    const bool training = req.job.task == Task::training;
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
