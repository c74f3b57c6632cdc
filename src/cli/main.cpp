// headroom: does this LLM job fit, how fast will it run, how does it scale?
// Each command lives in its own file; this one sets up the app and maps errors to exit codes
// (docs/cli.md).

#include <fmt/core.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "cli.hpp"
#include "headroom/io/gpu_json.hpp"
#include "headroom/io/hf_config.hpp"
#include "headroom/io/json_file.hpp"
#include "headroom/version.hpp"

namespace headroom::cli {

namespace {

void load_file(Catalog& catalog, const std::filesystem::path& path) {
  const nlohmann::json j = read_json_file(path);
  // A Hugging Face config names its model_type; a GPU record has dense_tflops.
  if (j.is_object() && j.contains("model_type")) {
    auto m = model_from_hf_config(j, catalog.strings(), path.string());
    if (!j.contains("_id")) m.id = catalog.strings().keep(path.stem().string());
    catalog.put(m);
  } else if (j.is_object() && j.contains("dense_tflops")) {
    catalog.put(gpu_from_json(j, catalog.strings(), path.string()));
  } else {
    throw DataError(path.string(), "",
                    "neither a GPU record (needs 'dense_tflops') nor a Hugging Face config.json (needs 'model_type')");
  }
}

}  // namespace

void Context::load_data() {
  for (const auto& p : data_paths)
    for (const auto& file : json_files(p)) load_file(catalog_, file);
}

}  // namespace headroom::cli

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
  } catch (const UnknownId& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return bad_input;
  } catch (const InputError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return bad_input;
  } catch (const DataError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return data_error;
  } catch (const IoError& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return io_error;
  } catch (const Error& e) {
    fmt::print(stderr, "error: {}\n", e.what());
    return bad_input;
  }
  return ctx.exit_code;
}
