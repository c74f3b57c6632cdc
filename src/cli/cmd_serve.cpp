// headroom serve MODEL --gpu G [--gpus N] [--concurrency 1,8,64 | --rate 5] [--slo-ttft 1 --slo-tpot 0.05]:
// steady-state online serving over a list of load points: TTFT and TPOT (mean, p90), end-to-end latency,
// throughput, cost per million output tokens and the knee where the latency targets break; --plot draws
// the throughput-latency curve of each GPU.
//
// Each load point is one case of the case format (task serving, docs/cases.md), written by JobOptions and
// parsed by the strict case parser, so `serve` and `headroom eval` accept and answer the same things.

#include <fmt/core.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "cli.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/io/svg_lines.hpp"
#include "headroom/names.hpp"
#include "headroom/planner.hpp"
#include "job_options.hpp"
#include "json_out.hpp"
#include "plots.hpp"
#include "table.hpp"

namespace headroom::cli {

namespace {

struct ServeOptions {
  JobOptions job;
  std::string price_text;       ///< --price-per-gpu-hour as written
  std::optional<double> price;  ///< --price-per-gpu-hour: replaces the catalog's price
  std::string plot;
  bool json = false;
};

/// The default load points: serving_concurrency_ladder as a comma list.
std::string default_concurrency() {
  std::string s;
  for (const auto c : serving_concurrency_ladder) s += (s.empty() ? "" : ",") + std::to_string(c);
  return s;
}

/// One load point on one GPU type.
struct Point {
  Job w;
  Answer a;
  double load = 0;          ///< concurrency, or requests/s
  double usd_per_mtok = 0;  ///< 0: no price
  bool runs = false;        ///< it fits and the serving model answered it
  bool meets = false;       ///< runs and meets the SLO (no SLO: runs)
};

}  // namespace

std::string slo_text(const ServingSlo& slo) {
  const std::string p = slo.percentile == 50 ? std::string("mean") : fmt::format("p{}", slo.percentile);
  std::string s;
  if (slo.ttft_s > 0) s += fmt::format("{} TTFT <= {:g} s", p, slo.ttft_s);
  if (slo.tpot_s > 0) s += fmt::format("{}{} TPOT <= {:g} ms", s.empty() ? "" : ", ", p, 1e3 * slo.tpot_s);
  return s;
}

namespace {

/// Why a point breaks the SLO: the first target it misses, with its value.
std::string breach(const ServingResult& s, const ServingSlo& slo) {
  const auto [ttft, tpot] = slo_values(s, slo.percentile);  // serving.hpp
  const std::string p = slo.percentile == 50 ? std::string("mean") : fmt::format("p{}", slo.percentile);
  if (slo.ttft_s > 0 && ttft > slo.ttft_s) return fmt::format("{} TTFT {:.3g} s > {:g} s", p, ttft, slo.ttft_s);
  if (slo.tpot_s > 0 && tpot > slo.tpot_s)
    return fmt::format("{} TPOT {:.3g} ms > {:g} ms", p, 1e3 * tpot, 1e3 * slo.tpot_s);
  return "does not fit";
}

nlohmann::json or_null(double v) { return v > 0 ? nlohmann::json(v) : nlohmann::json(nullptr); }

void run_serve(Context& ctx, ServeOptions& o) {
  JobOptions& job = o.job;
  const std::string task = job.task();
  if (!task.empty() && task != "serving")
    throw InputError("task", "`serve` answers task serving (got '" + task +
                                 "'); drop --task and --method, or ask `headroom perf` / `headroom fit` for " + task);
  if (job.has("solve"))
    throw InputError("solve", "`serve` solves max_concurrency itself when --slo-ttft or --slo-tpot is given; remove --solve");
  if (job.has("batch"))
    throw InputError("batch", "`serve` sets the load with --concurrency (closed-loop clients) or --rate (requests/s), "
                              "not --batch");
  job.compose_slo();
  if (!o.price_text.empty()) {
    try {
      std::size_t used = 0;
      const double v = std::stod(o.price_text, &used);
      if (used == o.price_text.size() && v > 0 && v < 1e6) o.price = v;
    } catch (const std::exception&) {
    }
    if (!o.price)
      throw InputError("price_per_gpu_hour", "'" + o.price_text +
                                                 "' is not a price; give US dollars per GPU-hour > 0, e.g. --price-per-gpu-hour 2.5");
  }
  job.values["task"] = "serving";
  if (!job.has("runtime")) job.values["runtime"] = std::string(to_string(serving_default_runtime));
  const bool closed = !job.has("request_rate");
  if (!closed && job.has("concurrency"))
    throw InputError("request_rate",
                     "give --concurrency (closed-loop clients) or --rate (open-loop arrivals, requests/s), not both");
  const std::string field = closed ? "concurrency" : "request_rate";
  const std::string load_list = job.has(field) ? job.values.at(field) : default_concurrency();
  const std::vector<std::string> loads = split_list(load_list);
  if (loads.empty())
    throw InputError(field, closed ? "needs at least one concurrency, e.g. --concurrency 1,8,64"
                                   : "needs at least one rate in requests/s, e.g. --rate 5");

  struct PerGpu {
    std::string id;
    std::vector<Point> points;
    std::int64_t solved = -1;  ///< limits.max_concurrency, -1 when not asked
  };
  std::vector<PerGpu> gpus;
  StringStore strings;
  std::vector<std::string> all_warnings;
  std::optional<ServingSlo> slo;
  Job first{};
  for (const auto& id : job.gpu_ids) {
    PerGpu g{id, {}, -1};
    for (const auto& item : loads) {
      JobOptions point = job;
      point.values[field] = item;
      std::vector<std::string> warnings;
      const nlohmann::json c = point.to_case("serve " + field + "=" + item, id);
      Point p{job_from_json(c, ctx.catalog(), strings, warnings), {}, 0, 0, false, false};
      all_warnings.insert(all_warnings.end(), warnings.begin(), warnings.end());
      p.a = evaluate(p.w);
      p.load = closed ? static_cast<double>(p.w.serving.concurrency) : p.w.serving.request_rate.value_or(0);
      const ServingResult& s = p.a.serving;
      p.runs = p.a.has_serving && (!p.a.has_memory || p.a.memory.fits) && s.output_tokens_per_s > 0;
      const double price = o.price ? *o.price : p.w.hardware.gpu->price_usd_per_hour;
      if (p.runs && price > 0) p.usd_per_mtok = usd_per_million_tokens(price * p.w.hardware.count, s.output_tokens_per_s);
      slo = p.w.serving.slo;
      p.meets = p.runs && (!slo || meets(s, *slo));  // the serving model's SLO rule (serving.hpp)
      if (gpus.empty() && g.points.empty()) first = p.w;
      g.points.push_back(std::move(p));
    }
    if (slo && closed) {
      // The largest concurrency that fits and meets the SLO, from the serving model's own solve.
      JobOptions solve = job;
      solve.values.erase("concurrency");
      solve.values["solve"] = "max_concurrency";
      const Job w = job_from_json(solve.to_case("serve solve", id), ctx.catalog(), strings);
      const Answer a = evaluate(w);
      g.solved = a.limits.max_concurrency;
    }
    gpus.push_back(std::move(g));
  }
  print_warnings(all_warnings);

  const auto knee = [&](const PerGpu& g) {
    std::optional<std::size_t> last_ok, first_break;
    for (std::size_t i = 0; i < g.points.size(); ++i) {
      if (g.points[i].meets) last_ok = i;
      else if (!first_break) first_break = i;
    }
    return std::pair{last_ok, first_break};
  };
  const auto load_text = [closed](double v) {
    return closed ? fmt::format("{:g}", v) : fmt::format("{:g} req/s", v);
  };
  const std::string load_key = closed ? "concurrency" : "request_rate";

  if (o.json) {
    auto list = nlohmann::json::array();
    for (const auto& g : gpus) {
      const Job& w = g.points.front().w;
      const double price = o.price ? *o.price : w.hardware.gpu->price_usd_per_hour;
      auto points = nlohmann::json::array();
      for (const auto& p : g.points) {
        nlohmann::json j{{load_key, closed ? nlohmann::json(p.w.serving.concurrency) : nlohmann::json(p.load)},
                         {"fits", !p.a.has_memory || p.a.memory.fits},
                         {"serving", p.a.has_serving ? serving_to_json(p.a.serving) : nlohmann::json(nullptr)},
                         {"output_tokens_per_s_per_gpu", p.runs ? p.a.serving.output_tokens_per_s / w.hardware.count : 0.0},
                         {"usd_per_million_output_tokens", or_null(p.usd_per_mtok)}};
        if (slo) j["meets_slo"] = p.meets;
        points.push_back(j);
      }
      nlohmann::json entry{{"gpu", g.id},
                           {"gpus", w.hardware.count},
                           {"parallel", {{"dp", w.parallel.dp}, {"tp", w.parallel.tp}, {"pp", w.parallel.pp}, {"ep", w.parallel.ep}}},
                           {"price_usd_per_gpu_hour", or_null(price)},
                           {"points", points}};
      if (slo) {
        const auto [ok, bad] = knee(g);
        const auto at = [&](std::size_t i) {
          return closed ? nlohmann::json(g.points[i].w.serving.concurrency) : nlohmann::json(g.points[i].load);
        };
        entry["knee"] = {{"last_meeting_slo", ok ? at(*ok) : nlohmann::json(nullptr)},
                         {"first_breaking_slo", bad ? at(*bad) : nlohmann::json(nullptr)},
                         {"max_concurrency", g.solved >= 0 ? nlohmann::json(g.solved) : nlohmann::json(nullptr)}};
      }
      list.push_back(entry);
    }
    nlohmann::json slo_j = nullptr;
    if (slo) slo_j = {{"ttft_s", or_null(slo->ttft_s)}, {"tpot_s", or_null(slo->tpot_s)}, {"percentile", slo->percentile}};
    fmt::print("{}\n", json_text(nlohmann::json{{"model", std::string(first.model->id)},
                                                {"task", "serving"},
                                                {"runtime", std::string(to_string(first.runtime))},
                                                {"prompt", first.inference.prompt},
                                                {"generate", first.inference.generate},
                                                {"load", load_key},
                                                {"slo", slo_j},
                                                {"gpus", list}}));
  } else {
    fmt::print("{} serving with {}: prompt {} tokens, generate {} tokens, {}{}\n", first.model->id,
               to_string(first.runtime), first.inference.prompt, first.inference.generate,
               closed ? "closed loop (concurrency = clients, one request in flight each)" : "Poisson arrivals (req/s)",
               slo ? "; SLO: " + slo_text(*slo) : std::string());
    for (const auto& g : gpus) {
      const Job& w = g.points.front().w;
      const double price = o.price ? *o.price : w.hardware.gpu->price_usd_per_hour;
      double kv = 0;
      for (const auto& p : g.points) kv = std::max(kv, p.a.serving.kv_capacity_tokens);
      fmt::print("\n{} x{} (dp {}, tp {}, ep {}){}{}\n", g.id, w.hardware.count, w.parallel.dp, w.parallel.tp,
                 w.parallel.ep, kv > 0 ? fmt::format(", KV pool {:.0f} tokens", kv) : std::string(),
                 price > 0 ? fmt::format(", ${:.2f}/GPU-hour{}", price, o.price ? " (--price-per-gpu-hour)" : "")
                           : std::string(", no price"));
      std::vector<std::string> head{closed ? ">concurrency" : ">rate", ">TTFT ms", ">TTFT p90 ms", ">TPOT ms", ">TPOT p90 ms",
                                    ">e2e s", ">out tok/s", ">tok/s/GPU", ">req/s", ">$/Mtok"};
      if (slo) head.push_back("SLO");
      Table t(head);
      for (const auto& p : g.points) {
        const ServingResult& s = p.a.serving;
        std::vector<std::string> cells{load_text(p.load)};
        if (p.runs)
          cells.insert(cells.end(), {fmt::format("{:.1f}", 1e3 * s.ttft_s), fmt::format("{:.1f}", 1e3 * s.ttft_p90_s),
                                     fmt::format("{:.2f}", 1e3 * s.tpot_s), fmt::format("{:.2f}", 1e3 * s.tpot_p90_s),
                                     fmt::format("{:.2f}", s.e2e_s), fmt::format("{:.0f}", s.output_tokens_per_s),
                                     fmt::format("{:.0f}", s.output_tokens_per_s / w.hardware.count),
                                     fmt::format("{:.2f}", s.requests_per_s), num(p.usd_per_mtok, 3)});
        else
          cells.insert(cells.end(), {"does not fit", "", "", "", "", "", "", "", ""});
        if (slo) cells.push_back(p.meets ? "ok" : "BREAKS");
        t.row(cells);
      }
      fmt::print("{}", t.str());
      if (slo) {
        const auto [ok, bad] = knee(g);
        std::string line = ok ? fmt::format("knee: meets the SLO up to {}{}", closed ? "concurrency " : "",
                                            load_text(g.points[*ok].load))
                              : std::string("knee: no load point meets the SLO");
        if (bad)
          line += fmt::format("; first breaks at {} ({})", load_text(g.points[*bad].load),
                              breach(g.points[*bad].a.serving, *slo));
        if (g.solved >= 0) line += fmt::format("; largest concurrency that meets it: {}", g.solved);
        fmt::print("{}\n", line);
      }
    }
    fmt::print("\nTTFT, TPOT in milliseconds (mean, p90); e2e: mean request latency; out tok/s: output tokens/s of the "
               "whole deployment; $/Mtok = GPUs x $/GPU-hour / (out tok/s x 3600) x 1e6 at {}; '-' where there is none\n",
               o.price ? "--price-per-gpu-hour" : "the catalog's rental price (`headroom gpus`)");
  }

  if (!o.plot.empty()) {
    // The curve serving benchmarks publish: throughput per GPU against interactivity (tokens/s a user sees).
    std::vector<svg::XySeries> series;
    for (std::size_t i = 0; i < gpus.size(); ++i) {
      const auto& g = gpus[i];
      svg::XySeries s{gpus_label(g.id, g.points.front().w.hardware.count), {}, {}, {}, svg::series_color(i)};
      for (const auto& p : g.points) {
        if (!p.runs || !(p.a.serving.tpot_s > 0)) continue;
        s.x.push_back(1 / p.a.serving.tpot_s);
        s.y.push_back(p.a.serving.output_tokens_per_s / p.w.hardware.count);
        s.labels.push_back(closed ? fmt::format("c={:g}", p.load) : fmt::format("{:g}/s", p.load));
      }
      series.push_back(std::move(s));
    }
    const std::string text = svg::xy_chart(
        fmt::format("{} with {}, prompt {} / generate {} tokens", first.model->id, to_string(first.runtime),
                    first.inference.prompt, first.inference.generate),
        "interactivity (output tokens/s per user = 1 / TPOT)", "output tokens/s per GPU", series, "tok/s", "tok/s");
    write_plot(o.plot, text, "serve", "throughput-latency curve");
  }

  bool any = false;
  for (const auto& g : gpus)
    for (const auto& p : g.points) any = any || p.runs;
  if (!any) ctx.exit_code = does_not_fit;
}

}  // namespace

void add_serve_command(CLI::App& app, Context& ctx) {
  static ServeOptions so;
  auto* serve = app.add_subcommand(
      "serve", "online serving over load: TTFT/TPOT mean and p90, throughput, $/Mtok, the knee where an SLO breaks");
  so.job.add_to(serve, JobShape{.many_gpu_types = true});
  // --concurrency and --request-rate are the case fields' options; here they take comma lists.
  serve->get_option("--concurrency")
      ->description("closed-loop clients, a comma list of load points (default " + default_concurrency() + ")");
  serve->get_option("--request-rate")->description("open-loop Poisson arrivals in requests/s, a comma list (instead of --concurrency)");
  serve->add_option_function<std::string>(
      "--rate", [](const std::string& v) { so.job.values["request_rate"] = v; }, "alias of --request-rate");
  serve->get_option("--runtime")->description(names::list<Runtime>() + " (default " + std::string(to_string(serving_default_runtime)) + ")");
  so.job.add_slo_options(serve);
  serve->add_option("--tp", so.job.tp, "alias of --parallel tp=N");
  serve->add_option("--ep", so.job.ep, "alias of --parallel ep=N (MoE experts over N GPUs)");
  serve->add_option("--dp", so.job.dp, "alias of --parallel dp=N (replicas; attention data parallelism for MoE)");
  serve->add_option("--price-per-gpu-hour", so.price_text,
                    "US dollars per GPU-hour for $/Mtok (default: the catalog's rental price, `headroom gpus`)");
  serve->add_flag("--json", so.json, "JSON output");
  serve->add_option("--plot", so.plot,
                    "write the throughput-latency curve (tokens/s per GPU over tokens/s per user) as SVG to this file");
  serve->callback([&ctx] {
    so.job.resolve_model(ctx.catalog());
    run_serve(ctx, so);
  });
}

}  // namespace headroom::cli
