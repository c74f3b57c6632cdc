// headroom: does this LLM job fit, how fast will it run, how does it scale?
// Each command lives in its own file; this one sets up the app and reports errors with their exit codes
// (context.cpp, docs/cli.md).

#include "cli.hpp"
#include "headroom/version.hpp"

int main(int argc, char** argv) {
  using namespace headroom;
  using namespace headroom::cli;
  CLI::App app{"headroom: does this LLM job fit on this GPU, how fast will it run, and how does it scale?", "headroom"};
  app.set_version_flag("--version", std::string(version_string));
  app.require_subcommand(1);
  Context ctx;
  app.add_option("--data", ctx.data_paths,
                 "extra or overriding GPU records / Hugging Face config.json files (file or folder)")
      ->check(CLI::ExistingPath);

  add_catalog_commands(app, ctx);
#ifndef HEADROOM_NO_fit_COMMAND
  add_fit_command(app, ctx);
#endif
#ifndef HEADROOM_NO_eval_COMMAND
  add_eval_command(app, ctx);
#endif
#ifndef HEADROOM_NO_perf_COMMAND
  add_perf_command(app, ctx);
#endif
#ifndef HEADROOM_NO_scale_COMMAND
  add_scale_command(app, ctx);
#endif
#ifndef HEADROOM_NO_calibrate_COMMAND
  add_calibrate_command(app, ctx);
#endif

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? ok : usage;
  } catch (const Error& e) {
    return report(e);
  }
  return ctx.exit_code;
}
