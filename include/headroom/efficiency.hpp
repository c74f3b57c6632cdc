#pragma once
/// @file efficiency.hpp
/// EfficiencyProfile: how close real kernels get to the datasheet peaks, as data.
///
/// The roofline (roofline.hpp) needs achieved fractions of the peaks: a GEMM efficiency that depends on
/// shape and precision, a DRAM efficiency that depends on the transfer size, and fixed per-kernel costs.
/// They depend on the GPU family (measured tables in docs/reference/gpu-specs.md "Measured efficiency") and on
/// the software that runs the model (kernel quality, launch overheads, dequantization). This header
/// holds them as one plain aggregate so that a measured calibration (CUDA microbenchmarks fitted by
/// least squares, docs/reference/formulas.md §5.2) can replace the built-in defaults: load one from JSON with
/// headroom/io/efficiency_json.hpp. data/efficiency/builtin.json mirrors `builtin_efficiency` and a
/// test checks that they are equal. Every constant says where it comes from; see docs/time.md.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "headroom/gpu.hpp"
#include "headroom/job.hpp"
#include "headroom/names.hpp"
#include "headroom/units.hpp"

namespace headroom {

namespace detail {
/// s begins with prefix; compared character by character, which the compiler inlines for the short
/// literals of gpu_family (a string_view comparison calls memcmp).
[[nodiscard]] constexpr bool starts_with(std::string_view s, std::string_view prefix) noexcept {
  if (prefix.size() > s.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (s[i] != prefix[i]) return false;
  return true;
}
[[nodiscard]] constexpr bool contains(std::string_view s, std::string_view part) noexcept {
  return s.find(part) != std::string_view::npos;
}
}  // namespace detail

/// The family of a GPU: from the CUDA compute capability when there is one, else vendor and architecture.
[[nodiscard]] constexpr GpuFamily gpu_family(const GpuSpec& g) noexcept {
  using detail::contains;
  using detail::starts_with;
  const std::string_view cc = g.compute_capability;
  if (!cc.empty()) {
    if (starts_with(cc, "7.0") || starts_with(cc, "7.2")) return GpuFamily::volta;
    if (starts_with(cc, "7.5")) return GpuFamily::turing;
    if (starts_with(cc, "8.0")) return GpuFamily::ampere_hpc;
    if (starts_with(cc, "8.6") || starts_with(cc, "8.7")) return GpuFamily::ampere;
    if (starts_with(cc, "8.9")) return GpuFamily::ada;
    if (starts_with(cc, "9.")) return GpuFamily::hopper;
    if (starts_with(cc, "10.") || starts_with(cc, "11.")) return GpuFamily::blackwell_hpc;
    if (starts_with(cc, "12.")) return GpuFamily::blackwell;
  }
  const std::string_view arch = g.architecture;
  if (contains(g.vendor, "Apple") || contains(arch, "Apple")) return GpuFamily::apple;
  if (contains(arch, "CDNA")) return GpuFamily::cdna;
  if (contains(arch, "RDNA")) return GpuFamily::rdna;
  if (contains(arch, "Volta")) return GpuFamily::volta;
  if (contains(arch, "Turing")) return GpuFamily::turing;
  if (contains(arch, "Ada")) return GpuFamily::ada;
  if (contains(arch, "Hopper")) return GpuFamily::hopper;
  if (contains(arch, "Blackwell")) return GpuFamily::blackwell_hpc;
  if (contains(arch, "Ampere")) return GpuFamily::ampere;
  return GpuFamily::other;
}

[[nodiscard]] constexpr WeightKernel weight_kernel(WeightFormat f) noexcept {
  switch (f) {
    case WeightFormat::fp32:
    case WeightFormat::bf16:
    case WeightFormat::fp16: return WeightKernel::dense;
    case WeightFormat::fp8: return WeightKernel::fp8;
    case WeightFormat::int8: return WeightKernel::bnb_int8;
    case WeightFormat::nf4:
    case WeightFormat::nf4_dq:
    case WeightFormat::fp4:
    case WeightFormat::fp4_dq: return WeightKernel::bnb_4bit;
    case WeightFormat::gptq_4bit:
    case WeightFormat::awq_4bit:
    case WeightFormat::nvfp4:  // block-scaled FP4 read by dequantizing 4-bit GEMV kernels: the GPTQ/AWQ class
    case WeightFormat::mxfp4: return WeightKernel::gptq_awq;
    case WeightFormat::q4_0:
    case WeightFormat::q4_k_m:
    case WeightFormat::q5_k_m:
    case WeightFormat::q6_k:
    case WeightFormat::q8_0: return WeightKernel::gguf;
  }
  return WeightKernel::dense;
}

/// GEMM efficiency surface (docs/reference/formulas.md §5.2):
/// η_c(M, N, K) = eta_max[p] · M/(M + m_half) · N/(N + n_half) · K/(K + k_half).
/// M is the token dimension (small in decode), N the output and K the reduction dimension.
struct GemmEfficiency {
  std::array<double, names::count<Precision>> eta_max{};  ///< best-shape fraction of the dense peak, indexed by Precision
  double m_half = 0;                              ///< M at which the M term is 1/2
  double n_half = 0;
  double k_half = 0;

  [[nodiscard]] constexpr double operator()(Precision p, double m, double n, double k) const noexcept {
    if (m <= 0 || n <= 0 || k <= 0) return 0;
    return eta_max[static_cast<std::size_t>(p)] * (m * n * k) / ((m + m_half) * (n + n_half) * (k + k_half));
  }
  constexpr bool operator==(const GemmEfficiency&) const noexcept = default;
};

/// DRAM efficiency vs transfer size: η_m(S) = eta_max · S/(S + half_bytes). eta_max is the sustained copy
/// bandwidth of buffers much larger than L2; half_bytes models the ramp-up and tail of one kernel.
struct MemoryEfficiency {
  double eta_max = 0;
  Bytes half_bytes{};

