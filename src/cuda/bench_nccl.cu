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

#if defined(HEADROOM_WITH_NCCL)
namespace {
void check_nccl(ncclResult_t r, const char* what, const char* file, int line) {
  if (r != ncclSuccess) detail::fail(std::string(what) + ": " + ncclGetErrorString(r), file, line);
}
#define HR_NCCL(call) check_nccl((call), #call, __FILE__, __LINE__)
using Comm = detail::Owned<ncclComm_t, ncclCommDestroy>;
}  // namespace
#endif

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
  std::vector<ncclComm_t> raw(static_cast<std::size_t>(n));
  std::vector<int> devs(static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) devs[static_cast<std::size_t>(i)] = i;
  if (ncclCommInitAll(raw.data(), n, devs.data()) != ncclSuccess) {
    notes.push_back("all-reduce: ncclCommInitAll failed");
    return out;
  }
  std::vector<Comm> comms(raw.begin(), raw.end());
  const std::size_t top = o.quick ? (std::size_t{64} << 20) : (std::size_t{256} << 20);
  // Declared after the communicators, so released before them.
  std::vector<detail::DeviceBuffer> bufs;
  std::vector<detail::Stream> streams;
  for (int i = 0; i < n; ++i) {
    HR_CUDA(cudaSetDevice(i));
    bufs.emplace_back(top);
    detail::fill_uniform(bufs.back().as<float>(), top / 4, 900u + static_cast<unsigned>(i), 0.5f, 1.5f, nullptr);
    streams.push_back(detail::make_stream());
  }
  auto all_reduce = [&](std::size_t bytes) {
    HR_NCCL(ncclGroupStart());
    for (int i = 0; i < n; ++i) {
      const auto k = static_cast<std::size_t>(i);
      const ncclResult_t r = ncclAllReduce(bufs[k].get(), bufs[k].get(), bytes / 4, ncclFloat, ncclSum,
                                           comms[k].get(), streams[k].get());
      if (r != ncclSuccess) {
        (void)ncclGroupEnd();  // close the group before reporting
        HR_NCCL(r);
      }
    }
    HR_NCCL(ncclGroupEnd());
    for (int i = 0; i < n; ++i) {
      HR_CUDA(cudaSetDevice(i));
      HR_CUDA(cudaStreamSynchronize(streams[static_cast<std::size_t>(i)].get()));
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
  HR_CUDA(cudaSetDevice(o.device));
#endif
  return out;
}

}  // namespace headroom::cuda
