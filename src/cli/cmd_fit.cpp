// headroom fit MODEL --gpu ID [...]: the verdict, the memory breakdown and what to change; --plot draws
// the breakdown as a stacked bar against the GPU's capacity.
//
// The options are the fields of a case (docs/cases.md) spelled with dashes (job_options.hpp).

#include <fmt/core.h>

#include <nlohmann/json.hpp>
#include <optional>

#include "cli.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/fit.hpp"
#include "headroom/io/calibration_json.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/names.hpp"
#include "job_options.hpp"
#include "plots.hpp"
#include "table.hpp"

namespace headroom::cli {

namespace {

struct FitOptions {
  JobOptions job;
  bool json = false;
  std::string profile;  ///< --profile: a measured efficiency profile or calibration file
  std::string plot;     ///< --plot: the memory chart's SVG file
};

std::string gib_text(Bytes b) { return fmt::format("{:.2f}", to_gib(b)); }

void run_fit(Context& ctx, const FitOptions& o) {
  o.job.reject_collective("fit");
  StringStore strings;
  StringStore profile_strings;
  double band = 0;
  const EfficiencyProfile profile =
      o.profile.empty() ? builtin_efficiency : load_profile_file(o.profile, profile_strings, &band);
  const FitAnswer f = fit_case(o.job.to_case("fit", o.job.gpu_ids.front()), ctx.catalog(), strings, profile, band);
  print_warnings(f.evaluated.warnings);
  // A case not answered is an error of the command (exit 3), with the message of what was thrown. Every
  // figure is checked in both modes: one that is not finite and non-negative is an error, never printed.
  if (f.evaluated.answer.error) std::rethrow_exception(f.evaluated.answer.error);
  const Job& w = f.evaluated.job;
  const Answer& a = f.evaluated.result;
  const MemoryResult& m = a.memory;
  const std::vector<Suggestion>& suggestions = f.suggestions;
  if (o.json) {
    fmt::print("{}\n", answer_text(fit_to_json(f), 2));
  } else {
    const char* task = w.task == Task::training ? "training" : "inference";
    fmt::print("{} {} on {}x {} ({:.0f} GiB each)\n", w.model->id, task, w.hardware.count, w.hardware.gpu->name, to_gib(m.capacity));
    // The headline number is the device memory fits compares with what the runtime may use.
    const Interval dev_band = a.intervals[AnswerKey::memory_device_gib];
    const std::string dev_text = band_text(to_gib(m.device), dev_band.low, dev_band.high);
    const std::string need = fmt::format("{:.1f} GiB{}", to_gib(m.device), dev_text.empty() ? "" : ", " + dev_text);
    const std::string usable =
        m.usable == m.capacity ? fmt::format("{:.1f} GiB", to_gib(m.capacity))
                               : fmt::format("{:.1f} GiB usable ({:.1f} GiB capacity)", to_gib(m.usable), to_gib(m.capacity));
    if (m.fits)
      fmt::print("verdict: FITS: {} of {}, {:.1f} GiB to spare\n\n", need, usable, to_gib(m.headroom()));
    else
      fmt::print("verdict: DOES NOT FIT: needs {} of {}, {:.1f} GiB over (largest part: {}){}\n\n", need, usable,
                 -to_gib(m.headroom()), to_string(m.limiting),
                 m.may_page ? "; paged optimizer state may spill to host memory" : "");
    Table t({"component", ">GiB", ">share"});
    for (int i = 0; i < names::count<Component>; ++i) {
      const auto comp = static_cast<Component>(i);
      const Bytes b = m.breakdown[comp];
      t.row({std::string(to_string(comp)), gib_text(b),
             m.per_gpu.value() > 0 ? fmt::format("{:.0f}%", 100.0 * (b / m.per_gpu)) : "-"});
    }
    t.row({"allocated (busiest GPU)", gib_text(m.per_gpu), "100%"});
    // The three levels where they differ (docs/memory.md "Allocated, reserved, device").
    if (gib_text(m.reserved) != gib_text(m.per_gpu)) t.row({"reserved (+ allocator cache)", gib_text(m.reserved), ""});
    if (gib_text(m.device) != gib_text(m.reserved)) t.row({"device (+ CUDA context, NCCL)", gib_text(m.device), ""});
    if (m.usable != m.capacity) t.row({"usable (runtime's limit)", gib_text(m.usable), ""});
    t.row({"capacity", gib_text(m.capacity), ""});
    fmt::print("{}", t.str());
    if (a.limits.max_batch >= 0) fmt::print("max batch: {}\n", a.limits.max_batch);
    if (a.limits.max_seq >= 0) fmt::print("max sequence: {}\n", a.limits.max_seq);
    if (a.limits.max_context >= 0) fmt::print("max context: {}\n", a.limits.max_context);
    if (!m.fits) {
      if (suggestions.empty()) {
        fmt::print("\nNo single change in the search space makes it fit.\n");
      } else {
        fmt::print("\nWhat would fit (each checked by the model):\n");
        Table s({"change", ">GiB per GPU"});
        for (const auto& x : suggestions) s.row({x.what, gib_text(x.memory.device)});
        fmt::print("{}", s.str());
      }
    }
  }
  if (!o.plot.empty()) {
    const svg::MemoryChart chart{fmt::format("{} on {}: {}", w.model->id, gpus_label(w.hardware.gpu->name, w.hardware.count),
                                             verdict_words(m)),
                                 job_words(w),
                                 {memory_bar(std::string(w.hardware.gpu->id), m)}};
    write_plot(o.plot, svg::memory_chart(chart), "fit", "memory chart");
  }
  if (!m.fits) ctx.exit_code = does_not_fit;
}

}  // namespace

void add_fit_command(CLI::App& app, Context& ctx) {
  static FitOptions o;
  auto* fit = app.add_subcommand("fit", "does the job fit? verdict, memory breakdown and what to change");
  o.job.add_to(fit, JobShape{});
  fit->add_option("--profile", o.profile,
                  "predict time with this measured efficiency profile (`headroom calibrate` output)")
      ->check(CLI::ExistingFile);
  fit->add_flag("--json", o.json, "the answer object of `headroom eval`, plus suggestions");
  fit->add_option("--plot", o.plot, "write the memory breakdown as a stacked bar against the GPU's capacity (SVG) to this file");
  fit->callback([&ctx] {
    o.job.resolve_model(ctx.catalog());
    run_fit(ctx, o);
  });
}

}  // namespace headroom::cli
