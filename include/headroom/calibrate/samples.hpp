#pragma once
/// @file calibrate/samples.hpp
/// What a calibration run measures, as plain values (standard library only): the device, and one
/// sample per timed configuration. Each sample records the work it did (FLOPs, bytes moved) and the
/// median time it took; achieved rates are derived (flops()/seconds), never stored
/// (docs/reference/formulas.md §5.1). The CUDA backend (headroom/cuda/bench.hpp) produces them, the fit
/// (headroom/calibrate/fit.hpp) consumes them, and headroom/io/calibration_json.hpp saves them, so the
/// machine that measures and the machine that predicts can differ.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "headroom/gpu.hpp"
#include "headroom/names.hpp"  // MemoryOp, TransferKind

namespace headroom::calibrate {

/// The measured device, read through cudaDeviceGetAttribute (CUDA 13 has no clock fields in cudaDeviceProp).
struct DeviceInfo {
  int index = 0;
  std::string name;                ///< e.g. "NVIDIA H100 80GB HBM3"
  std::string compute_capability;  ///< "9.0"
  std::string driver_version;      ///< "13.0" (cudaDriverGetVersion)
  std::string runtime_version;     ///< "13.0" (cudaRuntimeGetVersion)
  std::string pci_bus_id;
  int sm_count = 0;
  double sm_clock_mhz = 0;      ///< maximum SM clock
  double memory_clock_mhz = 0;  ///< peak memory clock
  int memory_bus_bits = 0;
  double memory_bytes = 0;
  double l2_bytes = 0;
  /// 2 × memory clock × bus width / 8 (nvbench device_info): the theoretical DRAM bandwidth, bytes/s.
  [[nodiscard]] double theoretical_bandwidth() const noexcept {
    return 2.0 * memory_clock_mhz * 1e6 * memory_bus_bits / 8.0;
  }
};

/// One GEMM shape: D[M×N] = A[M×K]·B[K×N] through cuBLASLt. M is the token dimension (small in decode).
struct GemmSample {
  std::int64_t m = 0, n = 0, k = 0;
  Precision precision = Precision::bf16;
  double seconds = 0;  ///< median time of one GEMM
  [[nodiscard]] double flops() const noexcept {
    return 2.0 * static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k);
  }
  /// Bytes of the operands and the result at the storage width (the memory roof of the time model).
  [[nodiscard]] double bytes() const noexcept {
    const double w = precision == Precision::fp32 || precision == Precision::tf32 ? 4.0
                     : precision == Precision::fp8 || precision == Precision::int8 ? 1.0
                     : precision == Precision::fp4                               ? 0.5
                                                                                 : 2.0;
    const double out = precision == Precision::fp8 ? 2.0 : w;  // fp8 GEMMs write 16-bit results
    const auto M = static_cast<double>(m), N = static_cast<double>(n), K = static_cast<double>(k);
    return w * (M * K + K * N) + out * M * N;
  }
};

/// One device-memory kernel over a buffer of `size` bytes. `bytes` is the traffic (copy: 2 × size).
/// `l2_resident`: the same buffer every repeat (L2 rate); otherwise buffers are rotated so that every
/// repeat comes from DRAM.
struct MemorySample {
  MemoryOp op = MemoryOp::copy;
  double size = 0;
  double bytes = 0;
  bool l2_resident = false;
  double seconds = 0;
};

/// One copy between host (pinned) and device, or between two devices (src, dst: device indices; -1 = host).
struct TransferSample {
  TransferKind kind = TransferKind::host_to_device;
  int src = -1, dst = 0;
  double bytes = 0;
  double seconds = 0;
};

/// Kernel launch cost: `gpu_seconds` per empty kernel launched back to back in a stream (CUDA events over
/// the batch), `host_seconds` of CPU time per launch call.
struct LaunchSample {
  double gpu_seconds = 0;
  double host_seconds = 0;
};

/// One NCCL all-reduce over `ranks` GPUs of this node (busbw = 2(n-1)/n · bytes / t, as nccl-tests).
struct CollectiveSample {
  int ranks = 0;
  double bytes = 0;
  double seconds = 0;
  [[nodiscard]] double busbw() const noexcept {
    return seconds > 0 && ranks > 0 ? 2.0 * (ranks - 1) / ranks * bytes / seconds : 0.0;
  }
};

/// Everything one calibration run measured.
struct Samples {
  DeviceInfo device{};
  int device_count = 1;  ///< GPUs visible to the run
  std::vector<GemmSample> gemm;
  std::vector<MemorySample> memory;
  std::vector<TransferSample> transfers;
  std::vector<LaunchSample> launch;
  std::vector<CollectiveSample> collectives;
  std::vector<std::string> notes;  ///< skipped benchmarks and why
};

// ---------------------------------------------------------------------------------------------
// What the fit (headroom/calibrate/fit.hpp) makes of the samples. Plain values, so that
// headroom/io/calibration_json.hpp can save and load them without Eigen.

/// A problem the fit found instead of silently fitting: a degenerate or rank-deficient sweep, too few
/// samples, a non-converged solve. `part` names the sweep ("gemm", "memory", "launch").
struct Diagnostic {
  std::string part;
  std::string message;
};

/// Residuals in log space, r_i = ln(measured / fitted), of one fit.
struct Residuals {
  std::vector<double> log_ratio;  ///< one per sample used, in sample order
  int parameters = 0;             ///< p
  double rms = 0;                 ///< s = sqrt(Σr²/(n−p))
  /// The split-conformal 80% half-width: the ⌈(n+1)·0.8⌉-th smallest |r_i| (docs/reference/formulas.md §5.4); the band
  /// measured/fitted ∈ [e^{−q}, e^{q}].
  double q80 = 0;
};

/// The GEMM surface of one device: η_c(M,N,K) = eta_max[p] · M/(M+m_half) · N/(N+n_half) · K/(K+k_half).
struct GemmFit {
  bool ok = false;
  std::array<double, 7> eta_max{};      ///< by Precision; 0 where the precision was not measured
  std::array<bool, 7> measured{};       ///< which precisions had samples
  double m_half = 0, n_half = 0, k_half = 0;
  int iterations = 0;
  Residuals residuals{};
};

/// Hockney fit t = alpha + bytes/beta of one memory op (weights 1/t², docs/reference/formulas.md §5.2).
struct BandwidthFit {
  bool ok = false;
  double alpha_s = 0;   ///< fixed cost per kernel, s
  double beta = 0;      ///< asymptotic bandwidth, bytes/s
  double eta_max = 0;   ///< beta / datasheet bandwidth
  double half_bytes = 0;  ///< traffic at which η_m is half of eta_max: (alpha − kernel_launch) · beta
  Residuals residuals{};
};

/// The whole fit of one calibration run.
struct FitResult {
  GemmFit gemm{};
  BandwidthFit copy{}, read{}, write{};  ///< DRAM, rotated buffers; `copy` becomes the profile's η_m
  BandwidthFit l2{};                     ///< L2-resident copy (reported; the time model has no L2 level)
  double kernel_launch_s = 0;            ///< median GPU time per empty kernel
  double host_launch_s = 0;              ///< median CPU time per launch call (a runtime term, reported)
  double h2d_bandwidth = 0, d2h_bandwidth = 0;  ///< largest pinned transfer, bytes/s
  /// 80% half-width in log space for predictions that use this profile: the GEMM and copy residual
  /// half-widths combined in quadrature.
  double log_band = 0;
  std::vector<Diagnostic> diagnostics;
  [[nodiscard]] bool ok() const noexcept { return gemm.ok && copy.ok && diagnostics.empty(); }
};

}  // namespace headroom::calibrate
