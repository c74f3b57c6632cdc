#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_fp8.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "common.cuh"

namespace headroom::cuda::detail {

void fail(const std::string& what, const char* file, int line) {
  throw CudaError(what + " (" + file + ":" + std::to_string(line) + ")");
}

void check(cudaError_t e, const char* what, const char* file, int line) {
  if (e != cudaSuccess) fail(std::string(what) + ": " + cudaGetErrorString(e), file, line);
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

DeviceBuffer::DeviceBuffer(std::size_t bytes) : n_(bytes) { HR_CUDA(cudaMalloc(&p_, bytes)); }
DeviceBuffer& DeviceBuffer::operator=(DeviceBuffer&& o) noexcept {
  if (this != &o) {
    if (p_) cudaFree(p_);
    p_ = o.p_;
    n_ = o.n_;
    o.p_ = nullptr;
    o.n_ = 0;
  }
  return *this;
}
DeviceBuffer::~DeviceBuffer() {
  if (p_) cudaFree(p_);
}

PinnedBuffer::PinnedBuffer(std::size_t bytes) { HR_CUDA(cudaMallocHost(&p_, bytes)); }
PinnedBuffer::~PinnedBuffer() {
  if (p_) cudaFreeHost(p_);
}

Stream make_stream() {
  cudaStream_t s = nullptr;
  HR_CUDA(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  return Stream(s);
}
Event make_event() {
  cudaEvent_t e = nullptr;
  HR_CUDA(cudaEventCreate(&e));
  return Event(e);
}

Timer::Timer() : s_(make_stream()), a_(make_event()), b_(make_event()) {}
void Timer::start() { HR_CUDA(cudaEventRecord(a_.get(), s_.get())); }
double Timer::stop() {
  HR_CUDA(cudaEventRecord(b_.get(), s_.get()));
  HR_CUDA(cudaEventSynchronize(b_.get()));
  float ms = 0;
  HR_CUDA(cudaEventElapsedTime(&ms, a_.get(), b_.get()));
  return static_cast<double>(ms) * 1e-3;
}

namespace {

__host__ __device__ inline std::uint64_t mix(std::uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

__device__ inline float uniform(std::uint64_t seed, std::size_t i, float lo, float hi) {
  const std::uint64_t h = mix(seed * 0x9e3779b97f4a7c15ULL + i);
  const float u = static_cast<float>(h >> 40) * (1.0f / 16777216.0f);  // 24 bits in [0, 1)
  return lo + (hi - lo) * u;
}

__global__ void fill_f32(float* p, std::size_t n, std::uint64_t seed, float lo, float hi) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    p[i] = uniform(seed, i, lo, hi);
}

template <class T>
__global__ void fill_typed(T* p, std::size_t n, std::uint64_t seed) {
  for (std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    p[i] = T(uniform(seed, i, -1.0f, 1.0f));
}

template <class T>
__global__ void gather(const T* p, const std::size_t* index, float* out, std::size_t n) {
  const std::size_t i = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
  if (i < n) out[i] = static_cast<float>(p[index[i]]);
}

constexpr unsigned fill_blocks = 1024;
constexpr unsigned fill_threads = 256;

}  // namespace

void fill_uniform(float* p, std::size_t n, std::uint64_t seed, float lo, float hi, cudaStream_t s) {
  fill_f32<<<fill_blocks, fill_threads, 0, s>>>(p, n, seed, lo, hi);
  HR_CUDA(cudaGetLastError());
}

std::size_t storage_bytes(Storage t) noexcept {
  switch (t) {
    case Storage::f32: return 4;
    case Storage::f16:
    case Storage::bf16: return 2;
    case Storage::e4m3: return 1;
  }
  return 4;
}

void fill_random(void* p, Storage t, std::size_t n, std::uint64_t seed, cudaStream_t s) {
  switch (t) {
    case Storage::f32: fill_f32<<<fill_blocks, fill_threads, 0, s>>>(static_cast<float*>(p), n, seed, -1.0f, 1.0f); break;
    case Storage::f16: fill_typed<<<fill_blocks, fill_threads, 0, s>>>(static_cast<__half*>(p), n, seed); break;
    case Storage::bf16:
      fill_typed<<<fill_blocks, fill_threads, 0, s>>>(static_cast<__nv_bfloat16*>(p), n, seed);
      break;
    case Storage::e4m3:
      fill_typed<<<fill_blocks, fill_threads, 0, s>>>(static_cast<__nv_fp8_e4m3*>(p), n, seed);
      break;
  }
  HR_CUDA(cudaGetLastError());
}

void gather_as_float(const void* p, Storage t, const std::size_t* index, float* out, std::size_t n, cudaStream_t s) {
  const auto blocks = static_cast<unsigned>((n + 255) / 256);
  switch (t) {
    case Storage::f32: gather<<<blocks, 256, 0, s>>>(static_cast<const float*>(p), index, out, n); break;
    case Storage::f16: gather<<<blocks, 256, 0, s>>>(static_cast<const __half*>(p), index, out, n); break;
    case Storage::bf16: gather<<<blocks, 256, 0, s>>>(static_cast<const __nv_bfloat16*>(p), index, out, n); break;
    case Storage::e4m3: gather<<<blocks, 256, 0, s>>>(static_cast<const __nv_fp8_e4m3*>(p), index, out, n); break;
  }
  HR_CUDA(cudaGetLastError());
}

std::string human_bytes(double b) {
  const char* unit[] = {"B", "KiB", "MiB", "GiB"};
  int u = 0;
  while (b >= 1024.0 && u < 3) {
    b /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f %s", b, unit[u]);
  return buf;
}

}  // namespace headroom::cuda::detail
