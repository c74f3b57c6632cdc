#pragma once
/// @file roofline.hpp
/// The roofline core, templated over the device so that a datasheet GPU and a calibrated one run the
/// same code (docs/reference/formulas.md §3.2, Williams, Waterman & Patterson 2009):
///
///     t_op = max(FLOPs / (η_c · P_peak), bytes / (η_m · BW)) + t_launch
///
/// A device says what its peaks are and how much of them a kernel of a given shape or size gets.
/// `RatedGpu` wraps a datasheet GpuSpec with the efficiencies of its family from an EfficiencyProfile;
/// `PeakGpu` wraps it at η = 1 with no launch cost (the pure upper bound of docs/reference/formulas.md §6.3). A
/// calibrated device (measured peaks and fitted surfaces) only has to model DeviceLike.

#include <concepts>

#include "headroom/efficiency.hpp"
#include "headroom/gpu.hpp"
#include "headroom/result.hpp"
#include "headroom/units.hpp"

namespace headroom {

/// What the roofline needs from a device.
template <class D>
concept DeviceLike = requires(const D& d, Precision p, double m, double n, double k, Bytes s) {
  { d.peak(p) } -> std::same_as<FlopRate>;  ///< dense peak of a precision (a fallback where there is no unit)
  { d.peak_fp16_accumulate() } -> std::same_as<FlopRate>;  ///< fp16 tensor rate with fp16 accumulate
  { d.memory_bandwidth() } -> std::same_as<Bandwidth>;
  { d.gemm_efficiency(p, m, n, k) } -> std::same_as<double>;  ///< η_c of an M×N×K GEMM
  { d.memory_efficiency(s) } -> std::same_as<double>;         ///< η_m of a transfer of s bytes
  { d.kernel_launch() } -> std::same_as<Seconds>;             ///< fixed GPU cost per kernel
  { d.sm_cycles_per_second() } -> std::same_as<double>;       ///< SMs × clock (0: unknown)
};

namespace detail {
/// Dense peak with fallbacks where the datasheet has no such unit: a precision without tensor support runs
/// on the next wider one (fp8 weights are upcast to 16 bit; Apple/AMD consumer parts publish FP32 only).
[[nodiscard]] constexpr FlopRate peak_with_fallback(const GpuSpec& g, Precision p) noexcept {
  const FlopRate direct = g.peak_for(p);
  if (direct.value() > 0) return direct;
  const auto half = [&g] {
    if (g.peak.bf16.value() > 0) return g.peak.bf16;
    if (g.peak.fp16.value() > 0) return g.peak.fp16;
    if (g.peak.fp16_fp16acc.value() > 0) return g.peak.fp16_fp16acc;
    return g.peak.fp32;
  };
  switch (p) {
    case Precision::bf16:
    case Precision::fp16:
    case Precision::fp8:
    case Precision::int8:
    case Precision::fp4: return half();
    case Precision::tf32:
    case Precision::fp32: return g.peak.fp32;
  }
  return g.peak.fp32;
}

/// SMs × clock; when the clock is not published, from the FP32 rate at 256 FLOP per SM per cycle
/// (128 FP32 lanes × FMA: Ampere GA10x, Ada, Hopper, Apple cores).
[[nodiscard]] constexpr double sm_cycles(const GpuSpec& g) noexcept {
  if (g.sm_count > 0 && g.boost_clock_mhz > 0) return g.sm_count * g.boost_clock_mhz * 1e6;
  return g.peak.fp32.value() / 256.0;
}
}  // namespace detail

/// A datasheet GPU rated with the efficiencies of its family.
struct RatedGpu {
  const GpuSpec* spec = nullptr;
  const FamilyEfficiency* eff = nullptr;

