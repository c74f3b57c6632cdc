// The case format of docs/cases.md: defaults, accepted spellings, error messages and the answer
// object (the stream behaviour of `headroom eval` is tested in tests/cli/case_stream_test.cpp).

#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <type_traits>
#include <vector>

#include "headroom/io/cases.hpp"

using headroom::Catalog;
using headroom::StringStore;
using headroom::Job;
using json = nlohmann::json;
namespace hr = headroom;

namespace {

/// The built-in catalog, plus stand-ins for rtx-4090 and llama-3-8b when the built-in tables lack
/// them, so these tests do not depend on the catalog data.
const Catalog& test_catalog() {
  static const Catalog c = [] {
    Catalog cat = Catalog::builtin();
    if (cat.find_gpu("rtx-4090") == nullptr) {
      hr::GpuSpec g;
      g.id = "rtx-4090";
      g.name = "GeForce RTX 4090";
      g.memory = hr::gib(24);
      g.memory_bandwidth = hr::gb_per_s(1008);
      g.peak.bf16 = hr::tflops(165.2);
      g.peak.fp16 = hr::tflops(165.2);
      g.peak.fp32 = hr::tflops(82.6);
      g.peer_access = hr::PeerAccess::host;
      cat.put(g);
    }
    if (cat.find_model("llama-3-8b") == nullptr) {
      hr::ModelArch m;
      m.id = "llama-3-8b";
      m.model_type = "llama";
      m.hidden = 4096;
      m.layers = 32;
      m.heads = 32;
      m.kv_heads = 8;
      m.head_dim = 128;
      m.intermediate = 14336;
      m.vocab = 128256;
      m.max_positions = 8192;
      cat.put(m);
    }
    return cat;
  }();
  return c;
}

json base() { return json{{"gpu", "rtx-4090"}, {"model", "llama-3-8b"}}; }

Job parse(const json& c) {
  static StringStore strings;
  return hr::job_from_json(c, test_catalog(), strings);
}

Job parse_with(const char* key, const json& value) {
  json c = base();
  c[key] = value;
  return parse(c);
}

/// The message of the InputError that parsing `c` throws ("" when it does not throw).
std::string error_of(const json& c) {
  try {
    (void)parse(c);
  } catch (const hr::Error& e) {
    return e.what();
  }
  return "";
}

std::string error_with(const char* key, const json& value) {
  json c = base();
  c[key] = value;
  return error_of(c);
}

using Catch::Matchers::Contains;

}  // namespace

TEST_CASE("cases: every default of docs/cases.md", "[cases]") {
  const Job w = parse(base());
  CHECK(w.hardware.gpu->id == "rtx-4090");
  CHECK(w.model->id == "llama-3-8b");
  CHECK(w.hardware.count == 1);
  CHECK(w.hardware.per_node == 0);
  CHECK(w.hardware.node_size() == 1);
  CHECK(w.hardware.interconnect == hr::Interconnect::from_gpu);
  CHECK(w.hardware.network == hr::Network::ib_400);
  CHECK(w.task == hr::Task::inference);
  CHECK(w.training.method == hr::Method::full);
  CHECK_FALSE(w.weights.has_value());  // implied: normalize() fills it
  CHECK(hr::normalize(w).weights == hr::WeightFormat::bf16);
  CHECK(w.compute == hr::Precision::bf16);
  CHECK(w.training.lora_rank == 16);
  CHECK(w.training.lora_targets == hr::lora_all_linear);
  CHECK(w.training.optimizer == hr::Optimizer::adamw);
  CHECK(w.training.precision == hr::PrecisionPolicy::mixed);
  CHECK(w.training.loss == hr::LossKind::standard);
  CHECK_FALSE(w.training.optimizer_in_backward);
  CHECK_FALSE(w.training.activation_offload);
  CHECK_FALSE(w.compile);
  CHECK(w.training.offload == hr::Offload::none);
  CHECK(w.batch == 1);
  CHECK_FALSE(w.question.batch_max);
  CHECK(w.training.grad_accum == 1);
  CHECK(w.training.seq == 2048);
  CHECK(w.training.checkpointing == hr::Checkpointing::none);
  CHECK(w.flash_attention);
  CHECK(w.parallel.dp == 1);
  CHECK(w.parallel.tp == 1);
  CHECK(w.parallel.pp == 1);
  CHECK(w.parallel.cp == 1);
  CHECK(w.parallel.ep == 1);
  CHECK(w.parallel.zero == 0);
  CHECK(w.inference.prompt == 512);
  CHECK(w.inference.generate == 128);
  CHECK_FALSE(w.inference.kv_cache.has_value());  // implied: follows compute
  CHECK(hr::normalize(w).inference.kv_cache == hr::KvFormat::bf16);
  CHECK(w.runtime == hr::Runtime::pytorch);
  CHECK(w.collective.op == hr::Collective::none);
  CHECK(w.collective.bytes == 0);
  CHECK(w.question.solve == hr::Solve::none);
}

TEST_CASE("cases: defaults that depend on other fields", "[cases]") {
  SECTION("gpus_per_node is min(gpus, 8)") {
    json c = base();
    c["gpus"] = 4;
    c["parallel"] = {{"tp", 4}};
    CHECK(parse(c).hardware.node_size() == 4);
    c["gpus"] = 32;
    c["parallel"] = {{"dp", 8}, {"tp", 4}};
    CHECK(parse(c).hardware.node_size() == 8);
    c["gpus_per_node"] = 4;
    CHECK(parse(c).hardware.node_size() == 4);
  }
  SECTION("qlora implies nf4-dq unless weights is given") {
    json c = base();
    c["task"] = "training";
    c["method"] = "qlora";
    CHECK(hr::normalize(parse(c)).weights == hr::WeightFormat::nf4_dq);
    c["weights"] = "nf4";
    CHECK(hr::normalize(parse(c)).weights == hr::WeightFormat::nf4);
    c["method"] = "lora";
    c.erase("weights");
    CHECK(hr::normalize(parse(c)).weights == hr::WeightFormat::bf16);
  }
  SECTION("kv_cache follows compute unless given") {
    CHECK(hr::normalize(parse_with("compute", "fp16")).inference.kv_cache == hr::KvFormat::fp16);
    CHECK(hr::normalize(parse_with("compute", "fp8")).inference.kv_cache == hr::KvFormat::fp8);
    CHECK(hr::normalize(parse_with("compute", "fp32")).inference.kv_cache == hr::KvFormat::fp32);
    CHECK(hr::normalize(parse_with("compute", "tf32")).inference.kv_cache == hr::KvFormat::fp32);
    CHECK_FALSE(parse_with("compute", "fp16").inference.kv_cache.has_value());
    json c = base();
    c["compute"] = "fp16";
    c["kv_cache"] = "fp8";
    const Job w = parse(c);
    CHECK(w.inference.kv_cache == hr::KvFormat::fp8);
    CHECK(hr::normalize(w).inference.kv_cache == hr::KvFormat::fp8);
  }
}