  [[nodiscard]] constexpr double operator()(Bytes s) const noexcept {
    return s.value() > 0 ? eta_max * s.value() / (s.value() + half_bytes.value()) : eta_max;
  }
  constexpr bool operator==(const MemoryEfficiency&) const noexcept = default;
};

/// Efficiencies of one GPU family.
struct FamilyEfficiency {
  GemmEfficiency gemm{};
  MemoryEfficiency memory{};
  Seconds kernel_launch{};  ///< GPU-side fixed cost of one kernel (launch latency, ramp, tail)
  std::string_view source{};
  /// Fused (FlashAttention-2 class) attention: achieved fraction of the dense 16-bit peak in the forward
  /// and in the backward kernels (5 matmuls, dQ/dK/dV), at long sequences and head dim 128 (docs/time.md).
  double attention_fwd = 0;
  double attention_bwd = 0;

  constexpr bool operator==(const FamilyEfficiency&) const noexcept = default;
};

/// What the software running the model adds or takes away.
struct RuntimeEfficiency {
  double gemm_scale = 1;  ///< the runtime's large GEMMs relative to best-shape cuBLAS (eta_max)
  /// Per GpuFamily factor on gemm_scale (a runtime whose backends differ by vendor: CUDA vs Metal).
  std::array<double, names::count<GpuFamily>> family_gemm_scale{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
  bool fp16_accumulate = false;  ///< fp16 GEMMs accumulate in fp16 (peak = DensePeaks::fp16_fp16acc where published)
  double attention_scale = 1;    ///< its fused attention kernel relative to the family's attention_fwd/bwd
  double stream_scale = 1;       ///< decode weight streaming (GEMV) relative to the family's copy bandwidth
  /// SM cycles its decode GEMV kernel spends per weight element, by WeightKernel: an issue/latency
  /// roof t ≥ elements · c / (SMs · clock) next to the bandwidth roof; 0 = no such roof.
  std::array<double, names::count<WeightKernel>> gemv_cycles_per_weight{};
  /// Extra host time per call of a quantized linear layer, by WeightKernel (Python wrappers of bitsandbytes,
  /// Transformers' Triton FP8 linear).
  std::array<double, names::count<WeightKernel>> quant_call_s{};
  /// 1 where that call ends with a device synchronization (the host waits for the call's GPU work before it
  /// issues the next kernel), else 0; by WeightKernel.
  std::array<double, names::count<WeightKernel>> quant_call_sync{};
  double fusion = 1;                  ///< share of the eager elementwise kernels (and their traffic) left after fusion
  double compile_fusion = 1;          ///< the same under `compile: true` (torch.compile); 1 where it does not apply
  Seconds host_per_kernel{};          ///< CPU dispatch time per kernel launch (0: CUDA graphs or a C++ loop)
  Seconds compile_host_per_kernel{};  ///< the same under `compile: true`
  Seconds step_overhead{};            ///< per forward call: sampling, scheduling, synchronisation
  /// Decode steps of at most this many sequences replay a captured CUDA graph (0: never): the host pays
  /// graph_launch per step instead of host_per_kernel per kernel.
  std::int64_t graph_max_batch = 0;
  Seconds graph_launch{};  ///< host time of one graph replay
  std::int64_t prefill_chunk = 0;     ///< tokens per prefill micro-batch (0: the whole prompt at once)
  bool dequant_for_prefill = false;   ///< quantized weights are dequantized to 16 bit before large-M GEMMs (per chunk)
  bool paged_kv = false;     ///< KV blocks allocated on demand (in-flight batching fills the cache by mean length)
  double serving_scale = 1;  ///< in-flight batching: share of the static-batch roofline kept at large batch
  /// Host time of one eager PyTorch call, paid by the calls a runtime issues after a host sync (Operator::
  /// sync_calls). Not a profile value: rated_runtime sets it to the profile's `pytorch` host_per_kernel.
  Seconds eager_call{};
  std::string_view source{};

  /// Whether a GEMM in `p` runs at the fp16-accumulate peak (fp16_accumulate).
  [[nodiscard]] constexpr bool half_accumulate(Precision p) const noexcept {
    return fp16_accumulate && p == Precision::fp16;
  }
  constexpr bool operator==(const RuntimeEfficiency&) const noexcept = default;
};

/// Everything the roofline needs beyond the datasheet. Index `family` by GpuFamily and `runtime` by Runtime.
struct EfficiencyProfile {
  std::string_view name{};
  std::string_view source{};
  std::array<FamilyEfficiency, names::count<GpuFamily>> family{};
  std::array<RuntimeEfficiency, names::count<Runtime>> runtime{};

