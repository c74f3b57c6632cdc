// Consistency checks of a job (headroom/checks.hpp) and the GPU x runtime x format table (can_run,
// headroom/job.hpp). The model dimensions used are those of the configs in data/models (llama-3-8b:
// 32 layers, 32 heads, 8 KV heads, 8192 positions, no rope_scaling; llama-3.1-8b: 131072 positions
// with rope_scaling; gpt2: 12 heads, 1024 learned positions; bloom-7b1: ALiBi, 2048).

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

#include "headroom/catalog.hpp"
#include "headroom/checks.hpp"

using namespace headroom;

namespace {

Job inference(std::string_view model, std::string_view gpu = "h100-sxm5-80gb") {
  const Catalog& cat = Catalog::builtin();
  Job w;
  w.hardware.gpu = &cat.gpu(gpu);
  w.model = &cat.model(model);
  w.task = Task::inference;
  w.inference.prompt = 512;
  w.inference.generate = 128;
  return w;
}

Job training(std::string_view model, std::string_view gpu = "h100-sxm5-80gb") {
  Job w = inference(model, gpu);
  w.task = Task::training;
  w.training.seq = 2048;
  return w;
}

/// The only finding of `w` (fails when there is not exactly one).
Finding only(const Job& w) {
  const Findings f = check(w);
  REQUIRE(f.size() == 1);
  return *f.begin();
}

bool has(const Finding& f, std::string_view text) { return f.message.view().find(text) != std::string_view::npos; }

}  // namespace

TEST_CASE("check: a consistent job has no findings") {
  Job w = inference("llama-3-8b");
  w.hardware.count = 8;
  w.parallel.tp = 8;  // 32 heads / 8, 8 KV heads / 8
  CHECK(check(w).size() == 0);
  Job t = training("llama-3-8b");
  t.hardware.count = 4;
  t.parallel.pp = 4;
  CHECK(check(t).size() == 0);
}

TEST_CASE("check: message text composes numbers") {
  CheckText t;
  t << "tp = " << 16 << ", " << std::int64_t{-42} << ", " << std::int64_t{0};
  CHECK(t.view() == "tp = 16, -42, 0");
  CheckText big;
  for (int i = 0; i < 100; ++i) big << "abcdef";
  CHECK(big.view().size() == CheckText::capacity);  // cut, never past the buffer
}

TEST_CASE("check: pipeline stages beyond the layers") {
  Job w = training("llama-3-8b");
  w.parallel.pp = 64;  // 32 layers
  const Finding f = only(w);
  CHECK(f.severity == Severity::error);
  CHECK(f.field == "parallel.pp");
  CHECK(has(f, "pp = 64"));
  CHECK(has(f, "pp <= 32"));
  w.parallel.pp = 32;  // one layer per stage is allowed
  CHECK(check(w).size() == 0);
}

TEST_CASE("check: tensor parallel against attention and KV heads") {
  Job w = inference("llama-3-8b");
  SECTION("tp not dividing the 32 heads") {
    w.parallel.tp = 3;
    const Finding f = only(w);
    CHECK(f.severity == Severity::error);
    CHECK(f.field == "parallel.tp");
    CHECK(has(f, "does not divide the model's 32 attention heads"));
  }
  SECTION("tp above the heads") {
    w.parallel.tp = 64;
    const Finding f = only(w);
    CHECK(f.severity == Severity::error);
    CHECK(has(f, "more than the model's 32 attention heads"));
  }
  SECTION("tp 16 over 8 KV heads: each KV head on 16/8 = 2 ranks") {
    w.parallel.tp = 16;
    const Finding f = only(w);
    CHECK(f.severity == Severity::warning);
    CHECK(f.field == "parallel.tp");
    CHECK(has(f, "replicated 2 times"));
  }
  SECTION("tp dividing the heads but neither dividing nor a multiple of the KV heads") {
    ModelArch m = *w.model;
    m.heads = 48;
    m.kv_heads = 12;  // 48 % 8 == 0, 12 % 8 == 4, 8 < 12
    w.model = &m;
    w.parallel.tp = 8;
    const Finding f = only(w);
    CHECK(f.severity == Severity::error);
    CHECK(has(f, "does not divide the model's 12 KV heads"));
  }
}

