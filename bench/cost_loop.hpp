#pragma once
// The timed loop of the cost programs (eval_cost, plan_cost, serving_cost): best of `rounds` rounds of
// `n` calls in ns per call, one round under valgrind. Only the loop is instrumented, so
// `valgrind --tool=callgrind --instr-atstart=no` counts the calls alone (callgrind's client requests
// where valgrind's header is installed, no-ops otherwise).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define RUNNING_ON_VALGRIND 0
#endif

namespace headroom::bench {

inline volatile double sink = 0;  // keeps the answers alive

/// `once()` returns a number of its answer, added to `sink` so that the call is not optimized away.
template <class F>
double best_ns_per_call(long n, int rounds, F&& once) {
  if (n < 1) {  // N from the command line (strtol gives 0 for text): no figure divides by it
    std::fprintf(stderr, "the number of calls N must be a positive integer\n");
    std::exit(2);
  }
  double best = 1e300;
  if (RUNNING_ON_VALGRIND) rounds = 1;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    CALLGRIND_START_INSTRUMENTATION;
    for (long i = 0; i < n; ++i) sink = sink + once();
    CALLGRIND_STOP_INSTRUMENTATION;
    const std::chrono::duration<double, std::nano> dt = std::chrono::steady_clock::now() - t0;
    best = std::min(best, dt.count() / static_cast<double>(n));
  }
  return best;
}

}  // namespace headroom::bench