TEST_CASE("cases: the case parser and the C++ API answer a QLoRA job without weights alike", "[cases]") {
  json c = base();
  c["task"] = "training";
  c["method"] = "qlora";
  const Job parsed = parse(c);
  Job api;
  api.hardware.gpu = &test_catalog().gpu("rtx-4090");
  api.model = &test_catalog().model("llama-3-8b");
  api.task = hr::Task::training;
  api.training.method = hr::Method::qlora;
  const hr::MemoryResult m = hr::estimate_memory(api);
  CHECK(m.breakdown.weights.value() == hr::estimate_memory(parsed).breakdown.weights.value());
  CHECK(m.per_gpu.value() == hr::estimate_memory(parsed).per_gpu.value());
  // 4-bit block linears (6.98e9 x 0.5 B) + 16-bit embedding and head (1.05e9 x 2 B): 5.59e9 B, not the
  // 16.06e9 B of 16-bit weights.
  CHECK(m.breakdown.weights.value() == Approx(5.5915e9).epsilon(1e-4));
  CHECK(hr::estimate_time(api).step_time_s == hr::estimate_time(parsed).step_time_s);
}

TEST_CASE("cases: every spelling of every enum field is accepted and round-trips", "[cases]") {
  // Each field on a job it applies to, on hardware and a runtime that can run every value
  // (checks.hpp: GGUF formats on vLLM, fp4 on Blackwell, NVLink on an NVLink GPU).
  auto each = [](const char* field, auto table, auto member, json c = base()) {
    for (const auto& n : table) {
      if (!n.input) continue;
      if constexpr (std::is_same_v<std::decay_t<decltype(n.value)>, hr::Task>)
        if (n.value == hr::Task::collective) continue;  // takes no model: tested below
      c[field] = std::string(n.name);
      INFO(field << " = " << n.name);
      const Job w = parse(c);
      CHECK(member(w) == n.value);
      CHECK(hr::to_string(member(w)) == n.name);
    }
  };
  each("task", hr::names::table<hr::Task>(), [](const Job& w) { return w.task; });
  json train = base();
  train["task"] = "training";
  json vllm = base();
  vllm["runtime"] = "vllm";
  json b200 = base();
  b200["gpu"] = "b200-hgx";
  each("method", hr::names::table<hr::Method>(), [](const Job& w) { return w.training.method; }, train);
  each("weights", hr::names::table<hr::WeightFormat>(), [](const Job& w) { return *w.weights; }, vllm);
  each("compute", hr::names::table<hr::Precision>(), [](const Job& w) { return w.compute; }, b200);
  each("kv_cache", hr::names::table<hr::KvFormat>(), [](const Job& w) { return *w.inference.kv_cache; });
  each("optimizer", hr::names::table<hr::Optimizer>(), [](const Job& w) { return w.training.optimizer; }, train);
  each("precision", hr::names::table<hr::PrecisionPolicy>(), [](const Job& w) { return w.training.precision; }, train);
  each("loss", hr::names::table<hr::LossKind>(), [](const Job& w) { return w.training.loss; }, train);
  each("offload", hr::names::table<hr::Offload>(), [](const Job& w) { return w.training.offload; }, train);
  each("grad_checkpointing", hr::names::table<hr::Checkpointing>(), [](const Job& w) { return w.training.checkpointing; }, train);
  each("interconnect", hr::names::table<hr::Interconnect>(), [](const Job& w) { return w.hardware.interconnect; }, b200);
  each("network", hr::names::table<hr::Network>(), [](const Job& w) { return w.hardware.network; });
  each("runtime", hr::names::table<hr::Runtime>(), [](const Job& w) { return w.runtime; });
  json t = base();
  t["task"] = "training";
  t["solve"] = "max_seq";
  CHECK(parse(t).question.solve == hr::Solve::max_seq);
  CHECK(parse_with("solve", "max_batch").question.solve == hr::Solve::max_batch);
  CHECK(parse_with("solve", "max_context").question.solve == hr::Solve::max_context);
}

TEST_CASE("cases: spellings that exist in C++ but not in the case format are rejected", "[cases]") {
  CHECK_THAT(error_with("compute", "int8"), Contains("'compute'") && Contains("allowed: fp32, tf32, bf16, fp16, fp8"));
  CHECK_THAT(error_with("kv_cache", "fp32"), Contains("'kv_cache'"));
  CHECK_THAT(error_with("interconnect", "from-gpu"), Contains("'interconnect'"));
  CHECK_THAT(error_with("solve", "none"), Contains("'solve'"));
}

TEST_CASE("cases: scalar fields", "[cases]") {
  SECTION("integers") {
    CHECK(parse_with("lora_rank", 64).training.lora_rank == 64);
    CHECK(parse_with("seq", 4096).training.seq == 4096);
    CHECK(parse_with("grad_accum", 128).training.grad_accum == 128);
    CHECK(parse_with("prompt", 0).inference.prompt == 0);
    CHECK(parse_with("generate", 0).inference.generate == 0);
    CHECK(parse_with("batch", 8).batch == 8);
    CHECK(parse_with("batch", 8.0).batch == 8);  // a whole number written as a float
    CHECK(parse_with("gpus_per_node", 4).hardware.per_node == 4);
  }
  SECTION("batch max") {
    const Job w = parse_with("batch", "max");
    CHECK(w.question.batch_max);
    CHECK(w.batch == 1);
  }
  SECTION("bools") {
    CHECK_FALSE(parse_with("flash_attention", false).flash_attention);
    CHECK(parse_with("compile", true).compile);
    CHECK(parse_with("optimizer_in_backward", true).training.optimizer_in_backward);
    CHECK(parse_with("activation_offload", true).training.activation_offload);
  }
  SECTION("grad_checkpointing: string or bool") {
    CHECK(parse_with("grad_checkpointing", true).training.checkpointing == hr::Checkpointing::full);
    CHECK(parse_with("grad_checkpointing", false).training.checkpointing == hr::Checkpointing::none);
    CHECK(parse_with("grad_checkpointing", "selective").training.checkpointing == hr::Checkpointing::selective);
  }
  SECTION("id is echoed, only strings") {
    CHECK_NOTHROW(parse_with("id", "my-case"));
    CHECK_THAT(error_with("id", 7), Contains("'id'") && Contains("string"));
  }
}

