// Device memory bandwidth vs transfer size: read, write and copy kernels (float4, grid-stride), over
// buffers rotated through an arena of ≥ 4 × L2 (DRAM rates) and over one buffer reused (L2 rates).

#include <cuda_runtime.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "common.cuh"

namespace headroom::cuda {

namespace {

using detail::DeviceBuffer;

__global__ void read_kernel(const float4* __restrict__ p, std::size_t n, float* __restrict__ sink) {
  float acc = 0;
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    const float4 v = p[i];
    acc += v.x + v.y + v.z + v.w;
  }
  // One store per block keeps the loads alive without adding traffic.
  __shared__ float part[256];
  part[threadIdx.x] = acc;
  __syncthreads();
  for (unsigned w = blockDim.x / 2; w > 0; w /= 2) {
    if (threadIdx.x < w) part[threadIdx.x] += part[threadIdx.x + w];
    __syncthreads();
  }
  if (threadIdx.x == 0) sink[blockIdx.x] = part[0];
}

__global__ void write_kernel(float4* __restrict__ p, std::size_t n, float base) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x) {
    const float f = base + static_cast<float>(i & 1023u);
    p[i] = make_float4(f, f + 0.25f, f + 0.5f, f + 0.75f);
  }
}

__global__ void copy_kernel(const float4* __restrict__ src, float4* __restrict__ dst, std::size_t n) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    dst[i] = src[i];
}

// Reference sum of a buffer in double (one thread per chunk, then atomics): for the read check.
__global__ void reference_sum(const float* p, std::size_t n, double* out) {
  const std::size_t chunk = 4096;
  const std::size_t start = (blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x) * chunk;
  if (start >= n) return;
  double s = 0;
  for (std::size_t i = start; i < n && i < start + chunk; ++i) s += p[i];
  atomicAdd(out, s);
}

struct Grid {
  unsigned blocks, threads;
};

Grid grid_for(std::size_t n4, int sms) {
  const std::size_t want = (n4 + 255) / 256;
  const auto cap = static_cast<std::size_t>(sms) * 8;
  return {static_cast<unsigned>(std::max<std::size_t>(1, std::min(want, cap))), 256};
}

}  // namespace

