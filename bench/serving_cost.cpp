// The in-process cost of a serving answer without a benchmark library, for callgrind (instruction counts,
// stable on a shared machine) and on its own (ns):
//   headroom_serving_cost evaluate|prepare|point|simulate [N]
// evaluate: a full closed-loop serving evaluation (Llama 3.1 70B FP8, 8 x H100, tp 8, vLLM, 1024/256 at 64
// clients); prepare: its deployment part (prepare_serving); point: one load point on the prepared
// deployment (serve_closed); simulate: 10k requests of 64 closed-loop clients on fixed step costs.
// Prints "<what> <ns per call>" (best of 5 rounds of N calls). Under
// `valgrind --tool=callgrind --instr-atstart=no` only the timed loop is counted; divide by N.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/catalog/builtin_models.hpp"
#include "headroom/evaluate.hpp"
#include "headroom/serving_sim.hpp"

#if __has_include(<valgrind/callgrind.h>)
#include <valgrind/callgrind.h>
#else
#define CALLGRIND_START_INSTRUMENTATION
#define CALLGRIND_STOP_INSTRUMENTATION
#define RUNNING_ON_VALGRIND 0
#endif

namespace {

using namespace headroom;
volatile double sink = 0;

const GpuSpec& gpu(std::string_view id) {
  for (const GpuSpec& g : builtin::gpus)
    if (g.id == id) return g;
  return builtin::gpus.front();
}
const ModelArch& model(std::string_view id) {
  for (const ModelArch& m : builtin::models)
    if (m.id == id) return m;
  return builtin::models.front();
}

}  // namespace

int main(int argc, char** argv) {
  const std::string_view which = argc > 1 ? argv[1] : "evaluate";
  const long n = argc > 2 ? std::strtol(argv[2], nullptr, 10) : (which == "simulate" ? 20 : 2000);
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
  const ServingDeployment d = prepare_serving(w, builtin_efficiency);
  const StepCosts c{.decode_s = 0.02, .base_s = 0.01, .prefill_fixed_s = 0.01, .prefill_per_token_s = 2e-5};
  const RankLoad l{.clients = 64, .prompt = 1024, .generate = 256, .limit = 64, .budget = 8192, .chunked = true, .wait_steps = 1};
  SimWorkspace ws;
  ws.reserve(10000, 64);
  auto once = [&]() -> double {
    if (which == "evaluate") return evaluate(w).serving.ttft_s;
    if (which == "prepare") return prepare_serving(w, builtin_efficiency).costs.prefill_per_token_s;
    if (which == "point") return serve_closed(d, builtin_efficiency, 64).result.ttft_s;
    return simulate(l, c, {.requests = 10000, .decode_one_s = 0.01, .ref_running = 64}, ws).ttft_s;
  };
  if (which != "evaluate" && which != "prepare" && which != "point" && which != "simulate") {
    std::fprintf(stderr, "usage: headroom_serving_cost evaluate|prepare|point|simulate [N]\n");
    return 2;
  }
  sink = sink + once();  // warm
  double best = 1e300;
  const int rounds = RUNNING_ON_VALGRIND ? 1 : 5;
  for (int r = 0; r < rounds; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    CALLGRIND_START_INSTRUMENTATION;
    for (long i = 0; i < n; ++i) sink = sink + once();
    CALLGRIND_STOP_INSTRUMENTATION;
    const std::chrono::duration<double, std::nano> dt = std::chrono::steady_clock::now() - t0;
    best = std::min(best, dt.count() / static_cast<double>(n));
  }
  std::printf("%.*s %.1f ns\n", static_cast<int>(which.size()), which.data(), best);
  return 0;
}
