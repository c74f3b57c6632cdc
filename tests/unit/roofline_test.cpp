#include "headroom/roofline.hpp"

#include <catch2/catch.hpp>

#include "hand_records.hpp"

using namespace headroom;
using namespace headroom::test_records;
using namespace headroom::literals;

namespace {

constexpr GpuSpec apple_like = [] {
  GpuSpec g;
  g.id = "apple-like";
  g.vendor = "Apple";
  g.architecture = "Apple GPU (M2 family)";
  g.memory_bandwidth = gb_per_s(800);
  g.sm_count = 76;
  g.peak.fp32 = tflops(27.2);
  return g;
}();

// A calibrated device written from scratch: the roofline code must accept it unchanged.
struct MeasuredDevice {
  FlopRate bf16_rate;
  Bandwidth copy_rate;
  [[nodiscard]] constexpr FlopRate peak(Precision) const noexcept { return bf16_rate; }
  [[nodiscard]] constexpr FlopRate peak_fp16_accumulate() const noexcept { return bf16_rate; }
  [[nodiscard]] constexpr Bandwidth memory_bandwidth() const noexcept { return copy_rate; }
  [[nodiscard]] constexpr double gemm_efficiency(Precision, double, double, double) const noexcept { return 1.0; }
  [[nodiscard]] constexpr double memory_efficiency(Bytes) const noexcept { return 1.0; }
  [[nodiscard]] constexpr Seconds kernel_launch() const noexcept { return 2_us; }
  [[nodiscard]] constexpr double sm_cycles_per_second() const noexcept { return 0; }
};

}  // namespace

TEST_CASE("roofline takes the slower roof and adds the overhead", "[roofline]") {
  // 1 TFLOP at 100 TFLOP/s = 10 ms; 1 GB at 1000 GB/s = 1 ms: compute-bound, 1000 FLOP/B.
  const RooflinePoint r = roofline(Flops{1e12}, 1_GB, tflops(100), gb_per_s(1000), 1_ms);
  REQUIRE(r.compute.value() == Approx(0.010));
  REQUIRE(r.memory.value() == Approx(0.001));
  REQUIRE(r.time.value() == Approx(0.011));
  REQUIRE(r.bound == Bound::compute);
  REQUIRE(r.intensity.value() == Approx(1000));

  // 1 GFLOP over 16 GB: memory-bound.
  const RooflinePoint m = roofline(Flops{1e9}, 16_GB, tflops(100), gb_per_s(1000));
  REQUIRE(m.bound == Bound::memory);
  REQUIRE(m.time.value() == Approx(0.016));
  REQUIRE(roofline(Flops{}, Bytes{}, tflops(1), gb_per_s(1)).bound == Bound::none);
}

TEST_CASE("ridge point of the RTX 4090 is about 164 FLOP/B", "[roofline]") {
  // docs/reference/formulas.md §3.2: 165.2 TFLOPS / 1008 GB/s = 163.9.
  REQUIRE(ridge(rtx4090.peak.bf16, rtx4090.memory_bandwidth).value() == Approx(163.9).epsilon(0.001));
  STATIC_REQUIRE(intensity(Flops{10}, Bytes{0}).value() == 0);
}

TEST_CASE("devices: datasheet, rated and calibrated all model DeviceLike", "[roofline]") {
  STATIC_REQUIRE(DeviceLike<PeakGpu>);
  STATIC_REQUIRE(DeviceLike<RatedGpu>);
  STATIC_REQUIRE(DeviceLike<MeasuredDevice>);
  STATIC_REQUIRE(!DeviceLike<GpuSpec>);

  // The same template runs on the measured device: 2·4096³ FLOP at 500 TFLOP/s + 2 us launch.
  constexpr MeasuredDevice dev{tflops(500), gb_per_s(3000)};
  constexpr RooflinePoint g = gemm_roofline(dev, Precision::bf16, 4096, 4096, 4096, Bytes{3 * 4096.0 * 4096 * 2});
  STATIC_REQUIRE(g.bound == Bound::compute);
  REQUIRE(g.time.value() == Approx(2 * 4096.0 * 4096 * 4096 / 500e12 + 2e-6));
}

TEST_CASE("peaks fall back to the next wider unit", "[roofline]") {
  constexpr PeakGpu g{&rtx4090};
  STATIC_REQUIRE(g.peak(Precision::bf16) == tflops(165.2));
  STATIC_REQUIRE(g.peak(Precision::fp8) == tflops(330.3));
  // No INT8 figure written for this record: INT8 falls back to the 16-bit tensor rate.
  STATIC_REQUIRE(g.peak(Precision::int8) == tflops(165.2));
  // Apple publishes FP32 only: fp16 runs at the FP32 ALU rate.
  constexpr PeakGpu a{&apple_like};
  STATIC_REQUIRE(a.peak(Precision::fp16) == tflops(27.2));
  STATIC_REQUIRE(a.peak(Precision::tf32) == tflops(27.2));
  // No clock published: SMs x clock from the FP32 rate at 256 FLOP per SM per cycle.
  REQUIRE(detail::sm_cycles(apple_like) == Approx(27.2e12 / 256));
  REQUIRE(detail::sm_cycles(rtx4090) == Approx(128 * 2520e6));
}

