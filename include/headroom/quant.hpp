#pragma once
/// @file quant.hpp
/// Storage cost of weight and KV-cache formats: bits per weight split into the codes and the
/// quantization constants (scales, zero points, absmax), and which tensors a format leaves in 16 bit.
/// Sources: docs/memory.md, "Weight formats" (bitsandbytes, AutoGPTQ, AutoAWQ, ggml block layouts).

#include <algorithm>
#include <string_view>

#include "headroom/job.hpp"

namespace headroom {

/// Which tensors a weight format stores quantized.
enum class QuantScope {
  all,            ///< dense format: every tensor in this dtype (fp32, bf16, fp16)
  block_linears,  ///< the nn.Linear weights inside transformer blocks; embeddings, lm_head, norms stay 16-bit
  whole_file      ///< GGUF: every 2-D tensor incl. token_embd and output; bits are whole-file averages
};

/// Storage of one weight format.
struct WeightFormatInfo {
  double code_bits = 16;     ///< bits per weight of the codes (the quantized values themselves)
  double constant_bits = 0;  ///< bits per weight of scales/zeros/absmax (the quant_constants component)
  QuantScope scope = QuantScope::all;
  bool bitsandbytes = false;  ///< quantized on load by bitsandbytes (nf4/fp4/int8): a load-time transient
  std::string_view source;

