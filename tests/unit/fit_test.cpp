// Limits, suggestions and evaluate (headroom/fit.hpp, headroom/evaluate.hpp).

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "headroom/catalog.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/fit.hpp"

using namespace headroom;
using namespace headroom::literals;

namespace {

Job training(std::string_view model_id, std::string_view gpu_id, Method method) {
  const Catalog& cat = Catalog::builtin();
  Job w;
  w.hardware.gpu = &cat.gpu(gpu_id);
  w.model = &cat.model(model_id);
  w.task = Task::training;
  w.training.method = method;
  if (method == Method::qlora) w.weights = WeightFormat::nf4_dq;
  w.training.seq = 2048;
  return w;
}

constexpr Job collective() {
  Job w;
  w.task = Task::collective;
  return w;
}

}  // namespace

TEST_CASE("largest_fitting: exponential then binary search", "[fit]") {
  using detail::fit::largest_fitting;
  STATIC_REQUIRE(largest_fitting([](std::int64_t v) { return v <= 37; }, 1000) == 37);
  STATIC_REQUIRE(largest_fitting([](std::int64_t v) { return v <= 64; }, 1000) == 64);
  STATIC_REQUIRE(largest_fitting([](std::int64_t v) { return v <= 1; }, 1000) == 1);
  STATIC_REQUIRE(largest_fitting([](std::int64_t) { return false; }, 1000) == 0);
  STATIC_REQUIRE(largest_fitting([](std::int64_t) { return true; }, 1000) == 1000);
  STATIC_REQUIRE(largest_fitting([](std::int64_t v) { return v <= 999; }, 1000) == 999);
  STATIC_REQUIRE(largest_fitting([](std::int64_t v) { return v <= 5; }, 3) == 3);
}

TEST_CASE("max_batch / max_seq / max_context sit exactly on the fit boundary", "[fit]") {
  Job w = training("llama-3-8b", "rtx-4090", Method::lora);
  w.training.checkpointing = Checkpointing::full;
  const std::int64_t s = max_seq(w);
  // docs/reference/formulas.md §6.2 puts the GC limit near 3.9K tokens with a 7% margin; it is a few thousand.
  REQUIRE(s > 2048);
  REQUIRE(s < 8192);
  Job x = w;
  x.training.seq = s;
  REQUIRE(estimate_memory(x).fits);
  x.training.seq = s + 1;
  REQUIRE_FALSE(estimate_memory(x).fits);

  const std::int64_t b = max_batch(w);
  REQUIRE(b >= 1);
  x = w;
  x.batch = b;
  REQUIRE(estimate_memory(x).fits);
  x.batch = b + 1;
  REQUIRE_FALSE(estimate_memory(x).fits);

  Job inf;
  inf.hardware.gpu = &Catalog::builtin().gpu("rtx-4090");
  inf.model = &Catalog::builtin().model("llama-3-8b");
  inf.batch = 8;
  inf.inference.generate = 256;
  const std::int64_t c = max_context(inf);
  REQUIRE(c > 256);
  Job y = detail::fit::with_context(inf, c);
  REQUIRE(y.inference.prompt + y.inference.generate == c);
  REQUIRE(y.inference.generate == 256);
  REQUIRE(estimate_memory(y).fits);
  REQUIRE_FALSE(estimate_memory(detail::fit::with_context(inf, c + 1)).fits);
}

TEST_CASE("limits are 0 when even the smallest setting does not fit", "[fit]") {
  Job w = training("llama-3-70b", "rtx-4090", Method::qlora);
  w.training.checkpointing = Checkpointing::full;
  w.question.solve = Solve::max_batch;
  REQUIRE(solve_limits(w).max_batch == 0);
  w.question.solve = Solve::max_seq;
  const Limits l = solve_limits(w);
  REQUIRE(l.max_seq == 0);
  REQUIRE(l.max_batch == -1);  // not asked
  REQUIRE(l.max_context == -1);
}

TEST_CASE("suggestions for Llama-3-70B QLoRA on an RTX 4090 all fit", "[fit][headline]") {
  Job w = training("llama-3-70b", "rtx-4090", Method::qlora);
  w.training.checkpointing = Checkpointing::full;
  w.training.lora_rank = 16;
  REQUIRE_FALSE(estimate_memory(w).fits);
  const std::vector<Suggestion> s = suggest(w, Catalog::builtin().gpus());
  REQUIRE_FALSE(s.empty());
  bool bigger_gpu = false, more_gpus = false;
  for (const Suggestion& x : s) {
    INFO(x.what);
    REQUIRE(x.memory.fits);
    REQUIRE(estimate_memory(x.job).fits);  // re-checked independently
    REQUIRE(x.memory.per_gpu <= x.memory.capacity);
    REQUIRE_FALSE(x.what.empty());
    if (x.job.hardware.count == 1 && x.job.hardware.gpu->memory > w.hardware.gpu->memory) {
      bigger_gpu = true;
      // The weights alone are ~36.8 GiB: the smallest card that fits has at least 40 GiB.
      REQUIRE(x.job.hardware.gpu->memory >= 40_GiB);
    }
    if (x.job.hardware.count > 1) {
      more_gpus = true;
      REQUIRE(x.job.parallel.zero == 3);
      REQUIRE(x.job.parallel.dp == x.job.hardware.count);
    }
  }
  REQUIRE(bigger_gpu);
  REQUIRE(more_gpus);
  // Nothing short of more memory helps: no sequence, batch or checkpointing switch is offered.
  for (const Suggestion& x : s) REQUIRE(x.job.training.seq == w.training.seq);
}

