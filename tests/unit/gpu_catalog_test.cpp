// Invariants of the built-in GPU table (include/headroom/catalog/builtin_gpus.hpp, generated from
// data/gpus) and spot checks against the datasheet reference (docs/reference/gpu-specs.md).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "headroom/catalog.hpp"
#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/efficiency.hpp"
#include "headroom/gpu.hpp"
#include "headroom/units.hpp"

using namespace headroom;
using Catch::Matchers::WithinRel;

namespace {

// An index, not a pointer: g++ with -fsanitize=undefined implies -fno-delete-null-pointer-checks, and
// then cannot prove at compile time that the address of an element of an inline variable
// (builtin::gpus, a weak symbol) is not null, so `find(...) != nullptr` was not a constant expression.
constexpr std::size_t find(std::string_view id) {
  for (std::size_t i = 0; i < builtin::gpus.size(); ++i)
    if (builtin::gpus[i].id == id) return i;
  return builtin::gpus.size();
}

const GpuSpec& get(std::string_view id) {
  const std::size_t i = find(id);
  REQUIRE(i < builtin::gpus.size());
  return builtin::gpus[i];
}

bool kebab_case(std::string_view id) {
  if (id.empty() || id.front() == '-' || id.back() == '-' || id.find("--") != std::string_view::npos) return false;
  return std::all_of(id.begin(), id.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

}  // namespace

TEST_CASE("the built-in GPU table covers the datasheet reference", "[catalog][gpu]") {
  // docs/reference/gpu-specs.md's main table has 52 rows, one per GPU; 16 more were added from
  // datasheets in 2026-12 (docs/catalog.md, "The 2026 additions").
  STATIC_REQUIRE(builtin::gpus.size() == 52 + 16);
  STATIC_REQUIRE(find("rtx-4090") < builtin::gpus.size());  // usable at compile time
  STATIC_REQUIRE(find("rtx-409") == builtin::gpus.size());
}

TEST_CASE("GPU ids are unique, kebab-case and sorted", "[catalog][gpu]") {
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < builtin::gpus.size(); ++i) {
    const GpuSpec& g = builtin::gpus[i];
    INFO(g.id);
    CHECK(kebab_case(g.id));
    CHECK(seen.insert(g.id).second);
    if (i > 0) CHECK(builtin::gpus[i - 1].id < g.id);
    CHECK(!g.name.empty());
  }
}

TEST_CASE("every GPU has positive memory and bandwidth, and sources", "[catalog][gpu]") {
  STATIC_REQUIRE(builtin::gpu_provenance.size() == builtin::gpus.size());
  for (std::size_t i = 0; i < builtin::gpus.size(); ++i) {
    const GpuSpec& g = builtin::gpus[i];
    const GpuProvenance& prov = builtin::gpu_provenance[i];
    INFO(g.id);
    CHECK(g.memory.value() > 0);
    CHECK(g.memory_bandwidth.value() > 0);
    CHECK(!prov.source.empty());
    CHECK(prov.source.front() == 'S');  // citations start with their legend id, "S5 NVIDIA Ada ..."
    CHECK(!prov.confidence.empty());
    // The capacity is the vendor label read as GiB (docs/catalog.md, datasheets convention 3).
    CHECK(to_gib(g.memory) == g.memory_label_gb);
  }
}

TEST_CASE("dense peaks are ordered as the hardware allows", "[catalog][gpu]") {
  for (const GpuSpec& g : builtin::gpus) {
    INFO(g.id);
    const DensePeaks& p = g.peak;
    if (p.bf16.value() > 0 && p.fp32.value() > 0) CHECK(p.bf16 >= p.fp32);
    if (p.fp16.value() > 0 && p.fp32.value() > 0) CHECK(p.fp16 >= p.fp32);
    if (p.fp16_fp16acc.value() > 0 && p.fp16.value() > 0) CHECK(p.fp16_fp16acc >= p.fp16);
    if (p.fp8_fp16acc.value() > 0 && p.fp8.value() > 0) CHECK(p.fp8_fp16acc >= p.fp8);
    if (p.fp8.value() > 0 && p.fp16.value() > 0) CHECK(p.fp8 >= p.fp16);
    // BF16 and FP16 share the FP32-accumulate rate wherever both exist (one CSV column).
    if (p.bf16.value() > 0 && p.fp16.value() > 0) CHECK(p.bf16 == p.fp16);
    CHECK(g.peak_for(Precision::bf16) == p.bf16);
  }
}

TEST_CASE("link figures are consistent", "[catalog][gpu]") {
  for (std::size_t i = 0; i < builtin::gpus.size(); ++i) {
    const GpuSpec& g = builtin::gpus[i];
    INFO(g.id);
    // NVLink 5 is 1800 GB/s bidirectional = 900 GB/s per direction, the largest figure today.
    CHECK(g.nvlink_per_direction() <= gb_per_s(900));
    CHECK(g.nvlink_generation.empty() == (g.nvlink_bidirectional.value() == 0));
    CHECK(g.nvlink_generation.empty() == (g.nvlink_topology == LinkTopology::none));
    if (g.pcie_lanes > 0) {
      // 128b/130b: gen3 15.75, gen4 31.5, gen5 63.0 GB/s per direction at x16.
      REQUIRE(pcie_lane_gb_per_s(g.pcie_generation) > 0);
      CHECK_THAT(to_gb_per_s(g.pcie_per_direction),
                 WithinRel(g.pcie_lanes * pcie_lane_gb_per_s(g.pcie_generation), 1e-12));
      CHECK(!builtin::gpu_provenance[i].pcie_derived.empty());
    } else {
      CHECK(g.pcie_per_direction.value() == 0);
    }
    if (g.peer_access == PeerAccess::nvlink) CHECK(g.nvlink_topology != LinkTopology::bridge);
    if (g.peer_access == PeerAccess::nvlink_bridge) CHECK(g.nvlink_topology == LinkTopology::bridge);
    if (g.unified_memory) CHECK(g.peer_access == PeerAccess::none);
  }
}

TEST_CASE("GeForce cards have no peer access with the stock driver", "[catalog][gpu]") {
  // docs/reference/formulas.md §4.2 and §7 item 10; docs/reference/gpu-specs.md "NVLink works on 4090 ... No".
  int geforce = 0;
  for (const GpuSpec& g : builtin::gpus) {
    if (!g.name.starts_with("GeForce")) continue;
    INFO(g.id);
    ++geforce;
    CHECK(g.peer_access == PeerAccess::host);
  }
  // RTX 2080 Ti, 3060 12GB, 3070, 3080, 3080 Ti, 3090, 3090 Ti, 4060 Ti 16GB, 4070 Ti, 4080, 4090,
  // 5060 Ti 16GB, 5070 Ti, 5080, 5090
  CHECK(geforce == 15);
}

TEST_CASE("spot checks against the datasheet reference", "[catalog][gpu]") {
  SECTION("rtx-4090") {
    const GpuSpec& g = get("rtx-4090");
    // main table: "24 GB GDDR6X (21 Gbps)", read as 24 GiB (convention 3).
    CHECK(g.memory == gib(24));
    // main table: BW 1008 GB/s.
    CHECK(g.memory_bandwidth == gb_per_s(1008));
    // Ada whitepaper App. A (S5): FP16/BF16 with FP32 accumulate 165.2 dense.
    CHECK_THAT(to_tflops(g.peak.bf16), WithinRel(165.2, 1e-12));
    // ... and FP16 with FP16 accumulate 330.3 dense.
    CHECK_THAT(to_tflops(g.peak.fp16_fp16acc), WithinRel(330.3, 1e-12));
    // FP8 with FP32 accumulate 330.3 (what cuBLAS/TE use), FP16 accumulate 660.6.
    CHECK_THAT(to_tflops(g.peak.fp8), WithinRel(330.3, 1e-12));
    CHECK_THAT(to_tflops(g.peak.fp8_fp16acc), WithinRel(660.6, 1e-12));
    // no NVLink; PCIe 4.0 x16 = 31.5 GB/s per direction (docs/reference/formulas.md §4.2).
    CHECK(g.nvlink_generation.empty());
    CHECK_THAT(to_gb_per_s(g.pcie_per_direction), WithinRel(31.5, 1e-12));
    CHECK(g.peer_access == PeerAccess::host);
  }
  SECTION("h100-sxm5-80gb") {
    const GpuSpec& g = get("h100-sxm5-80gb");
    // main table: FP16/BF16 TC (FP32 acc) 989.4 dense (datasheet 1,979 is sparse, S8).
    CHECK_THAT(to_tflops(g.peak.bf16), WithinRel(989.4, 1e-12));
    // main table: BW 3350 GB/s, 80 GB HBM3.
    CHECK(g.memory_bandwidth == gb_per_s(3350));
    CHECK(g.memory == gib(80));
    // NVLink 4 (18 links), 900 GB/s bidirectional = 450 GB/s per direction (convention 3).
    CHECK(g.nvlink_generation == "NVLink 4");
    CHECK(g.nvlink_bidirectional == gb_per_s(900));
    CHECK(g.nvlink_per_direction() == gb_per_s(450));
    CHECK(g.nvlink_topology == LinkTopology::nvswitch);
    CHECK(g.peer_access == PeerAccess::nvlink);
    // PCIe 5.0 x16 = 63.0 GB/s per direction.
    CHECK_THAT(to_gb_per_s(g.pcie_per_direction), WithinRel(63.0, 1e-12));
  }
  SECTION("a100-sxm4-80gb") {
    const GpuSpec& g = get("a100-sxm4-80gb");
    // main table: 80 GB HBM2e, BW 2039 GB/s; BF16 312 dense (624 is sparse).
    CHECK(g.memory_bandwidth == gb_per_s(2039));
    CHECK(g.memory == gib(80));
    CHECK_THAT(to_tflops(g.peak.bf16), WithinRel(312.0, 1e-12));
    // NVLink 3, 600 GB/s bidirectional = 300 per direction (docs/reference/formulas.md §4.2).
    CHECK(g.nvlink_per_direction() == gb_per_s(300));
    CHECK(g.mig_instances == 7);  // "7 (10 GB each)"
  }
  SECTION("GPUs without BF16 keep their FP16 rate only") {
    // Volta: "No BF16, TF32, FP8 or INT8 tensor support"; FP16 tensor 125 dense (main table).
    const GpuSpec& v100 = get("v100-sxm2-16gb");
    CHECK(v100.peak.bf16.value() == 0);
    CHECK_THAT(to_tflops(v100.peak.fp16), WithinRel(125.0, 1e-12));
    // Turing GeForce: FP16 with FP32 accumulate 53.8, FP16 accumulate 107.6 (Turing WP, S54).
    const GpuSpec& ti = get("rtx-2080-ti");
    CHECK(ti.peak.bf16.value() == 0);
    CHECK_THAT(to_tflops(ti.peak.fp16), WithinRel(53.8, 1e-12));
    CHECK_THAT(to_tflops(ti.peak.fp16_fp16acc), WithinRel(107.6, 1e-12));
  }
  SECTION("unified memory and links") {
    // Apple and Jetson share memory with the CPU and have no peer.
    CHECK(get("apple-m1-max-32c").unified_memory);
    CHECK(get("jetson-agx-orin-64gb").unified_memory);
    CHECK(get("apple-m1-max-32c").peer_access == PeerAccess::none);
    // 2-GPU bridges: A100 PCIe (NVLink 3 bridge, 600 GB/s) and RTX A6000 (112.5 GB/s, 56.25 each way).
    CHECK(get("a100-pcie-80gb").peer_access == PeerAccess::nvlink_bridge);
    CHECK(get("rtx-a6000").nvlink_per_direction() == gb_per_s(56.25));
    // MI300X: Infinity Fabric (xGMI), no NVLink.
    CHECK(get("mi300x").peer_access == PeerAccess::fabric);
    // H800: the export part's NVLink is cut to 400 GB/s bidirectional = 200 per direction (S45).
    CHECK(get("h800-sxm-80gb").nvlink_per_direction() == gb_per_s(200));
  }
  SECTION("rental prices only where the reference lists them") {
    // docs/reference/gpu-specs.md, cloud rental prices: RTX 4090 0.34 spot - 0.60 on-demand (deploybase.ai, 2026-03);
    // the catalog takes the on-demand figure.
    const GpuSpec& g = get("rtx-4090");
    CHECK_THAT(g.price_usd_per_hour, WithinRel(0.60, 1e-12));
    CHECK(Catalog::builtin().provenance("rtx-4090").price_date == "2026-03");
    CHECK(get("t4").price_usd_per_hour == 0);
    int priced = 0;
    for (const GpuSpec& x : builtin::gpus) priced += x.price_usd_per_hour > 0 ? 1 : 0;
    CHECK(priced == 13);  // the 9 rows of the table name 13 GPUs ("A100 80GB" covers SXM4 and PCIe)
  }
}

// Hand-checked figures of the 2026 additions (sources S60-S73 in each file; products of SMs x clock
// x per-SM rate worked out here from the datasheet's own numbers).
TEST_CASE("spot checks of the 2026 additions against their datasheets", "[catalog][gpu]") {
  SECTION("H20: Hopper with compute cut, memory and NVLink kept") {
    const GpuSpec& g = get("h20-96gb");
    // Product brief: BF16 148 and FP8 296 TFLOPS dense, 96 GB HBM3 at 4.0 TB/s, NVLink 900 GB/s.
    CHECK_THAT(to_tflops(g.peak.bf16), WithinRel(148.0, 1e-12));
    CHECK_THAT(to_tflops(g.peak.fp8), WithinRel(296.0, 1e-12));
    CHECK(g.memory == gib(96));
    CHECK(g.memory_bandwidth == gb_per_s(4000));
    CHECK(g.nvlink_per_direction() == gb_per_s(450));
    CHECK(g.peak.fp4.value() == 0);
    CHECK(gpu_family(g) == GpuFamily::hopper);
  }
  SECTION("L20 and A800: the other export parts") {
    const GpuSpec& l20 = get("l20");
    CHECK_THAT(to_tflops(l20.peak.bf16), WithinRel(119.5, 1e-12));
    CHECK(l20.memory_bandwidth == gb_per_s(864));  // 18 Gbps x 384 bits / 8
    CHECK(l20.peer_access == PeerAccess::pcie);
    CHECK(gpu_family(l20) == GpuFamily::ada);
    const GpuSpec& a800 = get("a800-sxm4-80gb");
    CHECK_THAT(to_tflops(a800.peak.bf16), WithinRel(312.0, 1e-12));  // as A100
    CHECK(a800.nvlink_per_direction() == gb_per_s(200));              // 400 GB/s bidirectional
    CHECK(gpu_family(a800) == GpuFamily::ampere_hpc);
  }
  SECTION("B300 and GB300: per GPU = system figure / GPUs, dense") {
    const GpuSpec& b300 = get("b300-hgx");
    // HGX B300: FP4 105 PF dense and FP16/BF16 36 PF sparse for 8 GPUs.
    CHECK_THAT(to_tflops(b300.peak.fp4), WithinRel(105000.0 / 8, 1e-12));
    CHECK_THAT(to_tflops(b300.peak.bf16), WithinRel(36000.0 / 8 / 2, 1e-12));
    CHECK(b300.memory == gib(288));
    CHECK(b300.nvlink_per_direction() == gb_per_s(900));
    CHECK(gpu_family(b300) == GpuFamily::blackwell_hpc);
    const GpuSpec& gb300 = get("gb300-per-gpu");
    // GB300 NVL72: FP4 1,080 PF dense, FP16/BF16 360 PF sparse for 72 GPUs; 576 TB/s.
    CHECK_THAT(to_tflops(gb300.peak.fp4), WithinRel(1080000.0 / 72, 1e-12));
    CHECK_THAT(to_tflops(gb300.peak.bf16), WithinRel(360000.0 / 72 / 2, 1e-12));
    CHECK_THAT(to_gb_per_s(gb300.memory_bandwidth), WithinRel(576000.0 / 72, 1e-12));
    CHECK(gpu_family(gb300) == GpuFamily::blackwell_hpc);
  }
  SECTION("MI355X: CDNA 4 with FP8 and MXFP4") {
    const GpuSpec& g = get("mi355x");
    // ISSCC: 256 CUs x 8192 FP8 FLOP/clk x 2.4 GHz = 5033.2 TFLOPS; FP16 half, FP4 twice.
    CHECK_THAT(to_tflops(g.peak.fp8), WithinRel(256 * 8192 * 2.4e9 / 1e12, 1e-5));
    CHECK_THAT(to_tflops(g.peak.bf16), WithinRel(256 * 4096 * 2.4e9 / 1e12, 1e-5));
    CHECK_THAT(to_tflops(g.peak.fp4), WithinRel(256 * 16384 * 2.4e9 / 1e12, 1e-5));
    CHECK(g.memory == gib(288));
    CHECK(g.memory_bandwidth == gb_per_s(8000));
    CHECK(g.peer_access == PeerAccess::fabric);
    CHECK(gpu_family(g) == GpuFamily::cdna);
  }
  SECTION("RTX 50: dense FP4 is half the 'AI TOPS', FP16 with FP32 accumulate an eighth of that") {
    // AI TOPS (FP4, sparse): 5080 1801, 5070 Ti 1406, 5060 Ti 759.
    const std::pair<std::string_view, double> cards[] = {{"rtx-5080", 1801}, {"rtx-5070-ti", 1406}, {"rtx-5060-ti-16gb", 759}};
    for (const auto& [id, ai_tops] : cards) {
      INFO(id);
      const GpuSpec& g = get(id);
      CHECK_THAT(to_tflops(g.peak.fp4), WithinRel(ai_tops / 2, 1e-3));
      CHECK_THAT(to_tflops(g.peak.bf16), WithinRel(ai_tops / 16, 1e-3));
      CHECK(g.memory == gib(16));
      CHECK(g.peer_access == PeerAccess::host);
      CHECK(gpu_family(g) == GpuFamily::blackwell);
    }
    CHECK(get("rtx-5080").memory_bandwidth == gb_per_s(960));          // 30 Gbps x 256 / 8
    CHECK(get("rtx-5060-ti-16gb").memory_bandwidth == gb_per_s(448));  // 28 Gbps x 128 / 8
    CHECK(get("rtx-5060-ti-16gb").pcie_per_direction == gb_per_s(31.5));  // PCIe 5.0 x8
  }
  SECTION("RTX 3060 12GB and 4060 Ti 16GB") {
    const GpuSpec& g3060 = get("rtx-3060-12gb");
    // '101 Tensor TFLOPS' = FP16 with FP16 accumulate, sparse: dense about 50.5 (28 SMs x 1.777 GHz x 1024 = 51.0).
    CHECK_THAT(to_tflops(g3060.peak.fp16_fp16acc), WithinRel(101.0 / 2, 0.01));
    CHECK(g3060.memory == gib(12));
    CHECK(g3060.memory_bandwidth == gb_per_s(360));  // 15 Gbps x 192 / 8
    CHECK(g3060.peak.fp8.value() == 0);
    const GpuSpec& g4060 = get("rtx-4060-ti-16gb");
    // '353 AI TOPS' = FP8 with FP16 accumulate, sparse.
    CHECK_THAT(to_tflops(g4060.peak.fp8_fp16acc), WithinRel(353.0 / 2, 1e-3));
    CHECK(g4060.memory_bandwidth == gb_per_s(288));     // 18 Gbps x 128 / 8
    CHECK(g4060.pcie_per_direction == gb_per_s(15.75));  // PCIe 4.0 x8
    CHECK(gpu_family(g4060) == GpuFamily::ada);
  }
  SECTION("RTX A5000 and A4000: workstation Ampere, full-rate FP32 accumulate") {
    // Datasheet 'Tensor performance' is FP16 with sparsity: 222.2 and 153.4.
    CHECK_THAT(to_tflops(get("rtx-a5000").peak.bf16), WithinRel(222.2 / 2, 1e-3));
    CHECK_THAT(to_tflops(get("rtx-a4000").peak.bf16), WithinRel(153.4 / 2, 1e-3));
    CHECK(get("rtx-a5000").nvlink_per_direction() == gb_per_s(56.25));  // 112.5 GB/s bridge
    CHECK(get("rtx-a4000").memory_bandwidth == gb_per_s(448));         // 14 Gbps x 256 / 8
  }
  SECTION("unified-memory SoCs: DGX Spark, Ryzen AI Max+ 395, M4 Max") {
    const GpuSpec& spark = get("dgx-spark-gb10");
    CHECK_THAT(to_tflops(spark.peak.fp4), WithinRel(1000.0 / 2, 1e-12));  // 1 PFLOP FP4 with sparsity
    CHECK(spark.memory == gib(128));
    CHECK(spark.memory_bandwidth == gb_per_s(273));
    CHECK(gpu_family(spark) == GpuFamily::blackwell);
    const GpuSpec& ryzen = get("ryzen-ai-max-plus-395");
    CHECK_THAT(to_gb_per_s(ryzen.memory_bandwidth), WithinRel(8000.0 * 256 / 8 / 1000, 1e-12));  // LPDDR5X-8000, 256-bit
    CHECK(ryzen.peak.fp8.value() == 0);
    CHECK(gpu_family(ryzen) == GpuFamily::rdna);
    const GpuSpec& m4 = get("apple-m4-max-40c");
    CHECK(m4.memory_bandwidth == gb_per_s(546));
    CHECK(gpu_family(m4) == GpuFamily::apple);
    for (const GpuSpec* g : {&spark, &ryzen, &m4}) {
      INFO(g->id);
      CHECK(g->unified_memory);
      CHECK(g->peer_access == PeerAccess::none);
    }
  }
}
