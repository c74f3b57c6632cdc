// Pinned host<->device copies vs size, peer copies between every device pair (with P2P where the pair
// supports it, and without: staged by the driver through host memory), and kernel launch overhead.

#include <cuda_runtime.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "common.cuh"

namespace headroom::cuda {

namespace {

using detail::DeviceBuffer;
using detail::PinnedBuffer;

void fill_host(void* p, std::size_t bytes, std::uint32_t seed) {
  auto* w = static_cast<std::uint32_t*>(p);
  std::uint32_t x = seed | 1u;
  for (std::size_t i = 0; i < bytes / 4; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    w[i] = x;  // xorshift: never 0 from a non-zero seed
  }
}

std::string rate_text(double bytes, double t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f GB/s (%.3g us)", bytes / t * 1e-9, t * 1e6);
  return buf;
}

__global__ void empty_kernel() {}

}  // namespace

std::vector<calibrate::TransferSample> run_transfer_sweep(const SuiteOptions& o, std::vector<std::string>& notes) {
  std::vector<calibrate::TransferSample> out;
  HR_CUDA(cudaSetDevice(o.device));
  const std::size_t top = o.quick ? (std::size_t{64} << 20) : (std::size_t{256} << 20);
  {
    detail::Timer timer;
    PinnedBuffer host(top), back(top);
    DeviceBuffer dev(top);
    fill_host(host.get(), top, 12345u);
    // Check one round trip before timing.
    HR_CUDA(cudaMemcpy(dev.get(), host.get(), top, cudaMemcpyHostToDevice));
    HR_CUDA(cudaMemcpy(back.get(), dev.get(), top, cudaMemcpyDeviceToHost));
    if (std::memcmp(host.get(), back.get(), top) != 0) throw CudaError("host<->device round trip check failed");
    for (std::size_t b = std::size_t{64} << 10; b <= top; b *= 4) {
      const int inner = b < (std::size_t{4} << 20) ? 10 : 1;
      const double h2d = detail::time_median(timer, o.warmup, o.repeats, inner, [&](int) {
        HR_CUDA(cudaMemcpyAsync(dev.get(), host.get(), b, cudaMemcpyHostToDevice, timer.stream()));
      });
      const double d2h = detail::time_median(timer, o.warmup, o.repeats, inner, [&](int) {
        HR_CUDA(cudaMemcpyAsync(back.get(), dev.get(), b, cudaMemcpyDeviceToHost, timer.stream()));
      });
      out.push_back({calibrate::TransferKind::host_to_device, -1, o.device, static_cast<double>(b), h2d});
      out.push_back({calibrate::TransferKind::device_to_host, o.device, -1, static_cast<double>(b), d2h});
      if (o.progress) {
        o.progress("host->device " + detail::human_bytes(static_cast<double>(b)) + ": " +
                   rate_text(static_cast<double>(b), h2d));
        o.progress("device->host " + detail::human_bytes(static_cast<double>(b)) + ": " +
                   rate_text(static_cast<double>(b), d2h));
      }
    }
  }

  const int n = device_count();
  if (n < 2) {
    notes.push_back("peer: one GPU, no peer-to-peer pairs");
    return out;
  }
  const std::size_t peer_sizes[] = {4, std::size_t{1} << 20, std::size_t{64} << 20};
  const std::size_t peer_top = std::size_t{64} << 20;
  std::vector<DeviceBuffer> bufs;
  for (int d = 0; d < n; ++d) {
    HR_CUDA(cudaSetDevice(d));
    bufs.emplace_back(peer_top);
    detail::fill_random(bufs.back().get(), detail::Storage::f32, peer_top / 4, 7000u + static_cast<unsigned>(d), nullptr);
  }
  HR_CUDA(cudaDeviceSynchronize());
  for (int src = 0; src < n; ++src) {
    for (int dst = 0; dst < n; ++dst) {
      if (src == dst) continue;
      int can = 0;
      HR_CUDA(cudaDeviceCanAccessPeer(&can, dst, src));
      for (const bool p2p : {true, false}) {
        if (p2p && !can) {
          notes.push_back("peer " + std::to_string(src) + "->" + std::to_string(dst) + ": no P2P access");
          continue;
        }
        HR_CUDA(cudaSetDevice(dst));
        if (can) {
          const cudaError_t e = p2p ? cudaDeviceEnablePeerAccess(src, 0) : cudaDeviceDisablePeerAccess(src);
          if (e != cudaSuccess && e != cudaErrorPeerAccessAlreadyEnabled && e != cudaErrorPeerAccessNotEnabled)
            HR_CUDA(e);
          (void)cudaGetLastError();
        }
        detail::Timer timer;  // on dst
        // Check: copy the whole buffer and compare the last word.
        HR_CUDA(cudaMemcpyPeer(bufs[static_cast<std::size_t>(dst)].get(), dst, bufs[static_cast<std::size_t>(src)].get(),
                               src, peer_top));
        float a = 0, b = 0;
        HR_CUDA(cudaSetDevice(src));
        HR_CUDA(cudaMemcpy(&a, bufs[static_cast<std::size_t>(src)].as<float>() + peer_top / 4 - 1, 4, cudaMemcpyDeviceToHost));
        HR_CUDA(cudaSetDevice(dst));
        HR_CUDA(cudaMemcpy(&b, bufs[static_cast<std::size_t>(dst)].as<float>() + peer_top / 4 - 1, 4, cudaMemcpyDeviceToHost));
        if (a != b) throw CudaError("peer copy check failed " + std::to_string(src) + "->" + std::to_string(dst));
        for (const std::size_t bytes : peer_sizes) {
          const double t = detail::time_median(timer, o.warmup, o.repeats, bytes < (std::size_t{1} << 20) ? 20 : 1, [&](int) {
            HR_CUDA(cudaMemcpyPeerAsync(bufs[static_cast<std::size_t>(dst)].get(), dst,
                                        bufs[static_cast<std::size_t>(src)].get(), src, bytes, timer.stream()));
          });
          out.push_back({p2p ? calibrate::TransferKind::peer : calibrate::TransferKind::peer_no_p2p, src, dst,
                         static_cast<double>(bytes), t});
          if (o.progress)
            o.progress("peer " + std::to_string(src) + "->" + std::to_string(dst) + (p2p ? " P2P " : " no-P2P ") +
                       detail::human_bytes(static_cast<double>(bytes)) + ": " + rate_text(static_cast<double>(bytes), t));
        }
        if (can && !p2p) {
          (void)cudaDeviceEnablePeerAccess(src, 0);
          (void)cudaGetLastError();
        }
      }
    }
  }
  HR_CUDA(cudaSetDevice(o.device));
  return out;
}

calibrate::LaunchSample run_launch_overhead(const SuiteOptions& o) {
  HR_CUDA(cudaSetDevice(o.device));
  detail::Timer timer;
  constexpr int batch = 1000;
  std::vector<double> host;
  const double gpu = detail::time_median(timer, o.warmup, o.repeats, 1, [&](int) {
    const auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < batch; ++i) empty_kernel<<<1, 32, 0, timer.stream()>>>();
    const auto t1 = std::chrono::steady_clock::now();
    host.push_back(std::chrono::duration<double>(t1 - t0).count() / batch);
  });
  HR_CUDA(cudaGetLastError());
  calibrate::LaunchSample s{gpu / batch, detail::median(host)};
  if (o.progress) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "kernel launch: %.2f us GPU per kernel, %.2f us CPU per launch", s.gpu_seconds * 1e6,
                  s.host_seconds * 1e6);
    o.progress(buf);
  }
  return s;
}

}  // namespace headroom::cuda
