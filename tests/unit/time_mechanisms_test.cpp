// Time mechanisms of docs/time.md §11 and docs/scaling.md: interleaved 1F1B, CPU/activation offload, host-staged
// PCIe shared by a node's GPUs, CUDA-graph decode, llama.cpp's layer split. Expected values are worked by hand
// from the formulas and the data (links.json, HostConstants), not copied from the model's output.
#include <catch2/catch.hpp>

#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/catalog/builtin_models.hpp"
#include "headroom/offload.hpp"
#include "headroom/scaling.hpp"
#include "headroom/time_model.hpp"

using namespace headroom;

namespace {
const GpuSpec& gpu(std::string_view id) {
  for (const auto& g : builtin::gpus)
    if (g.id == id) return g;
  FAIL("no gpu " << id);
  return builtin::gpus[0];
}
const ModelArch& model(std::string_view id) {
  for (const auto& m : builtin::models)
    if (m.id == id) return m;
  FAIL("no model " << id);
  return builtin::models[0];
}
Job train(std::string_view g, std::string_view m) {
  Job w;
  w.hardware.gpu = &gpu(g);
  w.model = &model(m);
  w.task = Task::training;
  w.batch = 1;
  w.training.seq = 1024;
  w.training.checkpointing = Checkpointing::full;
  return w;
}
}  // namespace

TEST_CASE("interleaved 1F1B: bubble (p-1)/(v·m), pipeline sends x v", "[time_mechanisms]") {
  Job w = train("a100-sxm4-80gb", "llama-2-7b");
  w.hardware.count = 4;
  w.parallel = Parallel{1, 1, 4, 1, 1, 0};
  w.training.grad_accum = 8;
  const ParallelEstimate plain = estimate_parallel(w);
  w.parallel.vpp = 2;
  const ParallelEstimate inter = estimate_parallel(w);
  // Work = slot·m, bubble = slot·(p-1)/v: 3/(2·8) = 0.1875 of the work (plain: 3/8).
  const double work = inter.step_s - inter.optimizer_s - inter.bubble_s;
  CHECK(inter.bubble_s / work == Approx(3.0 / 16).epsilon(1e-9));
  // PP time = per-slot sends x (m + (p-1)/v); the sends per slot double with v = 2:
  // plain 2c·(8 + 3) = 22c, interleaved 4c·(8 + 1.5) = 38c -> ratio 38/22.
  CHECK(inter.pp_s / plain.pp_s == Approx(38.0 / 22).epsilon(1e-9));
}

TEST_CASE("CPU offload: host optimizer step shared by the node, PCIe copies, exposed parts", "[time_mechanisms]") {
  Job w = train("a100-sxm4-80gb", "llama-2-7b");  // PCIe 4.0 x16: 31.5 GB/s x 0.76 = 23.94 GB/s per direction
  const double bw = 31.5e9 * 0.76;
  const OffloadShare share{1e9, 1e9, 8};
  SECTION("optimizer offload (ZeRO-Offload)") {
    w.training.offload = Offload::optimizer;
    // Mixed AdamW streams 30 B/param (fp32 master r/w 8, fp32 grad 4, m and v r/w 16, bf16 copy 2);
    // 8 ranks x 1e9 params x 30 B / 54 GB/s = 4.444 s.
    const OffloadTime t = offload_time(w, share, 4, 1.0, 0.5);
    CHECK(t.cpu_step_s == Approx(8 * 1e9 * 30 / 54e9));
    // 2 GB of grads down per micro-batch (0.0835 s, hidden behind a 0.5 s backward), 2 GB of params up once.
    CHECK(t.pcie_s == Approx(5 * 2e9 / bw));
    CHECK(t.exposed_s == Approx(2e9 / bw));
  }
  SECTION("parameter offload (FSDP CPU offload, ZeRO-3 offload)") {
    w.training.offload = Offload::params;
    // Per micro-batch: bf16 params up twice (forward, backward) 4 GB + grads down 2 GB = 6 GB / 23.94 GB/s = 0.2506 s;
    // behind a 0.1 s micro-batch 0.1506 s shows, x 4 micro-batches.
    const OffloadTime t = offload_time(w, share, 4, 0.1, 0.05);
    CHECK(t.pcie_s == Approx(4 * 6e9 / bw));
    CHECK(t.exposed_s == Approx(4 * (6e9 / bw - 0.1)));
  }
  SECTION("activation offload") {
    w.training.activation_offload = true;
    // Full recompute saves the layer inputs: 32 layers x 1 x 1024 x 4096 x 2 B = 268,435,456 B, down and up again:
    // 0.022426 s per micro-batch, 0.012426 s of it beyond a 0.01 s micro-batch.
    const OffloadTime t = offload_time(w, share, 2, 0.01, 0.005);
    CHECK(t.cpu_step_s == 0);
    CHECK(t.pcie_s == Approx(2 * 2 * 268435456.0 / bw));
    CHECK(t.exposed_s == Approx(2 * (2 * 268435456.0 / bw - 0.01)));
  }
  SECTION("the single-GPU step replaces the GPU optimizer with the host's") {
    w.training.grad_accum = 4;
    const TimeEstimate base = estimate_time_detailed(w, builtin_efficiency);
    w.training.offload = Offload::optimizer;
    const TimeEstimate off = estimate_time_detailed(w, builtin_efficiency);
    // llama-2-7b: 6.74e9 trainable params x 30 B / 54 GB/s = 3.74 s on one rank's host.
    CHECK(off.offload.cpu_step_s == Approx(6.738e9 * 30 / 54e9).epsilon(0.01));
    CHECK(off.result.step_time_s ==
          Approx(base.result.step_time_s - base.optimizer.time.value() + off.offload.cpu_step_s + off.offload.exposed_s));
  }
}