TEST_CASE("cases: lora_targets", "[cases]") {
  CHECK(parse_with("lora_targets", "all-linear").training.lora_targets == hr::lora_all_linear);
  CHECK(parse_with("lora_targets", "attention").training.lora_targets == hr::lora_attention);
  CHECK(parse_with("lora_targets", json::array({"q_proj", "v_proj"})).training.lora_targets == (hr::lora_q | hr::lora_v));
  CHECK(parse_with("lora_targets", json::array({"q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj",
                                                "down_proj"}))
            .training.lora_targets == hr::lora_all_linear);
  CHECK(parse_with("lora_targets", json::array({"q_proj", "lm_head"})).training.lora_targets ==
        (hr::lora_q | hr::lora_lm_head));
  CHECK_THAT(error_with("lora_targets", json::array({"q_proj", "v_prj"})),
             Contains("'lora_targets'") && Contains("'v_prj'") && Contains("did you mean 'v_proj'"));
  CHECK_THAT(error_with("lora_targets", json::array()), Contains("empty"));
  CHECK_THAT(error_with("lora_targets", "q_proj"), Contains("[\"q_proj\"]"));
  CHECK_THAT(error_with("lora_targets", "all_linear"), Contains("did you mean 'all-linear'"));
  CHECK_THAT(error_with("lora_targets", 3), Contains("'lora_targets'") && Contains("number 3"));
  CHECK_THAT(error_with("lora_targets", json::array({1})), Contains("strings"));
}

TEST_CASE("cases: parallel", "[cases]") {
  json c = base();
  c["gpus"] = 8;
  c["parallel"] = {{"dp", 2}, {"tp", 2}, {"pp", 2}, {"zero", 3}, {"ep", 1}};
  const Job w = parse(c);
  CHECK(w.parallel.dp == 2);
  CHECK(w.parallel.tp == 2);
  CHECK(w.parallel.pp == 2);
  CHECK(w.parallel.cp == 1);
  CHECK(w.parallel.ep == 1);
  CHECK(w.parallel.zero == 3);

  SECTION("the product must equal gpus, and the message says what it is") {
    c["parallel"] = {{"dp", 2}, {"tp", 2}};
    CHECK_THAT(error_of(c), Contains("'parallel'") && Contains("dp*tp*pp*cp = 2*2*1*1 = 4") &&
                                Contains("gpus = 8") && Contains("dp = 4"));
    c["parallel"] = {{"tp", 3}};
    CHECK_THAT(error_of(c), Contains("= 3") && Contains("\"gpus\": 3"));
  }
  SECTION("gpus > 1 without parallel is an error that says how to split") {
    c.erase("parallel");
    CHECK_THAT(error_of(c), Contains("= 1, but gpus = 8") && Contains("{\"dp\": 8}") && Contains("{\"tp\": 8}"));
  }
  SECTION("ranges and unknown keys") {
    c["parallel"] = {{"dp", 8}, {"zero", 4}};
    CHECK_THAT(error_of(c), Contains("'parallel.zero'") && Contains("<= 3") && Contains("got 4"));
    c["parallel"] = {{"dp", 8}, {"tq", 1}};
    CHECK_THAT(error_of(c), Contains("'parallel.tq'") && Contains("did you mean 'tp'"));
    c["parallel"] = {{"dp", 0}};
    CHECK_THAT(error_of(c), Contains("'parallel.dp'") && Contains(">= 1"));
    c["parallel"] = "dp=8";
    CHECK_THAT(error_of(c), Contains("'parallel'") && Contains("object"));
  }
  SECTION("vpp: default 1, needs pp > 1, and (training) grad_accum a multiple of pp") {
    CHECK(w.parallel.vpp == 1);
    c["parallel"] = {{"dp", 4}, {"pp", 2}, {"vpp", 3}};
    CHECK(parse(c).parallel.vpp == 3);
    c["parallel"] = {{"dp", 8}, {"vpp", 2}};
    CHECK_THAT(error_of(c), Contains("'parallel.vpp'") && Contains("\"pp\" > 1"));
    c["parallel"] = {{"dp", 4}, {"pp", 2}, {"vpp", 0}};
    CHECK_THAT(error_of(c), Contains("'parallel.vpp'") && Contains(">= 1"));
    c["task"] = "training";
    c["parallel"] = {{"dp", 2}, {"pp", 4}, {"vpp", 2}};
    c["grad_accum"] = 6;  // Megatron's interleaved schedule runs groups of pp micro-batches
    CHECK_THAT(error_of(c), Contains("'grad_accum'") && Contains("multiple of pp = 4"));
    c["grad_accum"] = 8;
    CHECK(parse(c).parallel.vpp == 2);
  }
}

TEST_CASE("cases: collective", "[cases]") {
  json c{{"gpu", "rtx-4090"}, {"task", "collective"}, {"gpus", 2}, {"parallel", {{"dp", 2}}},
         {"collective", "all_reduce"}, {"bytes", 4294967296}};
  const Job w = parse(c);
  CHECK(w.task == hr::Task::collective);
  CHECK(w.collective.op == hr::Collective::all_reduce);
  CHECK(w.collective.bytes == 4294967296.0);
  CHECK(w.model == nullptr);  // a collective takes no model

  json m = c;
  m["model"] = "llama-3-8b";
  CHECK_THAT(error_of(m), Contains("'model'") && Contains("no model"));
  json nb = c;
  nb.erase("bytes");
  CHECK_THAT(error_of(nb), Contains("'bytes'") && Contains("needs"));
  json nc = c;
  nc.erase("collective");
  CHECK_THAT(error_of(nc), Contains("'collective'") && Contains("all_reduce"));
  json zb = c;
  zb["bytes"] = 0;
  CHECK_THAT(error_of(zb), Contains("'bytes'") && Contains("> 0"));
  json bad = c;
  bad["collective"] = "allreduce";
  CHECK_THAT(error_of(bad), Contains("did you mean 'all_reduce'"));
  CHECK_THAT(error_with("collective", "all_reduce"), Contains("'collective'") && Contains("only used with"));
  CHECK_THAT(error_with("bytes", 100), Contains("'bytes'") && Contains("only used with"));
}

TEST_CASE("cases: solve must match the task", "[cases]") {
  CHECK(parse_with("solve", "max_batch").question.solve == hr::Solve::max_batch);
  CHECK_THAT(error_with("solve", "max_seq"), Contains("max_context"));
  json t = base();
  t["task"] = "training";
  t["solve"] = "max_context";
  CHECK_THAT(error_of(t), Contains("max_seq"));
}