  [[nodiscard]] constexpr const FamilyEfficiency& for_family(GpuFamily f) const noexcept {
    return family[static_cast<std::size_t>(f)];
  }
  [[nodiscard]] constexpr const FamilyEfficiency& for_gpu(const GpuSpec& g) const noexcept {
    return for_family(gpu_family(g));
  }
  [[nodiscard]] constexpr const RuntimeEfficiency& for_runtime(Runtime r) const noexcept {
    return runtime[static_cast<std::size_t>(r)];
  }
  constexpr bool operator==(const EfficiencyProfile&) const noexcept = default;
};

namespace detail {
/// eta_max by Precision {fp32, tf32, bf16, fp16, fp8, int8, fp4}.
using EtaRow = std::array<double, names::count<Precision>>;

inline constexpr std::string_view src_mamf =
    "docs/reference/gpu-specs.md 'Measured efficiency' GEMM table (S1 stas00/ml-engineering MAMF, S4 gau-nernst/gn-kernels)";
inline constexpr std::string_view src_copy = "docs/reference/gpu-specs.md 'Measured efficiency' memory-bandwidth table";
inline constexpr std::string_view src_shape =
    "GEMM knees m/n/k_half = 64 (one tensor-core tile, NVIDIA DU-09799-001 §3.1 tile quantization): assumed until the "
    "GEMM sweep of docs/reference/formulas.md §5.1; half_bytes = 1 MiB assumed until the copy sweep; kernel_launch 3 us assumed "
    "(one CUDA-graph kernel: launch latency plus ramp and tail)";

/// `att_fwd`/`att_bwd`: FlashAttention-2 forward/backward fraction of the dense peak (the family's source says
/// where it comes from: Dao 2023, arXiv 2307.08691 sec. 4.1, or the A100 ratio to the GEMM eta_max).
[[nodiscard]] constexpr FamilyEfficiency family(EtaRow eta, double mem, double att_fwd, double att_bwd,
                                                std::string_view source) noexcept {
  return FamilyEfficiency{GemmEfficiency{eta, 64, 64, 64}, MemoryEfficiency{mem, Bytes{1048576.0}}, Seconds{3e-6},
                          source, att_fwd, att_bwd};
}
}  // namespace detail

/// The built-in profile: measured datasheet fractions per family, runtime terms from public sources and,
/// where no source gives them, tuned on the public-time cases as a group (docs/time.md lists each one).
inline constexpr EfficiencyProfile builtin_efficiency = {
    .name = "builtin",
    .source = "headroom built-in defaults: docs/reference/gpu-specs.md 'Measured efficiency', public sources per runtime, "
              "group-tuned terms listed in docs/time.md",
    .family =
        {
            // volta: no measured GEMM in the table; datacenter rule of thumb "75-87%" -> 0.80; HBM rule 75-89% -> 0.82.
            detail::family({0.80, 0.80, 0.80, 0.80, 0.80, 0.80, 0.80}, 0.82, 0.69, 0.59,
                           "rule of thumb of the measured tables (datacenter BF16 75-87%, HBM 75-89%); no V100 "
                           "measurement"
                           "; attention: the A100 FlashAttention-2/GEMM ratio (fwd 0.73/0.85, bwd 0.63/0.85), assumed"),
            // turing: no measurement; rule of thumb; GDDR6 84-91% -> 0.85.
            detail::family({0.80, 0.80, 0.80, 0.80, 0.80, 0.80, 0.80}, 0.85, 0.69, 0.59,
                           "rule of thumb of the measured tables (GDDR parts 84-91%); no Turing measurement"
                           "; attention: the A100 FlashAttention-2/GEMM ratio (fwd 0.73/0.85, bwd 0.63/0.85), assumed"),
            // ampere_hpc: A100 SXM BF16 86.9%, Modal 85.5%, PCIe 81.1% -> 0.85; copy 83-89% -> 0.85.
            detail::family({0.85, 0.85, 0.85, 0.85, 0.85, 0.80, 0.85}, 0.85, 0.73, 0.63,
                           "A100 BF16 GEMM 81-87% (S1, S4); A100 copy 83-89%; attention: FlashAttention-2 forward up "
                           "to 73%, backward up to 63% of the A100 peak (Dao 2023, arXiv 2307.08691 sec. 4.1)"),
            // ampere GA10x: no GA10x GEMM row; GeForce reach their FP32-accumulate peak (table note) -> 0.85 as a
            // compromise with the power-limited workstation cards; GDDR6(X) copy 84-91% -> 0.87.
            // FP32 (CUDA-core SGEMM) taken as Ada's: the same dual-issue FP32 datapath.
            detail::family({0.63, 0.85, 0.85, 0.85, 0.85, 0.80, 0.85}, 0.87, 0.73, 0.63,
                           "no GA10x GEMM measurement: datacenter/GeForce rule of thumb, FP32 SGEMM as the 4090's "
                           "(same dual-issue datapath); GDDR copy 84-91%"
                           "; attention: the A100 FlashAttention-2/GEMM ratio (fwd 0.73/0.85, bwd 0.63/0.85), assumed"),
            // ada: RTX 4090 BF16 92-100%, FP16 94-102%, TF32 ~103%, FP32 CUDA-core SGEMM 62-65% (S34) -> 0.92 and
            // 0.63; 4090 copy 90-91% -> 0.90.
            detail::family({0.63, 0.92, 0.92, 0.92, 0.85, 0.85, 0.92}, 0.90, 0.79, 0.68,
                           "RTX 4090 BF16/FP16/TF32 GEMM 92-103%, FP32 SGEMM 62-65% (S34); 4090 copy 910-921 of "
                           "1008 GB/s (clpeak#106)"
                           "; attention: the A100 FlashAttention-2/GEMM ratio (fwd 0.73/0.85, bwd 0.63/0.85), assumed"),
            // hopper: H100 SXM BF16 80.3%, H200 77.2%, GH200 83.8% -> 0.80; FP8 70.9/73.4/77.6% -> 0.73;
            // copy H100 ~77% (indicative), H200 84.5% -> 0.80.
            detail::family({0.80, 0.80, 0.80, 0.80, 0.73, 0.73, 0.80}, 0.80, 0.38, 0.33,
                           "H100/H200/GH200 BF16 77-84%, FP8 71-78% (S1, S4); copy 77-85%; attention: FlashAttention-2 "
                           "reaches up to 335 TFLOP/s forward+backward on H100 (34% of 989: no wgmma/TMA; Dao 2023, "
                           "arXiv 2307.08691 sec. 4.1), split 0.38/0.33 with the A100 forward:backward ratio 73:63"),
            // blackwell_hpc: B200 BF16 77.6%, GB200 72.9% -> 0.75; FP8 76.3/72.3% -> 0.74; B200 copy 75-78% -> 0.77.
            detail::family({0.75, 0.75, 0.75, 0.75, 0.74, 0.74, 0.74}, 0.77, 0.64, 0.56,
                           "B200/GB200 BF16 73-78%, FP8 72-76% (S1, S4); B200 copy 75-78%"
                           "; attention: the A100 FlashAttention-2/GEMM ratio (fwd 0.73/0.85, bwd 0.63/0.85), assumed"),
            // blackwell (sm_120): RTX 5090 BF16 117% (clocks above spec), PRO 6000 84.9% -> 0.90; FP8 (FP16 acc)
            // 83% -> 0.83; 5090 copy 84%.
            detail::family({0.90, 0.90, 0.90, 0.90, 0.83, 0.87, 0.83}, 0.84, 0.77, 0.67,
                           "RTX 5090 / PRO 6000 BF16 85-117%, FP8 83%, INT8 87% (S3, S4); 5090 copy 84%"
                           "; attention: the A100 FlashAttention-2/GEMM ratio (fwd 0.73/0.85, bwd 0.63/0.85), assumed"),
            // cdna: MI300X BF16 51.1%, MI325X 60.0% -> 0.55; no copy measurement (AMD: 5.3 TB/s is theoretical) ->
            // HBM rule 0.80.
            detail::family({0.55, 0.55, 0.55, 0.55, 0.55, 0.55, 0.55}, 0.80, 0.47, 0.41,
                           "MI300X/MI325X BF16 51-60% (S1, S4); no copy measurement: HBM rule of thumb"
                           "; attention: the A100 FlashAttention-2/GEMM ratio (fwd 0.73/0.85, bwd 0.63/0.85), assumed"),
            // rdna, apple, other: no measurement in the tables; assumed.
            detail::family({0.60, 0.60, 0.60, 0.60, 0.60, 0.60, 0.60}, 0.85, 0.52, 0.44,
                           "no measurement: assumed (consumer AMD, ROCm)"
                           "; attention: the A100 FlashAttention-2/GEMM ratio (fwd 0.73/0.85, bwd 0.63/0.85), assumed"),
            detail::family({0.70, 0.70, 0.70, 0.70, 0.70, 0.70, 0.70}, 0.85, 0.60, 0.52,
                           "no measurement: assumed (Metal; FP16 runs at the FP32 ALU rate per the datasheet notes)"
                           "; attention: the A100 FlashAttention-2/GEMM ratio (fwd 0.73/0.85, bwd 0.63/0.85), assumed"),
            detail::family({0.70, 0.70, 0.70, 0.70, 0.70, 0.70, 0.70}, 0.80, 0.60, 0.52,
                           "no measurement: assumed"
                           "; attention: the A100 FlashAttention-2/GEMM ratio (fwd 0.73/0.85, bwd 0.63/0.85), assumed"),
        },
    .runtime =
        {
            // pytorch
            RuntimeEfficiency{
                .gemm_scale = 1.0,
                .fp16_accumulate = false,
                .attention_scale = 0.55,
                .stream_scale = 1.0,
                .gemv_cycles_per_weight = {0, 0, 0, 0, 0, 0},
                .quant_call_s = {0, 400e-6, 75e-6, 0, 0, 0},
                .fusion = 1.0,
                .compile_fusion = 0.35,
                .host_per_kernel = Seconds{25e-6},
                .compile_host_per_kernel = Seconds{5e-6},
                .step_overhead = Seconds{5e-3},
                .graph_max_batch = 0,
                .graph_launch = Seconds{0},
                .prefill_chunk = 0,
                .dequant_for_prefill = true,
                .paged_kv = false,
                .serving_scale = 1.0,
                .source = "eager HF/litgpt/torchtune class. GEMMs: cuBLAS (gemm_scale 1). attention_scale 0.55 of the "
                          "family's FlashAttention-2 figures: FlashAttention-1 class kernels (flash-attn 1.x, Triton "
                          "FlashAttention for ALiBi) reach 25-40% of the A100 peak against FlashAttention-2's 50-73% "
                          "(Dao 2023, arXiv 2307.08691: FA2 is 1.7-3.0x faster), checked on the FOUNDRY training rows "
                          "as a group (llm-foundry 2023 stack; the error no longer grows with the sequence). "
                          "Tuned on the LITGPT decode "
                          "rows as a group (eager generate is host-bound): host_per_kernel 25 us, step_overhead 5 ms "
                          "(cross-check: gpt-fast's eager Llama-7B baseline, 25.5 tok/s on an A100-80GB, "
                          "pytorch.org/blog/accelerating-generative-ai-2), bnb_4bit 75 us per quantized-linear call. "
                          "bnb_int8 400 us per call: LLM.int8 inference about 5x slower than bf16 for 7B models "
                          "(bitsandbytes#490, #347). torch.compile: fusion 0.35 and 5 us per kernel assumed",
            },
            // vllm
            RuntimeEfficiency{
                .gemm_scale = 1.0,
                .fp16_accumulate = false,
                .attention_scale = 0.87,
                .stream_scale = 1.0,
                .gemv_cycles_per_weight = {0, 0, 0, 0, 0, 0},
                .quant_call_s = {0, 0, 0, 0, 0, 0},
                .fusion = 0.5,
                .compile_fusion = 0.5,
                .host_per_kernel = Seconds{0},
                .compile_host_per_kernel = Seconds{0},
                .step_overhead = Seconds{2e-3},
                .graph_max_batch = 512,
                .graph_launch = Seconds{20e-6},
                .prefill_chunk = 8192,
                .dequant_for_prefill = false,
                .paged_kv = true,
                .serving_scale = 0.9,
                .source = "no public-time single-GPU case: cuBLAS GEMMs, CUDA-graph decode (no host term), fusion 0.5 "
                          "assumed, Python scheduler step 2 ms assumed; paged KV and serving_scale as tensorrt-llm's; decode batches up to 512 replay CUDA graphs (v1 default capture sizes up to max_cudagraph_capture_size 512), graph replay 20 us per step assumed",
            },
            // tensorrt-llm
            RuntimeEfficiency{
                .gemm_scale = 1.0,
                .fp16_accumulate = false,
                .attention_scale = 0.87,
                .stream_scale = 1.0,
                .gemv_cycles_per_weight = {0, 0, 0, 0, 0, 0},
                .quant_call_s = {0, 0, 0, 0, 0, 0},
                .fusion = 0.3,
                .compile_fusion = 0.3,
                .host_per_kernel = Seconds{0},
                .compile_host_per_kernel = Seconds{0},
                .step_overhead = Seconds{1e-3},
                .graph_max_batch = 128,
                .graph_launch = Seconds{20e-6},
                .prefill_chunk = 8192,
                .dequant_for_prefill = false,
                .paged_kv = true,
                .serving_scale = 0.9,
                .source = "fused plugins and CUDA graphs (no host term), fusion 0.3 assumed; prefill chunk 8192 = "
                          "default max_num_tokens; step_overhead 1 ms assumed; serving_scale 0.9 tuned on the TRTLLM "
                          "perf-overview rows (in-flight batching at batch max) as a group; decode batches up to 128 replay CUDA graphs (LLM API cuda_graph_config default max_batch_size 128), graph replay 20 us per step assumed",
            },
            // llama.cpp
            RuntimeEfficiency{
                .gemm_scale = 0.55,
                .family_gemm_scale = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1.8, 1},
                .fp16_accumulate = true,
                .attention_scale = 0.58,
                .stream_scale = 1.0,
                .gemv_cycles_per_weight = {0.32, 0, 0, 0, 0.09, 0.32},
                .quant_call_s = {0, 0, 0, 0, 0, 0},
                .fusion = 0.6,
                .compile_fusion = 0.6,
                .host_per_kernel = Seconds{0},
                .compile_host_per_kernel = Seconds{0},
                .step_overhead = Seconds{0.5e-3},
                .graph_max_batch = 1,
                .graph_launch = Seconds{20e-6},
                .prefill_chunk = 512,
                .dequant_for_prefill = true,
                .paged_kv = false,
                .serving_scale = 1.0,
                .source = "CUDA: cuBLAS with CUBLAS_COMPUTE_16F for f16 GEMMs (fp16_accumulate); n_ubatch 512 "
                          "(llama-bench default). Tuned on the XDAI llama-bench rows as groups: gemm_scale 0.55 (CUDA "
                          "f16 prefill reaches 34-53% of the fp16-accumulate peak on 8 NVIDIA GPUs), apple factor 1.8 "
                          "(Metal prefill reaches 62-81% of the FP32 rate), GEMV roof 0.32 SM-cycles per f16 weight "
                          "and 0.09 per k-quant weight (A100/H100 decode follows SMs x clock, not bandwidth), "
                          "step_overhead 0.5 ms. attention_scale 0.58 of the family's FlashAttention-2 figures (half "
                          "the GEMM eta_max: 0.5 x 0.85/0.73) assumed (2024 builds run attention unfused by default); batch-1 decode replays one CUDA graph per token (llama.cpp PR #6766, 2024-05; off for batch > 1 and row split), graph replay 20 us per step assumed",
            },
            // mlc
            RuntimeEfficiency{
                .gemm_scale = 0.8,
                .fp16_accumulate = false,
                .attention_scale = 0.7,
                .stream_scale = 0.95,
                .gemv_cycles_per_weight = {0, 0, 0, 0, 0, 0},
                .quant_call_s = {0, 0, 0, 0, 0, 0},
                .fusion = 0.4,
                .compile_fusion = 0.4,
                .host_per_kernel = Seconds{0},
                .compile_host_per_kernel = Seconds{0},
                .step_overhead = Seconds{1e-3},
                .graph_max_batch = 1024,
                .graph_launch = Seconds{20e-6},
                .prefill_chunk = 2048,
                .dequant_for_prefill = false,
                .paged_kv = true,
                .serving_scale = 0.9,
                .source = "no public-time case: assumed (compiled TVM kernels, CUDA graphs); decode replays CUDA graphs (--opt O2 default sets cudagraph, python/mlc_llm/interface/compiler_flags.py), graph replay 20 us per step assumed",
            },
            // exllama
            RuntimeEfficiency{
                .gemm_scale = 0.8,
                .fp16_accumulate = false,
                .attention_scale = 0.87,
                .stream_scale = 0.9,
                .gemv_cycles_per_weight = {0, 0, 0, 0, 0, 0},
                .quant_call_s = {0, 0, 0, 0, 0, 0},
                .fusion = 0.5,
                .compile_fusion = 0.5,
                .host_per_kernel = Seconds{5e-6},
                .compile_host_per_kernel = Seconds{5e-6},
                .step_overhead = Seconds{1e-3},
                .graph_max_batch = 1024,
                .graph_launch = Seconds{200e-6},
                .prefill_chunk = 2048,
                .dequant_for_prefill = true,
                .paged_kv = true,
                .serving_scale = 0.9,
                .source = "no public-time case: assumed (GPTQ/EXL2 GEMV kernels, C++ extension); decode replays per-module CUDA graphs (exllamav2_ext/cuda/graph.cuh, attention and MLP per layer): 200 us per step assumed (2 launches x 32 layers x ~3 us); host_per_kernel only outside graphs",
            },
            // megatron
            RuntimeEfficiency{
                .gemm_scale = 1.0,
                .fp16_accumulate = false,
                .attention_scale = 0.87,
                .stream_scale = 1.0,
                .gemv_cycles_per_weight = {0, 0, 0, 0, 0, 0},
                .quant_call_s = {0, 0, 0, 0, 0, 0},
                .fusion = 0.4,
                .compile_fusion = 0.4,
                .host_per_kernel = Seconds{0},
                .compile_host_per_kernel = Seconds{0},
                .step_overhead = Seconds{1e-3},
                .graph_max_batch = 0,
                .graph_launch = Seconds{0},
                .prefill_chunk = 0,
                .dequant_for_prefill = false,
                .paged_kv = false,
                .serving_scale = 1.0,
                .source = "fused kernels (Transformer Engine / apex), fusion 0.4 assumed; large micro-batches hide "
                          "the host; no single-GPU public-time case",
            },
            // sglang: same class as vllm until its own profile
            RuntimeEfficiency{
                .gemm_scale = 1.0,
                .fp16_accumulate = false,
                .attention_scale = 0.87,
                .stream_scale = 1.0,
                .gemv_cycles_per_weight = {0, 0, 0, 0, 0, 0},
                .quant_call_s = {0, 0, 0, 0, 0, 0},
                .fusion = 0.5,
                .compile_fusion = 0.5,
                .host_per_kernel = Seconds{0},
                .compile_host_per_kernel = Seconds{0},
                .step_overhead = Seconds{2e-3},
                .graph_max_batch = 160,
                .graph_launch = Seconds{20e-6},
                .prefill_chunk = 8192,
                .dequant_for_prefill = false,
                .paged_kv = true,
                .serving_scale = 0.9,
                .source = "same class as vllm until its own profile: a paged-KV serving engine of vLLM's class (CUDA graphs, in-flight batching, fused attention); SGLang's own values are not cited yet. vllm's source: "
                          "no public-time single-GPU case: cuBLAS GEMMs, CUDA-graph decode (no host term), fusion 0.5 "
                          "assumed, Python scheduler step 2 ms assumed; paged KV and serving_scale as tensorrt-llm's"
                          ";"
                          " CUDA-graph decode: decode batches up to 160 replay graphs (SGLang python/sglang/srt/server_args.py default cuda_graph_max_bs 160 in its 2024-2025 versions; newer versions raise it to 256-512 on 80 GB+ GPUs), graph replay 20 us per step assumed as for vllm",
            },
            // hf: same class as pytorch until its own profile
            RuntimeEfficiency{
                .gemm_scale = 1.0,
                .fp16_accumulate = false,
                .attention_scale = 0.55,
                .stream_scale = 1.0,
                .gemv_cycles_per_weight = {0, 0, 0, 0, 0, 0},
                .quant_call_s = {0, 400e-6, 75e-6, 0, 0, 86e-6},
                .quant_call_sync = {0, 0, 0, 0, 0, 1},
                .fusion = 1.0,
                .compile_fusion = 0.35,
                .host_per_kernel = Seconds{25e-6},
                .compile_host_per_kernel = Seconds{5e-6},
                .step_overhead = Seconds{5e-3},
                .prefill_chunk = 0,
                .dequant_for_prefill = true,
                .paged_kv = false,
                .serving_scale = 1.0,
                .source = "same class as pytorch until its own profile: Transformers Trainer / PEFT / TRL run eager PyTorch, the class the pytorch values were fitted on. pytorch's source: "
                          "eager HF/litgpt/torchtune class. GEMMs: cuBLAS (gemm_scale 1). attention_scale 0.55 of the "
                          "family's FlashAttention-2 figures: FlashAttention-1 class kernels (flash-attn 1.x, Triton "
                          "FlashAttention for ALiBi) reach 25-40% of the A100 peak against FlashAttention-2's 50-73% "
                          "(Dao 2023, arXiv 2307.08691: FA2 is 1.7-3.0x faster), checked on the FOUNDRY training rows "
                          "as a group (llm-foundry 2023 stack; the error no longer grows with the sequence). "
                          "Tuned on the LITGPT decode "
                          "rows as a group (eager generate is host-bound): host_per_kernel 25 us, step_overhead 5 ms "
                          "(cross-check: gpt-fast's eager Llama-7B baseline, 25.5 tok/s on an A100-80GB, "
                          "pytorch.org/blog/accelerating-generative-ai-2), bnb_4bit 75 us per quantized-linear call. "
                          "bnb_int8 400 us per call: LLM.int8 inference about 5x slower than bf16 for 7B models "
                          "(bitsandbytes#490, #347). torch.compile: fusion 0.35 and 5 us per kernel assumed"
                          "; hf's own: fp8 86 us per call and a device synchronization after it (quant_call_sync): "
                          "Transformers' fine-grained FP8 linear (src/transformers/integrations/finegrained_fp8.py "
                          "FP8Linear.forward, from its addition in 2025 until huggingface/transformers#43349 "
                          "removed the sync in 2026-01) "
                          "runs a Triton activation-quantization kernel and a Triton block-FP8 matmul, then "
                          "torch.cuda.synchronize(): on top of the linear's own launch, one more kernel at "
                          "host_per_kernel (25 us), Triton's Python launch path twice (18 us each, "
                          "triton-lang/triton#3648) and the wrapper's output allocations and device switch as one "
                          "more eager call (25 us, assumed)",
            },
            // torchtune: same class as pytorch until its own profile
            RuntimeEfficiency{
                .gemm_scale = 1.0,
                .fp16_accumulate = false,
                .attention_scale = 0.55,
                .stream_scale = 1.0,
                .gemv_cycles_per_weight = {0, 0, 0, 0, 0, 0},
                .quant_call_s = {0, 400e-6, 75e-6, 0, 0, 0},
                .fusion = 1.0,
                .compile_fusion = 0.35,
                .host_per_kernel = Seconds{25e-6},
                .compile_host_per_kernel = Seconds{5e-6},
                .step_overhead = Seconds{5e-3},
                .prefill_chunk = 0,
                .dequant_for_prefill = true,
                .paged_kv = false,
                .serving_scale = 1.0,
                .source = "same class as pytorch until its own profile: torchtune recipes run eager PyTorch; its own kernels and compile defaults are not profiled yet. pytorch's source: "
                          "eager HF/litgpt/torchtune class. GEMMs: cuBLAS (gemm_scale 1). attention_scale 0.55 of the "
                          "family's FlashAttention-2 figures: FlashAttention-1 class kernels (flash-attn 1.x, Triton "
                          "FlashAttention for ALiBi) reach 25-40% of the A100 peak against FlashAttention-2's 50-73% "
                          "(Dao 2023, arXiv 2307.08691: FA2 is 1.7-3.0x faster), checked on the FOUNDRY training rows "
                          "as a group (llm-foundry 2023 stack; the error no longer grows with the sequence). "
                          "Tuned on the LITGPT decode "
                          "rows as a group (eager generate is host-bound): host_per_kernel 25 us, step_overhead 5 ms "
                          "(cross-check: gpt-fast's eager Llama-7B baseline, 25.5 tok/s on an A100-80GB, "
                          "pytorch.org/blog/accelerating-generative-ai-2), bnb_4bit 75 us per quantized-linear call. "
                          "bnb_int8 400 us per call: LLM.int8 inference about 5x slower than bf16 for 7B models "
                          "(bitsandbytes#490, #347). torch.compile: fusion 0.35 and 5 us per kernel assumed",
            },
            // torchtitan: same class as pytorch until its own profile
            RuntimeEfficiency{
                .gemm_scale = 1.0,
                .fp16_accumulate = false,
                .attention_scale = 0.55,
                .stream_scale = 1.0,
                .gemv_cycles_per_weight = {0, 0, 0, 0, 0, 0},
                .quant_call_s = {0, 400e-6, 75e-6, 0, 0, 0},
                .fusion = 1.0,
                .compile_fusion = 0.35,
                .host_per_kernel = Seconds{25e-6},
                .compile_host_per_kernel = Seconds{5e-6},
                .step_overhead = Seconds{5e-3},
                .prefill_chunk = 0,
                .dequant_for_prefill = true,
                .paged_kv = false,
                .serving_scale = 1.0,
                .source = "same class as pytorch until its own profile: torchtitan runs PyTorch with FSDP2, TP and torch.compile; its own efficiency is not profiled yet. pytorch's source: "
                          "eager HF/litgpt/torchtune class. GEMMs: cuBLAS (gemm_scale 1). attention_scale 0.55 of the "
                          "family's FlashAttention-2 figures: FlashAttention-1 class kernels (flash-attn 1.x, Triton "
                          "FlashAttention for ALiBi) reach 25-40% of the A100 peak against FlashAttention-2's 50-73% "
                          "(Dao 2023, arXiv 2307.08691: FA2 is 1.7-3.0x faster), checked on the FOUNDRY training rows "
                          "as a group (llm-foundry 2023 stack; the error no longer grows with the sequence). "
                          "Tuned on the LITGPT decode "
                          "rows as a group (eager generate is host-bound): host_per_kernel 25 us, step_overhead 5 ms "
                          "(cross-check: gpt-fast's eager Llama-7B baseline, 25.5 tok/s on an A100-80GB, "
                          "pytorch.org/blog/accelerating-generative-ai-2), bnb_4bit 75 us per quantized-linear call. "
                          "bnb_int8 400 us per call: LLM.int8 inference about 5x slower than bf16 for 7B models "
                          "(bitsandbytes#490, #347). torch.compile: fusion 0.35 and 5 us per kernel assumed",
            },
            // litgpt: same class as pytorch until its own profile
            RuntimeEfficiency{
                .gemm_scale = 1.0,
                .fp16_accumulate = false,
                .attention_scale = 0.55,
                .stream_scale = 1.0,
                .gemv_cycles_per_weight = {0, 0, 0, 0, 0, 0},
                .quant_call_s = {0, 400e-6, 75e-6, 0, 0, 0},
                .fusion = 1.0,
                .compile_fusion = 0.35,
                .host_per_kernel = Seconds{25e-6},
                .compile_host_per_kernel = Seconds{5e-6},
                .step_overhead = Seconds{5e-3},
                .prefill_chunk = 0,
                .dequant_for_prefill = true,
                .paged_kv = false,
                .serving_scale = 1.0,
                .source = "same class as pytorch until its own profile: LitGPT runs eager PyTorch under Lightning Fabric, the class the pytorch values were fitted on. pytorch's source: "
                          "eager HF/litgpt/torchtune class. GEMMs: cuBLAS (gemm_scale 1). attention_scale 0.55 of the "
                          "family's FlashAttention-2 figures: FlashAttention-1 class kernels (flash-attn 1.x, Triton "
                          "FlashAttention for ALiBi) reach 25-40% of the A100 peak against FlashAttention-2's 50-73% "
                          "(Dao 2023, arXiv 2307.08691: FA2 is 1.7-3.0x faster), checked on the FOUNDRY training rows "
                          "as a group (llm-foundry 2023 stack; the error no longer grows with the sequence). "
                          "Tuned on the LITGPT decode "
                          "rows as a group (eager generate is host-bound): host_per_kernel 25 us, step_overhead 5 ms "
                          "(cross-check: gpt-fast's eager Llama-7B baseline, 25.5 tok/s on an A100-80GB, "
                          "pytorch.org/blog/accelerating-generative-ai-2), bnb_4bit 75 us per quantized-linear call. "
                          "bnb_int8 400 us per call: LLM.int8 inference about 5x slower than bf16 for 7B models "
                          "(bitsandbytes#490, #347). torch.compile: fusion 0.35 and 5 us per kernel assumed",
            },
            // deepspeed: same class as pytorch until its own profile
            RuntimeEfficiency{
                .gemm_scale = 1.0,
                .fp16_accumulate = false,
                .attention_scale = 0.55,
                .stream_scale = 1.0,
                .gemv_cycles_per_weight = {0, 0, 0, 0, 0, 0},
                .quant_call_s = {0, 400e-6, 75e-6, 0, 0, 0},
                .fusion = 1.0,
                .compile_fusion = 0.35,
                .host_per_kernel = Seconds{25e-6},
                .compile_host_per_kernel = Seconds{5e-6},
                .step_overhead = Seconds{5e-3},
                .prefill_chunk = 0,
                .dequant_for_prefill = true,
                .paged_kv = false,
                .serving_scale = 1.0,
                .source = "same class as pytorch until its own profile: the DeepSpeed engine wraps eager PyTorch modules; its fused kernels and overlap are not profiled yet. pytorch's source: "
                          "eager HF/litgpt/torchtune class. GEMMs: cuBLAS (gemm_scale 1). attention_scale 0.55 of the "
                          "family's FlashAttention-2 figures: FlashAttention-1 class kernels (flash-attn 1.x, Triton "
                          "FlashAttention for ALiBi) reach 25-40% of the A100 peak against FlashAttention-2's 50-73% "
                          "(Dao 2023, arXiv 2307.08691: FA2 is 1.7-3.0x faster), checked on the FOUNDRY training rows "
                          "as a group (llm-foundry 2023 stack; the error no longer grows with the sequence). "
                          "Tuned on the LITGPT decode "
                          "rows as a group (eager generate is host-bound): host_per_kernel 25 us, step_overhead 5 ms "
                          "(cross-check: gpt-fast's eager Llama-7B baseline, 25.5 tok/s on an A100-80GB, "
                          "pytorch.org/blog/accelerating-generative-ai-2), bnb_4bit 75 us per quantized-linear call. "
                          "bnb_int8 400 us per call: LLM.int8 inference about 5x slower than bf16 for 7B models "
                          "(bitsandbytes#490, #347). torch.compile: fusion 0.35 and 5 us per kernel assumed",
            },
            // unsloth: same class as pytorch until its own profile
            RuntimeEfficiency{
                .gemm_scale = 1.0,
                .fp16_accumulate = false,
                .attention_scale = 0.55,
                .stream_scale = 1.0,
                .gemv_cycles_per_weight = {0, 0, 0, 0, 0, 0},
                .quant_call_s = {0, 400e-6, 75e-6, 0, 0, 0},
                .fusion = 1.0,
                .compile_fusion = 0.35,
                .host_per_kernel = Seconds{25e-6},
                .compile_host_per_kernel = Seconds{5e-6},
                .step_overhead = Seconds{5e-3},
                .prefill_chunk = 0,
                .dequant_for_prefill = true,
                .paged_kv = false,
                .serving_scale = 1.0,
                .source = "same class as pytorch until its own profile: Unsloth runs PyTorch with its own Triton kernels; they are not profiled yet. pytorch's source: "
                          "eager HF/litgpt/torchtune class. GEMMs: cuBLAS (gemm_scale 1). attention_scale 0.55 of the "
                          "family's FlashAttention-2 figures: FlashAttention-1 class kernels (flash-attn 1.x, Triton "
                          "FlashAttention for ALiBi) reach 25-40% of the A100 peak against FlashAttention-2's 50-73% "
                          "(Dao 2023, arXiv 2307.08691: FA2 is 1.7-3.0x faster), checked on the FOUNDRY training rows "
                          "as a group (llm-foundry 2023 stack; the error no longer grows with the sequence). "
                          "Tuned on the LITGPT decode "
                          "rows as a group (eager generate is host-bound): host_per_kernel 25 us, step_overhead 5 ms "
                          "(cross-check: gpt-fast's eager Llama-7B baseline, 25.5 tok/s on an A100-80GB, "
                          "pytorch.org/blog/accelerating-generative-ai-2), bnb_4bit 75 us per quantized-linear call. "
                          "bnb_int8 400 us per call: LLM.int8 inference about 5x slower than bf16 for 7B models "
                          "(bitsandbytes#490, #347). torch.compile: fusion 0.35 and 5 us per kernel assumed",
            },
        },
};

}  // namespace headroom