  [[nodiscard]] constexpr FlopRate peak(Precision p) const noexcept { return detail::peak_with_fallback(*spec, p); }
  [[nodiscard]] constexpr FlopRate peak_fp16_accumulate() const noexcept {
    return spec->peak.fp16_fp16acc.value() > 0 ? spec->peak.fp16_fp16acc : peak(Precision::fp16);
  }
  [[nodiscard]] constexpr Bandwidth memory_bandwidth() const noexcept { return spec->memory_bandwidth; }
  [[nodiscard]] constexpr double gemm_efficiency(Precision p, double m, double n, double k) const noexcept {
    return eff->gemm(p, m, n, k);
  }
  [[nodiscard]] constexpr double memory_efficiency(Bytes s) const noexcept { return eff->memory(s); }
  [[nodiscard]] constexpr Seconds kernel_launch() const noexcept { return eff->kernel_launch; }
  [[nodiscard]] constexpr double sm_cycles_per_second() const noexcept { return detail::sm_cycles(*spec); }
  /// Optional: the fused attention kernel's fraction of the dense peak (forward, or the backward kernels).
  [[nodiscard]] constexpr double attention_efficiency(bool backward) const noexcept {
    return backward ? eff->attention_bwd : eff->attention_fwd;
  }

  // Optional fast paths (see detail::compute_time / detail::memory_time): the same roofline times with the
  // efficiency surfaces folded in, one division each.
  /// work / (rate · η_c(M, N, K)).
  [[nodiscard]] constexpr Seconds gemm_time(Flops work, FlopRate rate, Precision p, double m, double n,
                                            double k) const noexcept {
    const GemmEfficiency& g = eff->gemm;
    const double den = rate.value() * g.eta_max[static_cast<std::size_t>(p)] * (m * n * k);
    return den > 0 ? Seconds{work.value() * ((m + g.m_half) * (n + g.n_half) * (k + g.k_half)) / den} : Seconds{};
  }
  /// s / (BW · scale · η_m(s)) = (s + half) / (BW · scale · eta_max).
  [[nodiscard]] constexpr Seconds memory_time(Bytes s, double scale = 1.0) const noexcept {
    return memory_time_over(s, memory_denominator(scale));
  }
  /// memory_time with its denominator BW · scale · eta_max worked out once (a timer over many operators).
  [[nodiscard]] constexpr double memory_denominator(double scale = 1.0) const noexcept {
    return spec->memory_bandwidth.value() * scale * eff->memory.eta_max;
  }
  /// (s + half) / den, den from memory_denominator.
  [[nodiscard]] constexpr Seconds memory_time_over(Bytes s, double den) const noexcept {
    return den > 0 && s.value() > 0 ? Seconds{(s.value() + eff->memory.half_bytes.value()) / den} : Seconds{};
  }
};

/// A datasheet GPU at its peaks (η = 1, no launch cost): the roofline upper bound.
struct PeakGpu {
  const GpuSpec* spec = nullptr;