TEST_CASE("cases: errors name the field and the value, with did-you-mean", "[cases]") {
  SECTION("unknown field") {
    const auto e = error_with("lora_rnak", 8);
    CHECK_THAT(e, Contains("'lora_rnak'") && Contains("unknown field") && Contains("did you mean 'lora_rank'"));
    CHECK_THAT(error_with("flash_attn", true), Contains("did you mean 'flash_attention'"));
  }
  SECTION("bad enum value lists the allowed values") {
    const auto e = error_with("weights", "nf5");
    CHECK_THAT(e, Contains("'weights'") && Contains("'nf5'") && Contains("did you mean 'nf4'") &&
                      Contains("allowed: fp32, bf16, fp16, fp8, int8, nf4, nf4-dq"));
    CHECK_THAT(error_with("runtime", "llamacpp"), Contains("'runtime'") && Contains("did you mean 'llama.cpp'"));
    CHECK_THAT(error_with("task", "train"), Contains("did you mean 'training'"));
    CHECK_THAT(error_with("optimizer", "adam"), Contains("did you mean 'adamw'"));
    CHECK_THAT(error_with("grad_checkpointing", "yes"), Contains("'grad_checkpointing'") && Contains("allowed"));
  }
  SECTION("wrong types") {
    CHECK_THAT(error_with("gpus", "2"), Contains("'gpus'") && Contains("integer") && Contains("string \"2\""));
    CHECK_THAT(error_with("flash_attention", "true"), Contains("'flash_attention'") && Contains("true or false"));
    CHECK_THAT(error_with("weights", 4), Contains("'weights'") && Contains("must be a string"));
    CHECK_THAT(error_with("batch", 2.5), Contains("'batch'") && Contains("whole number"));
    CHECK_THAT(error_with("gpu", 4090), Contains("'gpu'") && Contains("catalog id"));
    CHECK_THAT(error_with("model", json::array({"llama-3-8b"})), Contains("'model'"));
  }
  SECTION("out of range") {
    CHECK_THAT(error_with("batch", 0), Contains("'batch'") && Contains(">= 1") && Contains("\"max\"") && Contains("got 0"));
    CHECK_THAT(error_with("batch", "maximum"), Contains("'batch'") && Contains("\"max\""));
    CHECK_THAT(error_with("gpus", 0), Contains("'gpus'") && Contains(">= 1"));
    CHECK_THAT(error_with("gpus", -3), Contains("'gpus'"));
    CHECK_THAT(error_with("seq", 0), Contains("'seq'"));
    CHECK_THAT(error_with("prompt", -1), Contains("'prompt'") && Contains(">= 0"));
    CHECK_THAT(error_with("lora_rank", 0), Contains("'lora_rank'"));
    CHECK_THAT(error_with("grad_accum", 0), Contains("'grad_accum'"));
    CHECK_THAT(error_with("seq", 1e300), Contains("'seq'"));
    CHECK_THAT(error_with("gpus_per_node", 0), Contains("'gpus_per_node'"));
    // Parsed from text, non-negative integers are unsigned JSON numbers: the same limits hold.
    for (const char* field : {"batch", "gpus", "seq", "lora_rank", "grad_accum", "gpus_per_node"}) {
      json c = base();
      c.update(json::parse(std::string("{\"") + field + "\": 0}"));
      CHECK_THAT(error_of(c), Contains(std::string("'") + field + "'") && Contains("got 0"));
    }
    CHECK_THAT(error_of(json::parse(R"({"gpu": "rtx-4090", "model": "llama-3-8b", "gpus": 2, "parallel": {"dp": 0, "tp": 2}})")),
               Contains("'parallel.dp'"));
    CHECK_THAT(error_of(json::parse(R"({"gpu": "rtx-4090", "model": "llama-3-8b", "seq": 18446744073709551615})")),
               Contains("'seq'"));
  }
  SECTION("required fields") {
    json c = base();
    c.erase("gpu");
    CHECK_THAT(error_of(c), Contains("'gpu'") && Contains("required"));
    c = base();
    c.erase("model");
    CHECK_THAT(error_of(c), Contains("'model'") && Contains("required"));
  }
  SECTION("a case is an object") {
    CHECK_THAT(error_of(json::array()), Contains("'case'") && Contains("object"));
    CHECK_THAT(error_of(json("rtx-4090")), Contains("'case'"));
  }
  SECTION("model object") {
    CHECK_THAT(error_with("model", json{{"hf-config", json::object()}}),
               Contains("'model.hf-config'") && Contains("did you mean 'hf_config'"));
    CHECK_THAT(error_with("model", json::object()), Contains("hf_config"));
    CHECK_THAT(error_with("model", json{{"hf_config", "config.json"}}), Contains("'model.hf_config'"));
  }
}

TEST_CASE("cases: unknown catalog ids suggest the closest", "[cases]") {
  try {
    (void)parse_with("gpu", "rtx-409");
    FAIL("no error");
  } catch (const hr::UnknownId& e) {
    CHECK(e.kind() == "gpu");
    CHECK_THAT(std::string(e.what()), Contains("'rtx-409'") && Contains("did you mean") && Contains("'rtx-4090'"));
  }
  try {
    (void)parse_with("model", "llama-3-8");
    FAIL("no error");
  } catch (const hr::UnknownId& e) {
    CHECK(e.kind() == "model");
    CHECK_THAT(std::string(e.what()), Contains("'llama-3-8b'"));
  }
}

