// The serving model (serving.hpp): the closed-loop fixed point on step costs given by hand, the KV pool
// of a small model by hand, and the max_concurrency bisection against a monotone toy. Expected values are
// worked out in the comments, not copied from the model.
#include <catch2/catch.hpp>

#include <cmath>

#include "headroom/catalog.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/serving.hpp"

using namespace headroom;


namespace {
Job serving_job(std::string_view gpu, std::string_view model, std::int64_t concurrency) {
  Job w;
  w.hardware.gpu = &Catalog::builtin().gpu(gpu);
  w.model = &Catalog::builtin().model(model);
  w.task = Task::serving;
  w.runtime = Runtime::vllm;
  w.inference.prompt = 1008;
  w.inference.generate = 16;
  w.serving.concurrency = concurrency;
  return w;
}
}  // namespace

TEST_CASE("serving: a closed loop with a constant step time", "[serving]") {
  // Every step takes 20 ms whatever it carries (no prefill cost): TPOT = the step, and a request is
  // one step of wait, one prefill step and 50 decode steps: 52 x 20 ms = 1.04 s.
  const StepCosts c{.decode_s = 0.02, .base_s = 0, .prefill_fixed_s = 0, .prefill_per_token_s = 0};
  RankLoad l{.clients = 8, .prompt = 1000, .generate = 51, .limit = 100, .budget = 0, .chunked = false, .wait_steps = 1};
  const ServingResult r = closed_loop(l, c);
  CHECK(r.tpot_s == Approx(0.02));
  CHECK(r.tpot_p90_s == Approx(0.02));  // no step carries extra prefill time
  // Little's law: 8 clients over 1.04 s each.
  CHECK(r.requests_per_s == Approx(8 / 1.04));
  CHECK(r.output_tokens_per_s == Approx(8 / 1.04 * 51));
  // TTFT: steady rounds 1.04 - 50 x 0.02 = 0.04 s; the first round (1 in 10) is a burst whose 8 prompts
  // of 1000 tokens share one unlimited step: 0.02 s. Mean 0.9 x 0.04 + 0.1 x 0.02 = 0.038 s.
  CHECK(r.ttft_s == Approx(0.038));
  CHECK(r.e2e_s == Approx(0.038 + 50 * 0.02));
  CHECK(r.ttft_p90_s >= r.ttft_s);
  CHECK(r.ttft_p99_s >= r.ttft_p90_s);

  SECTION("clients beyond the admission limit wait for a slot") {
    // 16 clients, 8 slots: the rate stays 8 / 1.04; e2e = 16 / rate = 2.08 s, of which 1.04 s queueing.
    l.clients = 16;
    l.limit = 8;
    const ServingResult q = closed_loop(l, c);
    CHECK(q.requests_per_s == Approx(8 / 1.04));
    // Steady TTFT 2.08 - 1.0 = 1.08 s; the burst of the 8 admitted: 0.02 s.
    CHECK(q.ttft_s == Approx(0.9 * 1.08 + 0.1 * 0.02));
  }
}

TEST_CASE("serving: an overlapping scheduler adds a step to the wait", "[serving]") {
  // vLLM (async scheduling, v0.14+), SGLang (overlap schedule) and TensorRT-LLM (overlap scheduler) plan
  // step n + 1 while step n runs; eager PyTorch has no such scheduler.
  Job w = serving_job("h100-sxm5-80gb", "llama-3-8b", 8);
  CHECK(scheduler_config(w).overlap);
  w.runtime = Runtime::sglang;
  CHECK(scheduler_config(w).overlap);
  w.runtime = Runtime::tensorrt_llm;
  CHECK(scheduler_config(w).overlap);
  w.runtime = Runtime::pytorch;
  CHECK_FALSE(scheduler_config(w).overlap);
  STATIC_REQUIRE(serving_constants.closed_loop_wait_steps + serving_constants.overlap_wait_steps == 2.0);

  // The constant-step loop of the first test case with two steps of wait: a request is 2 + 1 + 50 = 53
  // steps of 20 ms = 1.06 s; steady TTFT 1.06 - 50 x 0.02 = 0.06 s, the burst 0.02 s: mean
  // 0.9 x 0.06 + 0.1 x 0.02 = 0.056 s; 8 clients complete 8 / 1.06 requests/s.
  const StepCosts c{.decode_s = 0.02, .base_s = 0, .prefill_fixed_s = 0, .prefill_per_token_s = 0};
  const RankLoad l{.clients = 8, .prompt = 1000, .generate = 51, .limit = 100, .budget = 0, .chunked = false, .wait_steps = 2};
  const ServingResult r = closed_loop(l, c);
  CHECK(r.ttft_s == Approx(0.056));
  CHECK(r.requests_per_s == Approx(8 / 1.06));
  CHECK(r.tpot_s == Approx(0.02));

  // A deployment's closed loop is that rank model at two steps of wait (vLLM: chunked and mixed, so
  // its rounds are not locked), one step more than a scheduler without overlap.
  const Job v = serving_job("h100-sxm5-80gb", "llama-3-8b", 8);
  const ServingDeployment d = prepare_serving(v, builtin_efficiency);
  const ServingEstimate e = serve_closed(d, builtin_efficiency, 8);
  RankLoad rank = d.load;
  rank.clients = 8;
  rank.wait_steps = 2;
  CHECK(e.result.ttft_s == Approx(closed_loop(rank, e.costs).ttft_s));
  rank.wait_steps = 1;
  CHECK(e.result.ttft_s > closed_loop(rank, e.costs).ttft_s + 0.5 * e.result.tpot_s);
}

