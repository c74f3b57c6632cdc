// The in-process cost of one whole-catalog plan and of one catalog sweep of a prepared job, without
// a benchmark library, so that it can run under callgrind as well as on its own (ns):
//   headroom_plan_cost train70b|train8b|inference|serving|sweep|sweep_plain|decode_cold [N]
// prints "<case> <ns per call>" (best of 3 rounds of N calls). Under
// `valgrind --tool=callgrind --instr-atstart=no` only the timed loop is counted; divide "Collected"
// by N (and, for `sweep`, by the number of GPUs it prints). docs/performance.md.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "bench_cases.hpp"
#include "headroom/planner.hpp"
#include "headroom/prepared.hpp"

#include "cost_loop.hpp"

int main(int argc, char** argv) {
  using namespace headroom;
  const std::string_view which = argc > 1 ? argv[1] : "train70b";
  const long n = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 20;
  PlanRequest r;  // the plan cases: the whole catalog (bench_cases.hpp)
  if (which == "train70b" || which == "train8b") r = bench::plan_training(which == "train70b" ? "llama-3-70b" : "llama-3-8b");
  else if (which == "inference") r = bench::plan_inference();
  else if (which == "serving") r = bench::plan_serving();
  else if (which != "sweep" && which != "sweep_plain" && which != "decode_cold") {
    std::fprintf(stderr, "usage: headroom_plan_cost train70b|train8b|inference|serving|sweep|sweep_plain|decode_cold [N]\n");
    return 2;
  }
  const Job decode = bench::decode_case();
  const PreparedJob prepared = prepare(decode);
  const double best = bench::best_ns_per_call(n, 3, [&] {
    double sum = 0;
    if (which == "sweep") {
      for (const GpuSpec& g : builtin::gpus) sum += prepared.time_on(g).result.decode_tokens_per_s;
    } else if (which == "sweep_plain") {  // the same answers without preparing
      for (const GpuSpec& g : builtin::gpus) {
        Job w = decode;
        w.hardware.gpu = &g;
        sum += estimate_time_detailed(w, builtin_efficiency).result.decode_tokens_per_s;
      }
    } else if (which == "decode_cold") {
      sum = prepare(decode).time_on(*decode.hardware.gpu).result.decode_tokens_per_s;
    } else {
      sum = static_cast<double>(plan(r).considered);
    }
    return sum;
  });
  if (which == "sweep" || which == "sweep_plain")
    std::printf("%.*s %.1f ns per GPU (%zu GPUs)\n", static_cast<int>(which.size()), which.data(), best / static_cast<double>(builtin::gpus.size()), builtin::gpus.size());
  else
    std::printf("%.*s %.1f ns\n", static_cast<int>(which.size()), which.data(), best);
  return 0;
}
