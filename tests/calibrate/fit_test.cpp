// The calibration fit without a GPU: samples generated from known parameters plus noise come back out
// within tolerance; degenerate sweeps are reported, not fitted.

#include <catch2/catch.hpp>
#include <cmath>
#include <random>
#include <vector>

#include "headroom/calibrate/fit.hpp"
#include "headroom/io/calibration_json.hpp"

using namespace headroom;
using namespace headroom::calibrate;
using Catch::Matchers::WithinRel;

namespace {

// An H100-SXM-like datasheet record (dense peaks, HBM3 bandwidth).
GpuSpec test_gpu() {
  GpuSpec g;
  g.id = "test-h100";
  g.name = "Test H100";
  g.compute_capability = "9.0";
  g.peak.fp32 = FlopRate{67e12};
  g.peak.tf32 = FlopRate{494.7e12};
  g.peak.bf16 = FlopRate{989.4e12};
  g.peak.fp16 = FlopRate{989.4e12};
  g.peak.fp8 = FlopRate{1978.9e12};
  g.memory_bandwidth = Bandwidth{3.35e12};
  return g;
}

struct Truth {
  std::array<double, 7> eta{0.90, 0.70, 0.80, 0.82, 0.68, 0, 0};
  double m_half = 40, n_half = 90, k_half = 120;
  double mem_eta = 0.9, half_bytes = 2.0 * 1048576, launch = 2.5e-6;
};

double mem_time(const Truth& t, const GpuSpec& g, double bytes) {
  return (bytes + t.half_bytes) / (t.mem_eta * g.memory_bandwidth.value());
}

Samples synthetic(const Truth& t, const GpuSpec& g, double sigma, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> noise(0.0, sigma);
  Samples s;
  s.device.name = "Test H100";
  s.launch.push_back({t.launch, 4e-6});
  for (double size = 256.0 * 1024; size <= 1024.0 * 1048576; size *= 4)
    for (auto op : {MemoryOp::read, MemoryOp::write, MemoryOp::copy}) {
      const double bytes = op == MemoryOp::copy ? 2 * size : size;
      s.memory.push_back({op, size, bytes, false, (mem_time(t, g, bytes) + t.launch) * std::exp(noise(rng))});
    }
  const std::int64_t ms[] = {1, 8, 32, 128, 512, 2048};
  std::vector<std::array<std::int64_t, 3>> shapes;
  for (auto nk : {std::array<std::int64_t, 2>{4096, 4096}, {14336, 4096}, {4096, 14336}})
    for (auto m : ms) shapes.push_back({m, nk[0], nk[1]});
  for (std::int64_t v : {256, 1024}) {
    shapes.push_back({4096, v, 4096});
    shapes.push_back({4096, 4096, v});
  }
  for (std::int64_t q : {256, 512, 1024, 2048, 4096, 8192}) shapes.push_back({q, q, q});
  for (auto p : {Precision::fp32, Precision::tf32, Precision::bf16, Precision::fp16, Precision::fp8})
    for (const auto& sh : shapes) {
      GemmSample x{sh[0], sh[1], sh[2], p, 0};
      const double M = static_cast<double>(sh[0]), N = static_cast<double>(sh[1]), K = static_cast<double>(sh[2]);
      const double eta = t.eta[static_cast<std::size_t>(p)] * M / (M + t.m_half) * N / (N + t.n_half) * K / (K + t.k_half);
      const double compute = x.flops() / (eta * headroom::detail::peak_with_fallback(g, p).value());
      x.seconds = (std::max(compute, mem_time(t, g, x.bytes())) + t.launch) * std::exp(noise(rng));
      s.gemm.push_back(x);
    }
  return s;
}

}  // namespace

