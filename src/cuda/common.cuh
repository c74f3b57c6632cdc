#pragma once
// Shared pieces of the CUDA calibration backend: error checks, owning handles, CUDA-event timing with
// warm-up and median, random fills (never zeros). Private to src/cuda/.

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "headroom/cuda/bench.hpp"

namespace headroom::cuda::detail {

[[noreturn]] void fail(const std::string& what, const char* file, int line);
void check(cudaError_t e, const char* what, const char* file, int line);

#define HR_CUDA(call) ::headroom::cuda::detail::check((call), #call, __FILE__, __LINE__)

[[nodiscard]] double median(std::vector<double> v);

/// One CUDA, cuBLASLt or NCCL handle, released by `destroy` when its owner goes (also while an error
/// unwinds). Wrap the handle right after the call that created it succeeded.
template <class Handle, auto destroy>
class Owned {
 public:
  Owned() = default;
  explicit Owned(Handle h) noexcept : h_(h) {}
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  Owned(Owned&& o) noexcept : h_(std::exchange(o.h_, Handle{})) {}
  Owned& operator=(Owned&& o) noexcept {
    if (this != &o) {
      reset();
      h_ = std::exchange(o.h_, Handle{});
    }
    return *this;
  }
  ~Owned() { reset(); }
  [[nodiscard]] Handle get() const noexcept { return h_; }
  void reset() noexcept {
    if (h_) (void)destroy(h_);  // nothing to do with a failed release while unwinding
    h_ = Handle{};
  }

 private:
  Handle h_{};
};

using Stream = Owned<cudaStream_t, cudaStreamDestroy>;
using Event = Owned<cudaEvent_t, cudaEventDestroy>;

/// A non-blocking stream on the current device.
[[nodiscard]] Stream make_stream();
/// An event on the current device.
[[nodiscard]] Event make_event();

/// Device memory owned by a scope.
class DeviceBuffer {
 public:
  DeviceBuffer() = default;
  explicit DeviceBuffer(std::size_t bytes);
  DeviceBuffer(const DeviceBuffer&) = delete;
  DeviceBuffer& operator=(const DeviceBuffer&) = delete;
  DeviceBuffer(DeviceBuffer&& o) noexcept : p_(o.p_), n_(o.n_) { o.p_ = nullptr; o.n_ = 0; }
  DeviceBuffer& operator=(DeviceBuffer&& o) noexcept;
  ~DeviceBuffer();
  [[nodiscard]] void* get() const noexcept { return p_; }
  template <class T>
  [[nodiscard]] T* as() const noexcept { return static_cast<T*>(p_); }
  [[nodiscard]] std::size_t size() const noexcept { return n_; }

 private:
  void* p_ = nullptr;
  std::size_t n_ = 0;
};

/// Pinned host memory owned by a scope.
class PinnedBuffer {
 public:
  explicit PinnedBuffer(std::size_t bytes);
  PinnedBuffer(const PinnedBuffer&) = delete;
  PinnedBuffer& operator=(const PinnedBuffer&) = delete;
  ~PinnedBuffer();
  [[nodiscard]] void* get() const noexcept { return p_; }

 private:
  void* p_ = nullptr;
};

/// A stream and two events on the current device.
class Timer {
 public:
  Timer();
  [[nodiscard]] cudaStream_t stream() const noexcept { return s_.get(); }
  void start();
  /// Seconds since start(), after synchronizing on the stop event.
  [[nodiscard]] double stop();

 private:
  Stream s_;
  Event a_, b_;
};

/// Median seconds of one call of `op(i)` (i = the running call number, for rotating inputs): `warmup`
/// untimed calls, then `repeats` timed batches of `inner` calls each (CUDA events around the batch).
template <class Op>
double time_median(Timer& t, int warmup, int repeats, int inner, Op&& op) {
  int call = 0;
  for (int i = 0; i < warmup; ++i) op(call++);
  HR_CUDA(cudaStreamSynchronize(t.stream()));
  std::vector<double> times;
  times.reserve(static_cast<std::size_t>(repeats));
  for (int r = 0; r < repeats; ++r) {
    t.start();
    for (int i = 0; i < inner; ++i) op(call++);
    times.push_back(t.stop() / inner);
  }
  return median(std::move(times));
}

/// Uniform random floats in [lo, hi) from a counter hash (no zeros unless the range holds them by chance).
void fill_uniform(float* p, std::size_t n, std::uint64_t seed, float lo, float hi, cudaStream_t s);

enum class Storage { f32, f16, bf16, e4m3 };
[[nodiscard]] std::size_t storage_bytes(Storage t) noexcept;
/// Random values in [-1, 1) stored as `t` (converted on the device).
void fill_random(void* p, Storage t, std::size_t n, std::uint64_t seed, cudaStream_t s);
/// Gathers p[index[i]] (stored as `t`) as float.
void gather_as_float(const void* p, Storage t, const std::size_t* index, float* out, std::size_t n, cudaStream_t s);

[[nodiscard]] std::string human_bytes(double b);

}  // namespace headroom::cuda::detail