constexpr FamilyEfficiency test_family{GemmEfficiency{{0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8}, 64, 64, 64},
                                       MemoryEfficiency{0.9, mib(1)}, 3_us, "test"};

TEST_CASE("efficiency surfaces", "[roofline][efficiency]") {
  constexpr const FamilyEfficiency& fe = test_family;
  constexpr RatedGpu g{&rtx4090, &fe};
  // η_c(4096, 4096, 4096) = 0.8 · (4096/4160)³.
  const double s = 4096.0 / 4160.0;
  REQUIRE(g.gemm_efficiency(Precision::bf16, 4096, 4096, 4096) == Approx(0.8 * s * s * s));
  // Half of η_max at M = m_half with huge N, K.
  REQUIRE(g.gemm_efficiency(Precision::bf16, 64, 1e12, 1e12) == Approx(0.4).epsilon(1e-6));
  // DRAM: half of η_max at the half size; nearly all of it for 1 GiB.
  REQUIRE(g.memory_efficiency(1_MiB) == Approx(0.45));
  REQUIRE(g.memory_efficiency(1_GiB) == Approx(0.9 * 1024.0 / 1025.0));
  REQUIRE(g.kernel_launch() == 3_us);
}

TEST_CASE("GPU families from compute capability, vendor and architecture", "[efficiency]") {
  STATIC_REQUIRE(gpu_family(rtx4090) == GpuFamily::ada);
  STATIC_REQUIRE(gpu_family(apple_like) == GpuFamily::apple);
  constexpr auto with = [](std::string_view cc, std::string_view vendor, std::string_view arch) {
    GpuSpec g;
    g.compute_capability = cc;
    g.vendor = vendor;
    g.architecture = arch;
    return g;
  };
  constexpr GpuSpec a100_sxm = with("8.0", "NVIDIA", "Ampere");  // not `a100`: hand_records.hpp has one
  constexpr GpuSpec a40 = with("8.6", "NVIDIA", "Ampere");
  constexpr GpuSpec h100 = with("9.0", "NVIDIA", "Hopper");
  constexpr GpuSpec b200 = with("10.0", "NVIDIA", "Blackwell");
  constexpr GpuSpec rtx5090 = with("12.0", "NVIDIA", "Blackwell (consumer/pro, sm_120)");
  constexpr GpuSpec mi300x = with("", "AMD", "CDNA 3");
  constexpr GpuSpec unknown = with("", "Acme", "");
  STATIC_REQUIRE(gpu_family(a100_sxm) == GpuFamily::ampere_hpc);
  STATIC_REQUIRE(gpu_family(a40) == GpuFamily::ampere);
  STATIC_REQUIRE(gpu_family(h100) == GpuFamily::hopper);
  STATIC_REQUIRE(gpu_family(b200) == GpuFamily::blackwell_hpc);
  STATIC_REQUIRE(gpu_family(rtx5090) == GpuFamily::blackwell);
  STATIC_REQUIRE(gpu_family(mi300x) == GpuFamily::cdna);
  STATIC_REQUIRE(gpu_family(unknown) == GpuFamily::other);
  STATIC_REQUIRE(to_string(GpuFamily::ampere_hpc) == "ampere_hpc");
}

TEST_CASE("built-in profile: measured fractions and sane runtime terms", "[efficiency]") {
  constexpr const EfficiencyProfile& p = builtin_efficiency;
  // docs/reference/gpu-specs.md "Measured efficiency": A100 BF16 81-87%, H100 FP8 71-78%, 4090 copy 90-91%.
  STATIC_REQUIRE(p.for_family(GpuFamily::ampere_hpc).gemm.eta_max[2] == 0.85);
  STATIC_REQUIRE(p.for_family(GpuFamily::hopper).gemm.eta_max[4] == 0.73);
  STATIC_REQUIRE(p.for_family(GpuFamily::ada).memory.eta_max == 0.90);
  for (const auto& f : p.family) {
    for (double e : f.gemm.eta_max) {
      REQUIRE(e > 0.3);
      REQUIRE(e <= 1.0);
    }
    REQUIRE(f.memory.eta_max > 0.5);
    REQUIRE(f.memory.eta_max <= 1.0);
    REQUIRE(!f.source.empty());
  }
  for (const auto& r : p.runtime) {
    REQUIRE(r.gemm_scale > 0);
    REQUIRE(r.serving_scale > 0);
    REQUIRE(r.serving_scale <= 1);
    REQUIRE(!r.source.empty());
  }
  STATIC_REQUIRE(p.for_runtime(Runtime::llama_cpp).fp16_accumulate);
  STATIC_REQUIRE(weight_kernel(WeightFormat::nf4_dq) == WeightKernel::bnb_4bit);
  STATIC_REQUIRE(weight_kernel(WeightFormat::q4_k_m) == WeightKernel::gguf);
  STATIC_REQUIRE(weight_kernel(WeightFormat::fp8) == WeightKernel::fp8);  // read as stored, own wrapper cost
}
