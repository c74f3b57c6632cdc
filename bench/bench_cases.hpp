#pragma once
// The jobs the benchmarks time (docs/performance.md): a decode case, a serving case, a training case,
// a `batch: "max"` case and the planner's requests, built in code so that no parsing is timed.
#include <string_view>

#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/catalog/builtin_models.hpp"
#include "headroom/job.hpp"
#include "headroom/planner.hpp"
#include "headroom/serving_sim.hpp"

namespace headroom::bench {

inline const GpuSpec& gpu(std::string_view id) {
  for (const GpuSpec& g : builtin::gpus)
    if (g.id == id) return g;
  return builtin::gpus.front();
}
inline const ModelArch& model(std::string_view id) {
  for (const ModelArch& m : builtin::models)
    if (m.id == id) return m;
  return builtin::models.front();
}

/// Llama 3 8B on an RTX 4090, prompt 512, 128 tokens generated.
inline Job decode_case() {
  Job w;
  w.hardware.gpu = &gpu("rtx-4090");
  w.model = &model("llama-3-8b");
  w.inference.prompt = 512;
  w.inference.generate = 128;
  return w;
}

/// Serving: Llama 3.1 70B FP8 on 8 x H100 (tp 8) with vLLM, 1024-token prompts, 256 generated, 64 clients.
inline Job serving_case() {
  Job w;
  w.hardware.gpu = &gpu("h100-sxm5-80gb");
  w.hardware.count = 8;
  w.parallel.tp = 8;
  w.model = &model("llama-3.1-70b");
  w.weights = WeightFormat::fp8;
  w.compute = Precision::fp8;
  w.task = Task::serving;
  w.runtime = Runtime::vllm;
  w.inference.prompt = 1024;
  w.inference.generate = 256;
  w.serving.concurrency = 64;
  return w;
}

/// QLoRA of Llama 3.1 8B on an A100 80GB, batch 2, sequence 2048, full checkpointing.
inline Job training_case() {
  Job w;
  w.hardware.gpu = &gpu("a100-sxm4-80gb");
  w.model = &model("llama-3.1-8b");
  w.task = Task::training;
  w.training.method = Method::qlora;
  w.weights = WeightFormat::nf4_dq;
  w.batch = 2;
  w.training.seq = 2048;
  w.training.checkpointing = Checkpointing::full;
  return w;
}

/// The decode case with vLLM and `batch: "max"`: the memory solve for the largest batch, then its time.
inline Job batch_max_case() {
  Job w = decode_case();
  w.runtime = Runtime::vllm;
  w.question.batch_max = true;
  return w;
}

/// The whole catalog as planner candidates.
inline PlanRequest catalog_request(Job w) {
  PlanRequest r;
  r.job = w;
  for (const GpuSpec& g : builtin::gpus) r.gpus.push_back(&g);
  return r;
}

/// `headroom plan MODEL --task training`: full fine-tuning, sequence 2048, objective time.
inline PlanRequest plan_training(std::string_view model_id) {
  Job w;
  w.hardware.gpu = &builtin::gpus.front();
  w.model = &model(model_id);
  w.task = Task::training;
  return catalog_request(w);
}

/// `headroom plan llama-3-70b` (inference with vLLM, prompt 512, generate 128, objective time).
inline PlanRequest plan_inference() {
  Job w;
  w.hardware.gpu = &builtin::gpus.front();
  w.model = &model("llama-3-70b");
  w.runtime = Runtime::vllm;
  return catalog_request(w);
}

/// `headroom plan llama-3-70b --task serving --slo-ttft 1 --slo-tpot 0.05 --slo-percentile 90`
/// (vLLM, objective cost).
inline PlanRequest plan_serving() {
  Job w;
  w.hardware.gpu = &builtin::gpus.front();
  w.model = &model("llama-3-70b");
  w.task = Task::serving;
  w.runtime = Runtime::vllm;
  w.serving.slo = ServingSlo{1, 0.05, 90};
  PlanRequest r = catalog_request(w);
  r.objective = Objective::cost;
  return r;
}

/// The simulation case (headroom_serving_cost simulate, serving_simulate_10k): 10k requests on fixed
/// step costs (the time model's part is the analytic answer's), 64 clients, prompt 1024, generate 256.
inline constexpr StepCosts sim_costs{.decode_s = 0.02, .base_s = 0.01, .prefill_fixed_s = 0.01, .prefill_per_token_s = 2e-5};
inline constexpr RankLoad sim_load{.clients = 64, .prompt = 1024, .generate = 256, .limit = 64, .budget = 8192,
                                   .chunked = true, .wait_steps = 1};
/// Closed loop with `rate` 0, else Poisson arrivals at `rate` requests/s.
inline SimOptions sim_options(double rate) {
  return {.rate = rate, .requests = 10000, .seed = 1, .decode_one_s = 0.01, .ref_running = 64};
}

}  // namespace headroom::bench