TEST_CASE("cases: answer_to_json writes the output object of docs/cases.md", "[cases]") {
  hr::Answer a;
  a.has_memory = true;
  a.memory.breakdown.weights = hr::gib(14.95812345);
  a.memory.breakdown.activations = hr::gib(2.5);
  a.memory.breakdown.runtime = hr::gib(0.6);
  a.memory.per_gpu = a.memory.breakdown.total();
  a.memory.reserved = a.memory.per_gpu;  // the three levels equal: headroom = usable - device
  a.memory.device = a.memory.per_gpu;
  a.memory.capacity = hr::gib(24);
  a.memory.usable = a.memory.capacity;
  a.memory.fits = true;
  Job w = parse(base());

  SECTION("memory only") {
    const json j = hr::answer_to_json("case-1", a, w);
    CHECK(j.at("id") == "case-1");
    CHECK(j.at("ok") == true);
    const json& m = j.at("memory");
    CHECK(m.at("per_gpu_gib").get<double>() == Approx(18.0581));
    CHECK(m.at("capacity_gib").get<double>() == 24.0);
    CHECK(m.at("fits") == true);
    CHECK(m.at("headroom_gib").get<double>() == 5.9418);  // 24 - 18.05812345 = 5.94187655, rounded down
    CHECK(m.at("reserved_gib").get<double>() == Approx(18.0581));
    CHECK(m.at("device_gib").get<double>() == Approx(18.0581));
    CHECK(m.at("usable_gib").get<double>() == 24.0);
    const json& b = m.at("breakdown_gib");
    CHECK(b.size() == 9);
    for (const char* k : {"weights", "quant_constants", "lora", "gradients", "optimizer", "activations", "logits",
                          "kv_cache", "runtime"})
      CHECK(b.contains(k));
    CHECK(b.at("weights").get<double>() == 14.9581);  // 4 decimals
    CHECK(b.at("lora").get<double>() == 0.0);
    CHECK_FALSE(j.contains("time"));
    CHECK_FALSE(j.contains("limits"));
    CHECK_FALSE(j.contains("interval"));
    CHECK(j.size() == 3);
  }
  SECTION("time has only the non-zero keys and the bound") {
    a.has_time = true;
    a.time.bound = hr::Bound::memory;
    a.time.decode_tokens_per_s = 123.456789;
    a.time.prefill_tokens_per_s = 4567.891;
    a.time.ttft_s = 0.1123456;
    const json j = hr::answer_to_json(nullptr, a, w);
    CHECK(j.at("id").is_null());
    const json& t = j.at("time");
    CHECK(t.at("bound") == "memory");
    CHECK(t.at("decode_tokens_per_s").get<double>() == Approx(123.46).margin(1e-9));
    CHECK(t.at("prefill_tokens_per_s").get<double>() == Approx(4567.9).margin(1e-9));
    CHECK(t.at("ttft_s").get<double>() == Approx(0.11235).margin(1e-12));
    CHECK(t.size() == 4);
    CHECK_FALSE(t.contains("mfu"));
  }
  SECTION("numbers print as rounded, with no binary tail, down to the smallest doubles") {
    a.has_time = true;
    a.time.mfu = 0.678730000000000123;    // 0.67873 * 1e5 / 1e5 would print 0.6787300000000001
    a.time.ttft_s = 1.23456789e-310;       // subnormal: a power-of-ten scale factor overflows to NaN
    a.time.step_time_s = 123456789.0;
    a.memory.breakdown.weights = hr::gib(0.678730000000000123);
    const std::string text = hr::answer_text(hr::answer_to_json("x", a, w));
    INFO(text);
    // The number as printed: the text after "key": up to the next ',' or '}'.
    auto printed = [&text](const std::string& key) {
      const auto at = text.find("\"" + key + "\":");
      if (at == std::string::npos) return std::string("(absent)");
      const auto from = at + key.size() + 3;
      return text.substr(from, text.find_first_of(",}", from) - from);
    };
    CHECK(printed("mfu") == "0.67873");
    CHECK(printed("ttft_s") == "1.2346e-310");
    CHECK(printed("step_time_s") == "123460000.0");
    CHECK(printed("weights") == "0.6787");
  }
  SECTION("time with nothing computed is left out") {
    a.has_time = true;
    CHECK_FALSE(hr::answer_to_json("x", a, w).contains("time"));
  }
  SECTION("limits only for the limit solve asked for") {
    a.limits.max_batch = 3;
    a.limits.max_context = 9000;
    CHECK_FALSE(hr::answer_to_json("x", a, w).contains("limits"));
    w.question.solve = hr::Solve::max_batch;
    const json j = hr::answer_to_json("x", a, w);
    CHECK(j.at("limits") == json{{"max_batch", 3}});
    a.limits.max_batch = 0;
    CHECK(hr::answer_to_json("x", a, w).at("limits").at("max_batch") == 0);
  }
  SECTION("interval only when present") {
    a.interval = {0.85, 1.15};
    const json j = hr::answer_to_json("x", a, w);
    CHECK(j.at("interval").at("low").get<double>() == 0.85);
    CHECK(j.at("interval").at("high").get<double>() == 1.15);
  }
  SECTION("the levels differ: headroom is usable - device, not capacity - allocated") {
    a.memory.reserved = hr::gib(19.5);
    a.memory.device = hr::gib(20.25);
    a.memory.usable = hr::gib(21.6);  // e.g. a 0.9 utilization cap on 24 GiB
    const json m = hr::answer_to_json("x", a, w).at("memory");
    CHECK(m.at("reserved_gib").get<double>() == 19.5);
    CHECK(m.at("device_gib").get<double>() == 20.25);
    CHECK(m.at("usable_gib").get<double>() == 21.6);
    CHECK(m.at("headroom_gib").get<double>() == Approx(1.35).margin(1e-4));  // 21.6 - 20.25
  }
  SECTION("does not fit: negative headroom") {
    a.memory.capacity = hr::gib(8);
    a.memory.usable = hr::gib(8);
    a.memory.fits = false;
    const json j = hr::answer_to_json("x", a, w);
    CHECK(j.at("memory").at("fits") == false);
    CHECK(j.at("memory").at("headroom_gib").get<double>() == -10.0582);  // 8 - 18.05812345, rounded down
  }
}

TEST_CASE("cases: v2 fields: vpp, kv_memory_fraction, fp4 compute", "[cases][v2]") {
  SECTION("vpp: default 1, >= 1, and more than 1 needs a pipeline") {
    json c = base();
    c["gpus"] = 4;
    c["parallel"] = {{"pp", 4}};
    CHECK(parse(c).parallel.vpp == 1);
    c["parallel"] = {{"pp", 4}, {"vpp", 2}};
    CHECK(parse(c).parallel.vpp == 2);
    c["parallel"] = {{"pp", 4}, {"vpp", 0}};
    CHECK_THAT(error_of(c), Contains("'parallel.vpp'") && Contains(">= 1"));
    c["parallel"] = {{"dp", 4}, {"vpp", 2}};
    CHECK_THAT(error_of(c), Contains("'parallel.vpp'") && Contains("\"pp\" > 1"));
  }
  SECTION("kv_memory_fraction: inference and serving only, in (0, 1]") {
    CHECK_FALSE(parse(base()).inference.kv_memory_fraction.has_value());
    CHECK(*parse_with("kv_memory_fraction", 0.85).inference.kv_memory_fraction == 0.85);
    CHECK(*parse_with("kv_memory_fraction", 1).inference.kv_memory_fraction == 1.0);
    CHECK_THAT(error_with("kv_memory_fraction", 0), Contains("'kv_memory_fraction'") && Contains("> 0"));
    CHECK_THAT(error_with("kv_memory_fraction", 1.5), Contains("'kv_memory_fraction'") && Contains("1.5"));
    CHECK_THAT(error_with("kv_memory_fraction", "0.9"), Contains("'kv_memory_fraction'") && Contains("string"));
    json t = base();
    t["task"] = "training";
    t["kv_memory_fraction"] = 0.9;
    CHECK_THAT(error_of(t), Contains("'kv_memory_fraction'") && Contains("only used with"));
  }
  SECTION("fp4 compute needs a GPU with an FP4 peak") {
    CHECK_THAT(error_with("compute", "fp4"), Contains("'compute'") && Contains("rtx-4090") && Contains("FP4"));
    hr::GpuSpec b = *test_catalog().find_gpu("rtx-4090");
    b.id = "fp4-gpu";
    b.peak.fp4 = hr::tflops(1676);  // RTX 5090 datasheet dense FP4 (docs/reference, gpu-datasheets.csv)
    StringStore strings;
    Catalog cat = test_catalog();
    cat.put(b);
    json c{{"gpu", "fp4-gpu"}, {"model", "llama-3-8b"}, {"compute", "fp4"}};
    CHECK(hr::job_from_json(c, cat, strings).compute == hr::Precision::fp4);
  }
  SECTION("nvfp4 and mxfp4 weights") {
    CHECK(*parse_with("weights", "nvfp4").weights == hr::WeightFormat::nvfp4);
    CHECK(*parse_with("weights", "mxfp4").weights == hr::WeightFormat::mxfp4);
  }
}

