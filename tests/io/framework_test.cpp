// data/runtimes/<name>.json and the constexpr table of headroom/framework.hpp must agree: one file
// per profile, every behaviour documented with a source, and the same value in C++.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "headroom/expert_parallel.hpp"
#include "headroom/framework.hpp"
#include "headroom/names.hpp"
#include "headroom/serving_traits.hpp"

using namespace headroom;
using nlohmann::json;

namespace {

const std::string runtimes_dir = std::string(HEADROOM_SOURCE_DIR) + "/data/runtimes";

json load(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in.good());
  return json::parse(in);
}

std::string_view sharding_name(Sharding s) {
  switch (s) {
    case Sharding::fsdp1_flat: return "fsdp1_flat";
    case Sharding::fsdp2: return "fsdp2";
    case Sharding::zero: return "zero";
    case Sharding::megatron_distopt: return "megatron_distopt";
  }
  return "?";
}

std::string_view selective_name(SelectiveMeaning s) {
  switch (s) {
    case SelectiveMeaning::megatron_core_attention: return "megatron_core_attention";
    case SelectiveMeaning::torchtitan_op_policy: return "torchtitan_op_policy";
    case SelectiveMeaning::none: return "none";
  }
  return "?";
}

std::string_view precision_name(PrecisionPolicy p) { return p == PrecisionPolicy::pure ? "pure" : "mixed"; }

struct NumberField {
  std::string_view name;
  double LossPath::*member;
};
struct BoolField {
  std::string_view name;
  bool FrameworkProfile::*member;
};

constexpr NumberField loss_fields[] = {
    {"loss_standard", &LossPath::standard},
    {"loss_standard_compiled", &LossPath::standard_compiled},
    {"loss_chunked", &LossPath::chunked},
    {"loss_chunked_compiled", &LossPath::chunked_compiled},
};
constexpr BoolField bool_fields[] = {
    {"frozen_grads", &FrameworkProfile::frozen_grads},
    {"accumulate_unsharded", &FrameworkProfile::accumulate_unsharded},
    {"root_gathered", &FrameworkProfile::root_gathered},
    {"tp_implies_sp", &FrameworkProfile::tp_implies_sp},
    {"loss_parallel", &FrameworkProfile::loss_parallel},
    {"pp_full_shard_unsharded", &FrameworkProfile::pp_full_shard_unsharded},
};
constexpr std::size_t text_fields = 3;  // sharding, selective, default_precision

}  // namespace

TEST_CASE("data/runtimes has one file per framework profile, every value sourced", "[framework]") {
  // Files with a "behaviour" section are the training frameworks; serving engines have only "moe".
  std::set<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(runtimes_dir))
    if (e.path().extension() == ".json" && load(e.path().string()).contains("behaviour"))
      files.insert(e.path().stem().string());
  std::set<std::string> profiles;
  for (const FrameworkProfile& p : framework_profiles) profiles.insert(std::string(p.name));
  REQUIRE(files == profiles);
  for (const FrameworkProfile& p : framework_profiles) {
    const json doc = load(runtimes_dir + "/" + std::string(p.name) + ".json");
    INFO(p.name);
    REQUIRE(doc.at("schema") == 1);
    REQUIRE(doc.at("runtime") == std::string(p.name));
    const json& b = doc.at("behaviour");
    REQUIRE(b.size() == std::size(loss_fields) + std::size(bool_fields) + text_fields);
    for (const auto& [key, entry] : b.items()) {
      INFO(key);
      REQUIRE(entry.contains("value"));
      REQUIRE(entry.at("source").is_string());
      REQUIRE_FALSE(entry.at("source").get<std::string>().empty());
    }
  }
}

TEST_CASE("data/runtimes values equal the constexpr framework table", "[framework]") {
  for (const FrameworkProfile& p : framework_profiles) {
    const json b = load(runtimes_dir + "/" + std::string(p.name) + ".json").at("behaviour");
    INFO(p.name);
    REQUIRE(to_string(p.runtime) == p.name);
    REQUIRE(b.at("sharding").at("value").get<std::string>() == sharding_name(p.sharding));
    REQUIRE(b.at("selective").at("value").get<std::string>() == selective_name(p.selective));
    REQUIRE(b.at("default_precision").at("value").get<std::string>() == precision_name(p.default_precision));
    for (const NumberField& f : loss_fields) {
      INFO(f.name);
      REQUIRE(b.at(std::string(f.name)).at("unit") == "bytes per token x vocabulary entry");
      REQUIRE(b.at(std::string(f.name)).at("value").get<double>() == Approx(p.loss.*f.member).epsilon(1e-12));
    }
    for (const BoolField& f : bool_fields) {
      INFO(f.name);
      REQUIRE(b.at(std::string(f.name)).at("value").get<bool>() == p.*f.member);
    }
  }
}

