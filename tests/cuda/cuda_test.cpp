// The calibration suite on a real GPU: every benchmark runs (each checks its own result before timing),
// the samples are plausible, and the fit of them succeeds. Returns 77 (skipped) without a device.

#include <cstdio>
#include <exception>
#include <string>

#include "headroom/calibrate/fit.hpp"
#include "headroom/cuda/bench.hpp"

namespace {
int failures = 0;
void expect(bool ok, const std::string& what) {
  if (!ok) {
    std::fprintf(stderr, "FAILED: %s\n", what.c_str());
    ++failures;
  }
}
}  // namespace

int main() {
  using namespace headroom;
  if (cuda::device_count() == 0) {
    std::fprintf(stderr, "no CUDA device (%s): skipped\n", cuda::device_count_error().c_str());
    return 77;
  }
  try {
    cuda::SuiteOptions o;
    o.quick = true;
    o.warmup = 2;
    o.repeats = 5;
    o.progress = [](std::string_view line) { std::fprintf(stderr, "%.*s\n", static_cast<int>(line.size()), line.data()); };
    const calibrate::Samples s = cuda::run_suite(o);
    expect(!s.device.name.empty(), "device name");
    expect(s.device.sm_count > 0 && s.device.memory_bytes > 0, "device SMs and memory");
    expect(!s.gemm.empty(), "GEMM samples");
    expect(!s.memory.empty(), "memory samples");
    expect(!s.launch.empty() && s.launch.front().gpu_seconds > 0 && s.launch.front().gpu_seconds < 1e-3,
           "launch overhead between 0 and 1 ms");
    for (const auto& m : s.memory) {
      const double bw = m.bytes / m.seconds;
      expect(bw > 1e9 && bw < 1e14, "memory bandwidth between 1 GB/s and 100 TB/s");
    }
    for (const auto& g : s.gemm) expect(g.flops() / g.seconds < 1e16, "GEMM rate below 10 PFLOP/s");
    // The fit against a generic datasheet record scaled from the measured device.
    GpuSpec g;
    g.id = "measured";
    g.name = "measured";
    g.compute_capability = "9.0";
    double best = 0;
    for (const auto& x : s.gemm) best = std::max(best, x.flops() / x.seconds);
    g.peak.fp32 = g.peak.tf32 = g.peak.bf16 = g.peak.fp16 = g.peak.fp8 = FlopRate{best * 1.2};
    g.memory_bandwidth = Bandwidth{s.device.theoretical_bandwidth()};
    const calibrate::FitResult f = calibrate::fit(s, g);
    for (const auto& d : f.diagnostics) std::fprintf(stderr, "fit: %s: %s\n", d.part.c_str(), d.message.c_str());
    expect(f.copy.ok, "memory copy fit");
    expect(f.copy.eta_max > 0.3 && f.copy.eta_max < 1.2, "copy efficiency within 30-120% of the theoretical bandwidth");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "FAILED: %s\n", e.what());
    return 1;
  }
  return failures == 0 ? 0 : 1;
}
