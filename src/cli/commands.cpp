// The command registry of headroom and its argument handling: unknown commands and options get
// "did you mean", library errors their exit code (docs/cli.md).

#include <fmt/core.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "cli.hpp"
#include "headroom/detail/closest.hpp"
#include "headroom/version.hpp"

namespace headroom::cli {

const std::array<CommandGroup, 7> command_groups{{
    {"gpus gpu models model", add_catalog_commands},
    {"fit", add_fit_command},
    {"perf compare", add_perf_command},
    {"scale plan", add_scale_command},
    {"serve", add_serve_command},
    {"eval validate", add_eval_command},
    {"calibrate", add_calibrate_command},
}};

namespace {

/// --version, --data and the rule of one command.
void add_global_options(CLI::App& app, Context& ctx) {
  app.set_version_flag("--version", std::string(version_string));
  app.require_subcommand(1);
  app.add_option("--data", ctx.data_paths,
                 "extra or overriding GPU records / Hugging Face config.json files (file or folder)")
      ->check(CLI::ExistingPath);
}

}  // namespace

void add_commands(CLI::App& app, Context& ctx) {
  add_global_options(app, ctx);
  for (const auto& group : command_groups) group.add(app, ctx);
}


namespace {

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> out;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) out.push_back(sub->get_name());
  return out;
}

/// The first argument that is not a global option: the command, or "" when there is none.
std::string command_word(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--data") {
      ++i;
      continue;
    }
    if (!a.empty() && a[0] == '-') continue;
    return a;
  }
  return {};
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const auto near = detail::closest(word, candidates, 2);
  if (near.empty()) return {};
  std::string s = "; did you mean '" + near.front() + "'";
  if (near.size() > 1) s += " or '" + near[1] + "'";
  return s + "?";
}

/// The long option names of `app`.
std::vector<std::string> option_names(const CLI::App* app) {
  std::vector<std::string> out;
  for (const CLI::Option* o : app->get_options())
    for (const auto& n : o->get_lnames()) out.push_back("--" + n);
  return out;
}

}  // namespace

void add_commands(CLI::App& app, Context& ctx, int argc, char** argv) {
  // Registering every command's options costs more than `headroom eval` of an empty input does
  // otherwise (7 of 10 million instructions, docs/performance.md), so a command line that names a
  // command and asks for no help registers only that command's group; any other (help, no
  // command, a misspelt one) gets the whole table, which the messages list from.
  bool help_or_version = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    help_or_version = help_or_version || a == "-h" || a.starts_with("--help") || a == "--version";
  }
  const std::string word = command_word(argc, argv);
  const CommandGroup* only = nullptr;
  if (!help_or_version && !word.empty())
    for (const auto& group : command_groups) {
      std::string_view names = group.names;
      while (!names.empty() && only == nullptr) {
        const std::size_t space = names.find(' ');
        if (names.substr(0, space) == word) only = &group;
        names.remove_prefix(space == std::string_view::npos ? names.size() : space + 1);
      }
    }
  if (only == nullptr) return add_commands(app, ctx);
  add_global_options(app, ctx);
  only->add(app, ctx);
}

void print_warnings(const std::vector<std::string>& warnings) {
  std::vector<std::string> seen;  // compare answers one case per GPU: say each warning once
  for (const auto& w : warnings) {
    if (std::find(seen.begin(), seen.end(), w) != seen.end()) continue;
    seen.push_back(w);
    fmt::print(stderr, "warning: {}\n", w);
  }
}

int run(CLI::App& app, Context& ctx, int argc, char** argv) {
  const std::vector<std::string> commands = command_names(app);
  const std::string word = command_word(argc, argv);
  bool help_or_version = false;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    help_or_version = help_or_version || a == "-h" || a == "--help" || a == "--version";
  }
  if (word.empty() && !help_or_version) {
    // No command: the usage line and the commands, not only "a subcommand is required".
    std::string list;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; }))
      list += fmt::format("  {:<10} {}\n", sub->get_name(), sub->get_description());
    fmt::print(stderr,
               "error: a command is required\nusage: headroom [--data PATH] COMMAND [OPTIONS]\ncommands:\n{}"
               "Run headroom COMMAND --help for the options of a command.\n",
               list);
    return usage;
  }
  if (!word.empty()) {
    bool known = false;
    for (const auto& c : commands) known = known || c == word;
    if (!known) {
      fmt::print(stderr, "error: unknown command '{}'{}\nRun headroom --help for the list of commands.\n", word,
                 did_you_mean(word, commands));
      return usage;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e) == 0 ? ok : usage;  // --help, --version
    // The command it was given to, and for an unknown option the closest options of that command.
    const CLI::App* where = &app;
    for (const CLI::App* sub : app.get_subcommands()) where = sub;
    std::string hint;
    if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
      const auto names = option_names(where);
      for (int i = 1; i < argc && hint.empty(); ++i) {
        std::string a = argv[i];
        if (a.rfind("--", 0) != 0) continue;
        a = a.substr(0, a.find('='));
        bool known = false;
        for (const auto& n : names) known = known || n == a;
        if (!known) hint = did_you_mean(a, names);
      }
    }
    fmt::print(stderr, "error: {}{}\nRun headroom {}--help for the options.\n", e.what(), hint,
               where == &app ? std::string() : where->get_name() + " ");
    return usage;
  } catch (const Error& e) {
    return report(e);
  } catch (...) {  // a bug: said so, with an exit code, never std::terminate
    return report_internal();
  }
  return ctx.exit_code;
}

}  // namespace headroom::cli
