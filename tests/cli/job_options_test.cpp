// The job options of the CLI (src/cli/job_options.hpp): every case field of docs/cases.md is an option
// of every job command, each option lands in its case field, and --gpus lays out as docs/cli.md says.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli.hpp"
#include "headroom/io/cases.hpp"
#include "job_options.hpp"

namespace cli = headroom::cli;
using json = nlohmann::json;

namespace {

std::string option_of(std::string_view field) {
  if (field == "model") return "model";  // the positional MODEL
  std::string s = "--" + std::string(field);
  for (char& ch : s)
    if (ch == '_') ch = '-';
  return s;
}

/// Parses `args` (without the program name) into `o` and returns the case.
json case_of(std::vector<std::string> args, std::optional<int> count = std::nullopt) {
  CLI::App app;
  cli::JobOptions o;
  o.add_to(&app, cli::JobShape{.gpu_required = false});
  std::vector<std::string> reversed(args.rbegin(), args.rend());
  app.parse(reversed);
  return o.to_case("t", o.gpu_ids.empty() ? "g" : o.gpu_ids.front(), count);
}

}  // namespace

TEST_CASE("every job command has an option for every case field but id", "[cli]") {
  CLI::App app;
  cli::Context ctx;
  cli::add_commands(app, ctx);
  for (const char* command : cli::job_commands) {
    const CLI::App* sub = app.get_subcommand(command);
    for (std::string_view field : headroom::cases::fields) {
      if (field == "id") continue;  // the command names its case
      INFO(command << ": case field '" << field << "' as " << option_of(field));
      CHECK(sub->get_option_no_throw(option_of(field)) != nullptr);
    }
  }
}

TEST_CASE("each job option lands in its case field", "[cli]") {
  // Give every option a value (flags: set) and check that each case field comes out.
  CLI::App probe;
  cli::JobOptions shape;
  shape.add_to(&probe, cli::JobShape{});
  std::vector<std::string> args{"m"};
  for (std::string_view field : headroom::cases::fields) {
    const std::string opt = option_of(field);
    if (field == "id" || field == "model") continue;
    const CLI::Option* o = probe.get_option(opt);
    args.push_back(opt);
    if (o->get_items_expected_max() == 0) continue;  // a flag
    args.push_back(field == "parallel" ? "dp=2" : field == "gpus" ? "2" : "7");
  }
  const json c = case_of(args);
  for (std::string_view field : headroom::cases::fields) {
    INFO("case field '" << field << "'");
    CHECK(c.contains(std::string(field)));
  }
  CHECK(c["model"] == "m");
  CHECK(c["lora_rank"] == 7);          // an integer field becomes a JSON integer
  CHECK(c["optimizer"] == "7");        // an enum field stays text, for the parser to check
  CHECK(c["compile"] == true);
  CHECK(c["optimizer_in_backward"] == true);
  CHECK(c["parallel"] == json{{"dp", 2}});
}

TEST_CASE("a --gpus count lays out as tp for inference, dp for training; --parallel fills the rest", "[cli]") {
  CHECK(case_of({"m", "--gpus", "8"})["parallel"] == json{{"tp", 8}});
  CHECK(case_of({"m", "--gpus", "8", "--method", "full"})["parallel"] == json{{"dp", 8}});
  CHECK(case_of({"m", "--gpus", "8", "--task", "training"})["parallel"] == json{{"dp", 8}});
  // 8 GPUs with tp 4: dp = 8 / 4 = 2.
  CHECK(case_of({"m", "--gpus", "8", "--parallel", "tp=4,zero=3"})["parallel"] ==
        json{{"tp", 4}, {"zero", 3}, {"dp", 2}});
  // --parallel alone: gpus = dp*tp*pp*cp = 2*2*2 = 8.
  CHECK(case_of({"m", "--parallel", "dp=2,tp=2,pp=2"})["gpus"] == 8);
  // scale and plan pass each count: the same rule.
  CHECK(case_of({"m"}, 4)["parallel"] == json{{"tp", 4}});
  CHECK_FALSE(case_of({"m"}, 1).contains("parallel"));
  CHECK_THROWS_WITH(case_of({"m", "--gpus", "6", "--parallel", "tp=4"}), Catch::Matchers::Contains("cannot be split"));
  CHECK_THROWS_WITH(case_of({"m", "--parallel", "tp4"}), Catch::Matchers::Contains("NAME=VALUE"));
}

TEST_CASE("serving options: --slo as NAME=VALUE pairs, --chunked-prefill false, --gpus as tp", "[cli][v2]") {
  const json c = case_of({"m", "--task", "serving", "--concurrency", "32", "--slo", "ttft_s=2,tpot_s=0.05,percentile=90",
                          "--chunked-prefill", "false", "--kv-memory-fraction", "0.85", "--gpus", "2"});
  CHECK(c["task"] == "serving");
  CHECK(c["concurrency"] == 32);
  CHECK(c["slo"] == json{{"ttft_s", 2}, {"tpot_s", 0.05}, {"percentile", 90}});
  CHECK(c["chunked_prefill"] == false);
  CHECK(c["kv_memory_fraction"] == 0.85);
  CHECK(c["parallel"] == json{{"tp", 2}});
  CHECK(case_of({"m", "--chunked-prefill", "4096"})["chunked_prefill"] == 4096);
  CHECK(case_of({"m", "--slo", "fast"})["slo"] == "fast");  // not NAME=VALUE: the case parser says what an slo is
}