TEST_CASE("serving: the first round of a closed loop is a burst", "[serving]") {
  // Every step takes 20 ms whatever it carries. 8 prompts of 1000 tokens at an idle engine, 2000 tokens
  // a step: 2 prompts per step, request i after ceil(i / 2) steps: 1, 1, 2, 2, 3, 3, 4, 4 steps, mean
  // 2.5 x 20 ms = 50 ms.
  const StepCosts c{.decode_s = 0.02, .base_s = 0, .prefill_fixed_s = 0, .prefill_per_token_s = 0};
  const RankLoad l{.clients = 8, .prompt = 1000, .generate = 11, .limit = 100, .budget = 2000, .chunked = true, .wait_steps = 1};
  const detail::serve::Burst b = detail::serve::burst(l, c, 8);
  CHECK(b.mean_s == Approx(0.05));
  CHECK(b.done_by(0.039) == 2);
  CHECK(b.done_by(0.04) == 4);
  CHECK(b.done_by(1.0) == 8);
}

TEST_CASE("serving: locked rounds prefill a whole group per step", "[serving]") {
  // A decode step 20 ms, a step with q prefill tokens 20 ms + q x 10 us; whole prompts, 4000 tokens a
  // step; requests wait no step. Steady state: one 1000-token prompt per prefill step, TTFT 30 ms.
  // Locked rounds (8 clients in step): the step takes the prompts that fit beside the 8 decodes,
  // floor((4000 - 8) / 1000) = 3: 20 + 30 = 50 ms. The first round (1 in 10): 4 prompts a step from an
  // idle engine, 60 ms a step, requests after 1, 1, 1, 1, 2, 2, 2, 2 steps: mean 90 ms.
  const StepCosts c{.decode_s = 0.02, .base_s = 0, .prefill_fixed_s = 0, .prefill_per_token_s = 1e-5};
  RankLoad l{.clients = 8, .prompt = 1000, .generate = 51, .limit = 100, .budget = 4000, .chunked = false, .wait_steps = 0};
  CHECK(closed_loop(l, c).ttft_s == Approx(0.9 * 0.03 + 0.1 * 0.09));
  l.locked_rounds = true;
  CHECK(closed_loop(l, c).ttft_s == Approx(0.9 * 0.05 + 0.1 * 0.09));
  // Two clients: both prompts fit one step beside the decodes: 20 + 20 = 40 ms, and so does the burst.
  l.clients = 2;
  CHECK(closed_loop(l, c).ttft_s == Approx(0.04));
}

TEST_CASE("serving: prefill interference solves a quadratic", "[serving]") {
  // One client, 1000-token prompts, 11 output tokens, no budget limit. A decode step takes 10 ms; a
  // step with the prompt takes 10 ms + prefill(1000) - base = 10 + (5 + 10) - 5 = 20 ms.
  const StepCosts c{.decode_s = 0.01, .base_s = 0.005, .prefill_fixed_s = 0.005, .prefill_per_token_s = 1e-5};
  const RankLoad l{.clients = 1, .prompt = 1000, .generate = 11, .limit = 10, .budget = 0, .chunked = true, .wait_steps = 1};
  // Mean step t: a request takes t (wait) + 0.02 + 10 t, so a share r = t / (11 t + 0.02) of the steps
  // carries a prompt and t = 0.01 + 0.01 r. Then 11 t^2 - 0.1 t - 0.0002 = 0:
  // t = (0.1 + sqrt(0.01 + 0.0088)) / 22.
  const double t = (0.1 + std::sqrt(0.0188)) / 22;
  const ServingResult r = closed_loop(l, c);
  CHECK(r.tpot_s == Approx(t).epsilon(1e-6));
  CHECK(r.requests_per_s == Approx(1 / (11 * t + 0.02)).epsilon(1e-6));
  CHECK(r.tpot_p90_s > r.tpot_s);  // some requests see the prompt step more often than others
}

