#pragma once
// Shared pieces of the headroom command-line tool: exit codes, output helpers and the
// registration function of each command (one file per command).

#include <CLI/CLI.hpp>
#include <array>
#include <string>
#include <vector>

#include "headroom/catalog.hpp"
#include "headroom/error.hpp"
#include "headroom/job.hpp"

namespace headroom::cli {

/// Documented in docs/cli.md.
enum ExitCode : int {
  ok = 0,
  usage = 2,           ///< bad command line
  bad_input = 3,       ///< unknown id, bad option value, bad case
  data_error = 4,      ///< malformed data file (catalog JSON, config.json)
  io_error = 5,        ///< file cannot be read or written
  network_error = 6,   ///< a Hugging Face repo id's config.json cannot be had (hub.hpp HubError)
  does_not_fit = 10,   ///< `fit`: the job does not fit (a model outcome, not an error)
  check_failed = 11,   ///< `validate --check`: error thresholds not met
  cannot_measure = 12,      ///< `calibrate`: no CUDA backend (headroom-calibrate) or no CUDA device
  measurement_failed = 13,  ///< `calibrate`: a CUDA call or a benchmark's result check failed (cuda::CudaError)
  internal_error = 70,      ///< a bug: an exception that is not a headroom error reached main
};

/// `calibrate` cannot measure here: this build has no CUDA backend, or the machine has no CUDA device.
class CannotMeasure : public Error {
 public:
  using Error::Error;
};

/// Prints an error and returns its exit code: the one handler of headroom and headroom-calibrate.
int report(const Error& e);

/// The message of an internal error: what was thrown (`what`, empty when unknown), that it is a bug
/// and how to report it.
std::string internal_error_text(const std::string& what);

/// Prints internal_error_text for the exception being handled (call it inside a catch block) and
/// returns internal_error.
int report_internal();

/// State shared by all commands: the catalog, extended by --data files.
struct Context {
  std::vector<std::string> data_paths;  ///< --data: extra GPU/model JSON files or folders
  int exit_code = ok;                   ///< set by a command that has a model outcome to report

  /// The built-in catalog merged with the --data files (loaded on first use, after parsing).
  Catalog& catalog() {
    if (!loaded_) {
      loaded_ = true;
      load_data();
    }
    return catalog_;
  }

 private:
  void load_data();  // defined in context.cpp
  Catalog catalog_ = Catalog::builtin();
  bool loaded_ = false;
};

void add_catalog_commands(CLI::App& app, Context& ctx);  // gpus, gpu, models, model
void add_fit_command(CLI::App& app, Context& ctx);       // fit
void add_eval_command(CLI::App& app, Context& ctx);      // eval, validate
void add_perf_command(CLI::App& app, Context& ctx);      // perf, compare (cmd_perf.cpp)
void add_scale_command(CLI::App& app, Context& ctx);     // scale, plan (cmd_scale.cpp)
void add_calibrate_command(CLI::App& app, Context& ctx); // calibrate (cmd_calibrate.cpp)
void add_serve_command(CLI::App& app, Context& ctx);     // serve (cmd_serve.cpp)
/// An SLO as people say it: "p90 TTFT <= 1 s, p90 TPOT <= 50 ms" (cmd_serve.cpp; also plan --task serving).
[[nodiscard]] std::string slo_text(const ServingSlo& slo);

/// One entry of the command registry: the subcommands an add function registers.
struct CommandGroup {
  const char* names;  ///< e.g. "perf compare"
  void (*add)(CLI::App&, Context&);
};

/// Every command of headroom, in the order of `headroom --help` (commands.cpp).
extern const std::array<CommandGroup, 7> command_groups;

/// The commands that take the job options (job_options.hpp): every case field is one of their options.
inline constexpr std::array<const char*, 6> job_commands{"fit", "perf", "compare", "scale", "plan", "serve"};

/// The headroom app: --version, --data and every command of the registry.
void add_commands(CLI::App& app, Context& ctx);
/// add_commands for this command line: only the group of the command it names, unless it asks for
/// help or names no known command (main(); the answers and messages are the same either way).
void add_commands(CLI::App& app, Context& ctx, int argc, char** argv);

/// Prints each warning of a case (job_from_json: checks.hpp and fields that do not apply) once to
/// stderr as "warning: ...".
void print_warnings(const std::vector<std::string>& warnings);

/// Parses argv and runs the command: main() of headroom. A misspelt command or option is answered
/// with the closest spellings and exit 2; library errors with their exit code (docs/cli.md).
int run(CLI::App& app, Context& ctx, int argc, char** argv);

}  // namespace headroom::cli
