// The whole calibration suite on one device, with progress lines.

#include <cuda_runtime.h>

#include <chrono>
#include <string>

#include "common.cuh"

namespace headroom::cuda {

calibrate::Samples run_suite(const SuiteOptions& o) {
  if (device_count() == 0) throw CudaError("no CUDA device: " + device_count_error());
  const auto t0 = std::chrono::steady_clock::now();
  auto say = [&](std::string_view what) {
    if (!o.progress) return;
    const double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    char buf[32];
    std::snprintf(buf, sizeof buf, "[%5.1fs] ", t);
    o.progress(std::string(buf) + std::string(what));
  };
  SuiteOptions so = o;
  so.progress = o.progress ? std::function<void(std::string_view)>(say) : std::function<void(std::string_view)>();
  calibrate::Samples s;
  s.device = query_device(o.device);
  s.device_count = device_count();
  say("device " + std::to_string(o.device) + ": " + s.device.name + " (sm_" + s.device.compute_capability + ", " +
      std::to_string(s.device.sm_count) + " SMs, driver " + s.device.driver_version + ")");
  s.launch.push_back(run_launch_overhead(so));
  s.memory = run_memory_sweep(so);
  s.transfers = run_transfer_sweep(so, s.notes);
  s.gemm = run_gemm_sweep(so, s.notes);
  s.collectives = run_allreduce_sweep(so, s.notes);
  say("done");
  return s;
}

}  // namespace headroom::cuda