TEST_CASE("fit recovers known parameters from noisy synthetic samples", "[calibrate][fit]") {
  const GpuSpec g = test_gpu();
  const Truth t;
  const double sigma = 0.03;  // 3% lognormal timing noise
  const Samples s = synthetic(t, g, sigma, 7);
  const FitResult f = fit(s, g);
  INFO("diagnostics: " << (f.diagnostics.empty() ? std::string("none") : f.diagnostics.front().message));
  REQUIRE(f.ok());
  CHECK(f.kernel_launch_s == t.launch);
  // Memory: η = β/BW within 2%, S½ within 25% (it rests on the few small sizes).
  CHECK_THAT(f.copy.eta_max, WithinRel(t.mem_eta, 0.02));
  CHECK_THAT(f.copy.half_bytes, WithinRel(t.half_bytes, 0.25));
  CHECK_THAT(f.read.eta_max, WithinRel(t.mem_eta, 0.05));  // half the traffic per size: fewer points past the knee
  // GEMM: every measured η within 3%, the knees within 30%.
  for (auto p : {Precision::fp32, Precision::tf32, Precision::bf16, Precision::fp16, Precision::fp8}) {
    const auto i = static_cast<std::size_t>(p);
    INFO("precision " << headroom::to_string(p));
    CHECK(f.gemm.measured[i]);
    CHECK_THAT(f.gemm.eta_max[i], WithinRel(t.eta[i], 0.03));
  }
  CHECK_FALSE(f.gemm.measured[static_cast<std::size_t>(Precision::int8)]);
  CHECK_THAT(f.gemm.m_half, WithinRel(t.m_half, 0.3));
  CHECK_THAT(f.gemm.n_half, WithinRel(t.n_half, 0.3));
  CHECK_THAT(f.gemm.k_half, WithinRel(t.k_half, 0.3));
  // Residuals keep the noise: rms ≈ σ, the 80% half-width ≈ 1.28σ.
  CHECK(f.gemm.residuals.log_ratio.size() == s.gemm.size());
  CHECK(f.gemm.residuals.rms > 0.6 * sigma);
  CHECK(f.gemm.residuals.rms < 1.5 * sigma);
  CHECK(f.gemm.residuals.q80 > 0.8 * sigma);
  CHECK(f.gemm.residuals.q80 < 2.0 * sigma);
  CHECK(f.log_band > f.gemm.residuals.q80);
}

TEST_CASE("noise-free samples come back exactly", "[calibrate][fit]") {
  const GpuSpec g = test_gpu();
  const Truth t;
  const FitResult f = fit(synthetic(t, g, 0.0, 1), g);
  REQUIRE(f.ok());
  CHECK_THAT(f.copy.eta_max, WithinRel(t.mem_eta, 1e-9));
  CHECK_THAT(f.copy.half_bytes, WithinRel(t.half_bytes, 1e-6));
  CHECK_THAT(f.gemm.eta_max[static_cast<std::size_t>(Precision::bf16)], WithinRel(0.80, 1e-4));
  CHECK_THAT(f.gemm.k_half, WithinRel(t.k_half, 1e-3));
  CHECK(f.gemm.residuals.rms < 1e-6);
}

TEST_CASE("a memory sweep at one size is reported, not fitted", "[calibrate][fit][degenerate]") {
  const GpuSpec g = test_gpu();
  std::vector<double> bytes(6, 64.0 * 1048576), secs{2e-5, 2.1e-5, 1.9e-5, 2e-5, 2.05e-5, 1.95e-5};
  std::vector<Diagnostic> d;
  const BandwidthFit f = fit_bandwidth(bytes, secs, g.memory_bandwidth.value(), 2e-6, "memory copy", d);
  CHECK_FALSE(f.ok);
  REQUIRE(d.size() == 1);
  CHECK(d[0].message.find("rank-deficient") != std::string::npos);

  std::vector<Diagnostic> d2;
  const BandwidthFit f2 = fit_bandwidth(std::vector<double>{1e6, 4e6}, std::vector<double>{1e-5, 2e-5},
                                        g.memory_bandwidth.value(), 2e-6, "memory copy", d2);
  CHECK_FALSE(f2.ok);
  CHECK(d2.size() == 1);
}

TEST_CASE("a GEMM sweep at one shape is reported, not fitted", "[calibrate][fit][degenerate]") {
  const GpuSpec g = test_gpu();
  Truth t;
  Samples s = synthetic(t, g, 0.01, 3);
  for (auto& x : s.gemm) {
    x.m = x.n = x.k = 4096;  // every sample at one size
    x.seconds = 2e-4;
  }
  const FitResult f = fit(s, g);
  CHECK_FALSE(f.ok());
  CHECK_FALSE(f.gemm.ok);
  REQUIRE_FALSE(f.diagnostics.empty());
  CHECK(f.diagnostics.front().part == "gemm");
  CHECK(f.diagnostics.front().message.find("degenerate") != std::string::npos);
  CHECK(f.copy.ok);  // the memory fit does not depend on the GEMM sweep
}

TEST_CASE("a precision measured only at memory-bound shapes is rank-deficient", "[calibrate][fit][degenerate]") {
  const GpuSpec g = test_gpu();
  const Truth t;
  Samples s = synthetic(t, g, 0.01, 5);
  // Keep fp8 only at decode shapes (M = 1): its η never sets the time.
  std::erase_if(s.gemm, [](const GemmSample& x) { return x.precision == Precision::fp8 && x.m != 1; });
  const FitResult f = fit(s, g);
  CHECK_FALSE(f.gemm.ok);
  REQUIRE_FALSE(f.diagnostics.empty());
  CHECK(f.diagnostics.back().message.find("rank-deficient") != std::string::npos);
  CHECK(f.diagnostics.back().message.find("fp8") != std::string::npos);
}