TEST_CASE("cases: serving is parsed, checked and answered", "[cases][v2]") {
  auto serving = [] {
    json c = base();
    c["task"] = "serving";
    return c;
  };
  SECTION("defaults") {
    const Job w = parse(serving());
    CHECK(w.task == hr::Task::serving);
    CHECK(w.serving.concurrency == 1);
    CHECK_FALSE(w.serving.request_rate.has_value());
    CHECK(w.serving.prefix_cache_hit == 0);
    CHECK_FALSE(w.serving.chunked_prefill.has_value());
    CHECK_FALSE(w.serving.slo.has_value());
  }
  SECTION("every field") {
    json c = serving();
    c["concurrency"] = 64;
    c["prefix_cache_hit"] = 0.5;
    c["chunked_prefill"] = 8192;
    c["kv_memory_fraction"] = 0.9;
    c["slo"] = {{"ttft_s", 2.0}, {"tpot_s", 0.05}, {"percentile", 90}};
    c["solve"] = "max_concurrency";
    const Job w = parse(c);
    CHECK(w.serving.concurrency == 64);
    CHECK(w.serving.prefix_cache_hit == 0.5);
    CHECK(*w.serving.chunked_prefill == 8192);
    CHECK(*w.inference.kv_memory_fraction == 0.9);
    REQUIRE(w.serving.slo.has_value());
    CHECK(w.serving.slo->ttft_s == 2.0);
    CHECK(w.serving.slo->tpot_s == 0.05);
    CHECK(w.serving.slo->percentile == 90);
    CHECK(w.question.solve == hr::Solve::max_concurrency);
    json r = serving();
    r["request_rate"] = 2.5;
    r["chunked_prefill"] = false;
    r["slo"] = {{"tpot_s", 0.1}};
    const Job o = parse(r);
    CHECK(*o.serving.request_rate == 2.5);
    CHECK(*o.serving.chunked_prefill == 0);  // whole prompts
    CHECK(o.serving.slo->percentile == 50);  // the default
    CHECK(o.serving.slo->ttft_s == 0);       // not set
  }
  SECTION("bad values name the field") {
    auto bad = [&](const char* key, const json& v) {
      json c = serving();
      c[key] = v;
      return error_of(c);
    };
    CHECK_THAT(bad("concurrency", 0), Contains("'concurrency'") && Contains(">= 1"));
    CHECK_THAT(bad("concurrency", 1.5), Contains("'concurrency'") && Contains("whole number"));
    CHECK_THAT(bad("request_rate", 0), Contains("'request_rate'") && Contains("> 0"));
    CHECK_THAT(bad("prefix_cache_hit", 1.2), Contains("'prefix_cache_hit'") && Contains("0 to 1"));
    CHECK_THAT(bad("chunked_prefill", true), Contains("'chunked_prefill'") && Contains("false"));
    CHECK_THAT(bad("chunked_prefill", 0), Contains("'chunked_prefill'") && Contains(">= 1"));
    CHECK_THAT(bad("slo", json{{"ttft_s", 1.0}, {"percentile", 95}}), Contains("'slo.percentile'") && Contains("50, 90 or 99"));
    CHECK_THAT(bad("slo", json{{"ttft", 1.0}}), Contains("'slo.ttft'") && Contains("did you mean 'ttft_s'"));
    CHECK_THAT(bad("slo", json{{"percentile", 90}}), Contains("'slo'") && Contains("needs a target"));
    CHECK_THAT(bad("slo", json{{"tpot_s", -1}}), Contains("'slo.tpot_s'") && Contains("> 0"));
    CHECK_THAT(bad("slo", "fast"), Contains("'slo'") && Contains("object"));
    json both = serving();
    both["concurrency"] = 8;
    both["request_rate"] = 1.0;
    CHECK_THAT(error_of(both), Contains("not both"));
    CHECK_THAT(bad("solve", "max_batch"), Contains("'solve'") && Contains("max_concurrency"));
  }
  SECTION("serving fields with another task are errors") {
    for (const char* key : {"concurrency", "request_rate", "prefix_cache_hit", "chunked_prefill", "slo"}) {
      INFO(key);
      const json v = std::string(key) == "slo" ? json{{"ttft_s", 1.0}} : json(1);
      CHECK_THAT(error_with(key, v), Contains(std::string("'") + key + "'") && Contains("\"serving\""));
    }
    CHECK_THAT(error_with("solve", "max_concurrency"), Contains("'solve'") && Contains("serving"));
  }
  SECTION("answered: the serving object and limits.max_concurrency") {
    json c = serving();
    c["id"] = "s1";
    c["concurrency"] = 16;
    c["runtime"] = "vllm";
    const hr::CaseAnswer a = hr::answer_case(c, test_catalog(), hr::builtin_efficiency, 0);
    REQUIRE(a.outcome == hr::CaseOutcome::answered);
    const json& s = a.answer.at("serving");
    for (const char* key : {"ttft_s", "ttft_p90_s", "ttft_p99_s", "tpot_s", "tpot_p90_s", "tpot_p99_s", "e2e_s",
                            "output_tokens_per_s", "requests_per_s", "kv_capacity_tokens"}) {
      INFO(key);
      REQUIRE(s.contains(key));
      CHECK(s.at(key).get<double>() > 0);
    }
    CHECK(s.at("kv_capacity_tokens").is_number_integer());
    CHECK(s.at("ttft_p90_s").get<double>() >= s.at("ttft_s").get<double>());
    CHECK(a.answer.at("intervals").contains("serving.tpot_s"));
    CHECK(a.answer.at("interval") == a.answer.at("intervals").at("serving.tpot_s"));  // the headline key
    CHECK_FALSE(a.answer.contains("limits"));  // not asked
    CHECK(hr::eval_case(c, test_catalog()) == a.answer);
    c["solve"] = "max_concurrency";
    c["slo"] = {{"tpot_s", 1.0}};
    const json solved = hr::eval_case(c, test_catalog());
    REQUIRE(solved.contains("limits"));
    CHECK(solved.at("limits").at("max_concurrency").get<std::int64_t>() >= 1);
    // A malformed serving case is an error.
    c["concurrency"] = 0;
    CHECK(hr::answer_case(c, test_catalog(), hr::builtin_efficiency, 0).outcome == hr::CaseOutcome::error);
    // An id not in the catalog is a gap of the catalog; an answered case is answered.
    CHECK(hr::answer_case(json{{"gpu", "no-such-gpu"}, {"model", "llama-3-8b"}}, test_catalog(), hr::builtin_efficiency, 0)
              .outcome == hr::CaseOutcome::not_modelled);
    CHECK(hr::answer_case(base(), test_catalog(), hr::builtin_efficiency, 0).outcome == hr::CaseOutcome::answered);
  }
}

