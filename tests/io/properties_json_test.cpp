// Property: JSON answers round-trip. For random jobs of the built-in catalog (the generator of
// tests/unit/random_jobs.hpp, fixed seed), the answer object written as text and parsed back is the
// same object, and its numbers are the model's numbers at the documented rounding (docs/cases.md:
// GiB to 4 decimals, times to 5 significant digits, limits exact).

#include <catch2/catch.hpp>

#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "../unit/random_jobs.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/io/cases.hpp"

using namespace headroom;
using nlohmann::json;

namespace {

bool near_sig(double printed, double exact) {  // 5 significant digits
  return std::abs(printed - exact) <= 0.5e-4 * std::abs(exact) + 1e-300;
}

}  // namespace

TEST_CASE("property: JSON answers round-trip with the model's numbers", "[properties][cases]") {
  test::RandomJobs gen(0x5eed0007);
  for (int i = 0; i < 2000; ++i) {
    Job w = gen.next();
    const Solve solves[] = {Solve::none, Solve::max_batch, w.task == Task::training ? Solve::max_seq : Solve::max_context};
    w.question.solve = gen.pick(solves);
    const Answer a = evaluate(w);
    const json j = answer_to_json(json(i), a, w);
    const std::string text = answer_text(j);
    INFO(text);
    const json back = json::parse(text);
    CHECK(back == j);

    const json& mem = back.at("memory");
    CHECK(std::abs(mem.at("per_gpu_gib").get<double>() - to_gib(a.memory.per_gpu)) <= 0.5e-4 + 1e-12);
    CHECK(std::abs(mem.at("capacity_gib").get<double>() - to_gib(a.memory.capacity)) <= 0.5e-4 + 1e-12);
    CHECK(mem.at("fits").get<bool>() == a.memory.fits);
    if (a.has_time && back.contains("time")) {
      const json& t = back.at("time");
      if (a.time.decode_tokens_per_s != 0) CHECK(near_sig(t.at("decode_tokens_per_s").get<double>(), a.time.decode_tokens_per_s));
      if (a.time.step_time_s != 0) CHECK(near_sig(t.at("step_time_s").get<double>(), a.time.step_time_s));
      if (a.time.mfu != 0) CHECK(near_sig(t.at("mfu").get<double>(), a.time.mfu));
    }
    if (w.question.solve == Solve::max_batch) CHECK(back.at("limits").at("max_batch").get<std::int64_t>() == a.limits.max_batch);
    if (w.question.solve == Solve::max_seq) CHECK(back.at("limits").at("max_seq").get<std::int64_t>() == a.limits.max_seq);
    if (w.question.solve == Solve::max_context)
      CHECK(back.at("limits").at("max_context").get<std::int64_t>() == a.limits.max_context);
  }
}