TEST_CASE("the fitted profile replaces the measured family only and survives JSON", "[calibrate][profile]") {
  const GpuSpec g = test_gpu();
  const Truth t;
  Calibration c;
  c.created = "2025-01-01T00:00:00Z";
  c.gpu_id = "h100-sxm5-80gb";
  c.samples = synthetic(t, g, 0.02, 11);
  c.fit = fit(c.samples, g);
  REQUIRE(c.fit.ok());
  StringStore store;
  c.profile = make_profile(c.fit, g, "calibration: Test H100", "synthetic test", store);
  const auto& hop = c.profile.for_family(GpuFamily::hopper);
  CHECK(hop.gemm.eta_max[static_cast<std::size_t>(Precision::bf16)] ==
        c.fit.gemm.eta_max[static_cast<std::size_t>(Precision::bf16)]);
  CHECK(hop.gemm.eta_max[static_cast<std::size_t>(Precision::int8)] ==
        builtin_efficiency.for_family(GpuFamily::hopper).gemm.eta_max[static_cast<std::size_t>(Precision::int8)]);
  CHECK(hop.memory.eta_max == c.fit.copy.eta_max);
  CHECK(hop.kernel_launch.value() == t.launch);
  CHECK(c.profile.for_family(GpuFamily::ada) == builtin_efficiency.for_family(GpuFamily::ada));
  CHECK(c.profile.runtime == builtin_efficiency.runtime);

  StringStore store2;
  const Calibration back = calibration_from_json(nlohmann::json::parse(calibration_to_json(c).dump()), store2);
  CHECK(back.profile == c.profile);
  CHECK(back.samples.gemm.size() == c.samples.gemm.size());
  CHECK(back.samples.memory.size() == c.samples.memory.size());
  CHECK(back.fit.gemm.m_half == c.fit.gemm.m_half);
  CHECK(back.fit.log_band == c.fit.log_band);
  CHECK(back.fit.gemm.residuals.log_ratio == c.fit.gemm.residuals.log_ratio);
  // A value of the wrong type is named by its JSON path and shown.
  nlohmann::json broken = calibration_to_json(c);
  broken["fit"]["memory"]["copy"]["residuals"]["rms"] = "low";
  CHECK_THROWS_WITH(calibration_from_json(broken, store2, "cal.json"),
                    "cal.json: field 'fit.memory.copy.residuals.rms': has the wrong type: string \"low\"");
  broken = calibration_to_json(c);
  broken["device"].erase("sm_count");
  CHECK_THROWS_WITH(calibration_from_json(broken, store2, "cal.json"), "cal.json: field 'device.sm_count': missing required key");
  // Refitting the saved samples gives the saved fit.
  const FitResult refit = fit(back.samples, g);
  CHECK_THAT(refit.gemm.eta_max[2], WithinRel(c.fit.gemm.eta_max[2], 1e-9));
}

TEST_CASE("fitted GEMM peak efficiency stays within (0, 1] when precisions have different knees",
          "[calibrate][fit]") {
  // The H200 run: CUDA-core fp32 saturates at small shapes, tensor-core precisions need large ones. One
  // shared set of knees fitted to both pushed fp32's eta_max above 1 (1.151), which no profile accepts.
  // Here fp32 (eta 0.95) has knees of 1 and the others knees of 200/1000/1000: the shared knees come
  // out large, and without the bound fp32's eta_max must exceed 1 to reproduce its large-shape times.
  const GpuSpec g = test_gpu();
  Truth big;
  big.m_half = 200;
  big.n_half = 1000;
  big.k_half = 1000;
  Samples s = synthetic(big, g, 0.0, 7);
  Truth small = big;
  small.eta[static_cast<std::size_t>(Precision::fp32)] = 0.95;
  small.m_half = small.n_half = small.k_half = 1;
  const Samples s32 = synthetic(small, g, 0.0, 7);
  for (std::size_t i = 0; i < s.gemm.size(); ++i)
    if (s.gemm[i].precision == Precision::fp32) s.gemm[i] = s32.gemm[i];
  const FitResult r = fit(s, g);
  REQUIRE(r.gemm.ok);
  for (std::size_t i = 0; i < r.gemm.eta_max.size(); ++i)
    if (r.gemm.measured[i]) {
      INFO("precision " << to_string(static_cast<Precision>(i)) << " eta_max " << r.gemm.eta_max[i]);
      CHECK(r.gemm.eta_max[i] > 0);
      CHECK(r.gemm.eta_max[i] <= 1.0);
    }
}
