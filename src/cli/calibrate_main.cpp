// headroom-calibrate [--output FILE] [--quick] [--device N] [--gpu ID] [--data PATH]: measure this machine's
// GPU with the CUDA microbenchmarks, fit its efficiency profile and save both (docs/calibration.md).
// `headroom calibrate` runs this program; it is its own executable so that only it links the CUDA
// libraries. Exit codes as the headroom CLI's (docs/cli.md): 12 without a device, 13 when a CUDA call or
// a benchmark's result check fails.

#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <string>

#include "calibrate.hpp"
#include "cli.hpp"
#include "headroom/calibrate/fit.hpp"
#include "headroom/cuda/bench.hpp"
#include "headroom/io/calibration_json.hpp"
#include "headroom/version.hpp"

namespace headroom::cli {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

/// The catalog GPU whose name or id best matches the device name (most characters matched), or null.
const GpuSpec* match_gpu(const Catalog& catalog, const std::string& device_name) {
  const std::string dev = lower(device_name);
  const GpuSpec* best = nullptr;
  std::size_t best_len = 0;
  for (const auto& g : catalog.gpus()) {
    std::string name = lower(std::string(g.name));
    for (const std::string& prefix : {std::string("nvidia "), std::string("geforce ")})
      if (name.starts_with(prefix)) name = name.substr(prefix.size());
    if (!name.empty() && dev.find(name) != std::string::npos && name.size() > best_len) {
      best = &g;
      best_len = name.size();
    }
  }
  return best;
}

std::string utc_now() {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

void measure_and_fit(Context& ctx, const CalibrateOptions& o) {
  if (cuda::device_count() == 0) throw CannotMeasure("no CUDA device to measure (" + cuda::device_count_error() + ")");
  cuda::SuiteOptions so;
  so.device = o.device;
  so.quick = o.quick;
  if (o.quick) {
    so.warmup = 3;
    so.repeats = 10;
  }
  so.progress = [](std::string_view line) {
    fmt::print(stderr, "{}\n", line);
    std::fflush(stderr);
  };
  Calibration c;
  c.created = utc_now();
  c.samples = cuda::run_suite(so);
  const GpuSpec* gpu = o.gpu.empty() ? match_gpu(ctx.catalog(), c.samples.device.name) : &ctx.catalog().gpu(o.gpu);
  if (gpu == nullptr)
    throw InputError("--gpu", "no catalog GPU matches '" + c.samples.device.name +
                     "'; name the datasheet record with --gpu ID (see `headroom gpus`) or add one with --data");
  c.gpu_id = std::string(gpu->id);
  c.fit = calibrate::fit(c.samples, *gpu);
  StringStore store;
  c.profile = calibrate::make_profile(
      c.fit, *gpu, "calibration: " + c.samples.device.name,
      "headroom calibrate " + c.created + " on " + c.samples.device.name + " (driver " +
          c.samples.device.driver_version + ", SM clock " + fmt::format("{:.0f}", c.samples.device.sm_clock_mhz) +
          " MHz), datasheet record " + c.gpu_id,
      store);
  save_calibration(c, o.output);
  const auto& f = c.fit;
  fmt::print("{} ({}), datasheet record {}\n", c.samples.device.name, c.samples.device.compute_capability, c.gpu_id);
  fmt::print("memory copy: {:.1f} GB/s = {:.1f}% of {:.0f} GB/s, half at {:.2f} MiB; kernel launch {:.2f} us\n",
             f.copy.beta * 1e-9, 100 * f.copy.eta_max, gpu->memory_bandwidth.value() * 1e-9, f.copy.half_bytes / 1048576,
             f.kernel_launch_s * 1e6);
  for (std::size_t i = 0; i < f.gemm.eta_max.size(); ++i)
    if (f.gemm.measured[i])
      fmt::print("gemm {}: eta_max {:.1f}%\n", to_string(static_cast<Precision>(i)), 100 * f.gemm.eta_max[i]);
  fmt::print("gemm knees: M {:.0f}, N {:.0f}, K {:.0f}; residual rms {:.1f}%, 80% band x/÷ {:.3f}\n", f.gemm.m_half,
             f.gemm.n_half, f.gemm.k_half, 100 * f.gemm.residuals.rms, std::exp(f.log_band));
  for (const auto& d : f.diagnostics) fmt::print(stderr, "fit problem ({}): {}\n", d.part, d.message);
  fmt::print("saved {}{}\n", o.output, f.ok() ? "" : " (the fit has problems: the built-in values stay for those parts)");
}

}  // namespace

}  // namespace headroom::cli

int main(int argc, char** argv) {
  using namespace headroom;
  using namespace headroom::cli;
  CLI::App app{"headroom-calibrate: measure this machine's GPU (CUDA microbenchmarks), fit its efficiency profile, "
               "save it as JSON. `headroom calibrate` runs this program.",
               "headroom-calibrate"};
  app.set_version_flag("--version", std::string(version_string));
  Context ctx;
  CalibrateOptions o;
  app.add_option("--data", ctx.data_paths, "extra or overriding GPU records (file or folder)")->check(CLI::ExistingPath);
  add_calibrate_options(app, o);
  try {
    app.parse(argc, argv);
    measure_and_fit(ctx, o);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? ok : usage;
  } catch (const Error& e) {
    return report(e);
  } catch (...) {
    return report_internal();
  }
  return ok;
}
