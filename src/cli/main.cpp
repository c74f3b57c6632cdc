// headroom: does this LLM job fit, how fast will it run, how does it scale?
// The commands are registered from one table (commands.cpp); errors map to exit codes (docs/cli.md).

#include "cli.hpp"

int main(int argc, char** argv) {
  try {
    CLI::App app{"headroom: does this LLM job fit on this GPU, how fast will it run, and how does it scale?", "headroom"};
    headroom::cli::Context ctx;
    headroom::cli::add_commands(app, ctx, argc, argv);
    return headroom::cli::run(app, ctx, argc, argv);
  } catch (...) {  // run() reports every error; this is the last guard against std::terminate
    return headroom::cli::report_internal();
  }
}
