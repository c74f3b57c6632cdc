#pragma once
/// @file cuda/bench.hpp
/// The CUDA calibration backend (target headroom::cuda, built when CMake finds a CUDA compiler): plain C++
/// declarations only. No CUDA header is included and no CUDA type appears, so any C++ target can call it;
/// code that uses it checks HEADROOM_HAS_CUDA_BACKEND, which only targets linking headroom::cuda get.
///
/// Every benchmark checks its result before timing, warms up, times with CUDA events and keeps the median
/// of the repeats; inputs are random (never zeros) and rotated across buffers larger than L2 so that
/// caches do not flatter the result (docs/calibration.md).

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "headroom/calibrate/samples.hpp"
#include "headroom/cuda/error.hpp"

namespace headroom::cuda {

/// GPUs the runtime sees; 0 when there is no driver or no device (never throws).
[[nodiscard]] int device_count() noexcept;

/// Why device_count() is 0 (the CUDA error string), or empty.
[[nodiscard]] std::string device_count_error();

[[nodiscard]] calibrate::DeviceInfo query_device(int device);

/// How much to measure. `quick` trims the sweeps (a few seconds); the full suite stays under a minute.
struct SuiteOptions {
  int device = 0;
  bool quick = false;
  int warmup = 5;    ///< untimed runs before timing
  int repeats = 20;  ///< timed runs; the median is kept
  /// Progress lines ("gemm bf16 4096x4096x4096 612.3 TFLOP/s"); empty = silent.
  std::function<void(std::string_view)> progress;
};

/// GEMM sweep through cuBLASLt: fp32, tf32, bf16, fp16 and fp8 where the device has it (sm_89+), over
/// decode shapes (M = 1..64) to large squares.
[[nodiscard]] std::vector<calibrate::GemmSample> run_gemm_sweep(const SuiteOptions& o, std::vector<std::string>& notes);

/// Device memory read/write/copy vs size (DRAM, rotated buffers) and the L2-resident rates.
[[nodiscard]] std::vector<calibrate::MemorySample> run_memory_sweep(const SuiteOptions& o);

/// Pinned host<->device copies vs size, and peer copies between every device pair (with P2P where it is
/// available, and staged through the host without it). Peer samples are empty with one GPU.
[[nodiscard]] std::vector<calibrate::TransferSample> run_transfer_sweep(const SuiteOptions& o,
                                                                       std::vector<std::string>& notes);

/// Empty-kernel launch cost (GPU time per kernel back to back, CPU time per launch call).
[[nodiscard]] calibrate::LaunchSample run_launch_overhead(const SuiteOptions& o);

/// NCCL all-reduce over all visible GPUs (empty, with a note, without NCCL or with one GPU).
[[nodiscard]] std::vector<calibrate::CollectiveSample> run_allreduce_sweep(const SuiteOptions& o,
                                                                          std::vector<std::string>& notes);

/// The whole suite on one device. @throws CudaError.
[[nodiscard]] calibrate::Samples run_suite(const SuiteOptions& o);

}  // namespace headroom::cuda