std::vector<calibrate::MemorySample> run_memory_sweep(const SuiteOptions& o) {
  HR_CUDA(cudaSetDevice(o.device));
  const calibrate::DeviceInfo info = query_device(o.device);
  detail::Timer timer;
  const cudaStream_t s = timer.stream();
  std::vector<std::size_t> sizes;
  const std::size_t top = o.quick ? (std::size_t{256} << 20) : (std::size_t{1} << 30);
  const double free_cap = info.memory_bytes * 0.3;
  for (std::size_t b = std::size_t{256} << 10; b <= top; b *= 4)
    if (static_cast<double>(b) * 2 <= free_cap) sizes.push_back(b);

  const auto l2 = static_cast<std::size_t>(info.l2_bytes);
  const std::size_t arena_bytes = std::max<std::size_t>(4 * l2, sizes.empty() ? 0 : 2 * sizes.back());
  DeviceBuffer src(arena_bytes), dst(arena_bytes);
  detail::fill_uniform(src.as<float>(), arena_bytes / 4, 42, 0.5f, 1.5f, s);  // in [0.5, 1.5): never zero
  const Grid full = grid_for(arena_bytes / 16, info.sm_count);
  DeviceBuffer sink(sizeof(float) * full.blocks * 8);
  DeviceBuffer ref(sizeof(double));

  std::vector<calibrate::MemorySample> out;
  for (const bool l2_resident : {false, true}) {
    for (const std::size_t size : sizes) {
      if (l2_resident && size * 2 > l2) continue;  // copy needs src and dst in L2
      const std::size_t n4 = size / 16;
      const Grid g = grid_for(n4, info.sm_count);
      const std::size_t slots = l2_resident ? 1 : std::max<std::size_t>(1, arena_bytes / size);
      auto offset = [&](int i) { return (static_cast<std::size_t>(i) % slots) * n4; };

      // Checks, on slot 0: read against a double reference, write and copy by sampled values.
      {
        read_kernel<<<g.blocks, g.threads, 0, s>>>(reinterpret_cast<const float4*>(src.get()), n4, sink.as<float>());
        HR_CUDA(cudaMemsetAsync(ref.get(), 0, sizeof(double), s));
        const std::size_t n = size / 4;
        reference_sum<<<static_cast<unsigned>((n / 4096 + 256) / 256), 256, 0, s>>>(src.as<float>(), n, ref.as<double>());
        HR_CUDA(cudaGetLastError());
        std::vector<float> parts(g.blocks);
        double want = 0;
        HR_CUDA(cudaStreamSynchronize(s));
        HR_CUDA(cudaMemcpy(parts.data(), sink.get(), sizeof(float) * g.blocks, cudaMemcpyDeviceToHost));
        HR_CUDA(cudaMemcpy(&want, ref.get(), sizeof want, cudaMemcpyDeviceToHost));
        double got = 0;
        for (float f : parts) got += f;
        if (std::fabs(got - want) > 1e-3 * want)
          throw CudaError("memory read check failed at " + detail::human_bytes(static_cast<double>(size)));
        write_kernel<<<g.blocks, g.threads, 0, s>>>(reinterpret_cast<float4*>(dst.get()), n4, 3.0f);
        HR_CUDA(cudaStreamSynchronize(s));
        float4 last{};
        const std::size_t at = n4 - 1;
        HR_CUDA(cudaMemcpy(&last, dst.as<float4>() + at, sizeof last, cudaMemcpyDeviceToHost));
        if (last.x != 3.0f + static_cast<float>(at & 1023u))
          throw CudaError("memory write check failed at " + detail::human_bytes(static_cast<double>(size)));
        copy_kernel<<<g.blocks, g.threads, 0, s>>>(reinterpret_cast<const float4*>(src.get()),
                                                   reinterpret_cast<float4*>(dst.get()), n4);
        HR_CUDA(cudaStreamSynchronize(s));
        float a = 0, b = 0;
        HR_CUDA(cudaMemcpy(&a, src.as<float>() + (size / 4 - 1), sizeof a, cudaMemcpyDeviceToHost));
        HR_CUDA(cudaMemcpy(&b, dst.as<float>() + (size / 4 - 1), sizeof b, cudaMemcpyDeviceToHost));
        if (a != b || a == 0.0f)
          throw CudaError("memory copy check failed at " + detail::human_bytes(static_cast<double>(size)));
      }
      const int inner = size < (std::size_t{64} << 20) ? 20 : 1;
      for (const auto op : {calibrate::MemoryOp::read, calibrate::MemoryOp::write, calibrate::MemoryOp::copy}) {
        double t = 0;
        switch (op) {
          case calibrate::MemoryOp::read:
            t = detail::time_median(timer, o.warmup, o.repeats, inner, [&](int i) {
              read_kernel<<<g.blocks, g.threads, 0, s>>>(reinterpret_cast<const float4*>(src.get()) + offset(i), n4,
                                                         sink.as<float>());
            });
            break;
          case calibrate::MemoryOp::write:
            t = detail::time_median(timer, o.warmup, o.repeats, inner, [&](int i) {
              write_kernel<<<g.blocks, g.threads, 0, s>>>(reinterpret_cast<float4*>(dst.get()) + offset(i), n4, 1.0f);
            });
            break;
          case calibrate::MemoryOp::copy:
            t = detail::time_median(timer, o.warmup, o.repeats, inner, [&](int i) {
              copy_kernel<<<g.blocks, g.threads, 0, s>>>(reinterpret_cast<const float4*>(src.get()) + offset(i),
                                                         reinterpret_cast<float4*>(dst.get()) + offset(i), n4);
            });
            break;
        }
        HR_CUDA(cudaGetLastError());
        const double traffic = static_cast<double>(size) * (op == calibrate::MemoryOp::copy ? 2.0 : 1.0);
        out.push_back({op, static_cast<double>(size), traffic, l2_resident, t});
        if (o.progress) {
          char buf[96];
          std::snprintf(buf, sizeof buf, "memory %s %s%s: %.1f GB/s", std::string(to_string(op)).c_str(),
                        detail::human_bytes(static_cast<double>(size)).c_str(), l2_resident ? " (L2)" : "",
                        traffic / t * 1e-9);
          o.progress(buf);
        }
      }
    }
  }
  return out;
}

}  // namespace headroom::cuda
