/// @file tests/fuzz/fuzz_gpu_roundtrip.cpp
/// Fuzz target: the GPU record reader and writer (io/gpu_json.hpp). A record the reader accepts is
/// written, and the text must read back: to the same record up to the writer's rounding (6 decimals
/// in the file's units), and writing that gives the same JSON again (a fixed point).

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "headroom/io/gpu_json.hpp"

namespace {

/// a and b (in the file's units) agree up to tidy()'s rounding to 6 decimals.
bool close(double a, double b) { return std::abs(a - b) <= 5.1e-7 + 1e-12 * std::abs(a); }

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using headroom::fuzz::require;
  using namespace headroom;
  GpuRecord first;
  StringStore store;
  try {
    const auto j = fuzz::parse_input(data, size);
    if (!j) return 0;
    first = gpu_from_json(*j, store, "fuzz.json");
  } catch (const Error&) {
    return 0;  // bad input: a typed error
  }
  // From here on the input was accepted: any error is a finding.
  const nlohmann::json written = gpu_to_json(first.spec, first.provenance);
  const std::string text = written.dump(2);
  const GpuRecord second = gpu_from_json(nlohmann::json::parse(text), store, "written.json");
  require(gpu_to_json(second.spec, second.provenance) == written, "writing a record read back gives the same JSON");

  const GpuSpec& a = first.spec;
  const GpuSpec& b = second.spec;
  require(a.id == b.id && a.name == b.name && a.vendor == b.vendor && a.architecture == b.architecture,
          "names survive the round trip");
  require(a.compute_capability == b.compute_capability && a.launch_year == b.launch_year &&
              a.memory_bus_bits == b.memory_bus_bits && a.unified_memory == b.unified_memory &&
              a.sm_count == b.sm_count && a.sparsity_2to4 == b.sparsity_2to4 && a.peer_access == b.peer_access &&
              a.mig_instances == b.mig_instances,
          "integers, flags and enums survive the round trip");
  require(close(to_gib(a.memory), to_gib(b.memory)) && close(to_gb_per_s(a.memory_bandwidth), to_gb_per_s(b.memory_bandwidth)),
          "memory capacity and bandwidth survive the round trip");
  require(close(a.memory_label_gb, b.memory_label_gb) && close(to_mib(a.l2_cache), to_mib(b.l2_cache)) &&
              close(a.boost_clock_mhz, b.boost_clock_mhz) && close(a.tdp_w, b.tdp_w) &&
              close(a.price_usd_per_hour, b.price_usd_per_hour),
          "scalar numbers survive the round trip");
  const DensePeaks& p = a.peak;
  const DensePeaks& q = b.peak;
  require(close(to_tflops(p.fp64), to_tflops(q.fp64)) && close(to_tflops(p.fp64_tensor), to_tflops(q.fp64_tensor)) &&
              close(to_tflops(p.fp32), to_tflops(q.fp32)) && close(to_tflops(p.tf32), to_tflops(q.tf32)) &&
              close(to_tflops(p.bf16), to_tflops(q.bf16)) && close(to_tflops(p.fp16), to_tflops(q.fp16)) &&
              close(to_tflops(p.fp16_fp16acc), to_tflops(q.fp16_fp16acc)) && close(to_tflops(p.fp8), to_tflops(q.fp8)) &&
              close(to_tflops(p.fp8_fp16acc), to_tflops(q.fp8_fp16acc)) && close(to_tflops(p.int8), to_tflops(q.int8)) &&
              close(to_tflops(p.fp4), to_tflops(q.fp4)),
          "dense peaks survive the round trip");
  require(a.nvlink_generation == b.nvlink_generation && a.nvlink_topology == b.nvlink_topology &&
              close(to_gb_per_s(a.nvlink_bidirectional), to_gb_per_s(b.nvlink_bidirectional)) &&
              a.pcie_generation == b.pcie_generation && a.pcie_lanes == b.pcie_lanes &&
              close(to_gb_per_s(a.pcie_per_direction), to_gb_per_s(b.pcie_per_direction)),
          "links survive the round trip");
  require(first.provenance == second.provenance, "provenance survives the round trip");
  return 0;
}
