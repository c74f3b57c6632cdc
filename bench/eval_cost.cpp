// The in-process cost of one evaluation, without a benchmark library, so that it can run under
// callgrind (instruction counts: stable on a shared machine) as well as on its own (ns):
//   headroom_eval_cost decode|training|batch_max [N]
// prints "<case> <ns per evaluation>" (best of 5 rounds of N evaluations; N defaults to 20000).
// Under `valgrind --tool=callgrind --instr-atstart=no` only the timed loop is counted
// (CALLGRIND_START/STOP_INSTRUMENTATION); bench/measure.sh divides by N. docs/performance.md.
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "bench_cases.hpp"
#include "headroom/evaluate.hpp"

#include "cost_loop.hpp"

int main(int argc, char** argv) {
  using namespace headroom;
  const std::string_view which = argc > 1 ? argv[1] : "decode";
  const long n = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 20000;
  Job w;
  if (which == "decode") w = bench::decode_case();
  else if (which == "training") w = bench::training_case();
  else if (which == "batch_max") w = bench::batch_max_case();
  else {
    std::fprintf(stderr, "usage: headroom_eval_cost decode|training|batch_max [N]\n");
    return 2;
  }
  (void)evaluate(w);  // warm
  const double best = bench::best_ns_per_call(n, 5, [&] { return evaluate(w).memory.per_gpu.value(); });
  std::printf("%.*s %.1f ns\n", static_cast<int>(which.size()), which.data(), best);
  return 0;
}
