#include <catch2/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/catalog/builtin_models.hpp"
#include "headroom/prepared.hpp"

using namespace headroom;

// A prepared job replays the operators it kept to the same timer, so its answers must be the
// unprepared model's to the last bit: any field that differs means the kept steps are not the ones
// estimate_time_on would build on that GPU (a shape that depends on the GPU, a list cut short).
namespace {

// The first catalog model on the first catalog GPU, inference of `prompt` + `generate` tokens.
Job first_inference(std::int64_t prompt, std::int64_t generate) {
  Job w;
  w.model = &builtin::models.front();
  w.hardware.gpu = &builtin::gpus.front();
  w.inference.prompt = prompt;
  w.inference.generate = generate;
  return w;
}

void require_same(const PhaseTime& a, const PhaseTime& b) {
  CHECK(a.time.value() == b.time.value());
  CHECK(a.gpu.value() == b.gpu.value());
  CHECK(a.host.value() == b.host.value());
  CHECK(a.compute.value() == b.compute.value());
  CHECK(a.memory.value() == b.memory.value());
  CHECK(a.flops.value() == b.flops.value());
  CHECK(a.bytes.value() == b.bytes.value());
  CHECK(a.synced.value() == b.synced.value());
}

void require_same(const TimeEstimate& a, const TimeEstimate& b) {
  CHECK(a.result.bound == b.result.bound);
  CHECK(a.result.prefill_tokens_per_s == b.result.prefill_tokens_per_s);
  CHECK(a.result.decode_tokens_per_s == b.result.decode_tokens_per_s);
  CHECK(a.result.ttft_s == b.result.ttft_s);
  CHECK(a.result.step_time_s == b.result.step_time_s);
  CHECK(a.result.train_tokens_per_s_per_gpu == b.result.train_tokens_per_s_per_gpu);
  CHECK(a.result.mfu == b.result.mfu);
  CHECK(a.result.hfu == b.result.hfu);
  CHECK(a.result.intensity == b.result.intensity);
  require_same(a.prefill, b.prefill);
  require_same(a.decode, b.decode);
  require_same(a.train, b.train);
  require_same(a.optimizer, b.optimizer);
  CHECK(a.offload.exposed_s == b.offload.exposed_s);
  CHECK(a.decode_steps == b.decode_steps);
  CHECK(a.model_flops_per_token == b.model_flops_per_token);
}

/// The jobs of one model: decode with a prompt, pure decode with vLLM, prefill only with a long
/// chunked prompt, QLoRA with full checkpointing, full training with selective checkpointing.
std::array<Job, 5> jobs_of(const ModelArch& m, const GpuSpec& first) {
  std::array<Job, 5> jobs{};
  for (Job& w : jobs) {
    w.model = &m;
    w.hardware.gpu = &first;
  }
  jobs[0].inference.prompt = 512;
  jobs[0].inference.generate = 128;
  jobs[1].runtime = Runtime::vllm;
  jobs[1].inference.prompt = 0;
  jobs[1].inference.generate = 256;
  jobs[1].batch = 16;
  jobs[2].runtime = Runtime::vllm;
  jobs[2].inference.prompt = 12000;
  jobs[2].inference.generate = 0;
  jobs[2].batch = 4;
  jobs[3].task = Task::training;
  jobs[3].training.method = Method::qlora;
  jobs[3].training.checkpointing = Checkpointing::full;
  jobs[3].training.seq = 1024;
  jobs[4].task = Task::training;
  jobs[4].training.checkpointing = Checkpointing::selective;
  jobs[4].training.seq = 2048;
  jobs[4].batch = 2;
  jobs[4].training.grad_accum = 4;
  return jobs;
}

}  // namespace

TEST_CASE("a prepared job answers like the unprepared model on every catalog GPU", "[prepared]") {
  std::size_t compared = 0, kept = 0;
  // Every catalog model, prepared on one GPU and answered on every fourth GPU of the catalog (a
  // different offset per model, so that every GPU is used).
  for (std::size_t mi = 0; mi < builtin::models.size(); ++mi) {
    const ModelArch& m = builtin::models[mi];
    for (const Job& job : jobs_of(m, builtin::gpus[mi % builtin::gpus.size()])) {
      const PreparedJob p = prepare(job);
      for (Phase ph : {Phase::prefill, Phase::decode, Phase::train})
        if (p.step(ph).kept) ++kept;
      for (std::size_t gi = mi % 4; gi < builtin::gpus.size(); gi += 4) {
        const GpuSpec& g = builtin::gpus[gi];
        Job w = job;
        w.hardware.gpu = &g;
        INFO(std::string(m.id) << " on " << g.id << ", task " << to_string(job.task) << ", prompt "
                               << job.inference.prompt);
        require_same(p.time_on(g), estimate_time_detailed(w, builtin_efficiency));
        const MemoryResult a = p.memory_on(g), b = estimate_memory(w);
        CHECK(a.device.value() == b.device.value());
        CHECK(a.fits == b.fits);
        ++compared;
      }
    }
  }
  CHECK(compared > 1000);
  CHECK(kept > 300);  // most steps are replayed, not rebuilt
}