  [[nodiscard]] constexpr FlopRate peak(Precision p) const noexcept { return detail::peak_with_fallback(*spec, p); }
  [[nodiscard]] constexpr FlopRate peak_fp16_accumulate() const noexcept { return peak(Precision::fp16); }
  [[nodiscard]] constexpr Bandwidth memory_bandwidth() const noexcept { return spec->memory_bandwidth; }
  [[nodiscard]] constexpr double gemm_efficiency(Precision, double, double, double) const noexcept { return 1.0; }
  [[nodiscard]] constexpr double memory_efficiency(Bytes) const noexcept { return 1.0; }
  [[nodiscard]] constexpr Seconds kernel_launch() const noexcept { return Seconds{}; }
  [[nodiscard]] constexpr double sm_cycles_per_second() const noexcept { return 0.0; }
};

static_assert(DeviceLike<RatedGpu>);
static_assert(DeviceLike<PeakGpu>);

/// One roofline evaluation.
struct RooflinePoint {
  Seconds time{};     ///< max(compute, memory) + overhead
  Seconds compute{};  ///< FLOPs at the achieved compute rate
  Seconds memory{};   ///< bytes at the achieved bandwidth
  Bound bound = Bound::none;
  Intensity intensity{};  ///< FLOP per byte
};

/// Arithmetic intensity (FLOP/B); 0 when nothing moves.
[[nodiscard]] constexpr Intensity intensity(Flops work, Bytes traffic) noexcept {
  return traffic.value() > 0 ? work / traffic : Intensity{};
}

/// Ridge point P/BW (FLOP/B): kernels below it are memory-bound.
[[nodiscard]] constexpr Intensity ridge(FlopRate peak, Bandwidth bw) noexcept {
  return bw.value() > 0 ? Intensity{peak.value() / bw.value()} : Intensity{};
}

/// t = max(work / rate, traffic / bandwidth) + overhead, at already-achieved rates.
[[nodiscard]] constexpr RooflinePoint roofline(Flops work, Bytes traffic, FlopRate rate, Bandwidth bw,
                                               Seconds overhead = Seconds{}) noexcept {
  RooflinePoint r;
  r.compute = rate.value() > 0 ? work / rate : Seconds{};
  r.memory = bw.value() > 0 ? traffic / bw : Seconds{};
  r.bound = r.compute.value() == 0 && r.memory.value() == 0 ? Bound::none
            : r.memory < r.compute                          ? Bound::compute
                                                            : Bound::memory;
  r.time = max(r.compute, r.memory) + overhead;
  r.intensity = intensity(work, traffic);
  return r;
}

/// A GEMM (M tokens × N outputs × K inputs) on a device: η_c from its shape, η_m from its traffic.
template <DeviceLike D>
[[nodiscard]] constexpr RooflinePoint gemm_roofline(const D& dev, Precision p, double m, double n, double k,
                                                    Bytes traffic, double gemm_scale = 1.0) noexcept {
  const Flops work{2.0 * m * n * k};
  const FlopRate rate = dev.peak(p) * (dev.gemm_efficiency(p, m, n, k) * gemm_scale);
  return roofline(work, traffic, rate, dev.memory_bandwidth() * dev.memory_efficiency(traffic), dev.kernel_launch());
}

namespace detail {
/// work / (rate · η_c) on any device, through its fast path when it has one.
template <DeviceLike D>
[[nodiscard]] constexpr Seconds compute_time(const D& dev, Flops work, FlopRate rate, Precision p, double m, double n,
                                             double k) noexcept {
  if constexpr (requires { dev.gemm_time(work, rate, p, m, n, k); }) {
    return dev.gemm_time(work, rate, p, m, n, k);
  } else {
    const double eta = dev.gemm_efficiency(p, m, n, k);
    return eta > 0 && rate.value() > 0 ? work / (rate * eta) : Seconds{};
  }
}
/// bytes / (BW · scale · η_m(bytes)) on any device, through its fast path when it has one.
template <DeviceLike D>
[[nodiscard]] constexpr Seconds memory_time(const D& dev, Bytes traffic, double scale = 1.0) noexcept {
  if constexpr (requires { dev.memory_time(traffic, scale); }) {
    return dev.memory_time(traffic, scale);
  } else {
    const double bw = dev.memory_bandwidth().value() * dev.memory_efficiency(traffic) * scale;
    return bw > 0 ? Seconds{traffic.value() / bw} : Seconds{};
  }
}
}  // namespace detail

/// Any kernel with a FLOP count and traffic, at the device's best-shape efficiency.
template <DeviceLike D>
[[nodiscard]] constexpr RooflinePoint op_roofline(const D& dev, Precision p, Flops work, Bytes traffic) noexcept {
  const double big = 1e9;  // no shape penalty
  const FlopRate rate = dev.peak(p) * dev.gemm_efficiency(p, big, big, big);
  return roofline(work, traffic, rate, dev.memory_bandwidth() * dev.memory_efficiency(traffic), dev.kernel_launch());
}

}  // namespace headroom
