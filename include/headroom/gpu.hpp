#pragma once
/// @file gpu.hpp
/// GpuSpec: one GPU's datasheet record (dense peaks, memory, links), as in data/gpus/<id>.json.

#include <string_view>

#include "headroom/units.hpp"

namespace headroom {

/// Math precisions a GEMM can run in. fp16/bf16/fp8 here mean FP32 accumulate, the rate cuBLAS and
/// PyTorch use; the FP16-accumulate rates are kept apart in DensePeaks.
enum class Precision { fp32, tf32, bf16, fp16, fp8, int8, fp4 };

/// Dense (no 2:4 sparsity) peak rates. A zero rate means the GPU has no such unit or the vendor
/// publishes none.
struct DensePeaks {
  FlopRate fp64{};
  FlopRate fp64_tensor{};
  FlopRate fp32{};          ///< CUDA-core (non-tensor) FP32
  FlopRate tf32{};          ///< tensor TF32
  FlopRate bf16{};          ///< tensor BF16, FP32 accumulate
  FlopRate fp16{};          ///< tensor FP16, FP32 accumulate
  FlopRate fp16_fp16acc{};  ///< tensor FP16, FP16 accumulate (twice fp16 on GeForce)
  FlopRate fp8{};           ///< tensor FP8, FP32 accumulate
  FlopRate fp8_fp16acc{};   ///< tensor FP8, FP16 accumulate
  FlopRate int8{};          ///< tensor INT8 (OP/s)
  FlopRate fp4{};           ///< tensor FP4
};

/// How GPUs of this kind talk to each other inside a node.
enum class PeerAccess {
  nvlink,  ///< NVLink through NVSwitch or a full mesh: every GPU of the node at NVLink speed
  nvlink_bridge,  ///< NVLink bridge between pairs only; other pairs go over PCIe
  pcie,    ///< PCIe peer-to-peer
  host,    ///< no peer access: traffic is staged through host memory (GeForce, stock driver)
  fabric,  ///< a vendor fabric (AMD Infinity Fabric, Apple has none)
  none     ///< a single device (SoC, unified memory)
};

struct GpuSpec {
  std::string_view id;    ///< stable kebab-case catalog key, e.g. "rtx-4090"
  std::string_view name;  ///< display name
  std::string_view vendor;
  std::string_view architecture;
  std::string_view compute_capability;  ///< "8.9"; empty when not NVIDIA
  int launch_year = 0;
  std::string_view form_factor;

  Bytes memory{};             ///< capacity: the vendor "GB" label read as GiB (binary dies), see docs/catalog.md
  std::string_view memory_type;
  bool unified_memory = false;  ///< CPU and GPU share the memory (Apple, Jetson)
  Bandwidth memory_bandwidth{};  ///< DRAM peak, decimal GB/s
  Bytes l2_cache{};
  int sm_count = 0;            ///< SMs (NVIDIA), CUs (AMD), GPU cores (Apple)
  double boost_clock_mhz = 0;

  DensePeaks peak{};

  std::string_view nvlink_generation;  ///< "NVLink 4", empty if none
  Bandwidth nvlink_bidirectional{};    ///< per GPU, both directions together (the datasheet figure)
  int pcie_generation = 0;             ///< 0 when not a PCIe device
  int pcie_lanes = 0;
  Bandwidth pcie_per_direction{};      ///< derived from generation and lanes (128b/130b)
  PeerAccess peer_access = PeerAccess::none;
  int mig_instances = 0;               ///< 0: no MIG
  double tdp_w = 0;

  double price_usd_per_hour = 0;  ///< 0: no price known
  std::string_view price_date;
  std::string_view price_source;

  std::string_view confidence;  ///< "high", "medium", "low" (datasheet reading)
  std::string_view source;      ///< where the numbers come from
  std::string_view notes;

  /// NVLink bandwidth in one direction (half the bidirectional datasheet figure).
  [[nodiscard]] constexpr Bandwidth nvlink_per_direction() const noexcept { return nvlink_bidirectional / 2.0; }

  /// Dense peak for a precision; 0 when the GPU has no such unit.
  [[nodiscard]] constexpr FlopRate peak_for(Precision p) const noexcept {
    switch (p) {
      case Precision::fp32: return peak.fp32;
      case Precision::tf32: return peak.tf32;
      case Precision::bf16: return peak.bf16;
      case Precision::fp16: return peak.fp16;
      case Precision::fp8: return peak.fp8;
      case Precision::int8: return peak.int8;
      case Precision::fp4: return peak.fp4;
    }
    return FlopRate{};
  }
};

}  // namespace headroom
