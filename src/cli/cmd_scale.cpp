// headroom scale MODEL --gpu ID --gpus 1,2,4,8 [...]: per-GPU memory, step time, throughput and
// scaling efficiency per GPU count (optionally plotted as SVG).
// headroom plan MODEL --task training|inference [...]: the best GPU type x count x parallelism under an
// objective (time, cost, tokens per dollar), with why.
//
// The job options become a case object parsed by the strict case parser (docs/cases.md), as for
// `headroom fit`; the GPU count and `parallel` are set here per configuration.

#include <fmt/core.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>

#include "cli.hpp"
#include "headroom/detail/closest.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/io/svg.hpp"
#include "headroom/names.hpp"
#include "headroom/planner.hpp"
#include "headroom/scaling.hpp"
#include "job_options.hpp"
#include "table.hpp"

namespace headroom::cli {

namespace {

/// The case of one configuration: the job options plus gpu, gpus and parallel.
nlohmann::json job_case(const JobOptions& o, const std::string& gpu, int gpus, const nlohmann::json& parallel) {
  nlohmann::json c = o.to_case("scale", gpu);
  c["gpus"] = gpus;
  if (gpus > 1) c["parallel"] = parallel;
  return c;
}

std::vector<int> parse_counts(const std::string& text) {
  std::vector<int> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    try {
      std::size_t used = 0;
      const int v = std::stoi(item, &used);
      if (used != item.size() || v < 1) throw std::invalid_argument(item);
      out.push_back(v);
    } catch (const std::exception&) {
      throw InputError("gpus", "'" + item + "' is not a GPU count >= 1; write e.g. --gpus 1,2,4,8");
    }
  }
  if (out.empty()) throw InputError("gpus", "needs at least one count, e.g. --gpus 1,2,4,8");
  return out;
}

std::vector<std::string> parse_list(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

struct ScaleOptions {
  JobOptions job;
  std::string gpu, counts = "1,2,4,8", plot;
  std::optional<int> zero, tp, pp;
  bool json = false;
};

void run_scale(Context& ctx, const ScaleOptions& o) {
  const std::vector<int> counts = parse_counts(o.counts);
  const int tp = o.tp.value_or(1), pp = o.pp.value_or(1);
  struct Point {
    int gpus;
    Job w;
    Answer a;
    ParallelEstimate p;
    double efficiency;
  };
  std::vector<Point> points;
  StringStore strings;
  double base_rate = 0;
  for (int n : counts) {
    const bool training = o.job.task == "training" || (o.job.task.empty() && !o.job.method.empty());
    nlohmann::json par = nlohmann::json::object();
    if (n % (tp * pp) != 0)
      throw InputError("gpus", fmt::format("{} GPUs cannot be split into tp {} x pp {}", n, tp, pp));
    const int dp = n / (tp * pp);
    if (dp > 1) par["dp"] = dp;
    if (tp > 1 && n > 1) par["tp"] = tp;
    if (pp > 1 && n > 1) par["pp"] = pp;
    if (o.zero && dp > 1 && training) par["zero"] = *o.zero;
    if (par.empty()) par["dp"] = n;
    const Job w = job_from_json(job_case(o.job, o.gpu, n, par), ctx.catalog(), strings);
    Point pt{n, w, evaluate(w), estimate_parallel(w), 0};
    const double rate = w.task == Task::training ? pt.p.result.train_tokens_per_s_per_gpu
                                                 : pt.p.result.decode_tokens_per_s / n;
    if (base_rate == 0) base_rate = rate / (w.task == Task::training ? scaling_efficiency(w) : 1.0);
    if (w.task == Task::training) pt.efficiency = scaling_efficiency(w);
    else pt.efficiency = base_rate > 0 ? rate / base_rate : 0;
    points.push_back(pt);
  }
  const bool training = points.front().w.task == Task::training;
  if (o.json) {
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
    fmt::print("{}\n", nlohmann::json{{"model", std::string(points.front().w.model->id)}, {"gpu", o.gpu}, {"points", list}}.dump(2));
  } else {
    fmt::print("{} {} on {} (tp {}, pp {}, rest data parallel)\n", points.front().w.model->id,
               training ? "training" : "inference", o.gpu, tp, pp);
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
    fmt::print("efficiency: per-GPU throughput over that of one GPU running the same per-GPU job\n");
  }
  if (!o.plot.empty()) {
    std::vector<double> x, eff, exposed;
    for (const auto& pt : points) {
      x.push_back(pt.gpus);
      eff.push_back(100 * pt.efficiency);
      exposed.push_back(100 * pt.p.exposed_fraction());
    }
    const std::string svg_text = svg::line_chart(
        fmt::format("{} on {}", points.front().w.model->id, o.gpu), "GPUs", x,
        {{"scaling efficiency %", eff, "#1f77b4"}, {"exposed communication %", exposed, "#d62728"}}, "%");
    std::ofstream out(o.plot);
    if (!out) throw IoError("cannot write '" + o.plot + "'");
    out << svg_text;
    fmt::print(stderr, "headroom scale: plot written to {}\n", o.plot);
  }
  for (const auto& pt : points)
    if (!pt.a.memory.fits) ctx.exit_code = does_not_fit;
}

struct PlanOptions {
  JobOptions job;
  std::string gpus, objective = "time";
  int max_gpus = 64;
  std::size_t top = 10;
  bool json = false;
};

void run_plan(Context& ctx, const PlanOptions& o) {
  const auto chosen = names::value<Objective>(o.objective);
  if (!chosen) {
    const auto near = detail::closest(o.objective, names::spellings<Objective>(), 1);
    throw InputError("objective", "'" + o.objective + "' is not one of " + names::list<Objective>() +
                                      (near.empty() ? std::string() : "; did you mean '" + near.front() + "'?"));
  }
  const Objective objective = *chosen;
  StringStore strings;
  // The job as a one-GPU case (the planner sets gpu, count and parallelism).
  const std::vector<std::string> ids = o.gpus.empty() ? std::vector<std::string>{} : parse_list(o.gpus);
  const std::string first = ids.empty() ? std::string(ctx.catalog().gpus().front().id) : ids.front();
  PlanRequest req;
  req.job = job_from_json(job_case(o.job, first, 1, {}), ctx.catalog(), strings);
  req.max_gpus = o.max_gpus;
  req.objective = objective;
  req.top = o.top;
  if (ids.empty())
    for (const GpuSpec& g : ctx.catalog().gpus()) req.gpus.push_back(&g);
  else
    for (const auto& id : ids) req.gpus.push_back(&ctx.catalog().gpu(id));
  const Plan p = plan(req);
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
    fmt::print("{}\n", nlohmann::json{{"objective", std::string(to_string(objective))},
                                      {"considered", p.considered},
                                      {"fitting", p.fitting},
                                      {"skipped_unpriced", p.skipped_unpriced},
                                      {"options", list}}
                           .dump(2));
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
  so.job.add_to(scale, true, true);
  scale->add_option("--zero", so.zero, "training: ZeRO stage of the data-parallel ranks (3 = FSDP)");
  scale->add_option("--tp", so.tp, "tensor-parallel degree (the rest of --gpus is data parallel)");
  scale->add_option("--pp", so.pp, "pipeline-parallel degree");
  scale->add_flag("--json", so.json, "JSON output");
  scale->add_option("--gpu", so.gpu, "GPU catalog id, e.g. a100-sxm4-80gb")->required();
  scale->add_option("--gpus", so.counts, "GPU counts, comma separated (default 1,2,4,8)");
  scale->add_option("--plot", so.plot, "write the efficiency curve as SVG to this file");
  scale->callback([&ctx] { run_scale(ctx, so); });

  static PlanOptions po;
  auto* planner = app.add_subcommand("plan", "what should I rent? GPU type x count x parallelism, ranked");
  po.job.add_to(planner, false, true);
  planner->add_flag("--json", po.json, "JSON output");
  planner->add_option("--gpus", po.gpus, "candidate GPU ids, comma separated (default: the whole catalog)");
  planner->add_option("--max-gpus", po.max_gpus, "largest GPU count to consider (default 64)");
  planner->add_option("--objective", po.objective, names::list<Objective>(", ", " or ") + " (default time)");
  planner->add_option("--top", po.top, "configurations to show (default 10)");
  planner->callback([&ctx] { run_plan(ctx, po); });
}

}  // namespace headroom::cli