TEST_CASE("framework_profile() finds every framework and falls back to pytorch", "[framework]") {
  for (const FrameworkProfile& p : framework_profiles) REQUIRE(&framework_profile(p.runtime) == &p);
  REQUIRE(framework_profile(Runtime::vllm).runtime == Runtime::pytorch);
}

TEST_CASE("data/runtimes MoE traits equal the constexpr moe_traits_table, every value sourced", "[framework][moe]") {
  std::set<std::string> files;
  for (const auto& e : std::filesystem::directory_iterator(runtimes_dir))
    if (e.path().extension() == ".json") files.insert(e.path().stem().string());
  std::set<std::string> traits;
  for (const MoeTraits& t : moe_traits_table) traits.insert(std::string(t.name));
  REQUIRE(files == traits);
  for (const MoeTraits& t : moe_traits_table) {
    INFO(t.name);
    const json doc = load(runtimes_dir + "/" + std::string(t.name) + ".json");
    REQUIRE(doc.at("schema") == 1);
    REQUIRE(doc.at("runtime") == std::string(t.name));
    REQUIRE(to_string(t.runtime) == t.name);
    const json& m = doc.at("moe");
    REQUIRE(m.size() == 7);
    for (const auto& [key, entry] : m.items()) {
      INFO(key);
      REQUIRE_FALSE(entry.at("source").get<std::string>().empty());
    }
    REQUIRE(m.at("ep_overlap").at("value").get<double>() == Approx(t.ep_overlap).margin(1e-12));
    REQUIRE(m.at("redundant_experts").at("value").get<double>() == Approx(t.redundant_experts).margin(1e-12));
    REQUIRE(m.at("fp8_dispatch").at("value").get<bool>() == t.fp8_dispatch);
    REQUIRE(m.at("node_dedup").at("value").get<bool>() == t.node_dedup);
    REQUIRE(m.at("expert_loop").at("value").get<bool>() == t.expert_loop);
    REQUIRE(m.at("gptq_expert_launches").at("value").get<bool>() == t.gptq_expert_launches);
    const json& sc = m.at("expert_sync_calls").at("value");
    REQUIRE(sc.size() == 6);
    REQUIRE(sc.at("forward").get<double>() == Approx(t.expert_sync_calls.forward).margin(1e-12));
    REQUIRE(sc.at("input_grad").get<double>() == Approx(t.expert_sync_calls.input_grad).margin(1e-12));
    REQUIRE(sc.at("weight_grad").get<double>() == Approx(t.expert_sync_calls.weight_grad).margin(1e-12));
    REQUIRE(sc.at("fp8_quantize").get<double>() == Approx(t.expert_sync_calls.fp8_quantize).margin(1e-12));
    REQUIRE(sc.at("bias_forward").get<double>() == Approx(t.expert_sync_calls.bias_forward).margin(1e-12));
    REQUIRE(sc.at("bias_backward").get<double>() == Approx(t.expert_sync_calls.bias_backward).margin(1e-12));
    REQUIRE(&moe_traits(t.runtime) == &t);
  }
  REQUIRE(moe_traits(Runtime::llama_cpp).runtime == Runtime::pytorch);
}

TEST_CASE("data/runtimes serving traits equal the constexpr serving_traits_table, every value sourced", "[framework][serving]") {
  for (const ServingTraits& t : serving_traits_table) {
    if (t.runtime == Runtime::pytorch) continue;  // the fallback: engines without a serving scheduler
    INFO(t.name);
    const json doc = load(runtimes_dir + "/" + std::string(t.name) + ".json");
    const json& s = doc.at("serving");
    REQUIRE(s.size() == 10);
    for (const auto& [key, entry] : s.items()) {
      INFO(key);
      REQUIRE_FALSE(entry.at("source").get<std::string>().empty());
    }
    CHECK(s.at("max_running").at("value").get<double>() == t.max_running);
    CHECK(s.at("max_running_small").at("value").get<double>() == t.max_running_small);
    CHECK(s.at("token_budget").at("value").get<double>() == t.token_budget);
    CHECK(s.at("token_budget_small").at("value").get<double>() == t.token_budget_small);
    CHECK(s.at("large_gpu_gib").at("value").get<double>() == t.large_gpu_gib);
    CHECK(s.at("chunked").at("value").get<bool>() == t.chunked);
    CHECK(s.at("mixed").at("value").get<bool>() == t.mixed);
    CHECK(s.at("custom_all_reduce_bytes").at("value").get<double>() == t.custom_all_reduce_bytes);
    CHECK(s.at("admit_whole_request").at("value").get<bool>() == t.admit_whole_request);
    CHECK(s.at("overlap").at("value").get<bool>() == t.overlap);
    CHECK(&serving_traits(t.runtime) == &t);
  }
  CHECK(serving_traits(Runtime::llama_cpp).runtime == Runtime::pytorch);
}
