// The in-process cost of a serving answer without a benchmark library, for callgrind (instruction counts,
// stable on a shared machine) and on its own (ns):
//   headroom_serving_cost evaluate|prepare|point|simulate [N]
// evaluate: a full closed-loop serving evaluation (Llama 3.1 70B FP8, 8 x H100, tp 8, vLLM, 1024/256 at 64
// clients); prepare: its deployment part (prepare_serving); point: one load point on the prepared
// deployment (serve_closed); simulate: 10k requests of 64 closed-loop clients on fixed step costs.
// Prints "<what> <ns per call>" (best of 5 rounds of N calls). Under
// `valgrind --tool=callgrind --instr-atstart=no` only the timed loop is counted; divide by N.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "bench_cases.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/serving_sim.hpp"

#include "cost_loop.hpp"

using namespace headroom;

int main(int argc, char** argv) {
  const std::string_view which = argc > 1 ? argv[1] : "evaluate";
  const long n = argc > 2 ? std::strtol(argv[2], nullptr, 10) : (which == "simulate" ? 20 : 2000);
  const Job w = bench::serving_case();
  const ServingDeployment d = prepare_serving(w, builtin_efficiency);
  SimWorkspace ws;
  ws.reserve(10000, 64);
  auto once = [&]() -> double {
    if (which == "evaluate") return evaluate(w).serving.ttft_s;
    if (which == "prepare") return prepare_serving(w, builtin_efficiency).costs.prefill_per_token_s;
    if (which == "point") return serve_closed(d, builtin_efficiency, 64).result.ttft_s;
    return simulate(bench::sim_load, bench::sim_costs, bench::sim_options(0), ws).ttft_s;
  };
  if (which != "evaluate" && which != "prepare" && which != "point" && which != "simulate") {
    std::fprintf(stderr, "usage: headroom_serving_cost evaluate|prepare|point|simulate [N]\n");
    return 2;
  }
  bench::sink = bench::sink + once();  // warm
  const double best = bench::best_ns_per_call(n, 5, once);
  std::printf("%.*s %.1f ns\n", static_cast<int>(which.size()), which.data(), best);
  return 0;
}
