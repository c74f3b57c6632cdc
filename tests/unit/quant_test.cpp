// Storage formats (headroom/quant.hpp). Expected values are the block layouts and published
// averages quoted in the docs/reference/formulas.md §1.4, recomputed by hand in the comments.

#include <catch2/catch.hpp>

#include "headroom/quant.hpp"
#include "headroom/units.hpp"

using namespace headroom;

TEST_CASE("bits per weight of every weight format", "[quant]") {
  // Dense formats.
  STATIC_REQUIRE(bits_per_weight(WeightFormat::fp32) == 32.0);
  STATIC_REQUIRE(bits_per_weight(WeightFormat::bf16) == 16.0);
  STATIC_REQUIRE(bits_per_weight(WeightFormat::fp16) == 16.0);
  STATIC_REQUIRE(bits_per_weight(WeightFormat::fp8) == 8.0);
  // bitsandbytes 4-bit, blocksize 64, fp32 absmax: 4 + 32/64 = 4.5.
  STATIC_REQUIRE(bits_per_weight(WeightFormat::nf4) == 4.5);
  STATIC_REQUIRE(bits_per_weight(WeightFormat::fp4) == 4.5);
  // Double quantization: 4 + 8/64 + 32/(64*256) = 4 + 0.125 + 0.001953125 = 4.126953125 (QLoRA's "0.127").
  STATIC_REQUIRE(bits_per_weight(WeightFormat::nf4_dq) == 4.126953125);
  STATIC_REQUIRE(bits_per_weight(WeightFormat::fp4_dq) == 4.126953125);
  // GPTQ / AWQ, q = 4, g = 128: 4 + (16 + 4)/128 = 4.15625.
  STATIC_REQUIRE(bits_per_weight(WeightFormat::gptq_4bit) == 4.15625);
  STATIC_REQUIRE(bits_per_weight(WeightFormat::awq_4bit) == 4.15625);
  // NVFP4: 4-bit E2M1 codes + one 8-bit E4M3 scale per 16 values (+ one FP32 per tensor, negligible):
  // 4 + 8/16 = 4.5. MXFP4: 4-bit codes + one 8-bit E8M0 scale per 32 values: 4 + 8/32 = 4.25.
  STATIC_REQUIRE(bits_per_weight(WeightFormat::nvfp4) == 4.5);
  STATIC_REQUIRE(bits_per_weight(WeightFormat::mxfp4) == 4.25);
  STATIC_REQUIRE(weight_format_info(WeightFormat::nvfp4).constant_bits == 0.5);
  STATIC_REQUIRE(weight_format_info(WeightFormat::mxfp4).constant_bits == 0.25);
  // GGUF blocks of 32 with an fp16 scale: 18 B and 34 B per 32 weights.
  STATIC_REQUIRE(bits_per_weight(WeightFormat::q4_0) == 18.0 * 8 / 32);
  STATIC_REQUIRE(bits_per_weight(WeightFormat::q8_0) == 34.0 * 8 / 32);
  // K-quant whole-file averages (llama.cpp quantize README, Llama-3.1-8B).
  REQUIRE(bits_per_weight(WeightFormat::q4_k_m) == Approx(4.8944));
  REQUIRE(bits_per_weight(WeightFormat::q5_k_m) == Approx(5.7036));
  REQUIRE(bits_per_weight(WeightFormat::q6_k) == Approx(6.5633));
  // int8: the codes; the fp32 row scale (32/d_in bits) depends on the model and is added by the memory model.
  STATIC_REQUIRE(weight_format_info(WeightFormat::int8).code_bits == 8.0);
}

TEST_CASE("codes and constants are split", "[quant]") {
  // NF4: the 0.5 bit of absmax is the constant part; with double quant 0.127.
  STATIC_REQUIRE(weight_format_info(WeightFormat::nf4).code_bits == 4.0);
  STATIC_REQUIRE(weight_format_info(WeightFormat::nf4).constant_bits == 0.5);
  STATIC_REQUIRE(weight_format_info(WeightFormat::nf4_dq).constant_bits == 0.126953125);
  // Q4_K / Q5_K super-blocks of 256 weights carry 16 B of scales = 0.5 bit per weight; Q6_K 18 B = 0.5625.
  REQUIRE(weight_format_info(WeightFormat::q4_k_m).constant_bits == 0.5);
  REQUIRE(weight_format_info(WeightFormat::q6_k).constant_bits == 0.5625);
  // Dense formats have no constants.
  STATIC_REQUIRE(weight_format_info(WeightFormat::bf16).constant_bits == 0.0);
}

