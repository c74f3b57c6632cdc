// Properties of the memory, time and limit models over random jobs of the built-in catalog
// (tests/unit/random_jobs.hpp, fixed seeds): each TEST_CASE states one property a demanding user
// relies on and checks it on 3,000 jobs. A failure prints the job's GPU, model and sizes.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>

#include "headroom/catalog.hpp"
#include "headroom/fit.hpp"
#include "headroom/memory.hpp"
#include "headroom/names.hpp"
#include "headroom/runtime_profile.hpp"
#include "headroom/time_model.hpp"
#include "random_jobs.hpp"

using namespace headroom;
using headroom::test::RandomJobs;

namespace {

constexpr int cases = 3000;  // per property: 18,000 jobs in all, well under a second in a Debug build

/// a <= b up to rounding of sums of doubles.
bool at_most(double a, double b) { return a <= b + 1e-12 * std::max(a, b) + 1e-9; }

double per_gpu(const Job& w) { return estimate_memory(w).per_gpu.value(); }

std::string describe(const Job& w) {
  std::string s = std::string(w.hardware.gpu->id) + " " + std::string(w.model->id) + " batch " + std::to_string(w.batch);
  if (w.task == Task::training)
    s += " training method " + std::to_string(static_cast<int>(w.training.method)) + " seq " +
         std::to_string(w.training.seq) + " rank " + std::to_string(w.training.lora_rank);
  else
    s += " inference runtime " + std::to_string(static_cast<int>(w.runtime)) + " prompt " +
         std::to_string(w.inference.prompt) + " generate " + std::to_string(w.inference.generate);
  return s + " tp " + std::to_string(w.parallel.tp) + " pp " + std::to_string(w.parallel.pp) + " dp " +
         std::to_string(w.parallel.dp);
}

}  // namespace

TEST_CASE("property: memory never decreases with batch, sequence, context or LoRA rank", "[properties][memory]") {
  RandomJobs gen(0x5eed0001);
  for (int i = 0; i < cases; ++i) {
    const Job w = gen.next();
    INFO(describe(w));
    Job more = w;
    more.batch += gen.between(1, 16);
    CHECK(at_most(per_gpu(w), per_gpu(more)));
    if (w.task == Task::training) {
      more = w;
      more.training.seq += gen.between(1, 4096);
      CHECK(at_most(per_gpu(w), per_gpu(more)));
      if (w.training.method == Method::lora || w.training.method == Method::qlora) {
        more = w;
        more.training.lora_rank += static_cast<int>(gen.between(1, 256));
        CHECK(at_most(per_gpu(w), per_gpu(more)));
      }
    } else {
      more = w;
      more.inference.prompt += gen.between(1, 4096);
      CHECK(at_most(per_gpu(w), per_gpu(more)));
      more = w;
      more.inference.generate += gen.between(1, 4096);
      CHECK(at_most(per_gpu(w), per_gpu(more)));
    }
  }
}

TEST_CASE("property: sharding over more GPUs adds at most the fixed per-GPU costs", "[properties][memory]") {
  // Per GPU and independent of the split: the CUDA context and library workspaces (the same on one
  // GPU and on many) and the NCCL buffers that every GPU reserves once there is more than one
  // (RuntimeProfile::nccl_gib). Everything else is divided (tp, pp, ZeRO-3 over dp) or unchanged.
  RandomJobs gen(0x5eed0002);
  int sharded = 0;
  for (int i = 0; i < cases; ++i) {
    Job one = gen.next();
    const ModelArch& m = *one.model;
    Job many = one;
    const int n = 1 << gen.between(1, 3);  // 2, 4 or 8 GPUs
    switch (gen.between(0, 2)) {
      case 0:
        if (m.heads % n != 0 || m.kv_heads % n != 0) continue;
        many.parallel.tp = n;
        break;
      case 1:
        if (m.layers < n) continue;
        many.parallel.pp = n;
        break;
      default:
        if (one.task != Task::training) continue;
        one.parallel.zero = many.parallel.zero = 3;
        many.parallel.dp = n;
        break;
    }
    many.hardware.count = n;
    ++sharded;
    INFO(describe(many));
    const double nccl = runtime_profile(one.runtime).nccl_gib * bytes_per_gib;
    CHECK(at_most(per_gpu(many), per_gpu(one) + nccl));
    // From n to 2n GPUs both reserve NCCL buffers: nothing may grow.
    Job more = many;
    more.hardware.count = 2 * n;
    if (many.parallel.tp > 1 && m.heads % (2 * n) == 0 && m.kv_heads % (2 * n) == 0) more.parallel.tp = 2 * n;
    else if (many.parallel.pp > 1 && m.layers >= 2 * n) more.parallel.pp = 2 * n;
    else if (many.parallel.dp > 1) more.parallel.dp = 2 * n;
    else continue;
    CHECK(at_most(per_gpu(more), per_gpu(many)));
  }
  CHECK(sharded > cases / 3);
}

TEST_CASE("property: decode gets no faster per sequence as the context grows", "[properties][time]") {
  // A decode step reads the whole KV cache of the context: its time cannot fall as the context grows,
  // and with the prompt longer (generate fixed) a sequence's decode tokens/s cannot rise. (With
  // `generate` longer the prefill is spread over more tokens, so tokens/s may rise: not a property.)
  RandomJobs gen(0x5eed0003);
  int timed = 0;
  for (int i = 0; i < cases; ++i) {
    Job w = gen.next();
    if (w.task != Task::inference) continue;
    w.runtime = Runtime::pytorch;
    if (!can_run(*w.hardware.gpu, w.runtime)) continue;
    Job longer = w;
    longer.inference.prompt += gen.between(1, 8192);
    INFO(describe(w));
    const TimeEstimate a = estimate_time_detailed(w, builtin_efficiency);
    const TimeEstimate b = estimate_time_detailed(longer, builtin_efficiency);
    if (a.result.bound == Bound::none) continue;  // no compute rate for the precision: no answer
    ++timed;
    CHECK(at_most(a.decode.time.value(), b.decode.time.value()));
    CHECK(at_most(b.result.decode_tokens_per_s, a.result.decode_tokens_per_s));
  }
  CHECK(timed > cases / 4);
}

