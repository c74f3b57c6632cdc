// The serving simulation (serving_sim.hpp) on step costs given by hand: one client, a first-round burst,
// Poisson arrivals far below capacity, and the seed. Expected values are worked out in the comments.
#include <catch2/catch.hpp>

#include "headroom/serving_sim.hpp"

using namespace headroom;

TEST_CASE("serving simulation: one client on fixed step times", "[serving]") {
  // A prefill step takes 50 ms whatever it carries, a decode step 20 ms. The client's request reaches
  // an idle engine: its prompt is the first step (TTFT 50 ms), its 10 other tokens 10 decode steps:
  // e2e 50 + 200 = 250 ms, TPOT 20 ms. Five requests one after the other: 5 / 1.25 s.
  const StepCosts c{.decode_s = 0.02, .base_s = 0, .prefill_fixed_s = 0.05, .prefill_per_token_s = 0};
  RankLoad l{.clients = 1, .prompt = 1000, .generate = 11, .limit = 10, .budget = 0, .chunked = true, .wait_steps = 1};
  SimOptions o{.requests = 5, .decode_one_s = 0.02, .ref_running = 1};
  SimWorkspace ws;
  const ServingResult r = simulate(l, c, o, ws);
  CHECK(r.ttft_s == Approx(0.05));
  CHECK(r.ttft_p99_s == Approx(0.05));
  CHECK(r.tpot_s == Approx(0.02));
  CHECK(r.e2e_s == Approx(0.25));
  CHECK(r.requests_per_s == Approx(4.0));
  CHECK(r.output_tokens_per_s == Approx(44.0));

  SECTION("two clients stay in step: every round's prompts share one step") {
    // Both prompts in the first step (no budget), both end together at 250 ms and send their next
    // prompts to an idle engine: every request is 250 ms, ten of them in 5 rounds of 0.25 s.
    l.clients = 2;
    o.requests = 10;
    const ServingResult two = simulate(l, c, o, ws);
    CHECK(two.ttft_s == Approx(0.05));
    CHECK(two.e2e_s == Approx(0.25));
    CHECK(two.requests_per_s == Approx(8.0));
  }
}

TEST_CASE("serving simulation: the first round is a burst", "[serving]") {
  // 8 clients send 1000-token prompts to an idle engine with 2000 tokens a step; every step takes 20 ms;
  // one output token each, so nothing decodes. Request i gets its token after ceil(i / 2) steps:
  // 1, 1, 2, 2, 3, 3, 4, 4 steps: mean 2.5 x 20 = 50 ms, p90 (the 8th of 8 by nearest rank) 80 ms.
  const StepCosts c{.decode_s = 0.02, .base_s = 0.02, .prefill_fixed_s = 0.02, .prefill_per_token_s = 0};
  const RankLoad l{.clients = 8, .prompt = 1000, .generate = 1, .limit = 100, .budget = 2000, .chunked = true, .wait_steps = 1};
  SimWorkspace ws;
  const ServingResult r = simulate(l, c, {.requests = 8, .decode_one_s = 0.02, .ref_running = 1}, ws);
  CHECK(r.ttft_s == Approx(0.05));
  CHECK(r.ttft_p90_s == Approx(0.08));
  CHECK(r.tpot_s == 0);
}

TEST_CASE("serving simulation: Poisson arrivals far below capacity do not queue", "[serving]") {
  // Every step takes 10 ms; a request is 11 steps (110 ms); 1 request/s keeps the engine busy 11% of the
  // time. A request that finds it idle gets its first token after one step (10 ms); one that arrives
  // during a step waits for its end and then one step: at most 20 ms. So 10 ms <= mean TTFT, and the
  // mean is below 10 ms + 11% x 10 ms. TPOT is the step. The rate is what arrives (10000 arrivals: the
  // run's length is within a few percent of 10000 s).
  const StepCosts c{.decode_s = 0.01, .base_s = 0.01, .prefill_fixed_s = 0.01, .prefill_per_token_s = 0};
  const RankLoad l{.clients = 1, .prompt = 500, .generate = 11, .limit = 64, .budget = 8192, .chunked = true, .wait_steps = 1};
  SimOptions o{.rate = 1.0, .requests = 10000, .seed = 7, .decode_one_s = 0.01, .ref_running = 1};
  SimWorkspace ws;
  const ServingResult r = simulate(l, c, o, ws);
  CHECK(r.ttft_s >= 0.01 - 1e-12);
  CHECK(r.ttft_s <= 0.0111);
  CHECK(r.ttft_p99_s <= 0.02 + 1e-9);
  CHECK(r.tpot_s == Approx(0.01));
  CHECK(r.requests_per_s == Approx(1.0).epsilon(0.05));

  SECTION("an overlapping scheduler makes a request that arrives during a step miss the next one too") {
    // A request that finds the engine idle still gets its token after 10 ms. One that arrives during
    // a step of another request which goes on (about 10 of every 11 busy steps) waits for that step's
    // end, one more step (planned before it arrived), then its own: more than 20 ms, at most 30 ms.
    // About 11% x 10/11 = 10% of the arrivals: the p99 lies in (20, 30] ms, and the mean grows by
    // about 10% x 10 ms: at most 10 ms + 12% x 20 ms.
    o.overlap = true;
    const ServingResult ov = simulate(l, c, o, ws);
    CHECK(ov.ttft_p99_s > 0.02);
    CHECK(ov.ttft_p99_s <= 0.03 + 1e-9);
    CHECK(ov.ttft_s > r.ttft_s + 0.0005);
    CHECK(ov.ttft_s <= 0.0124);
    CHECK(ov.tpot_s == Approx(0.01));
  }
  SECTION("the same seed gives the same answer, another seed another") {
    const ServingResult again = simulate(l, c, o, ws);
    CHECK(again.ttft_s == r.ttft_s);
    CHECK(again.ttft_p99_s == r.ttft_p99_s);
    CHECK(again.requests_per_s == r.requests_per_s);
    o.seed = 8;
    CHECK(simulate(l, c, o, ws).requests_per_s != r.requests_per_s);
  }
  SECTION("lengths drawn from 0.8-1.0 x nominal shorten the mean request") {
    o.length_low = 0.8;
    const ServingResult spread = simulate(l, c, o, ws);
    // Outputs of 9-11 tokens: e2e below the fixed 110 ms, above 0.8 x 110 ms.
    CHECK(spread.e2e_s < r.e2e_s);
    CHECK(spread.e2e_s > 0.8 * 0.11);
  }
}
