// headroom perf MODEL --gpu ID [...]: the job's operators on one GPU, each timed on the roofline (FLOPs,
// bytes, intensity, time, bound), the phase totals and, with --plot, an SVG roofline.
// headroom compare MODEL --gpu A --gpu B [...]: the same job side by side on several GPUs, with the cost
// per million tokens where the catalog has a price; --plot draws one memory bar per GPU.
//
// The job options are those of `headroom fit` (one GPU); they become a case object parsed by the strict
// case parser (docs/cases.md), so perf, compare, fit and eval accept and reject the same things.

#include <fmt/core.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <iterator>
#include <optional>

#include "cli.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/io/svg_roofline.hpp"
#include "headroom/io/calibration_json.hpp"
#include "job_options.hpp"
#include "json_out.hpp"
#include "plots.hpp"
#include "table.hpp"

namespace headroom::cli {

namespace {

/// The job options, plus --profile and --json.
struct PerfJob {
  JobOptions job;
  std::string profile;
  bool json = false;

  void add_to(CLI::App* app, JobShape shape) {
    job.add_to(app, shape);
    app->add_option("--profile", profile,
                    "predict time with this measured efficiency profile (`headroom calibrate` output)")
        ->check(CLI::ExistingFile);
    app->add_flag("--json", json, "JSON output");
  }
};

/// The efficiency profile of --profile, or the built-in one.
struct ProfileChoice {
  StringStore strings;
  EfficiencyProfile profile = builtin_efficiency;
  double band = 0;
  explicit ProfileChoice(const std::string& file) {
    if (!file.empty()) profile = load_profile_file(file, strings, &band);
  }
};

// ---------------------------------------------------------------------------------------------------------------
// perf

struct OpRow {
  std::string name;
  Operator op;
  OperatorTime t;
};

struct Phase {
  std::string name;     ///< prefill, decode step, train micro-batch
  std::string summary;  ///< what one instance of the phase is
  PhaseTime total;      ///< the phase as the time model totals it
  std::vector<OpRow> ops;
};

std::string op_label(const Operator& op) {
  std::string s(op.name);
  // A dequantization and a LoRA adapter carry the name of their linear layer.
  if (op.kind == OpKind::dequant) s += " dequant";
  else if (op.kind == OpKind::lora) s += " lora";
  if (op.pass == Pass::backward) s += op.grad == Grad::weight ? " (bwd dW)" : op.grad == Grad::input ? " (bwd dX)" : " (bwd)";
  else if (op.pass == Pass::recompute) s += " (recompute)";
  return s;
}

std::vector<OpRow> phase_ops(const Job& w, const StepShape& shape, bool training, const RatedGpu& dev,
                             const RuntimeEfficiency& rt, const TimingOptions& opt) {
  std::vector<OpRow> rows;
  visit_operators(w, shape, training, [&](const Operator& op) {
    rows.push_back({op_label(op), op, time_operator(dev, op, rt, opt)});
  });
  return rows;
}

std::string si(double v, const char* unit) {
  if (v == 0) return "-";
  const char* prefixes[] = {"", "k", "M", "G", "T", "P", "E"};
  std::size_t i = 0;
  while (std::abs(v) >= 1000 && i + 1 < std::size(prefixes)) v /= 1000, ++i;
  return fmt::format("{:.3g} {}{}", v, prefixes[i], unit);
}

std::string ms(Seconds s) { return s.value() == 0 ? "-" : fmt::format("{:.3f}", s.value() * 1e3); }

nlohmann::json op_json(const OpRow& r) {
  nlohmann::json j = {{"name", r.name},
                      {"pass", r.op.pass == Pass::forward ? "forward" : r.op.pass == Pass::backward ? "backward" : "recompute"},
                      {"count", r.op.count},
                      {"flops", r.t.flops.value()},
                      {"bytes", r.t.bytes.value()},
                      {"intensity", r.t.intensity()},
                      {"time_s", r.t.gpu.value()},
                      {"host_s", r.t.host.value()},
                      {"bound", std::string(to_string(r.t.bound()))}};
  if (r.t.synced.value() > 0) j["synced_s"] = r.t.synced.value();  // GPU waits on the host after a sync
  return j;
}

struct PerfOptions {
  PerfJob job;
  std::string plot;
};

void run_perf(Context& ctx, const PerfOptions& o) {
  StringStore strings;
  const nlohmann::json c = o.job.job.to_case("perf", o.job.job.gpu_ids.front());
  std::vector<std::string> warnings;
  const Job w = job_from_json(c, ctx.catalog(), strings, warnings);
  print_warnings(warnings);
  const ProfileChoice prof(o.job.profile);
  const Answer a = evaluate(w, prof.profile, prof.band);
  // A figure that is not finite and non-negative is an error (answer_to_json throws), never printed.
  (void)answer_to_json(c["id"], a, w);
  if (w.task == Task::collective) {
    if (o.job.json) fmt::print("{}\n", json_text(answer_to_json(c["id"], a, w, warnings)));
    else
      fmt::print("{} of {:g} bytes on {}x {}: {:.4g} ms, bus bandwidth {:.4g} GB/s, {}-bound\n",
                 to_string(w.collective.op), w.collective.bytes, w.hardware.count, w.hardware.gpu->name,
                 1e3 * a.time.step_time_s, a.time.busbw_gbps, to_string(a.time.bound));
    return;
  }
  const Job x = at_solved_batch(w, a.limits);
  const TimeEstimate e = estimate_time_detailed(x, prof.profile);
  const RatedGpu dev = rated_gpu(x, prof.profile);
  const RuntimeEfficiency rt = rated_runtime(x, prof.profile);
  const TimeResult& r = e.result;
  const bool training = x.task == Task::training;
  const bool answered = r.bound != Bound::none;

  std::vector<Phase> phases;
  if (answered && training) {
    StepShape micro = e.train_shape;
    micro.repeat = 1;
    Phase p{"train micro-batch",
            fmt::format("forward + backward of {} x {} tokens{}; the total covers {} micro-batch(es)", x.batch,
                        x.training.seq, x.training.checkpointing != Checkpointing::none ? " with recompute" : "", x.training.grad_accum),
            e.train, phase_ops(x, micro, true, dev, rt, e.timing)};
    // The phase total covers grad_accum micro-batches; the listing one of them.
    Phase opt{"optimizer step", "once per optimizer step", e.optimizer, {}};
    const Operator op = optimizer_operator(x);
    opt.ops.push_back({op_label(op), op, time_operator(dev, op, rt, e.timing)});
    phases.push_back(std::move(p));
    phases.push_back(std::move(opt));
  } else if (answered) {
    if (e.prefill_shape.tokens > 0 && r.prefill_tokens_per_s > 0)
      phases.push_back({"prefill",
                        fmt::format("{} x {} prompt tokens in {:g} call(s)", x.batch, x.inference.prompt, e.prefill_shape.repeat),
                        e.prefill, phase_ops(x, e.prefill_shape, false, dev, rt, e.timing)});
    if (e.decode_steps > 0 || (x.inference.prompt <= 0 && x.inference.generate > 0))
      phases.push_back({"decode step",
                        fmt::format("one token for {:g} sequence(s) at the mean context {:g}", e.decode_shape.seqs,
                                    e.mean_context),
                        e.decode, phase_ops(x, e.decode_shape, false, dev, rt, e.timing)});
  }

  const char* convention =
      "MFU = tokens/s x model FLOPs per token / dense BF16 peak (whatever the compute precision); model FLOPs "
      "per token = 6N + 6 L a d s (N: matmul weights incl. the output head, MoE: routed top-k; causal attention, "
      "no recompute; LoRA/QLoRA: 4N + 6 N_adapters); HFU counts the recomputed forward too";

  // ", 80%: lo–hi" after a headline number (the key's band from the answer).
  const auto headline_band = [&a](double v, AnswerKey k, int decimals) {
    const Interval b = a.intervals[k];
    return b.present() ? ", " + band_text(v, b.low, b.high, decimals) : std::string();
  };

  if (o.job.json) {
    nlohmann::json out = answer_to_json(c["id"], a, x, warnings);
    auto list = nlohmann::json::array();
    for (const auto& p : phases) {
      auto ops = nlohmann::json::array();
      for (const auto& row : p.ops) ops.push_back(op_json(row));
      list.push_back({{"phase", p.name},
                      {"what", p.summary},
                      {"time_s", p.total.time.value()},
                      {"gpu_s", p.total.gpu.value()},
                      {"host_s", p.total.host.value()},
                      {"flops", p.total.flops.value()},
                      {"bytes", p.total.bytes.value()},
                      {"intensity", p.total.intensity()},
                      {"bound", std::string(to_string(p.total.bound()))},
                      {"operators", ops}});
      if (p.total.synced.value() > 0) list.back()["synced_s"] = p.total.synced.value();
    }
    out["phases"] = list;
    if (training) out["mfu_convention"] = convention;
    fmt::print("{}\n", json_text(out));
  } else {
    fmt::print("{} {} on {} ({} compute, {} runtime{})\n", x.model->id, training ? "training" : "inference",
               x.hardware.gpu->name, to_string(x.compute), c.value("runtime", std::string("pytorch")),
               o.job.profile.empty() ? "" : ", measured profile");
    fmt::print("peaks: {} dense {}, memory {}; ridge {:.0f} FLOP/B\n", to_string(x.compute),
               si(dev.peak(x.compute).value(), "FLOP/s"), si(x.hardware.gpu->memory_bandwidth.value(), "B/s"),
               ridge(dev.peak(x.compute), x.hardware.gpu->memory_bandwidth).value());
    fmt::print("memory: {:.1f} GiB on the device ({:.1f} allocated) of {:.1f} GiB usable, {}\n", to_gib(a.memory.device),
               to_gib(a.memory.per_gpu), to_gib(a.memory.usable), a.memory.fits ? "fits" : "DOES NOT FIT");
    if (!answered)
      fmt::print("\nNo time answer: {} publishes no {} rate (or no memory bandwidth).\n", x.hardware.gpu->name,
                 to_string(x.compute));
    for (const auto& p : phases) {
      fmt::print("\n{}: {}\n", p.name, p.summary);
      Table t({"operator", ">count", ">FLOPs", ">bytes", ">FLOP/B", ">time ms", ">share", "bound"});
      double gpu_sum = 0;
      for (const auto& row : p.ops) gpu_sum += row.t.gpu.value();
      for (const auto& row : p.ops)
        t.row({row.name, fmt::format("{:g}", row.op.count), si(row.t.flops.value(), ""), si(row.t.bytes.value(), "B"),
               row.t.intensity() > 0 ? fmt::format("{:.1f}", row.t.intensity()) : "-", ms(row.t.gpu),
               gpu_sum > 0 ? fmt::format("{:.1f}%", 100 * row.t.gpu.value() / gpu_sum) : "-",
               std::string(to_string(row.t.bound()))});
      fmt::print("{}", t.str());
      const std::string synced =
          p.total.synced.value() > 0 ? fmt::format(", + {} ms waiting on the host after a sync", ms(p.total.synced)) : "";
      fmt::print("total: {} ms (GPU {} ms, host {} ms{}; + step overhead), {}, {:.1f} FLOP/B, {}-bound\n",
                 ms(p.total.time), ms(p.total.gpu), ms(p.total.host), synced, si(p.total.flops.value(), "FLOP"),
                 p.total.intensity(), to_string(p.total.bound()));
    }
    if (answered) {
      fmt::print("\n");
      if (training) {
        fmt::print("step time: {:.3f} s ({} micro-batch(es) + optimizer)\n", r.step_time_s, x.training.grad_accum);
        fmt::print("tokens/s: {:.0f}{}\n", r.train_tokens_per_s_per_gpu,
                   headline_band(r.train_tokens_per_s_per_gpu, AnswerKey::time_train_tokens_per_s_per_gpu, 0));
        fmt::print("MFU: {:.1f}%{}\n", 100 * r.mfu, r.hfu > r.mfu ? fmt::format(" (HFU {:.1f}%)", 100 * r.hfu) : "");
        fmt::print("  ({})\n", convention);
      } else {
        if (r.prefill_tokens_per_s > 0)
          fmt::print("prefill: {:.0f} tokens/s{}, TTFT {:.1f} ms\n", r.prefill_tokens_per_s,
                     headline_band(r.prefill_tokens_per_s, AnswerKey::time_prefill_tokens_per_s, 0), 1e3 * r.ttft_s);
        if (r.decode_tokens_per_s > 0)
          fmt::print("decode: {:.1f} tokens/s{} (output tokens over the whole request)\n", r.decode_tokens_per_s,
                     headline_band(r.decode_tokens_per_s, AnswerKey::time_decode_tokens_per_s, 1));
      }
      fmt::print("bound: {} (intensity {:.1f} FLOP/B, dominant phase)\n", to_string(r.bound), r.intensity);
      if (a.interval.present() && r.bound != Bound::none)
        fmt::print("80% band of the headline key: x{:.2f} to x{:.2f} (measured / predicted)\n", a.interval.low,
                   a.interval.high);
    }
  }

  if (!o.plot.empty()) {
    const FamilyEfficiency& fe = prof.profile.for_family(gpu_family(*x.hardware.gpu));
    const double peak = dev.peak(x.compute).value();
    const double bw = x.hardware.gpu->memory_bandwidth.value();
    const double eta_c = fe.gemm.eta_max[static_cast<std::size_t>(x.compute)] * rt.gemm_scale;
    svg::RooflineChart chart;
    chart.title = fmt::format("{} on {}: roofline", x.model->id, gpus_label(x.hardware.gpu->name, x.hardware.count));
    chart.subtitle = job_words(x) + (o.job.profile.empty() ? "" : ", measured profile");
    chart.roofs = {{fmt::format("{} roofline", to_string(x.compute)), peak, bw, "#333333", false, true},
                   {fmt::format("achievable ({:.0f}% / {:.0f}%)", 100 * eta_c, 100 * fe.memory.eta_max), peak * eta_c,
                    bw * fe.memory.eta_max, "#888888", true, false}};
    for (std::size_t i = 0; i < phases.size(); ++i) {
      chart.groups.push_back({phases[i].name, svg::series_color(i), svg::Mark::dot});
      for (const auto& row : phases[i].ops) {
        const double gpu_s = row.t.gpu.value();
        chart.points.push_back({row.name, row.t.intensity(), row.t.flop_rate(),
                                gpu_s > 0 ? row.t.bytes.value() / gpu_s : 0, gpu_s, svg::series_color(i)});
      }
    }
    write_plot(o.plot, svg::roofline_chart(chart), "perf", "roofline");
  }
  if (!a.memory.fits) ctx.exit_code = does_not_fit;
}

// ---------------------------------------------------------------------------------------------------------------
// compare

struct CompareOptions {
  PerfJob job;
  std::string plot;
};

void run_compare(Context& ctx, const CompareOptions& o) {
  o.job.job.reject_collective("compare");
  struct Row {
    Job w;
    Answer a;
    double rate = 0;          ///< tokens/s the price is spread over
    double usd_per_mtok = 0;  ///< 0: no price
    std::vector<std::string> warnings;
  };
  StringStore strings;
  const ProfileChoice prof(o.job.profile);
  std::vector<Row> rows;
  std::vector<std::string> all_warnings;
  for (const auto& id : o.job.job.gpu_ids) {
    std::vector<std::string> warnings;
    Row row{job_from_json(o.job.job.to_case("compare", id), ctx.catalog(), strings, warnings), {}, 0, 0, {}};
    all_warnings.insert(all_warnings.end(), warnings.begin(), warnings.end());
    row.warnings = std::move(warnings);
    row.a = evaluate(row.w, prof.profile, prof.band);
    const TimeResult& t = row.a.time;
    row.rate = row.w.task == Task::training ? t.train_tokens_per_s_per_gpu : t.decode_tokens_per_s;
    // Training tokens/s are per GPU; inference tokens/s are the whole job's, which rents every GPU.
    const double price = row.w.hardware.gpu->price_usd_per_hour * (row.w.task == Task::training ? 1 : row.w.hardware.count);
    if (price > 0 && row.rate > 0) row.usd_per_mtok = price / (row.rate * 3600) * 1e6;
    rows.push_back(row);
  }
  print_warnings(all_warnings);
  const Job& first = rows.front().w;
  const bool training = first.task == Task::training;
  const std::string each =
      first.hardware.count == 1 ? std::string("one GPU") : fmt::format("{} GPUs", first.hardware.count);
  if (o.job.json) {
    auto list = nlohmann::json::array();
    for (const auto& row : rows) {
      nlohmann::json j = answer_to_json(std::string(row.w.hardware.gpu->id), row.a, row.w, row.warnings);
      j["gpu"] = std::string(row.w.hardware.gpu->id);
      j["price_usd_per_hour"] = row.w.hardware.gpu->price_usd_per_hour > 0 ? nlohmann::json(row.w.hardware.gpu->price_usd_per_hour)
                                                                  : nlohmann::json(nullptr);
      j["usd_per_million_tokens"] = row.usd_per_mtok > 0 ? nlohmann::json(row.usd_per_mtok) : nlohmann::json(nullptr);
      list.push_back(j);
    }
    fmt::print("{}\n", json_text(nlohmann::json{{"model", std::string(first.model->id)},
                                      {"task", training ? "training" : "inference"},
                                      {"gpus", list}}));
  } else {
    if (training)
      fmt::print("{} training, micro-batch {} x {} tokens, {} each\n", first.model->id, first.batch, first.training.seq, each);
    else
      fmt::print("{} inference, batch {}, prompt {}, generate {}, {} each\n", first.model->id,
                 first.question.batch_max ? std::string("max") : std::to_string(first.batch), first.inference.prompt, first.inference.generate, each);
    std::vector<std::string> head{"gpu", ">GiB", ">of GiB", "fits"};
    // GiB: device memory (what fits compares) of what the runtime may use; the rate's 80% band.
    const auto rate_band = [](const Answer& a, double v, AnswerKey k, int decimals) {
      const Interval b = a.intervals[k];
      return b.present() ? band_text(v, b.low, b.high, decimals).substr(5) : std::string("-");
    };
    if (training) head.insert(head.end(), {">step s", ">tokens/s", ">80% band", ">MFU"});
    else head.insert(head.end(), {">prefill tok/s", ">TTFT ms", ">decode tok/s", ">80% band"});
    head.insert(head.end(), {"bound", ">$/h", ">$/Mtok"});
    Table t(head);
    for (const auto& row : rows) {
      const TimeResult& r = row.a.time;
      const bool has = row.a.has_time;
      std::vector<std::string> cells{std::string(row.w.hardware.gpu->id), fmt::format("{:.1f}", to_gib(row.a.memory.device)),
                                     fmt::format("{:.0f}", to_gib(row.a.memory.usable)),
                                     row.a.memory.fits ? "yes" : "NO"};
      if (training)
        cells.insert(cells.end(), {has ? fmt::format("{:.3f}", r.step_time_s) : "-",
                                   has ? fmt::format("{:.0f}", r.train_tokens_per_s_per_gpu) : "-",
                                   has ? rate_band(row.a, r.train_tokens_per_s_per_gpu, AnswerKey::time_train_tokens_per_s_per_gpu, 0) : "-",
                                   has ? fmt::format("{:.1f}%", 100 * r.mfu) : "-"});
      else
        cells.insert(cells.end(), {has && r.prefill_tokens_per_s > 0 ? fmt::format("{:.0f}", r.prefill_tokens_per_s) : "-",
                                   has && r.ttft_s > 0 ? fmt::format("{:.1f}", 1e3 * r.ttft_s) : "-",
                                   has && r.decode_tokens_per_s > 0 ? fmt::format("{:.1f}", r.decode_tokens_per_s) : "-",
                                   has && r.decode_tokens_per_s > 0
                                       ? rate_band(row.a, r.decode_tokens_per_s, AnswerKey::time_decode_tokens_per_s, 1)
                                       : "-"});
      cells.insert(cells.end(), {has ? std::string(to_string(r.bound)) : "-",
                                 row.w.hardware.gpu->price_usd_per_hour > 0 ? fmt::format("{:.2f}", row.w.hardware.gpu->price_usd_per_hour) : "-",
                                 row.usd_per_mtok > 0 ? fmt::format("{:.2f}", row.usd_per_mtok) : "-"});
      t.row(cells);
    }
    fmt::print("{}", t.str());
    fmt::print("$/Mtok = $/h / ({} tokens/s x 3600) x 1e6, at the catalog's rental price; '-' where none is known\n",
               training ? "training" : "decode (output)");
  }
  if (!o.plot.empty()) {
    svg::MemoryChart chart{fmt::format("{}: memory on {} GPU types", first.model->id, rows.size()), job_words(first), {}};
    for (const auto& row : rows)
      chart.bars.push_back(memory_bar(gpus_label(row.w.hardware.gpu->id, row.w.hardware.count), row.a.memory));
    write_plot(o.plot, svg::memory_chart(chart), "compare", "memory chart");
  }
  bool any_fits = false;
  for (const auto& row : rows) any_fits = any_fits || row.a.memory.fits;
  if (!any_fits) ctx.exit_code = does_not_fit;
}

}  // namespace

void add_perf_command(CLI::App& app, Context& ctx) {
  static PerfOptions po;
  auto* perf = app.add_subcommand("perf", "per-operator time on one GPU: FLOPs, bytes, intensity, bound; roofline plot");
  po.job.add_to(perf, JobShape{});
  perf->add_option("--plot", po.plot, "write a roofline of the operators as SVG to this file");
  perf->callback([&ctx] {
    po.job.job.resolve_model(ctx.catalog());
    run_perf(ctx, po);
  });

  static CompareOptions co;
  auto* compare = app.add_subcommand("compare", "the same job side by side on several GPUs, with cost per token");
  co.job.add_to(compare, JobShape{.many_gpu_types = true});
  compare->add_option("--plot", co.plot, "write the memory breakdown of each GPU as stacked bars against its capacity (SVG) to this file");
  compare->callback([&ctx] {
    co.job.job.resolve_model(ctx.catalog());
    run_compare(ctx, co);
  });
}

}  // namespace headroom::cli