TEST_CASE("cheap switches come first", "[fit]") {
  Job w = training("llama-3-8b", "rtx-4090", Method::lora);
  REQUIRE_FALSE(estimate_memory(w).fits);
  const std::vector<Suggestion> s = suggest(w, Catalog::builtin().gpus());
  REQUIRE(s.size() >= 2);
  // Gradient checkpointing (with or without chunked loss) fits (§6.2) and ranks above any hardware change.
  const auto gc = std::find_if(s.begin(), s.end(),
                               [](const Suggestion& x) { return x.job.training.checkpointing == Checkpointing::full; });
  REQUIRE(gc != s.end());
  const auto hw = std::find_if(s.begin(), s.end(), [&](const Suggestion& x) {
    return x.job.hardware.count != w.hardware.count || x.job.hardware.gpu->id != w.hardware.gpu->id;
  });
  REQUIRE(gc < hw);
  for (const Suggestion& x : s) REQUIRE(x.memory.fits);
}

TEST_CASE("inference suggestions: KV cache, weights, tensor parallel", "[fit]") {
  Job w;
  w.hardware.gpu = &Catalog::builtin().gpu("rtx-4090");
  w.model = &Catalog::builtin().model("llama-3-70b");
  w.weights = WeightFormat::bf16;
  const std::vector<Suggestion> s = suggest(w, Catalog::builtin().gpus());
  REQUIRE_FALSE(s.empty());
  bool tp = false;
  for (const Suggestion& x : s) {
    REQUIRE(x.memory.fits);
    if (x.job.parallel.tp > 1) tp = true;
  }
  REQUIRE(tp);
}

TEST_CASE("a bigger GPU is one the runtime can use", "[fit]") {
  const Catalog& cat = Catalog::builtin();
  REQUIRE_FALSE(can_run(cat.gpu("apple-m3-ultra"), Runtime::pytorch));
  REQUIRE(can_run(cat.gpu("apple-m3-ultra"), Runtime::llama_cpp));
  REQUIRE_FALSE(can_run(cat.gpu("mi300x"), Runtime::tensorrt_llm));
  REQUIRE(can_run(cat.gpu("mi300x"), Runtime::vllm));
  // Case format v2 runtimes follow the same rule: CUDA training frameworks and SGLang do not run on
  // unified-memory SoCs, and run on discrete GPUs like pytorch and vllm.
  for (Runtime r : {Runtime::sglang, Runtime::hf, Runtime::torchtune, Runtime::torchtitan, Runtime::litgpt,
                    Runtime::deepspeed, Runtime::unsloth}) {
    REQUIRE_FALSE(can_run(cat.gpu("apple-m3-ultra"), r));
    REQUIRE(can_run(cat.gpu("mi300x"), r));
  }
  // Full fine-tuning of Llama-3-8B needs ~120 GiB: no Apple SoC is offered for PyTorch.
  Job w = training("llama-3-8b", "a100-sxm4-80gb", Method::full);
  for (const Suggestion& x : suggest(w, cat.gpus())) REQUIRE_FALSE(x.job.hardware.gpu->unified_memory);
}

TEST_CASE("a job that fits gets no suggestions", "[fit]") {
  Job w = training("llama-3-8b", "a100-sxm4-80gb", Method::lora);
  w.training.checkpointing = Checkpointing::full;
  REQUIRE(estimate_memory(w).fits);
  REQUIRE(suggest(w, Catalog::builtin().gpus()).empty());
}

TEST_CASE("evaluate fills memory and the asked limits", "[fit][evaluate]") {
  Job w = training("llama-3-8b", "rtx-4090", Method::lora);
  w.training.checkpointing = Checkpointing::full;
  Answer a = evaluate(w);
  REQUIRE(a.has_memory);
  REQUIRE(a.memory.fits);
  REQUIRE(a.limits.max_batch == -1);
  REQUIRE(a.limits.max_seq == -1);
  w.question.solve = Solve::max_seq;
  a = evaluate(w);
  REQUIRE(a.limits.max_seq == max_seq(w));
  // batch "max": memory at the largest batch that fits.
  w.question.solve = Solve::none;
  w.question.batch_max = true;
  a = evaluate(w);
  REQUIRE(a.limits.max_batch >= 1);
  Job at_max = w;
  at_max.batch = a.limits.max_batch;
  REQUIRE(a.memory.per_gpu == estimate_memory(at_max).per_gpu);
  // Collectives have no memory answer.
  Job c;
  c.task = Task::collective;
  REQUIRE_FALSE(evaluate(c).has_memory);
  STATIC_REQUIRE(!evaluate(collective()).has_memory);
}