TEST_CASE("pcie-no-p2p: host memory shared by the node's GPUs caps the link", "[time_mechanisms]") {
  Job w;
  w.hardware.gpu = &gpu("rtx-5090");  // PCIe 5.0, no P2P: 63 GB/s x 0.41 = 25.83 GB/s per direction
  w.hardware.count = 2;
  CHECK(fabric_of(w).intra.achievable.value() == Approx(63e9 * 0.41));  // 448/(2·2) = 112 does not bind
  w.hardware.count = 16;
  w.hardware.per_node = 16;
  CHECK(fabric_of(w).intra.achievable.value() == Approx(448e9 / 32));  // 14 GB/s < 25.83
  w.hardware.interconnect = Interconnect::pcie;  // with P2P the host is not in the path
  CHECK(fabric_of(w).intra.achievable.value() == Approx(63e9 * 0.84));
}

TEST_CASE("CUDA-graph decode: one graph launch per step instead of a dispatch per kernel", "[time_mechanisms]") {
  Job w;
  w.hardware.gpu = &gpu("a100-sxm4-80gb");
  w.model = &model("llama-2-7b");
  w.inference.prompt = 0;
  w.inference.generate = 16;
  const RatedGpu dev = rated_gpu(w, builtin_efficiency);
  RuntimeEfficiency rt = builtin_efficiency.for_runtime(Runtime::pytorch);  // 25 us host per kernel
  rt.graph_launch = Seconds{20e-6};
  rt.graph_max_batch = 1;
  CHECK(estimate_time_on(dev, w, rt).decode.host.value() == Approx(20e-6));
  w.batch = 2;  // beyond the captured sizes: eager dispatch, hundreds of kernels x 25 us
  CHECK(estimate_time_on(dev, w, rt).decode.host.value() > 100 * 25e-6);
  // The built-in graph runtimes carry their capture limits as data.
  CHECK(builtin_efficiency.for_runtime(Runtime::vllm).graph_max_batch == 512);
  CHECK(builtin_efficiency.for_runtime(Runtime::tensorrt_llm).graph_max_batch == 128);
  CHECK(builtin_efficiency.for_runtime(Runtime::llama_cpp).graph_max_batch == 1);
  CHECK(builtin_efficiency.for_runtime(Runtime::mlc).graph_max_batch > 0);
  CHECK(builtin_efficiency.for_runtime(Runtime::exllama).graph_max_batch > 0);
  CHECK(builtin_efficiency.for_runtime(Runtime::pytorch).graph_max_batch == 0);
}

TEST_CASE("llama.cpp on several GPUs splits by layer (its default), other runtimes keep tensor parallelism",
          "[time_mechanisms]") {
  Job w;
  w.hardware.gpu = &gpu("rtx-3090");
  w.model = &model("llama-2-7b");
  w.runtime = Runtime::llama_cpp;
  w.weights = WeightFormat::q4_k_m;
  w.inference.prompt = 0;
  w.inference.generate = 128;
  w.hardware.count = 2;
  w.parallel.tp = 2;
  const double as_tp = estimate_parallel(w).result.decode_tokens_per_s;
  w.parallel.tp = 1;
  w.parallel.pp = 2;
  const double as_pp = estimate_parallel(w).result.decode_tokens_per_s;
  CHECK(as_tp == as_pp);  // "tp": 2 under llama.cpp is --split-mode layer over 2 GPUs
  w.runtime = Runtime::vllm;
  w.weights = WeightFormat::bf16;
  const double vllm_pp = estimate_parallel(w).result.decode_tokens_per_s;
  w.parallel.pp = 1;
  w.parallel.tp = 2;
  CHECK(estimate_parallel(w).result.decode_tokens_per_s > 1.3 * vllm_pp);  // real TP halves the weight reads
}
