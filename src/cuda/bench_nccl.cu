// NCCL all-reduce bus bandwidth over all visible GPUs of this process (single process, one
// communicator per device, as nccl-tests' -g N). Compiled in only when CMake found NCCL.

#include <cuda_runtime.h>

#include <chrono>
#include <string>
#include <vector>

#include "common.cuh"

#if defined(HEADROOM_WITH_NCCL)
#include <nccl.h>
#endif

namespace headroom::cuda {

std::vector<calibrate::CollectiveSample> run_allreduce_sweep(const SuiteOptions& o, std::vector<std::string>& notes) {
  std::vector<calibrate::CollectiveSample> out;
#if !defined(HEADROOM_WITH_NCCL)
  (void)o;
  notes.push_back("all-reduce: this build has no NCCL");
#else
  const int n = device_count();
  if (n < 2) {
    notes.push_back("all-reduce: one GPU");
    return out;
  }
  std::vector<ncclComm_t> comms(static_cast<std::size_t>(n));
  std::vector<int> devs(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) devs[static_cast<std::size_t>(i)] = i;
  if (ncclCommInitAll(comms.data(), n, devs.data()) != ncclSuccess) {
    notes.push_back("all-reduce: ncclCommInitAll failed");
    return out;
  }
  const std::size_t top = o.quick ? (std::size_t{64} << 20) : (std::size_t{256} << 20);
  std::vector<detail::DeviceBuffer> bufs;
  std::vector<cudaStream_t> streams(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) {
    HR_CUDA(cudaSetDevice(i));
    bufs.emplace_back(top);
    detail::fill_uniform(bufs.back().as<float>(), top / 4, 900u + static_cast<unsigned>(i), 0.5f, 1.5f, nullptr);
    HR_CUDA(cudaStreamCreate(&streams[static_cast<std::size_t>(i)]));
  }
  auto all_reduce = [&](std::size_t bytes) {
    ncclGroupStart();
    for (int i = 0; i < n; ++i)
      ncclAllReduce(bufs[static_cast<std::size_t>(i)].get(), bufs[static_cast<std::size_t>(i)].get(), bytes / 4,
                    ncclFloat, ncclSum, comms[static_cast<std::size_t>(i)], streams[static_cast<std::size_t>(i)]);
    ncclGroupEnd();
    for (int i = 0; i < n; ++i) {
      HR_CUDA(cudaSetDevice(i));
      HR_CUDA(cudaStreamSynchronize(streams[static_cast<std::size_t>(i)]));
    }
  };
  for (std::size_t b = std::size_t{1} << 20; b <= top; b *= 4) {
    for (int i = 0; i < o.warmup; ++i) all_reduce(b);
    std::vector<double> t;
    for (int r = 0; r < o.repeats; ++r) {
      const auto t0 = std::chrono::steady_clock::now();
      all_reduce(b);
      t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
    calibrate::CollectiveSample s{n, static_cast<double>(b), detail::median(t)};
    out.push_back(s);
    if (o.progress)
      o.progress("all-reduce " + std::to_string(n) + " GPUs " + detail::human_bytes(static_cast<double>(b)) + ": busbw " +
                 std::to_string(s.busbw() * 1e-9) + " GB/s");
  }
  for (int i = 0; i < n; ++i) {
    ncclCommDestroy(comms[static_cast<std::size_t>(i)]);
    cudaStreamDestroy(streams[static_cast<std::size_t>(i)]);
  }
  HR_CUDA(cudaSetDevice(o.device));
#endif
  return out;
}

}  // namespace headroom::cuda
