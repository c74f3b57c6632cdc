// Device information through cudaDeviceGetAttribute (CUDA 13's cudaDeviceProp has no clock fields).

#include <cuda_runtime.h>

#include <string>

#include "common.cuh"

namespace headroom::cuda {

int device_count() noexcept {
  int n = 0;
  if (cudaGetDeviceCount(&n) != cudaSuccess) {
    (void)cudaGetLastError();  // clear the sticky error of a missing driver
    return 0;
  }
  return n;
}

std::string device_count_error() {
  int n = 0;
  const cudaError_t e = cudaGetDeviceCount(&n);
  if (e != cudaSuccess) {
    (void)cudaGetLastError();
    return cudaGetErrorString(e);
  }
  return n == 0 ? std::string("no CUDA device") : std::string();
}

namespace {
std::string version_text(int v) { return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10); }
int attribute(cudaDeviceAttr a, int device) {
  int v = 0;
  HR_CUDA(cudaDeviceGetAttribute(&v, a, device));
  return v;
}
}  // namespace

calibrate::DeviceInfo query_device(int device) {
  calibrate::DeviceInfo d;
  d.index = device;
  cudaDeviceProp prop{};
  HR_CUDA(cudaGetDeviceProperties(&prop, device));
  d.name = prop.name;
  d.memory_bytes = static_cast<double>(prop.totalGlobalMem);
  d.compute_capability = std::to_string(attribute(cudaDevAttrComputeCapabilityMajor, device)) + "." +
                         std::to_string(attribute(cudaDevAttrComputeCapabilityMinor, device));
  d.sm_count = attribute(cudaDevAttrMultiProcessorCount, device);
  d.sm_clock_mhz = attribute(cudaDevAttrClockRate, device) / 1000.0;  // kHz
  d.memory_clock_mhz = attribute(cudaDevAttrMemoryClockRate, device) / 1000.0;
  d.memory_bus_bits = attribute(cudaDevAttrGlobalMemoryBusWidth, device);
  d.l2_bytes = attribute(cudaDevAttrL2CacheSize, device);
  int v = 0;
  HR_CUDA(cudaDriverGetVersion(&v));
  d.driver_version = version_text(v);
  HR_CUDA(cudaRuntimeGetVersion(&v));
  d.runtime_version = version_text(v);
  char bus[32] = {};
  if (cudaDeviceGetPCIBusId(bus, sizeof bus, device) == cudaSuccess) d.pci_bus_id = bus;
  return d;
}

}  // namespace headroom::cuda