  [[nodiscard]] constexpr double bits() const noexcept { return code_bits + constant_bits; }
  [[nodiscard]] constexpr bool quantized() const noexcept { return scope != QuantScope::all; }
};

/// Bits per weight of each format.
///
/// - nf4/fp4 (bitsandbytes `quantize_4bit`, blocksize 64): 4-bit codes + one fp32 absmax per 64
///   weights = 4 + 32/64 = 4.5.
/// - nf4-dq/fp4-dq (`compress_statistics`): absmax quantized to 8 bit in blocks of 256 with one fp32
///   constant per block = 4 + 8/64 + 32/(64*256) = 4.127 (QLoRA §3: "0.5 -> 0.127 bits").
/// - int8 (LLM.int8, `Int8Params`): 8-bit codes + an fp32 scale per output row; the row scale costs
///   32/d_in bits per weight and is added by weight_bytes() from the model's width.
/// - gptq-4bit / awq-4bit at group 128: 4 + (16 fp16 scale + 4-bit packed zero)/128 = 4.156
///   (AutoGPTQ qlinear buffers, AutoAWQ WQLinear_GEMM; GPTQ's int32 g_idx adds 32/d_out, ignored).
/// - fp8: 8-bit codes with a per-tensor scale (negligible).
/// - nvfp4 (NVIDIA FP4): E2M1 codes + one FP8 E4M3 scale per 16 values + one FP32 scale per tensor
///   (negligible) = 4 + 8/16 = 4.5 (NVIDIA Transformer Engine / ModelOpt NVFP4 block scaling).
/// - mxfp4 (OCP Microscaling v1.0, MXFP4): E2M1 codes + one E8M0 scale per block of 32 = 4 + 8/32 = 4.25.
/// - GGUF q4_0 / q8_0: blocks of 32 with one fp16 scale: 18 B and 34 B per 32 weights = 4.5 / 8.5
///   (ggml `ggml-common.h`).
/// - GGUF q4_k_m / q5_k_m / q6_k: whole-file averages of Llama-3.1-8B from llama.cpp
///   `tools/quantize/README.md` (4.8944 / 5.7036 / 6.5633), which include the per-tensor mixes
///   (output.weight in q6_K, some attn_v/ffn_down tensors one type up). Constants: a Q4_K/Q5_K
///   super-block of 256 spends 16 B on fp16 d, dmin and 6-bit sub-block scales = 0.5 bit/weight;
///   Q6_K spends 18 B (int8 scales per 16 + fp16 d) = 0.5625 bit/weight.
[[nodiscard]] constexpr WeightFormatInfo weight_format_info(WeightFormat f) noexcept {
  constexpr std::string_view bnb4 = "bitsandbytes functional.py quantize_4bit(blocksize=64)";
  constexpr std::string_view bnb4dq = "bitsandbytes compress_statistics: absmax as 8-bit blocks of 256; QLoRA §3";
  constexpr std::string_view ggml = "ggml ggml-common.h block structs";
  constexpr std::string_view kquant = "llama.cpp tools/quantize/README.md whole-file bpw (Llama-3.1-8B)";
  switch (f) {
    case WeightFormat::fp32: return {32, 0, QuantScope::all, false, "IEEE fp32"};
    case WeightFormat::bf16: return {16, 0, QuantScope::all, false, "bfloat16"};
    case WeightFormat::fp16: return {16, 0, QuantScope::all, false, "IEEE fp16"};
    case WeightFormat::fp8: return {8, 0, QuantScope::block_linears, false, "fp8 e4m3 with per-tensor scales"};
    case WeightFormat::int8: return {8, 0, QuantScope::block_linears, true, "bitsandbytes LLM.int8 Int8Params (CB + SCB)"};
    case WeightFormat::nf4: return {4, 0.5, QuantScope::block_linears, true, bnb4};
    case WeightFormat::nf4_dq: return {4, 8.0 / 64.0 + 32.0 / (64.0 * 256.0), QuantScope::block_linears, true, bnb4dq};
    case WeightFormat::fp4: return {4, 0.5, QuantScope::block_linears, true, bnb4};
    case WeightFormat::fp4_dq: return {4, 8.0 / 64.0 + 32.0 / (64.0 * 256.0), QuantScope::block_linears, true, bnb4dq};
    case WeightFormat::nvfp4: return {4, 8.0 / 16.0, QuantScope::block_linears, false, "NVFP4: E4M3 scale per 16 + FP32 per tensor"};
    case WeightFormat::mxfp4: return {4, 8.0 / 32.0, QuantScope::block_linears, false, "OCP MX v1.0 MXFP4: E8M0 scale per 32"};
    case WeightFormat::gptq_4bit: return {4, 20.0 / 128.0, QuantScope::block_linears, false, "AutoGPTQ qlinear, g=128"};
    case WeightFormat::awq_4bit: return {4, 20.0 / 128.0, QuantScope::block_linears, false, "AutoAWQ WQLinear_GEMM, g=128"};
    case WeightFormat::q4_0: return {4, 0.5, QuantScope::whole_file, false, ggml};
    case WeightFormat::q8_0: return {8, 0.5, QuantScope::whole_file, false, ggml};
    case WeightFormat::q4_k_m: return {4.8944 - 0.5, 0.5, QuantScope::whole_file, false, kquant};
    case WeightFormat::q5_k_m: return {5.7036 - 0.5, 0.5, QuantScope::whole_file, false, kquant};
    case WeightFormat::q6_k: return {6.5633 - 0.5625, 0.5625, QuantScope::whole_file, false, kquant};
  }
  return {};
}

/// Total storage bits per quantized weight (codes + constants), e.g. 4.127 for nf4-dq.
[[nodiscard]] constexpr double bits_per_weight(WeightFormat f) noexcept { return weight_format_info(f).bits(); }

/// Bytes per element of the tensors a format leaves unquantized (embeddings, lm_head, norms):
/// 16-bit for every quantized format (fp16 for GPTQ/AWQ/bnb, bf16 otherwise: same size), the
/// format's own width for the dense ones.
[[nodiscard]] constexpr double unquantized_bytes(WeightFormat f) noexcept {
  switch (f) {
    case WeightFormat::fp32: return 4;
    default: return 2;
  }
}

/// Bytes of an fp/bf weight of the format used for compute: what a dequantized copy costs.
[[nodiscard]] constexpr double dequantized_bytes(WeightFormat f) noexcept { return f == WeightFormat::fp32 ? 4 : 2; }

/// Bytes per cached K or V element. q8_0 / q4_0 use ggml's blocks of 32 with an fp16 scale
/// (34 B and 18 B per 32 elements = 8.5 and 4.5 bits).
[[nodiscard]] constexpr double kv_bytes_per_element(KvFormat f) noexcept {
  switch (f) {
    case KvFormat::fp32: return 4;
    case KvFormat::bf16: return 2;
    case KvFormat::fp16: return 2;
    case KvFormat::fp8: return 1;
    case KvFormat::q8_0: return 34.0 / 32.0;
    case KvFormat::q4_0: return 18.0 / 32.0;
  }
  return 2;
}

/// Bytes per element of activations at a compute precision (fp8 GEMMs still keep 16-bit activations).
[[nodiscard]] constexpr double activation_bytes(Precision p) noexcept {
  return p == Precision::fp32 || p == Precision::tf32 ? 4.0 : 2.0;
}

/// Bytes of weights stored in a format, split into codes and constants (the memory model's `weights` and
/// `quant_constants`; what a full shard gathers of frozen weights, scaling.hpp).
struct WeightBytes {
  double codes = 0, constants = 0;
};

/// `all_params` weights of which `linear_params` are the block linears a block_linears format quantizes;
/// `hidden` sizes int8's per-row scale.
[[nodiscard]] constexpr WeightBytes weight_bytes(WeightFormat f, double all_params, double linear_params,
                                                 double hidden) noexcept {
  const WeightFormatInfo q = weight_format_info(f);
  WeightBytes b{};
  switch (q.scope) {
    case QuantScope::all: b.codes = all_params * q.code_bits / 8.0; break;
    case QuantScope::whole_file:
      b.codes = all_params * q.code_bits / 8.0;
      b.constants = all_params * q.constant_bits / 8.0;
      break;
    case QuantScope::block_linears: {
      const double lin = std::min(linear_params, all_params);
      b.codes = lin * q.code_bits / 8.0 + (all_params - lin) * unquantized_bytes(f);
      b.constants = lin * q.constant_bits / 8.0;
      if (f == WeightFormat::int8 && hidden > 0) b.constants += lin * 4.0 / hidden;  // fp32 scale per row
      break;
    }
  }
  return b;
}

}  // namespace headroom