TEST_CASE("cases: error_to_json", "[cases]") {
  const json j = hr::error_to_json("c7", "'gpus': must be an integer >= 1; got 0");
  CHECK(j == json{{"id", "c7"}, {"ok", false}, {"error", "'gpus': must be an integer >= 1; got 0"}});
  CHECK(hr::error_to_json(nullptr, "x").at("id").is_null());
}

TEST_CASE("cases: gpu as a spec object and model as {\"hf_config\": ...}", "[cases]") {
  auto read = [](const std::string& path) {
    std::ifstream in(path);
    REQUIRE(in);
    return json::parse(in);
  };
  const json gpu = read(HEADROOM_SOURCE_DIR "/data/gpus/rtx-4090.json");
  const json config = read(HEADROOM_SOURCE_DIR "/data/models/llama-3-8b.json");
  StringStore strings;
  json c{{"gpu", gpu}, {"model", {{"hf_config", config}}}};
  const Job w = hr::job_from_json(c, Catalog{}, strings);  // an empty catalog: nothing is looked up
  CHECK(w.hardware.gpu->id == "rtx-4090");
  CHECK(w.hardware.gpu->memory.value() == hr::gib(24).value());
  CHECK(w.model->hidden == 4096);
  CHECK(w.model->layers == 32);

  json bad_gpu = gpu;
  bad_gpu["bogus"] = 1;
  CHECK_THAT(error_with("gpu", bad_gpu), Contains("gpu") && Contains("bogus"));
  json bad_config = config;
  bad_config.erase("hidden_size");
  CHECK_THAT(error_with("model", json{{"hf_config", bad_config}}), Contains("model.hf_config") && Contains("hidden_size"));
  json huge = config;  // beyond ModelLimits (model.hpp): an error, not an overflowed count
  huge["num_hidden_layers"] = std::int64_t{1} << 31;
  CHECK_THAT(error_with("model", json{{"hf_config", huge}}),
             Contains("num_hidden_layers") && Contains("2147483648") && Contains("4096"));
}

TEST_CASE("strict JSON: a number beyond the double range is an error naming its field", "[cases][strict_json]") {
  // 1e400 > DBL_MAX (about 1.8e308): nlohmann stops parsing with out_of_range.406.
  const json answer = hr::eval_line(R"({"gpu": "rtx-4090", "task": "collective", "collective": "all_reduce",
                                       "gpus": 2, "parallel": {"dp": 2}, "bytes": 1e400})",
                                    test_catalog(), 3);
  CHECK(answer.at("ok") == false);
  CHECK(answer.at("id").is_null());
  CHECK(answer.at("error") == "line 3: 'bytes': number 1e400 is beyond the range of a double (about 1.8e308)");
  CHECK_THROWS_WITH(hr::strict_json::parse(std::string(R"({"parallel": {"tp": -1e999}})")),
                    "'parallel.tp': number -1e999 is beyond the range of a double (about 1.8e308)");
  CHECK_THROWS_WITH(hr::strict_json::parse(std::string(R"({"peaks": [{"a": 1}, {"bf16": 2e500}]})"), "gpu.json"),
                    "gpu.json: field 'peaks.bf16': number 2e500 is beyond the range of a double (about 1.8e308)");
  CHECK(hr::strict_json::parse(std::string(R"({"bytes": 1e300})")).at("bytes").get<double>() == 1e300);
}

TEST_CASE("strict JSON: a key repeated in one object is an error naming it", "[cases][strict_json]") {
  CHECK_THROWS_WITH(hr::strict_json::parse(std::string(R"({"batch": 1, "batch": 2})")),
                    Contains("'batch'") && Contains("appears twice"));
  CHECK_THROWS_WITH(hr::strict_json::parse(std::string(R"({"parallel": {"tp": 2, "tp": 4}})"), "cases.jsonl"),
                    Contains("cases.jsonl: field 'parallel.tp'") && Contains("appears twice"));
  // The same key in two different objects, or in sibling objects of an array, is fine.
  CHECK_NOTHROW(hr::strict_json::parse(std::string(R"({"a": {"x": 1}, "b": {"x": 2}, "c": [{"x": 1}, {"x": 2}]})")));
  const json answer = hr::eval_line(R"({"id": "d", "gpu": "rtx-4090", "model": "llama-3-8b", "batch": 1, "batch": 64})",
                                    test_catalog(), 7);
  CHECK(answer.at("ok") == false);
  CHECK_THAT(answer.at("error").get<std::string>(), Contains("line 7: 'batch'") && Contains("appears twice"));
}

TEST_CASE("cases: fields that do not apply to the task are ignored with a warning", "[cases][checks]") {
  StringStore strings;
  std::vector<std::string> warnings;
  json c = base();
  c["seq"] = 4096;  // a training field on an inference case
  (void)hr::job_from_json(c, test_catalog(), strings, warnings);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "field 'seq' does not apply to task inference; ignored");

  warnings.clear();
  json t = base();
  t["task"] = "training";
  t["prompt"] = 100;
  t["lora_rank"] = 8;  // method full: no adapters
  (void)hr::job_from_json(t, test_catalog(), strings, warnings);
  REQUIRE(warnings.size() == 2);
  CHECK(warnings[0] == "field 'prompt' does not apply to task training; ignored");
  CHECK(warnings[1] == "field 'lora_rank' does not apply to method full; ignored");

  warnings.clear();
  json k{{"gpu", "h100-sxm5-80gb"}, {"task", "collective"}, {"gpus", 2}, {"parallel", {{"dp", 2}}},
         {"collective", "all_reduce"}, {"bytes", 1e6}, {"batch", 4}};
  (void)hr::job_from_json(k, test_catalog(), strings, warnings);
  REQUIRE(warnings.size() == 1);
  CHECK(warnings[0] == "field 'batch' does not apply to task collective; ignored");

  SECTION("method under inference does not change the weights (normalize reads it for training only)") {
    json q = base();
    q["method"] = "qlora";
    CHECK(hr::normalize(parse(q)).weights == hr::WeightFormat::bf16);
  }
}

