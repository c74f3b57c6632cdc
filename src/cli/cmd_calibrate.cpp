// headroom calibrate [--output FILE] [--quick] [--device N] [--gpu ID]: runs the headroom-calibrate program
// (built with the CUDA backend, docs/calibration.md) with the same options and --data files. The headroom
// executable itself links no CUDA library, so that every other command starts fast on any machine.
// Without headroom-calibrate it says how to build it, and exits with 12.

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/core.h>

#include "calibrate.hpp"
#if HEADROOM_HAVE_EIGEN
#include "headroom/calibrate/fit.hpp"
#endif
#include "headroom/io/calibration_json.hpp"
#include "headroom/io/efficiency_json.hpp"
#include "headroom/io/json_file.hpp"
#include "cli.hpp"

namespace headroom::cli {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view program = "headroom-calibrate";

/// This executable's folder (build tree bin/, install prefix bin/), or empty where /proc is missing.
fs::path own_folder() {
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : self.parent_path();
}

/// headroom-calibrate next to this executable, else the first on PATH; empty when there is none.
fs::path find_calibrate_program(const fs::path& own) {
  std::vector<fs::path> folders;
  if (!own.empty()) folders.push_back(own);
  if (const char* path = std::getenv("PATH")) {
    std::string_view rest = path;
    while (true) {
      const std::size_t colon = rest.find(':');
      const std::string_view dir = rest.substr(0, colon);
      folders.emplace_back(dir.empty() ? std::string_view(".") : dir);
      if (colon == std::string_view::npos) break;
      rest.remove_prefix(colon + 1);
    }
  }
  for (const auto& f : folders) {
    const fs::path p = f / program;
    std::error_code ec;
    if (fs::is_regular_file(p, ec) && ::access(p.c_str(), X_OK) == 0) return p;
  }
  return {};
}

[[noreturn]] void run_calibrate(const CalibrateOptions& o, const std::vector<std::string>& data) {
  const fs::path own = own_folder();
  const fs::path exe = find_calibrate_program(own);
  if (exe.empty())
    throw CannotMeasure(
        "calibration needs the CUDA backend: build with -DHEADROOM_CUDA=ON (there is no headroom-calibrate in " +
        (own.empty() ? std::string("this executable's folder") : own.string()) +
        " or on PATH).\n"
        "Build it on a machine with the CUDA toolkit (nvcc, cuBLAS) and Eigen 3.4:\n"
        "  cmake -S . -B build-cuda -DHEADROOM_CUDA=ON && cmake --build build-cuda\n"
        "  build-cuda/bin/headroom calibrate --output calibration.json\n"
        "then predict anywhere with `headroom eval --profile calibration.json` (docs/calibration.md)");
  const std::vector<std::string> args = calibrate_arguments(o, data);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(exe.c_str()));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  ::execv(exe.c_str(), argv.data());  // returns only on failure
  throw CannotMeasure("cannot run " + exe.string() + ": " + std::strerror(errno));
}

/// --refit FILE: fits the stored samples of a calibration file again (no GPU) and writes the current file
/// format. The stored profile is not read (it may predate runtimes or keys this build requires); the
/// samples, device and creation date are kept as measured.
void refit(Context& ctx, const CalibrateOptions& o) {
#if !HEADROOM_HAVE_EIGEN
  (void)ctx;
  throw CannotMeasure("--refit " + o.refit + " needs the fit, which needs Eigen 3.4: install it (libeigen3-dev) and rebuild");
#else
  nlohmann::json j = read_json_file(o.refit);
  if (j.is_object()) j["profile"] = efficiency_to_json(builtin_efficiency);
  StringStore store;
  Calibration c = calibration_from_json(j, store, o.refit);
  const std::string id = o.gpu.empty() ? c.gpu_id : o.gpu;
  const GpuSpec& gpu = ctx.catalog().gpu(id);
  c.gpu_id = std::string(gpu.id);
  c.fit = calibrate::fit(c.samples, gpu);
  c.profile = calibrate::make_profile(c.fit, gpu, "calibration: " + c.samples.device.name,
                                      "headroom calibrate " + c.created + " on " + c.samples.device.name + " (driver " +
                                          c.samples.device.driver_version + "), datasheet record " + c.gpu_id +
                                          "; refit from stored samples with `headroom calibrate --refit`",
                                      store);
  save_calibration(c, o.output);
  for (std::size_t i = 0; i < c.fit.gemm.eta_max.size(); ++i)
    if (c.fit.gemm.measured[i])
      fmt::print("gemm {}: eta_max {:.3f}\n", to_string(static_cast<Precision>(i)), c.fit.gemm.eta_max[i]);
  fmt::print("gemm knees: M {:.0f}, N {:.0f}, K {:.0f}; residual rms {:.1f}%\n", c.fit.gemm.m_half, c.fit.gemm.n_half,
             c.fit.gemm.k_half, 100 * c.fit.gemm.residuals.rms);
  for (const auto& d : c.fit.diagnostics) fmt::print(stderr, "fit problem ({}): {}\n", d.part, d.message);
  fmt::print("saved {}\n", o.output);
#endif
}

}  // namespace

void add_calibrate_command(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<CalibrateOptions>();
  auto* cal = app.add_subcommand(
      "calibrate", "measure this machine's GPU (CUDA microbenchmarks), fit its efficiency profile, save it as JSON");
  add_calibrate_options(*cal, *o);
  cal->add_option("--refit", o->refit, "refit the samples stored in this calibration file (no GPU needed)")
      ->check(CLI::ExistingFile);
  cal->callback([&ctx, o] {
    if (!o->refit.empty()) return refit(ctx, *o);
    run_calibrate(*o, ctx.data_paths);
  });
}

}  // namespace headroom::cli