TEST_CASE("property: a step never gets shorter with a larger batch", "[properties][time]") {
  RandomJobs gen(0x5eed0004);
  int timed = 0;
  for (int i = 0; i < cases; ++i) {
    const Job w = gen.next();
    Job more = w;
    more.batch += gen.between(1, 16);
    INFO(describe(w));
    const TimeEstimate a = estimate_time_detailed(w, builtin_efficiency);
    const TimeEstimate b = estimate_time_detailed(more, builtin_efficiency);
    if (a.result.bound == Bound::none) continue;
    ++timed;
    if (w.task == Task::training) {
      CHECK(at_most(a.result.step_time_s, b.result.step_time_s));
    } else {
      CHECK(at_most(a.prefill.time.value(), b.prefill.time.value()));
      CHECK(at_most(a.decode.time.value(), b.decode.time.value()));
    }
  }
  CHECK(timed > cases / 2);
}

TEST_CASE("property: no phase runs above the GPU's roofline", "[properties][time]") {
  // The compute roof is the datasheet's dense rate for the job's compute precision (fp16: the
  // fp16-accumulate rate, which runtimes that accumulate in fp16 reach); the memory roof is the
  // datasheet bandwidth. MFU <= 1.
  RandomJobs gen(0x5eed0005);
  int timed = 0;
  for (int i = 0; i < cases; ++i) {
    const Job w = gen.next();
    INFO(describe(w));
    const TimeEstimate e = estimate_time_detailed(w, builtin_efficiency);
    if (e.result.bound == Bound::none) continue;
    ++timed;
    const RatedGpu dev = rated_gpu(w, builtin_efficiency);
    double peak = dev.peak(w.compute).value();
    if (w.compute == Precision::fp16) peak = std::max(peak, dev.peak_fp16_accumulate().value());
    const double bw = dev.memory_bandwidth().value();
    for (const PhaseTime* ph : {&e.prefill, &e.decode, &e.train, &e.optimizer}) {
      if (ph->time.value() <= 0) continue;
      CHECK(at_most(ph->flops.value() / ph->time.value(), peak));
      CHECK(at_most(ph->bytes.value() / ph->time.value(), bw));
    }
    CHECK(at_most(e.result.mfu, 1.0));
  }
  CHECK(timed > cases / 2);
}

TEST_CASE("property: every solved limit fits and one more does not", "[properties][fit]") {
  RandomJobs gen(0x5eed0006);
  int solved = 0;
  for (int i = 0; i < cases; ++i) {
    Job w = normalize(gen.next());
    INFO(describe(w));
    const Solve asked = gen.between(0, 1) == 0 ? Solve::max_batch
                        : w.task == Task::training ? Solve::max_seq : Solve::max_context;
    w.question.solve = asked;
    const Limits l = solve_limits(w);
    const auto fits_at = [&](std::int64_t v) {
      Job x = w;
      if (asked == Solve::max_batch) x.batch = v;
      else if (asked == Solve::max_seq) x.training.seq = v;
      else x = detail::fit::with_context(w, v);
      return estimate_memory(x).fits;
    };
    const std::int64_t limit = asked == Solve::max_batch ? l.max_batch : asked == Solve::max_seq ? l.max_seq : l.max_context;
    const std::int64_t cap = asked == Solve::max_batch ? detail::fit::max_batch_limit : detail::fit::max_tokens_limit;
    REQUIRE(limit >= 0);
    if (limit > 0) {
      ++solved;
      CHECK(fits_at(limit));
    }
    if (limit < cap) CHECK_FALSE(fits_at(limit + 1));
  }
  CHECK(solved > cases / 4);
}

TEST_CASE("property: fits and headroom agree; allocated <= reserved <= device", "[properties][memory]") {
  // docs/cases.md: fits means device_gib <= usable_gib and headroom_gib = usable_gib - device_gib,
  // so fits == (headroom >= 0) for every job; per_gpu is the breakdown's sum.
  RandomJobs gen(0x5eed0007);
  int fitting = 0, not_fitting = 0;
  for (int i = 0; i < cases; ++i) {
    Job w = gen.next();
    if (i % 3 == 1 && w.model->heads % 2 == 0 && w.model->kv_heads % 2 == 0) {  // some on two GPUs (NCCL)
      w.hardware.count = 2;
      w.parallel.tp = 2;
    }
    INFO(describe(w));
    const MemoryResult r = estimate_memory(w);
    CHECK(r.fits == (r.headroom().value() >= 0));
    CHECK(r.fits == (r.device <= r.usable));
    CHECK(r.per_gpu == r.breakdown.total());
    CHECK(at_most(r.per_gpu.value(), r.reserved.value()));
    CHECK(at_most(r.reserved.value(), r.device.value()));
    CHECK(at_most(r.usable.value(), r.capacity.value()));
    (r.fits ? fitting : not_fitting) += 1;
  }
  CHECK(fitting > cases / 10);
  CHECK(not_fitting > cases / 10);
}