TEST_CASE("cases: the answer carries the warnings, only when there are some", "[cases][checks]") {
  const json plain = hr::eval_line(R"({"gpu": "h100-sxm5-80gb", "model": "llama-3-8b"})", test_catalog());
  CHECK(plain.at("ok") == true);
  CHECK_FALSE(plain.contains("warnings"));
  // 16 ranks over 8 KV heads: a warning (checks.hpp), and seq does not apply to inference.
  const json a = hr::eval_line(R"({"gpu": "h100-sxm5-80gb", "gpus": 16, "parallel": {"tp": 16},
                                   "model": "llama-3-8b", "seq": 100})", test_catalog());
  CHECK(a.at("ok") == true);
  REQUIRE(a.at("warnings").size() == 2);
  CHECK(a.at("warnings")[0] == "field 'seq' does not apply to task inference; ignored");
  CHECK_THAT(a.at("warnings")[1].get<std::string>(), Contains("'parallel.tp'") && Contains("replicated 2 times"));
}

TEST_CASE("cases: consistency errors name the field, the value and a fix", "[cases][checks]") {
  json c = base();
  c["gpus"] = 3;
  c["parallel"] = {{"tp", 3}};
  CHECK_THAT(error_of(c), Contains("'parallel.tp'") && Contains("tp = 3") && Contains("divisor of 32"));
  json r = base();
  r["runtime"] = "llama.cpp";
  r["weights"] = "awq-4bit";
  CHECK_THAT(error_of(r), Contains("'weights'") && Contains("\"awq-4bit\"") && Contains("GGUF"));
  json n = base();
  n["interconnect"] = "nvlink";
  CHECK_THAT(error_of(n), Contains("'interconnect'") && Contains("rtx-4090") && Contains("no NVLink"));
  json one{{"gpu", "rtx-4090"}, {"task", "collective"}, {"collective", "all_reduce"}, {"bytes", 1e6}};
  const json answer = hr::eval_case(one, test_catalog());
  CHECK(answer.at("ok") == false);
  CHECK_THAT(answer.at("error").get<std::string>(), Contains("'gpus'") && Contains("gpus >= 2"));
}

TEST_CASE("cases: round_sig keeps tiny and subnormal values finite", "[cases]") {
  using hr::detail::case_parse::round_sig;
  CHECK(round_sig(1e-310, 5) == Approx(1e-310).margin(0));
  CHECK(std::isfinite(round_sig(1e-310, 5)));
  CHECK(std::isfinite(round_sig(4.9e-324, 5)));  // the smallest subnormal
  CHECK(round_sig(1.23456789e-305, 5) == 1.2346e-305);
  CHECK(round_sig(0.0, 5) == 0.0);
}

TEST_CASE("cases: an answer figure that is not finite or negative makes the case an error", "[cases]") {
  using hr::detail::case_parse::first_bad_number;
  CHECK(first_bad_number(json{{"memory", {{"per_gpu_gib", 3.5}, {"headroom_gib", -2.0}}}}).path.empty());
  const auto neg = first_bad_number(json{{"memory", {{"per_gpu_gib", -1.0}}}});
  CHECK(neg.path == "memory.per_gpu_gib");
  CHECK(neg.value == -1.0);
  json nan_time{{"time", {{"mfu", std::nan("")}}}};
  CHECK(first_bad_number(nan_time).path == "time.mfu");
}

TEST_CASE("fit_case: one evaluation gives the eval answer and, when it does not fit, what would") {
  // llama-3-70b in bf16 holds about 140 GB of weights: it cannot fit a 24 GiB GPU; llama-3-8b's 16 GB fit an 80 GB one.
  const json big{{"id", "big"}, {"model", "llama-3-70b"}, {"gpu", "rtx-4090"}};
  StringStore strings;
  const hr::FitAnswer no = hr::fit_case(big, test_catalog(), strings);
  REQUIRE(no.evaluated.answer.outcome == hr::CaseOutcome::answered);
  CHECK(!no.evaluated.answer.error);
  CHECK(!no.evaluated.result.memory.fits);
  CHECK(no.evaluated.answer.answer == hr::eval_case(big, test_catalog()));
  REQUIRE(!no.suggestions.empty());
  for (const auto& s : no.suggestions) CHECK(s.memory.fits);
  const json j = hr::fit_to_json(no);
  CHECK(j.at("suggestions").size() == no.suggestions.size());
  CHECK(j.at("id") == "big");

  const hr::FitAnswer yes = hr::fit_case({{"model", "llama-3-8b"}, {"gpu", "h100-sxm"}}, test_catalog(), strings);
  CHECK(yes.evaluated.result.memory.fits);
  CHECK(yes.suggestions.empty());
  CHECK(hr::fit_to_json(yes).at("suggestions") == json::array());

  // Not answered: the error object as eval writes it, no suggestions, and what was thrown.
  const json bad{{"model", "llama-3-8b"}, {"gpu", "h100-sxm"}, {"batch", 0}};
  const hr::FitAnswer err = hr::fit_case(bad, test_catalog(), strings);
  CHECK(err.evaluated.answer.outcome == hr::CaseOutcome::error);
  CHECK(hr::fit_to_json(err) == hr::eval_case(bad, test_catalog()));
  CHECK(!hr::fit_to_json(err).contains("suggestions"));
  CHECK_THROWS_AS(std::rethrow_exception(err.evaluated.answer.error), hr::InputError);
}

TEST_CASE("answer_case_line keeps what was thrown, so its class needs no second evaluation") {
  CHECK(!hr::answer_case_line(R"({"model": "llama-3-8b", "gpu": "h100-sxm"})", test_catalog()).error);
  const hr::CaseAnswer not_json = hr::answer_case_line("{nope", test_catalog(), 3);
  CHECK(not_json.answer.at("error").get<std::string>().starts_with("line 3: not valid JSON"));
  CHECK_THROWS_AS(std::rethrow_exception(not_json.error), json::parse_error);
  const hr::CaseAnswer unknown = hr::answer_case_line(R"({"model": "no-such-model", "gpu": "h100-sxm"})", test_catalog());
  CHECK(unknown.outcome == hr::CaseOutcome::not_modelled);
  CHECK_THROWS_AS(std::rethrow_exception(unknown.error), hr::UnknownId);
  CHECK(hr::eval_line("{nope", test_catalog(), 3) == not_json.answer);
}
