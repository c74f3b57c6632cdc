// An exception that is not a headroom error (a bug) ends the command with the documented internal
// error code and a message that asks for a report, never with std::terminate (docs/cli.md).

#include <catch2/catch.hpp>

#include <array>
#include <stdexcept>
#include <string>

#include "cli.hpp"

using Catch::Matchers::Contains;
using namespace headroom::cli;

namespace {

/// Runs `headroom <command>` on an app whose commands throw what a bug might throw.
int run_throwing(const char* command) {
  CLI::App app{"test", "headroom"};
  Context ctx;
  app.add_subcommand("logic", "throws std::logic_error")->callback([] { throw std::logic_error("broken invariant"); });
  app.add_subcommand("other", "throws an int")->callback([] { throw 42; });
  app.add_subcommand("input", "throws a headroom error")->callback([] { throw headroom::InputError("gpu", "bad"); });
  std::array<char*, 2> argv{const_cast<char*>("headroom"), const_cast<char*>(command)};
  return run(app, ctx, static_cast<int>(argv.size()), argv.data());
}

}  // namespace

TEST_CASE("a std::exception or anything else thrown by a command is an internal error (exit 70)") {
  CHECK(internal_error == 70);
  CHECK(run_throwing("logic") == internal_error);
  CHECK(run_throwing("other") == internal_error);
  // headroom's own errors keep their codes.
  CHECK(run_throwing("input") == bad_input);
}

TEST_CASE("the internal error message says it is a bug, how to report it, and has no library ids") {
  const std::string text = internal_error_text("[json.exception.type_error.302] type must be string, but is number");
  CHECK_THAT(text, Contains("internal error: type must be string, but is number"));
  CHECK_THAT(text, Contains("This is a bug in headroom"));
  CHECK_THAT(text, Contains("Please report it with the command line, the input files and this message"));
  CHECK(text.find("[json.exception") == std::string::npos);
  CHECK_THAT(internal_error_text(""), Contains("internal error\n"));
}
