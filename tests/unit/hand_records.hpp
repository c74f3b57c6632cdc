#pragma once
// Records written out by hand from the sources (not read from the catalog), shared by the unit
// tests of the roofline, the operators and the time model: GPUs from docs/reference/gpu-specs.md's main
// table, Llama-3-8B from its config.json (docs/reference/formulas.md §1.1).

#include <cstdint>

#include "headroom/gpu.hpp"
#include "headroom/model.hpp"
#include "headroom/units.hpp"

namespace headroom::test_records {

inline constexpr GpuSpec rtx4090 = [] {
  GpuSpec g;
  g.id = "rtx-4090";
  g.vendor = "NVIDIA";
  g.architecture = "Ada Lovelace";
  g.compute_capability = "8.9";
  g.memory = gib(24);
  g.memory_bandwidth = gb_per_s(1008);
  g.sm_count = 128;
  g.boost_clock_mhz = 2520;
  g.peak.fp32 = tflops(82.6);
  g.peak.tf32 = tflops(82.6);
  g.peak.bf16 = tflops(165.2);
  g.peak.fp16 = tflops(165.2);
  g.peak.fp16_fp16acc = tflops(330.3);
  g.peak.fp8 = tflops(330.3);
  return g;
}();

inline constexpr GpuSpec a100 = [] {
  GpuSpec g;
  g.id = "a100-sxm4-80gb";
  g.vendor = "NVIDIA";
  g.architecture = "Ampere";
  g.compute_capability = "8.0";
  g.memory = gib(80);
  g.memory_bandwidth = gb_per_s(2039);
  g.sm_count = 108;
  g.boost_clock_mhz = 1410;
  g.peak.fp32 = tflops(19.5);
  g.peak.tf32 = tflops(156);
  g.peak.bf16 = tflops(312);
  g.peak.fp16 = tflops(312);
  g.peak.fp16_fp16acc = tflops(312);
  return g;
}();

inline constexpr ModelArch llama3_8b = [] {
  ModelArch m;
  m.id = "llama-3-8b";
  m.hidden = 4096;
  m.layers = 32;
  m.heads = 32;
  m.kv_heads = 8;
  m.head_dim = 128;
  m.intermediate = 14336;
  m.vocab = 128256;
  return m;
}();

/// `m` with `linear_layers` of its layers turned into Gated DeltaNet layers of Qwen3-Next's mixer shape
/// (16 key heads and 32 value heads of 128, conv width 4) with an fp32 state.
constexpr ModelArch with_gated_deltanet(ModelArch m, std::int64_t linear_layers) {
  m.linear_kind = LinearKind::gated_deltanet;
  m.linear_layers = linear_layers;
  m.linear_key_heads = 16;
  m.linear_key_dim = 128;
  m.linear_value_heads = 32;
  m.linear_value_dim = 128;
  m.linear_conv_kernel = 4;
  m.state_bytes = 4;
  return m;
}

/// A small Llama-style model: h = 1024, L = 8, a = a_kv = 8, d = 128, I = 4096 (gated MLP),
/// RMSNorm, untied head, V = 8192.
///   per block: attention 4 x 1024 x 1024 = 4,194,304; MLP 3 x 1024 x 4096 = 12,582,912;
///              two norms 2 x 1024 = 2,048; block = 16,779,264
///   blocks    = 8 x 16,779,264 = 134,234,112
///   embedding = lm_head = 8192 x 1024 = 8,388,608; final norm 1,024; total 151,012,352
inline constexpr ModelArch tiny = [] {
  ModelArch m;
  m.id = "tiny";
  m.hidden = 1024;
  m.layers = 8;
  m.heads = 8;
  m.kv_heads = 8;
  m.head_dim = 128;
  m.intermediate = 4096;
  m.vocab = 8192;
  return m;
}();

}  // namespace headroom::test_records
