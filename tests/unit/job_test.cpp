// The job record (headroom/job.hpp): normalize() fills what one field implies for another, and every
// entry point answers the normalized job, so memory and time agree on a QLoRA job built in C++ without
// `weights` (docs/cases.md: "`qlora` implies `nf4-dq` unless given"). Expected values are hand arithmetic.

#include <catch2/catch.hpp>

#include "hand_records.hpp"
#include "headroom/job.hpp"
#include "headroom/memory.hpp"
#include "headroom/time_model.hpp"

using namespace headroom;
using namespace headroom::test_records;

namespace {

constexpr Job qlora_8b() {
  Job w;
  w.hardware.gpu = &rtx4090;
  w.model = &llama3_8b;
  w.task = Task::training;
  w.training.method = Method::qlora;  // weights not given
  w.training.checkpointing = Checkpointing::full;
  return w;
}

}  // namespace

TEST_CASE("normalize fills the weights QLoRA implies, and keeps what is given", "[job]") {
  STATIC_REQUIRE(normalize(qlora_8b()).weights == WeightFormat::nf4_dq);
  STATIC_REQUIRE(normalize(Job{}).weights == WeightFormat::bf16);
  constexpr Job given = [] {
    Job w = qlora_8b();
    w.weights = WeightFormat::nf4;
    return w;
  }();
  STATIC_REQUIRE(normalize(given).weights == WeightFormat::nf4);
}

TEST_CASE("normalize: the KV cache follows compute unless given", "[job]") {
  Job w;
  w.compute = Precision::fp8;
  CHECK(normalize(w).inference.kv_cache == KvFormat::fp8);
  w.compute = Precision::tf32;
  CHECK(normalize(w).inference.kv_cache == KvFormat::fp32);
  w.inference.kv_cache = KvFormat::q8_0;
  CHECK(normalize(w).inference.kv_cache == KvFormat::q8_0);
  // Idempotent: a normalized job is its own normal form.
  CHECK(normalize(normalize(qlora_8b())).weights == normalize(qlora_8b()).weights);
}

TEST_CASE("memory and time agree on QLoRA from the C++ API: NF4 weights unless given", "[job][memory][time]") {
  const Job w = qlora_8b();
  // Llama-3-8B: block linears 32 x (2 x 4096^2 + 2 x 4096 x 1024 + 3 x 4096 x 14336) = 6,979,321,856
  // parameters stored as 4-bit codes (0.5 B); embedding and head 2 x 128,256 x 4096 = 1,050,673,152
  // and norms 32 x 2 x 4096 + 4096 = 266,240 stay 16-bit: 3,489,660,928 + 2,101,878,784 B.
  const MemoryResult m = estimate_memory(w);
  CHECK(m.breakdown.weights.value() == Approx(5'591'539'712.0).epsilon(1e-9));
  // Double-quantized constants: 8 bits per 64 weights + 32 bits per 64 x 256 weights.
  CHECK(m.breakdown.quant_constants.value() == Approx(6'979'321'856.0 * (8.0 / 64 + 32.0 / 16384) / 8).epsilon(1e-9));

  // The time model times the same storage: NF4 kernels, the same answer as nf4-dq given.
  Job nf4 = w;
  nf4.weights = WeightFormat::nf4_dq;
  Job bf16 = w;
  bf16.weights = WeightFormat::bf16;
  CHECK(timing_options(w).stored == WeightKernel::bnb_4bit);
  const TimeResult t = estimate_time(w);
  REQUIRE(t.step_time_s > 0);
  CHECK(t.step_time_s == estimate_time(nf4).step_time_s);
  CHECK(t.step_time_s != estimate_time(bf16).step_time_s);
  CHECK(estimate_memory(bf16).breakdown.weights.value() == Approx(2.0 * 8'030'261'248).epsilon(1e-9));
}
