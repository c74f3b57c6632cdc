#pragma once
/// @file gpu.hpp
/// GpuSpec: one GPU's datasheet numbers (dense peaks, memory, links); GpuProvenance: the text beside
/// them (sources, notes); GpuRecord: both, as in data/gpus/<id>.json.

#include <string_view>

#include "headroom/units.hpp"

namespace headroom {

/// Math precisions a GEMM can run in. fp16/bf16/fp8 here mean FP32 accumulate, the rate cuBLAS and
/// PyTorch use; the FP16-accumulate rates are kept apart in DensePeaks.
enum class Precision { fp32, tf32, bf16, fp16, fp8, int8, fp4 };

/// GPU generations that share kernels and measured efficiencies (efficiency.hpp: gpu_family()).
enum class GpuFamily {
  volta,          ///< V100 (sm_70)
  turing,         ///< T4, RTX 20 (sm_75)
  ampere_hpc,     ///< A100, A30 (sm_80, HBM)
  ampere,         ///< GA10x: RTX 30, A10, A40, A6000, Jetson Orin (sm_86/87)
  ada,            ///< RTX 40, L4, L40(S), RTX Ada (sm_89)
  hopper,         ///< H100, H200, GH200, H800 (sm_90)
  blackwell_hpc,  ///< B100, B200, GB200, B300, GB300 (sm_100/103)
  blackwell,      ///< RTX 50, RTX PRO 6000, DGX Spark GB10 (sm_120/121)
  cdna,           ///< AMD Instinct MI200/MI300/MI355X (CDNA 2-4)
  rdna,           ///< AMD Radeon, Ryzen AI Max (RDNA 3/3.5)
  apple,          ///< Apple M-series GPU (Metal)
  other
};

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

  constexpr bool operator==(const DensePeaks&) const noexcept = default;
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

/// How the NVLink ports of a GPU are wired (JSON: interconnect.nvlink.topology).
enum class LinkTopology {
  none,      ///< no NVLink
  nvswitch,  ///< through NVSwitch: every GPU of the domain at full NVLink speed (JSON "switch")
  bridge,    ///< a 2-GPU bridge (pairs only)
  mesh,      ///< direct GPU-to-GPU links without a switch (DGX-1 hybrid cube mesh)
  c2c        ///< a superchip: NVLink-C2C to the CPU; GPU-GPU NVLink only in multi-superchip systems
};

/// PCIe bandwidth per direction and per lane for a generation (GB/s, decimal): 8, 16, 32 GT/s with
/// 128b/130b encoding, rounded as the usual x16 figures 15.75 / 31.5 / 63.0. 0 for other generations (PCIe 1/2 use
/// 8b/10b, PCIe 6 FLIT mode; none is in the catalog).
[[nodiscard]] constexpr double pcie_lane_gb_per_s(int generation) noexcept {
  switch (generation) {
    case 3: return 15.75 / 16;
    case 4: return 31.5 / 16;
    case 5: return 63.0 / 16;
    default: return 0;
  }
}

/// The numbers of one GPU that the models read, with its id and display name. The text that comes
/// with them (sources, notes, the datasheet's wording) is a GpuProvenance, kept beside it by the
/// Catalog, so copying a GpuSpec into a job copies only numbers.
struct GpuSpec {
  std::string_view id;    ///< stable kebab-case catalog key, e.g. "rtx-4090"
  std::string_view name;  ///< display name
  std::string_view vendor;
  std::string_view architecture;
  std::string_view compute_capability;  ///< "8.9"; empty when not NVIDIA
  int launch_year = 0;

  Bytes memory{};             ///< capacity: the vendor "GB" label read as GiB (binary dies), see docs/catalog.md
  double memory_label_gb = 0;  ///< the vendor's capacity label as printed ("24" for "24 GB")
  int memory_bus_bits = 0;     ///< 0: not published
  bool unified_memory = false;  ///< CPU and GPU share the memory (Apple, Jetson)
  Bandwidth memory_bandwidth{};  ///< DRAM peak, decimal GB/s
  Bytes l2_cache{};             ///< the vendor "MB" read as MiB (caches are binary)
  int sm_count = 0;            ///< SMs (NVIDIA), CUs (AMD), GPU cores (Apple)
  double boost_clock_mhz = 0;

  DensePeaks peak{};
  bool sparsity_2to4 = false;        ///< the vendor also quotes 2:4-sparse rates (twice the dense ones)

  std::string_view nvlink_generation;  ///< "NVLink 4", empty if none
  Bandwidth nvlink_bidirectional{};    ///< per GPU, both directions together (the datasheet figure)
  LinkTopology nvlink_topology = LinkTopology::none;
  int pcie_generation = 0;             ///< 0 when not a PCIe device
  int pcie_lanes = 0;                  ///< 0: not published
  Bandwidth pcie_per_direction{};      ///< derived from generation and lanes (128b/130b)
  PeerAccess peer_access = PeerAccess::none;
  int mig_instances = 0;               ///< 0: no MIG, or not published (then GpuProvenance::mig_note is empty)
  double tdp_w = 0;                    ///< 0: not published; the upper end when a range is given

  double price_usd_per_hour = 0;  ///< 0: no price known

  /// NVLink bandwidth in one direction (half the bidirectional datasheet figure).
  [[nodiscard]] constexpr Bandwidth nvlink_per_direction() const noexcept { return nvlink_bidirectional / 2.0; }

  /// PCIe bandwidth in both directions together (twice the per-direction figure).
  [[nodiscard]] constexpr Bandwidth pcie_bidirectional() const noexcept { return pcie_per_direction * 2.0; }

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

  constexpr bool operator==(const GpuSpec&) const noexcept = default;
};

/// The text beside a GpuSpec: where its numbers come from, how they were read, and the datasheet's
/// labels and wording that no model reads. Catalog::provenance(id) returns it.
struct GpuProvenance {
  std::string_view aliases;             ///< other names the catalog accepts for the id ('\n' separated): "h20", "5090"
  std::string_view chip;                ///< die or package, e.g. "AD102"
  std::string_view form_factor;
  std::string_view memory_type;
  std::string_view memory_note;  ///< how the capacity label relates to bytes (binary dies, deviceQuery, ...)
  std::string_view vendor_headline;  ///< what the vendor's headline figures mean (sparse, accumulate mode)
  std::string_view pcie_derived;       ///< how pcie_per_direction was derived
  std::string_view pcie_note;          ///< e.g. "Grace host I/O"
  std::string_view other_interconnect;  ///< links that are not NVLink or PCIe (NVLink-C2C, Infinity Fabric)
  std::string_view p2p_note;
  std::string_view mig_note;           ///< the datasheet's wording, e.g. "7 (10 GB each)"
  std::string_view tdp_note;           ///< the datasheet's wording when it is not a single number
  std::string_view price_range;   ///< the range of rental prices seen, with who charged it
  std::string_view price_date;
  std::string_view price_source;
  std::string_view confidence;  ///< "high", "medium", "low" (datasheet reading), possibly per field group
  std::string_view derived_fields;  ///< which values were computed rather than printed by the vendor
  std::string_view source;      ///< where the numbers come from: one citation per line ('\n' separated)
  std::string_view notes;

  constexpr bool operator==(const GpuProvenance&) const noexcept = default;
};

/// One GPU record as read from data/gpus/<id>.json: the numbers and their provenance.
struct GpuRecord {
  GpuSpec spec;
  GpuProvenance provenance;

  constexpr bool operator==(const GpuRecord&) const noexcept = default;
};

}  // namespace headroom