TEST_CASE("which tensors a format quantizes", "[quant]") {
  // bitsandbytes / GPTQ / AWQ / fp8: the Linear weights of the blocks; embeddings, lm_head and norms stay 16-bit.
  for (WeightFormat f : {WeightFormat::int8, WeightFormat::nf4, WeightFormat::nf4_dq, WeightFormat::fp4,
                         WeightFormat::fp4_dq, WeightFormat::gptq_4bit, WeightFormat::awq_4bit, WeightFormat::fp8,
                         WeightFormat::nvfp4, WeightFormat::mxfp4}) {
    REQUIRE(weight_format_info(f).scope == QuantScope::block_linears);
    REQUIRE(unquantized_bytes(f) == 2.0);
  }
  // GGUF quantizes token_embd and output too: the whole-file averages cover every tensor.
  for (WeightFormat f : {WeightFormat::q4_0, WeightFormat::q8_0, WeightFormat::q4_k_m, WeightFormat::q5_k_m,
                         WeightFormat::q6_k})
    REQUIRE(weight_format_info(f).scope == QuantScope::whole_file);
  STATIC_REQUIRE(weight_format_info(WeightFormat::bf16).scope == QuantScope::all);
  STATIC_REQUIRE(unquantized_bytes(WeightFormat::fp32) == 4.0);
  // Only bitsandbytes quantizes on load (the load-time transient).
  STATIC_REQUIRE(weight_format_info(WeightFormat::nf4_dq).bitsandbytes);
  STATIC_REQUIRE(!weight_format_info(WeightFormat::awq_4bit).bitsandbytes);
  STATIC_REQUIRE(!weight_format_info(WeightFormat::q4_k_m).bitsandbytes);
}

TEST_CASE("GGUF Q4_K_M file size of an 8B model", "[quant]") {
  // docs/reference/formulas.md §1.4 check: 8.03e9 x 4.8944 / 8 = 4.913e9 B = 4.58 GiB, the README's Q4_K_M size.
  const double bytes = 8'030'261'248.0 * bits_per_weight(WeightFormat::q4_k_m) / 8.0;
  REQUIRE(to_gib(Bytes{bytes}) == Approx(4.58).margin(0.01));
}

TEST_CASE("KV cache bytes per element", "[quant]") {
  STATIC_REQUIRE(kv_bytes_per_element(KvFormat::fp32) == 4.0);
  STATIC_REQUIRE(kv_bytes_per_element(KvFormat::bf16) == 2.0);
  STATIC_REQUIRE(kv_bytes_per_element(KvFormat::fp16) == 2.0);
  STATIC_REQUIRE(kv_bytes_per_element(KvFormat::fp8) == 1.0);
  // q8_0: 8.5 bits; q4_0: 4.5 bits.
  STATIC_REQUIRE(kv_bytes_per_element(KvFormat::q8_0) == 8.5 / 8);
  STATIC_REQUIRE(kv_bytes_per_element(KvFormat::q4_0) == 4.5 / 8);
}

TEST_CASE("the KV cache follows compute unless set", "[quant]") {
  Job w;
  w.compute = Precision::fp16;
  REQUIRE(normalize(w).inference.kv_cache == KvFormat::fp16);
  w.compute = Precision::fp32;
  REQUIRE(normalize(w).inference.kv_cache == KvFormat::fp32);
  w.inference.kv_cache = KvFormat::q4_0;
  REQUIRE(normalize(w).inference.kv_cache == KvFormat::q4_0);
  STATIC_REQUIRE(activation_bytes(Precision::bf16) == 2.0);
  STATIC_REQUIRE(activation_bytes(Precision::fp32) == 4.0);
}