TEST_CASE("a prepared job keeps the steps it timed, with their shapes", "[prepared]") {
  Job w = first_inference(100, 10);
  w.batch = 3;
  const PreparedJob p = prepare(w);
  REQUIRE(p.step(Phase::prefill).kept);
  REQUIRE(p.step(Phase::decode).kept);
  CHECK(!p.step(Phase::train).kept);
  // Decode: one new token for each of the 3 sequences, over the mean context 100 + 10/2.
  CHECK(p.step(Phase::decode).shape.seqs == 3);
  CHECK(p.step(Phase::decode).shape.tokens == 1);
  CHECK(p.step(Phase::decode).shape.context == 105);
  CHECK(p.step(Phase::prefill).size > 0);
  // Without a GPU nothing is kept, and the answers are built as usual.
  Job none = w;
  none.hardware.gpu = nullptr;
  const PreparedJob q = prepare(none);
  CHECK(!q.step(Phase::prefill).kept);
  Job on = w;
  on.hardware.gpu = &builtin::gpus[1];
  CHECK(q.time_on(builtin::gpus[1]).result.decode_tokens_per_s ==
        estimate_time_detailed(on, builtin_efficiency).result.decode_tokens_per_s);
}

TEST_CASE("a prepared job asked with another efficiency profile answers with that profile", "[prepared]") {
  // The records hold what prepare()'s profile decided (fusion, GEMV cycles, host costs): time_on with
  // another profile must not reuse them.
  const Job w = first_inference(256, 64);
  const PreparedJob p = prepare(w);
  EfficiencyProfile other = builtin_efficiency;
  for (RuntimeEfficiency& rt : other.runtime) {
    rt.fusion *= 0.5;
    rt.host_per_kernel = rt.host_per_kernel * 3.0;
    rt.stream_scale *= 0.8;
  }
  int answered = 0;
  for (std::size_t gi = 0; gi < builtin::gpus.size(); gi += 7) {
    const GpuSpec& g = builtin::gpus[gi];
    Job on = w;
    on.hardware.gpu = &g;
    INFO(std::string(g.id));
    const TimeEstimate mine = p.time_on(g, other), plain = estimate_time_detailed(on, other);
    require_same(mine, plain);
    // and the profile matters: the builtin answer differs wherever the GPU has an answer
    if (plain.result.decode_tokens_per_s > 0) {
      CHECK(mine.result.decode_tokens_per_s != p.time_on(g).result.decode_tokens_per_s);
      ++answered;
    }
  }
  CHECK(answered > 0);  // the comparison above ran
}

TEST_CASE("a step with calls issued after a host sync is timed from its operators on each GPU", "[prepared][moe]") {
  // Megatron-Core's expert calls wait on each GPU's own GEMM time (Operator::sync_calls), which no
  // record holds: the training step is not kept, and the answers stay the unprepared model's.
  const ModelArch* m = nullptr;
  for (const ModelArch& a : builtin::models)
    if (a.id == std::string_view{"qwen3-30b-a3b"}) m = &a;
  REQUIRE(m != nullptr);
  Job job{};
  job.model = m;
  job.hardware.gpu = &builtin::gpus[0];
  job.task = Task::training;
  job.runtime = Runtime::megatron;
  job.training.seq = 4096;
  const PreparedJob p = prepare(job);
  CHECK(!p.step(Phase::train).kept);
  bool waited = false;
  for (const GpuSpec& g : builtin::gpus) {
    Job w = job;
    w.hardware.gpu = &g;
    const TimeEstimate plain = estimate_time_detailed(w, builtin_efficiency);
    INFO(g.id);
    require_same(p.time_on(g), plain);
    waited = waited || plain.train.synced.value() > 0;
  }
  CHECK(waited);  // the case exercises the host wait on some GPU
}