TEST_CASE("serving: KV pool of Llama 3 8B on an H100 under vLLM", "[serving]") {
  Job w = serving_job("h100-sxm5-80gb", "llama-3-8b", 1);
  // 32 layers x 8 KV heads x 128 x (K and V) x 2 bytes = 131072 B per token; 1008 + 16 = 1024 tokens
  // (64 blocks of 16).
  CHECK(kv_bytes_per_sequence(w) == Approx(1024.0 * 131072));
  // vLLM: 0.9 x 80 GiB for everything; Llama 3 8B weights 8.03e9 x 2 B. At most
  // (0.9 x 80 x 2^30 - 16.06e9) / 131072 = 467.3k tokens; the workspace and the CUDA context take a few
  // GiB more, so at least 90% of that.
  const ServingEstimate e = estimate_serving(w, builtin_efficiency);
  const double upper = (0.9 * 80 * 1073741824.0 - 16.06e9) / 131072;
  CHECK(e.result.kv_capacity_tokens <= upper);
  CHECK(e.result.kv_capacity_tokens >= 0.9 * upper);
  // Admission: vLLM holds requests at their mean length 1008 + 16 / 2 = 1016 tokens, 64 blocks of 16 =
  // 1024 tokens, at most max_num_seqs 1024 (an 80 GB GPU).
  CHECK(e.admitted == Approx(std::min(1024.0, std::floor(e.kv_pool_bytes / (1024.0 * 131072)))));
  // 1024 + 1024 tokens: TensorRT-LLM reserves all 2048; vLLM holds the mean, 1024 + 512 = 1536.
  Job trt = w;
  trt.runtime = Runtime::tensorrt_llm;
  trt.inference.prompt = 1024;
  trt.inference.generate = 1024;
  const ServingEstimate t = estimate_serving(trt, builtin_efficiency);
  CHECK(t.admitted == Approx(std::min(2048.0, std::floor(t.kv_pool_bytes / (2048.0 * 131072)))));
  Job vl = trt;
  vl.runtime = Runtime::vllm;
  const ServingEstimate v = estimate_serving(vl, builtin_efficiency);
  CHECK(v.admitted == Approx(std::min(1024.0, std::floor(v.kv_pool_bytes / (1536.0 * 131072)))));
  // Two data-parallel replicas hold about twice the tokens (less NCCL's 0.25 GiB per GPU: 2 x 2 requests).
  w.hardware.count = 2;
  w.parallel.dp = 2;
  const double two = estimate_serving(w, builtin_efficiency).result.kv_capacity_tokens;
  CHECK(two <= 2 * e.result.kv_capacity_tokens);
  CHECK(two >= 2 * e.result.kv_capacity_tokens - 2 * 2 * 1024);
}

TEST_CASE("serving: max_concurrency bisects a monotone predicate", "[serving]") {
  CHECK(largest_passing(100, [](std::int64_t c) { return c <= 37; }) == 37);
  CHECK(largest_passing(100, [](std::int64_t) { return true; }) == 100);
  CHECK(largest_passing(100, [](std::int64_t) { return false; }) == 0);
  CHECK(largest_passing(1, [](std::int64_t c) { return c <= 1; }) == 1);
}

TEST_CASE("serving: evaluate answers a serving job", "[serving]") {
  Job w = serving_job("h100-sxm5-80gb", "llama-3-8b", 16);
  const Answer a = evaluate(w);
  REQUIRE(a.has_serving);
  const ServingResult& s = a.serving;
  CHECK(s.tpot_s > 0);
  CHECK(s.ttft_s > 0);
  CHECK(s.ttft_p90_s >= s.ttft_s);
  CHECK(s.tpot_p99_s >= s.tpot_p90_s);
  CHECK(s.e2e_s == Approx(s.ttft_s + 15 * s.tpot_s));
  CHECK(s.output_tokens_per_s == Approx(16 * s.requests_per_s));
  CHECK(a.intervals[AnswerKey::serving_tpot_s].present());
  CHECK(a.limits.max_concurrency == -1);  // not asked

  SECTION("more clients: slower tokens, more throughput") {
    Job more = w;
    more.serving.concurrency = 64;
    const Answer b = evaluate(more);
    CHECK(b.serving.tpot_s > s.tpot_s);
    CHECK(b.serving.output_tokens_per_s > s.output_tokens_per_s);
  }
  SECTION("an open loop below capacity completes what arrives") {
    Job open = w;
    open.serving.request_rate = 2.0;
    const Answer b = evaluate(open);
    REQUIRE(b.has_serving);
    CHECK(b.serving.requests_per_s == Approx(2.0));
  }
  SECTION("max_concurrency grows with the TPOT target") {
    Job solve = w;
    solve.question.solve = Solve::max_concurrency;
    solve.serving.slo = ServingSlo{.ttft_s = 0, .tpot_s = 0.02, .percentile = 50};
    const std::int64_t tight = evaluate(solve).limits.max_concurrency;
    solve.serving.slo->tpot_s = 0.05;
    const std::int64_t loose = evaluate(solve).limits.max_concurrency;
    CHECK(tight >= 1);
    CHECK(loose >= tight);
    // The answer at the limit meets the target; one client more does not (unless the pool caps it).
    Job at = w;
    at.serving.concurrency = tight;
    CHECK(evaluate(at).serving.tpot_s <= 0.02);
    at.serving.concurrency = tight + 1;
    CHECK(evaluate(at).serving.tpot_s > 0.02);
  }
}
