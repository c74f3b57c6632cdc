#pragma once
// Random jobs over the built-in catalog for the property tests (tests/unit/properties_test.cpp,
// tests/io/properties_json_test.cpp): a fixed-seed std::mt19937_64, so a failure reproduces.

#include <cstdint>
#include <random>

#include "headroom/catalog.hpp"
#include "headroom/job.hpp"

namespace headroom::test {

class RandomJobs {
 public:
  explicit RandomJobs(std::uint64_t seed) : rng_(seed) {}

  std::int64_t between(std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng_); }
  template <class T, std::size_t N>
  T pick(const T (&xs)[N]) { return xs[static_cast<std::size_t>(between(0, N - 1))]; }

  /// One GPU, inference or training, every method, the weight formats each method runs with,
  /// and sizes a user would ask about (batch 1-64, sequences 16-8192 tokens).
  Job next() {
    const Catalog& cat = Catalog::builtin();
    Job w;
    for (;;) {
      w = Job{};
      w.hardware.gpu = &cat.gpus()[static_cast<std::size_t>(between(0, static_cast<std::int64_t>(cat.gpus().size()) - 1))];
      w.model = &cat.models()[static_cast<std::size_t>(between(0, static_cast<std::int64_t>(cat.models().size()) - 1))];
      w.batch = between(1, 64);
      if (between(0, 1) == 0) {
        w.task = Task::inference;
        static constexpr Runtime runtimes[] = {Runtime::pytorch, Runtime::vllm, Runtime::tensorrt_llm, Runtime::llama_cpp};
        w.runtime = pick(runtimes);
        static constexpr WeightFormat formats[] = {WeightFormat::bf16, WeightFormat::fp16, WeightFormat::fp8,
                                                   WeightFormat::int8, WeightFormat::nf4, WeightFormat::gptq_4bit,
                                                   WeightFormat::awq_4bit};
        static constexpr WeightFormat gguf[] = {WeightFormat::q4_0, WeightFormat::q4_k_m, WeightFormat::q8_0};
        w.weights = w.runtime == Runtime::llama_cpp ? pick(gguf) : pick(formats);
        w.inference.prompt = between(16, 8192);
        w.inference.generate = between(1, 2048);
      } else {
        w.task = Task::training;
        static constexpr Method methods[] = {Method::full, Method::lora, Method::qlora, Method::freeze};
        w.training.method = pick(methods);
        w.training.lora_rank = static_cast<int>(between(1, 256));
        static constexpr Optimizer optimizers[] = {Optimizer::adamw, Optimizer::adamw_8bit, Optimizer::sgd,
                                                   Optimizer::adafactor};
        w.training.optimizer = pick(optimizers);
        static constexpr Checkpointing ckpt[] = {Checkpointing::none, Checkpointing::selective, Checkpointing::full};
        w.training.checkpointing = pick(ckpt);
        w.training.seq = between(16, 8192);
        w.batch = between(1, 16);
      }
      static constexpr Precision computes[] = {Precision::bf16, Precision::fp16};
      w.compute = pick(computes);
      if (can_run(*w.hardware.gpu, w.runtime)) return w;
    }
  }

 private:
  std::mt19937_64 rng_;
};

}  // namespace headroom::test