TEST_CASE("check: expert parallel") {
  Job w = inference("llama-3-8b");
  w.parallel.ep = 2;
  SECTION("on a dense model") {
    const Finding f = only(w);
    CHECK(f.severity == Severity::error);
    CHECK(f.field == "parallel.ep");
    CHECK(has(f, "dense"));
  }
  SECTION("on 8 experts") {
    ModelArch moe = *w.model;
    moe.experts = 8;
    moe.experts_per_token = 2;
    moe.expert_intermediate = moe.intermediate;
    w.model = &moe;
    w.hardware.count = 2;
    w.parallel.dp = 2;            // attention DP over 2 GPUs, the experts spread over them
    CHECK(check(w).size() == 0);  // 8 % 2 == 0 and 2 % 2 == 0
    w.parallel.ep = 3;
    const Finding f = only(w);
    CHECK(f.severity == Severity::error);
    CHECK(has(f, "does not divide the model's 8 experts"));
    // Inference spreads the experts over dp x tp = 2 GPUs: ep = 4 has no GPU for half of its groups.
    w.parallel.ep = 4;
    const Finding g = only(w);
    CHECK(g.field == "parallel.ep");
    CHECK(has(g, "does not divide dp x tp = 2 x 1 = 2"));
    // Training: Megatron-Core's expert ranks tile the dp x tp x cp GPUs of a stage, so ep = 4 over
    // 2 GPUs is refused as well, worded with cp ...
    w.task = Task::training;
    w.training.seq = 2048;
    const Finding h = only(w);
    CHECK(h.field == "parallel.ep");
    CHECK(has(h, "does not divide dp x tp x cp = 2 x 1 x 1 = 2"));
    // ... and context parallelism 2 gives the stage the 4 GPUs the expert groups need.
    w.parallel.cp = 2;
    w.hardware.count = 4;
    CHECK(check(w).size() == 0);
  }
}

TEST_CASE("check: context parallel divides the training sequence") {
  Job w = training("llama-3-8b");
  w.parallel.cp = 3;  // 2048 % 3 == 2
  const Finding f = only(w);
  CHECK(f.severity == Severity::error);
  CHECK(f.field == "parallel.cp");
  CHECK(has(f, "seq = 2048"));
  w.parallel.cp = 4;
  CHECK(check(w).size() == 0);
}

TEST_CASE("check: context beyond the model's positions") {
  SECTION("learned positions: an error") {
    Job w = inference("gpt2");
    w.inference.prompt = 200'000;
    w.inference.generate = 0;
    const Finding f = only(w);
    CHECK(f.severity == Severity::error);
    CHECK(f.field == "prompt");
    CHECK(has(f, "prompt + generate = 200000"));
    CHECK(has(f, "1024 learned positions"));
  }
  SECTION("exactly at the limit is fine") {
    Job w = inference("gpt2");
    w.inference.prompt = 1000;
    w.inference.generate = 24;  // 1024
    CHECK(check(w).size() == 0);
  }
  SECTION("inference beyond RoPE positions without scaling in the config: a warning (the runtime can set it)") {
    Job w = inference("llama-3-8b");
    w.inference.prompt = 8192;
    w.inference.generate = 1;  // 8193 > 8192
    const Finding f = only(w);
    CHECK(f.severity == Severity::warning);
    CHECK(f.field == "prompt");
    CHECK(has(f, "RoPE scaling enabled in the runtime"));
  }
  SECTION("training beyond the positions: a warning (the model can be built for its length)") {
    Job w = training("gpt2");
    w.training.seq = 4096;  // 1024 learned positions
    const Finding f = only(w);
    CHECK(f.severity == Severity::warning);
    CHECK(f.field == "seq");
    CHECK(has(f, "seq = 4096 is beyond the config's 1024 positions"));
  }
  SECTION("a config with rope_scaling: a warning naming it") {
    Job w = inference("llama-3.1-8b");
    w.inference.prompt = 200'000;
    const Finding f = only(w);
    CHECK(f.severity == Severity::warning);
    CHECK(has(f, "RoPE scaling"));
  }
  SECTION("ALiBi: a warning") {
    Job w = training("bloom-7b1");
    w.training.seq = 4096;
    const Finding f = only(w);
    CHECK(f.severity == Severity::warning);
    CHECK(has(f, "ALiBi"));
  }
  SECTION("solve max_context asks for the limit: no finding on the given context") {
    Job w = inference("gpt2");
    w.inference.prompt = 4096;
    w.question.solve = Solve::max_context;
    CHECK(check(w).size() == 0);
  }
}

