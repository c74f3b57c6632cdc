#pragma once
// The fields of a case (docs/cases.md) as command-line options, shared by fit, perf, compare, scale
// and plan: one table (job_options.cpp) gives each field its option (the field with dashes) and how
// its text becomes a case value. The options become a case object that the strict case parser then
// checks. Going through the case object on purpose: the CLI and `headroom eval` then accept and
// reject exactly the same things, with the same messages naming the case field (docs/cli.md).

#include <CLI/CLI.hpp>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "headroom/catalog.hpp"

namespace headroom::cli {

/// How a command takes the GPU type and count.
struct JobShape {
  bool many_gpu_types = false;  ///< --gpu repeatable (compare, plan)
  bool count_list = false;      ///< --gpus takes a comma list of counts (scale, plan)
  bool gpu_required = true;     ///< plan: no --gpu means the whole catalog
  const char* default_counts = nullptr;  ///< scale: "1,2,4,8"
};

struct JobOptions {
  std::string model;                          ///< the positional MODEL
  std::string revision;                       ///< --revision of a Hugging Face repo id ("" = main)
  nlohmann::json model_value;                 ///< MODEL as a case's `model` (resolve_model); null before
  std::vector<std::string> gpu_ids;           ///< --gpu (repeatable, comma lists)
  std::string gpus;                           ///< --gpus as written
  std::map<std::string, std::string> values;  ///< case field -> option text, as given
  std::optional<int> tp, pp, zero, dp, ep;    ///< aliases of --parallel tp=, pp=, zero= (scale), dp=, ep= (serve)
  std::optional<std::string> slo_ttft, slo_tpot, slo_percentile;  ///< serve and plan: --slo-ttft etc., as written
  JobShape shape;

  /// Registers MODEL, --revision and one option per case field (besides `id`, which the command sets).
  void add_to(CLI::App* app, JobShape shape);

  /// Registers --slo-ttft, --slo-tpot and --slo-percentile (serve, plan): the `slo` object's fields.
  void add_slo_options(CLI::App* app);

  /// Writes --slo-ttft/--slo-tpot/--slo-percentile into the `slo` field (the case parser checks the
  /// values). @throws InputError when --slo is given too, or a percentile without a target.
  void compose_slo();

  /// Resolves MODEL once (resolve_model_argument) into model_value, which to_case then uses; every
  /// job command calls it first.
  void resolve_model(const Catalog& catalog);

  /// The case object with `id` for GPU `gpu` and `count` GPUs (nullopt: --gpus as given, which is then
  /// one count). Without --parallel, `count` > 1 lays out as tp for inference, else dp; with
  /// --parallel but no dp, dp is what the count leaves; with --parallel and no count, the count is
  /// dp*tp*pp*cp. Naming --method implies training.
  [[nodiscard]] nlohmann::json to_case(const std::string& id, const std::string& gpu,
                                       std::optional<int> count = std::nullopt) const;

  /// --gpus as a list of counts (scale, plan; empty when not given and there is no default).
  [[nodiscard]] std::vector<int> counts() const;

  /// --parallel and its aliases as an object, unchecked ({} when not given).
  [[nodiscard]] nlohmann::json parallel() const;

  /// The task the options ask for: "training" when --method is named without --task.
  [[nodiscard]] std::string task() const;

  /// Throws InputError when the task is a collective, which `command` does not answer.
  void reject_collective(const char* command) const;

  [[nodiscard]] bool has(const std::string& field) const { return values.count(field) != 0; }
};

/// The case fields that JobOptions registers as options, with their option names (for tests and
/// docs): every field of cases::fields but `id`; `model` is the positional MODEL.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> job_option_names();

/// A model argument as a case's `model` (docs/cli.md "Model arguments"), the first of:
/// 1. a catalog id (built-in or --data; catalog aliases resolve here too): the id as it is;
/// 2. a config.json file, or a folder holding one: {"hf_config": <its content>}, named after the
///    file's stem (the folder's name) when it has no `_id`, as with --data;
/// 3. a Hugging Face repo id (org/name): {"hf_config": <its config.json>} from the Hugging Face
///    cache or the Hub at `revision` ("" = main), with `_id` = the repo id (hub.hpp).
/// A `revision` given for an argument that is not a repo id is ignored with a warning on stderr.
/// @throws UnknownModel (exit 3) with the closest catalog ids when it is none of these; the errors
///         of hub_config for a repo id.
[[nodiscard]] nlohmann::json resolve_model_argument(const std::string& arg, const Catalog& catalog,
                                                    const std::string& revision = "");

/// The items of a comma-separated option value ("1,8,64"), empty items kept so the case parser
/// can reject them with its own message.
[[nodiscard]] std::vector<std::string> split_list(const std::string& text);

}  // namespace headroom::cli
