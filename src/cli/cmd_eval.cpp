// headroom eval: JSON Lines cases in, one answer per line out (docs/cases.md).
// headroom validate FILE...: the error of the answers against published measurements (docs/validation.md).

#include <fmt/core.h>

#include <cstdio>
#include <fstream>
#include <algorithm>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "case_stream.hpp"
#include "cli.hpp"
#include "headroom/io/calibration_json.hpp"
#include "headroom/io/cases.hpp"
#include "headroom/io/json_file.hpp"
#include "headroom/io/validation.hpp"
#include "json_out.hpp"
#include "validation_report.hpp"

#if defined(_WIN32)
#include <io.h>
#else
#include <fcntl.h>
#include <unistd.h>
#endif

namespace headroom::cli {

namespace {

bool stderr_is_terminal() {
#if defined(_WIN32)
  return _isatty(_fileno(stderr)) != 0;
#else
  return isatty(fileno(stderr)) != 0;
#endif
}

struct EvalOptions {
  std::string input = "-";
  std::string output = "-";
  bool progress = false;
  std::string profile;  ///< --profile: a measured efficiency profile or calibration file
  unsigned threads = 1;  ///< --threads: 0 = the hardware threads
};

struct ValidateOptions {
  std::vector<std::string> files;
  std::string report;
  bool check = false;
  bool json = false;
  std::string profile;
};

/// The --profile file (calibration or bare profile), or the built-in profile; `band` gets the fit's
/// 80% log half-width (0 for the built-in or a bare profile).
EfficiencyProfile profile_for(const std::string& file, StringStore& store, double& band) {
  band = 0;
  return file.empty() ? builtin_efficiency : load_profile_file(file, store, &band);
}

/// Lines between two progress updates.
constexpr std::size_t progress_every = 100;

void run_eval(Context& ctx, const EvalOptions& o) {
  if (o.input != "-") not_a_directory(o.input, "a .jsonl file of cases");
  // One thread unless asked: a scheduler often runs several evals side by side, and on a busy
  // machine more threads did not answer faster (docs/performance.md).
  const unsigned threads = o.threads != 0 ? o.threads : std::max(1U, std::thread::hardware_concurrency());
  bool shown = false;
  // The catalog and the profile are read once the files are open, so a missing file is reported first.
  const auto answer = [&](const auto& stream) {
    const Catalog& catalog = ctx.catalog();
    const bool show = o.progress || stderr_is_terminal();
    std::function<void(std::size_t)> progress;
    if (show)
      progress = [&shown](std::size_t n) {
        if (n % progress_every == 0) {
          fmt::print(stderr, "\rheadroom eval: {} cases answered", n);
          std::fflush(stderr);
          shown = true;
        }
      };
    StringStore store;
    double band = 0;
    const EfficiencyProfile profile = profile_for(o.profile, store, band);
    return stream(catalog, progress, profile, band);
  };
#if defined(_WIN32)
  std::ios::sync_with_stdio(false);
  std::ifstream file_in;
  std::istream* in = &std::cin;
  if (o.input != "-") {
    file_in.open(o.input, std::ios::binary);
    if (!file_in) throw IoError("cannot read '" + o.input + "'");
    in = &file_in;
  }
  std::ofstream file_out;
  std::ostream* out = &std::cout;
  if (o.output != "-") {
    file_out.open(o.output, std::ios::binary);
    if (!file_out) throw IoError("cannot write '" + o.output + "'");
    out = &file_out;
  }
  const EvalSummary s = answer([&](const Catalog& catalog, const auto& progress, const EfficiencyProfile& profile,
                                   double band) { return eval_stream(*in, *out, catalog, progress, profile, band, threads); });
  if (in->bad()) throw IoError("error while reading '" + o.input + "'");
  if (!*out) throw IoError("cannot write '" + o.output + "'");
#else
  // Plain descriptors: no stdio or iostream buffers between the answers and the pipe.
  struct Fd {
    int fd = -1;
    bool owned = false;
    ~Fd() {
      if (owned) ::close(fd);
    }
  } in, out;
  in.fd = STDIN_FILENO;
  if (o.input != "-") {
    in.fd = ::open(o.input.c_str(), O_RDONLY | O_CLOEXEC);
    if (in.fd < 0) throw IoError("cannot read '" + o.input + "'");
    in.owned = true;
  }
  out.fd = STDOUT_FILENO;
  if (o.output != "-") {
    out.fd = ::open(o.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (out.fd < 0) throw IoError("cannot write '" + o.output + "'");
    out.owned = true;
  }
  std::fflush(stdout);  // nothing is pending there; the answers bypass it
  const EvalSummary s = answer([&](const Catalog& catalog, const auto& progress, const EfficiencyProfile& profile,
                                   double band) { return eval_fd(in.fd, o.input, out.fd, o.output, catalog, progress, profile, band, threads);
  });
  if (out.owned) {
    out.owned = false;
    if (::close(out.fd) != 0) throw IoError("cannot write '" + o.output + "'");
  }
#endif
  if (o.progress || shown)
    fmt::print(stderr, "\rheadroom eval: {} cases answered, {} with \"ok\": false{}\n", s.answered + s.failed, s.failed,
               s.blank ? fmt::format(", {} blank lines skipped", s.blank) : std::string());
}

void run_validate(Context& ctx, const ValidateOptions& o) {
  StringStore store;
  double band = 0;
  const EfficiencyProfile profile = profile_for(o.profile, store, band);
  const ValidationReport rep = run_validation_files(o.files, ctx.catalog(), 10, profile, band);
  const validation::CheckResult chk = validation::check(rep);
  const bool markdown_to_stdout = o.report == "-";
  if (o.json) {
    fmt::print("{}\n", json_text(report_json(rep, chk)));
  } else if (!markdown_to_stdout) {
    fmt::print("{}", report_text(rep, chk));
  }
  if (!o.report.empty()) {
    const std::string md = report_markdown(rep, chk);
    if (markdown_to_stdout) {
      if (!o.json) fmt::print("{}", md);
    } else {
      std::ofstream f(o.report);
      if (!f || !(f << md) || !f.flush()) throw IoError("cannot write '" + o.report + "'");
      fmt::print(stderr, "headroom validate: Markdown report written to {}\n", o.report);
    }
  }
  if (o.check) {
    std::size_t failing = 0;
    for (const auto& item : chk.items) failing += item.status == validation::CheckStatus::fail ? 1 : 0;
    if (chk.passed) {
      fmt::print(stderr, "headroom validate --check: all thresholds met\n");
    } else {
      fmt::print(stderr, "headroom validate --check: thresholds NOT met ({} failing{})\n", failing,
                 chk.errors ? fmt::format(", {} cases could not be answered", chk.errors) : std::string());
      ctx.exit_code = check_failed;
    }
  }
}

}  // namespace

void add_eval_command(CLI::App& app, Context& ctx) {
  auto eo = std::make_shared<EvalOptions>();
  auto* eval = app.add_subcommand(
      "eval", "the batch API: one JSON case per line in (stdin or --input), one JSON answer per line out (docs/cases.md)");
  eval->add_option("--input,-i", eo->input, "read cases from this file instead of stdin ('-' = stdin)");
  eval->add_option("--output,-o", eo->output, "write answers to this file instead of stdout ('-' = stdout)");
  eval->add_flag("--progress", eo->progress,
                 "report progress on stderr (default: every 100 cases when stderr is a terminal)");
  eval->add_option("--profile", eo->profile,
                   "predict with this measured efficiency profile (`headroom calibrate` output, docs/calibration.md)")
      ->check(CLI::ExistingFile);
  eval->add_option("--threads,-j", eo->threads,
                   "answer on this many threads (default 1; 0 = the hardware threads); the answers are the same "
                   "bytes, in input order, for any count")
      ->check(CLI::Range(0U, 1024U));
  eval->callback([&ctx, eo] { run_eval(ctx, *eo); });

  auto vo = std::make_shared<ValidateOptions>();
  auto* validate = app.add_subcommand(
      "validate", "answer validation cases and report the error against the measured values (docs/validation.md)");
  validate->add_option("files", vo->files, "validation .jsonl files (e.g. tests/data/validation/public-memory.jsonl)")
      ->required();
  validate->add_option("--report", vo->report, "also write the report as Markdown to this file ('-' = stdout)");
  validate->add_flag("--check", vo->check, "exit with 11 when the accuracy thresholds are not met");
  validate->add_flag("--json", vo->json, "print the report (tables, every case, the check) as JSON");
  validate->add_option("--profile", vo->profile,
                       "predict with this measured efficiency profile (`headroom calibrate` output, docs/calibration.md)")
      ->check(CLI::ExistingFile);
  validate->callback([&ctx, vo] { run_validate(ctx, *vo); });
}

}  // namespace headroom::cli