TEST_CASE("check: a collective needs two GPUs") {
  Job w;
  w.task = Task::collective;
  w.hardware.gpu = &Catalog::builtin().gpu("h100-sxm5-80gb");
  w.collective.op = Collective::all_reduce;
  w.collective.bytes = 1e9;
  const Finding f = only(w);
  CHECK(f.severity == Severity::error);
  CHECK(f.field == "gpus");
  CHECK(has(f, "gpus >= 2"));
  w.hardware.count = 2;
  w.parallel.dp = 2;
  CHECK(check(w).size() == 0);
}

TEST_CASE("can_run: the GPU x runtime x format table") {
  const Catalog& cat = Catalog::builtin();
  const auto blocked = [](const Job& w) -> std::string_view {
    const RunRule* r = cannot_run(*w.hardware.gpu, normalize(w));
    return r == nullptr ? std::string_view{} : r->field;
  };
  SECTION("NVLink on a GPU without it") {
    Job w = inference("llama-3-8b", "rtx-4090");
    w.hardware.interconnect = Interconnect::nvlink;
    CHECK(blocked(w) == "interconnect");
    w.hardware.interconnect = Interconnect::nvlink_bridge;
    CHECK(blocked(w) == "interconnect");
    w.hardware.interconnect = Interconnect::pcie;
    CHECK(blocked(w).empty());
    Job a = inference("llama-3-8b", "a100-pcie-80gb");  // NVLink bridge pairs
    a.hardware.interconnect = Interconnect::nvlink_bridge;
    CHECK(blocked(a).empty());
  }
  SECTION("llama.cpp loads GGUF (and plain fp16/bf16/fp32) only") {
    Job w = inference("llama-3-8b", "rtx-4090");
    w.runtime = Runtime::llama_cpp;
    for (const WeightFormat f : {WeightFormat::awq_4bit, WeightFormat::gptq_4bit, WeightFormat::nf4, WeightFormat::int8}) {
      w.weights = f;
      CHECK(blocked(w) == "weights");
    }
    for (const WeightFormat f : {WeightFormat::q4_k_m, WeightFormat::q8_0, WeightFormat::fp16}) {
      w.weights = f;
      CHECK(blocked(w).empty());
    }
  }
  SECTION("GGUF formats outside llama.cpp and vLLM") {
    Job w = inference("llama-3-8b", "rtx-4090");
    w.weights = WeightFormat::q4_k_m;
    w.runtime = Runtime::exllama;
    CHECK(blocked(w) == "weights");
    w.runtime = Runtime::tensorrt_llm;
    CHECK(blocked(w) == "weights");
    w.runtime = Runtime::vllm;
    CHECK(blocked(w).empty());
  }
  SECTION("fp8 compute needs FP8 tensor cores, fp4 needs FP4") {
    Job w = inference("llama-3-8b", "v100-sxm2-32gb");
    w.compute = Precision::fp8;
    CHECK(blocked(w) == "compute");
    w.hardware.gpu = &cat.gpu("a100-sxm4-80gb");
    CHECK(blocked(w) == "compute");
    w.hardware.gpu = &cat.gpu("l40s");  // Ada
    CHECK(blocked(w).empty());
    w.compute = Precision::fp4;
    w.hardware.gpu = &cat.gpu("h100-sxm5-80gb");
    CHECK(blocked(w) == "compute");
    w.hardware.gpu = &cat.gpu("b200-hgx");
    CHECK(blocked(w).empty());
  }
  SECTION("the 2026 GPUs: CUDA and non-CUDA SoCs, Blackwell consumer fp4, CDNA 4 fp8/fp4") {
    // DGX Spark's GB10 runs CUDA (sm_121): the serving and training stacks run on it.
    for (const Runtime r : {Runtime::pytorch, Runtime::vllm, Runtime::sglang, Runtime::tensorrt_llm, Runtime::llama_cpp})
      CHECK(can_run(cat.gpu("dgx-spark-gb10"), r));
    // Apple M4 Max and Ryzen AI Max+ 395 have no CUDA: llama.cpp and MLC only.
    for (const std::string_view id : {"apple-m4-max-40c", "ryzen-ai-max-plus-395"}) {
      INFO(id);
      CHECK(can_run(cat.gpu(id), Runtime::llama_cpp));
      CHECK(can_run(cat.gpu(id), Runtime::mlc));
      CHECK_FALSE(can_run(cat.gpu(id), Runtime::pytorch));
      CHECK_FALSE(can_run(cat.gpu(id), Runtime::vllm));
    }
    Job w = inference("llama-3-8b", "rtx-5080");
    w.compute = Precision::fp4;  // Blackwell consumer tensor cores run FP4
    CHECK(blocked(w).empty());
    w.hardware.gpu = &cat.gpu("dgx-spark-gb10");
    CHECK(blocked(w).empty());
    w.hardware.gpu = &cat.gpu("rtx-4060-ti-16gb");  // Ada: no FP4
    CHECK(blocked(w) == "compute");
    w.hardware.gpu = &cat.gpu("mi355x");  // CDNA 4: MXFP4
    CHECK(blocked(w).empty());
    w.compute = Precision::fp8;
    CHECK(blocked(w).empty());
    w.hardware.gpu = &cat.gpu("ryzen-ai-max-plus-395");  // RDNA 3.5: no FP8
    w.runtime = Runtime::llama_cpp;
    CHECK(blocked(w) == "compute");
    w.hardware.gpu = &cat.gpu("rtx-3060-12gb");  // Ampere: no FP8
    CHECK(blocked(w) == "compute");
    w.hardware.gpu = &cat.gpu("h20-96gb");  // Hopper: FP8, no FP4
    w.runtime = Runtime::vllm;
    CHECK(blocked(w).empty());
    w.compute = Precision::fp4;
    CHECK(blocked(w) == "compute");
    w.compute = Precision::bf16;
    w.hardware.gpu = &cat.gpu("mi355x");
    w.runtime = Runtime::tensorrt_llm;
    CHECK(blocked(w) == "runtime");
    w.runtime = Runtime::sglang;
    CHECK(blocked(w).empty());
  }
  SECTION("unified memory and TensorRT-LLM, as before") {
    CHECK_FALSE(can_run(cat.gpu("apple-m3-ultra"), Runtime::pytorch));
    CHECK(can_run(cat.gpu("apple-m3-ultra"), Runtime::llama_cpp));
    CHECK_FALSE(can_run(cat.gpu("mi300x"), Runtime::tensorrt_llm));
  }
  SECTION("check() reports the rule with the value and the GPU") {
    Job w = inference("llama-3-8b", "v100-sxm2-32gb");
    w.compute = Precision::fp8;
    const Finding f = only(w);
    CHECK(f.severity == Severity::error);
    CHECK(f.field == "compute");
    CHECK(has(f, "compute \"fp8\" cannot run on v100-sxm2-32gb"));
  }
}
