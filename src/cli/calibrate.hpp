#pragma once
// The options of `headroom calibrate`, shared by the subcommand (cmd_calibrate.cpp, which hands them on)
// and by the headroom-calibrate program that measures (calibrate_main.cpp), so both accept one line.

#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace headroom::cli {

struct CalibrateOptions {
  std::string output = "calibration.json";
  bool quick = false;
  int device = 0;
  std::string refit;  ///< `headroom calibrate --refit FILE`: fit stored samples again, no GPU
  std::string gpu;  ///< catalog record for the datasheet peaks; default: matched from the device name
};

inline void add_calibrate_options(CLI::App& app, CalibrateOptions& o) {
  app.add_option("--output,-o", o.output, "where to write the calibration (default calibration.json)");
  app.add_flag("--quick", o.quick, "shorter sweeps (a few seconds) instead of the full suite (under a minute)");
  app.add_option("--device", o.device, "CUDA device index (default 0)");
  app.add_option("--gpu", o.gpu, "catalog GPU id whose datasheet peaks the fit uses (default: matched by name)");
}

/// The command line of headroom-calibrate for these options and --data files (`--name=value`, so that a
/// value starting with '-' stays a value).
inline std::vector<std::string> calibrate_arguments(const CalibrateOptions& o, const std::vector<std::string>& data) {
  std::vector<std::string> a{"--output=" + o.output, "--device=" + std::to_string(o.device)};
  if (o.quick) a.emplace_back("--quick");
  if (!o.gpu.empty()) a.push_back("--gpu=" + o.gpu);
  for (const auto& d : data) a.push_back("--data=" + d);
  return a;
}

}  // namespace headroom::cli
