// data/memory/runtimes.json and the constexpr table of headroom/runtime_profile.hpp must agree:
// every constant has a value, a unit and a source in the JSON, and the same value in C++.

#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "headroom/names.hpp"
#include "headroom/runtime_profile.hpp"

using namespace headroom;
using nlohmann::json;

namespace {

json load_runtimes() {
  const std::string path = std::string(HEADROOM_SOURCE_DIR) + "/data/memory/runtimes.json";
  std::ifstream in(path);
  REQUIRE(in.good());
  return json::parse(in);
}

struct NumberField {
  std::string_view name;
  double RuntimeProfile::*member;
};
struct BoolField {
  std::string_view name;
  bool RuntimeProfile::*member;
};

constexpr NumberField number_fields[] = {
    {"cuda_context_gib", &RuntimeProfile::cuda_context_gib},
    {"workspace_gib", &RuntimeProfile::workspace_gib},
    {"nccl_gib", &RuntimeProfile::nccl_gib},
    {"fragmentation", &RuntimeProfile::fragmentation},
    {"activation_factor", &RuntimeProfile::activation_factor},
    {"compile_activation_factor", &RuntimeProfile::compile_activation_factor},
    {"grad_bytes_mixed", &RuntimeProfile::grad_bytes_mixed},
    {"zero3_live_layers", &RuntimeProfile::zero3_live_layers},
    {"quantize_on_load_bytes", &RuntimeProfile::quantize_on_load_bytes},
    {"workspace_tokens", &RuntimeProfile::workspace_tokens},
    {"inference_activation_factor", &RuntimeProfile::inference_activation_factor},
    {"kv_block_tokens", &RuntimeProfile::kv_block_tokens},
    {"kv_pool_fraction", &RuntimeProfile::kv_pool_fraction},
};
constexpr BoolField bool_fields[] = {
    {"quantized_linears_save_input", &RuntimeProfile::quantized_linears_save_input},
    {"kv_window_only", &RuntimeProfile::kv_window_only},
};

std::string_view workspace_name(Workspace w) {
  switch (w) {
    case Workspace::prefill: return "prefill";
    case Workspace::token_budget: return "token_budget";
    case Workspace::compute_buffer: return "compute_buffer";
  }
  return "?";
}

std::string_view kv_pool_name(KvPool p) {
  switch (p) {
    case KvPool::exact: return "exact";
    case KvPool::fraction_of_capacity: return "fraction_of_capacity";
    case KvPool::fraction_of_free: return "fraction_of_free";
  }
  return "?";
}

void require_documented(const json& entry, const std::string& where) {
  INFO(where);
  REQUIRE(entry.is_object());
  REQUIRE(entry.contains("value"));
  REQUIRE(entry.contains("unit"));
  REQUIRE(entry.contains("source"));
  REQUIRE(entry.at("unit").is_string());
  REQUIRE(entry.at("source").is_string());
  REQUIRE_FALSE(entry.at("source").get<std::string>().empty());
}

}  // namespace

TEST_CASE("runtimes.json has one profile per Runtime, each constant documented", "[runtime_profile]") {
  const json doc = load_runtimes();
  REQUIRE(doc.at("schema") == 1);
  const json& runtimes = doc.at("runtimes");
  REQUIRE(runtimes.size() == runtime_profiles.size());
  const std::size_t fields = std::size(number_fields) + std::size(bool_fields) + 2;  // + workspace, kv_pool
  for (const RuntimeProfile& p : runtime_profiles) {
    const std::string name(p.name);
    INFO("runtime " << name);
    REQUIRE(runtimes.contains(name));
    const json& r = runtimes.at(name);
    REQUIRE(r.size() == fields);  // no constant in the JSON that C++ does not have, and none missing
    for (const auto& [key, entry] : r.items()) require_documented(entry, name + "." + key);
  }
  for (const auto& [key, entry] : doc.at("constants").items()) require_documented(entry, "constants." + key);
}

TEST_CASE("runtimes.json values equal the constexpr table", "[runtime_profile]") {
  const json runtimes = load_runtimes().at("runtimes");
  for (const RuntimeProfile& p : runtime_profiles) {
    const json& r = runtimes.at(std::string(p.name));
    for (const NumberField& f : number_fields) {
      INFO(p.name << "." << f.name);
      REQUIRE(r.at(std::string(f.name)).at("value").get<double>() == Approx(p.*f.member).epsilon(1e-12));
    }
    for (const BoolField& f : bool_fields) {
      INFO(p.name << "." << f.name);
      REQUIRE(r.at(std::string(f.name)).at("value").get<bool>() == p.*f.member);
    }
    INFO(p.name);
    REQUIRE(r.at("workspace").at("value").get<std::string>() == workspace_name(p.workspace));
    REQUIRE(r.at("kv_pool").at("value").get<std::string>() == kv_pool_name(p.kv_pool));
  }
}

TEST_CASE("runtimes.json constants equal memory_constants", "[runtime_profile]") {
  const json c = load_runtimes().at("constants");
  const MemoryConstants& m = memory_constants;
  const std::pair<std::string_view, double> expected[] = {
      {"unified_memory_gpu_fraction", m.unified_memory_gpu_fraction},
      {"unified_memory_small_gib", m.unified_memory_small_gib},
      {"unified_memory_gpu_fraction_small", m.unified_memory_gpu_fraction_small},
      {"attention_score_bytes", m.attention_score_bytes},
      {"lse_bytes", m.lse_bytes},
      {"activation_offload_layers", m.activation_offload_layers},
      {"freeze_trainable_layers", m.freeze_trainable_layers},
      {"adam8bit_state_bytes", m.adam8bit_state_bytes},
  };
  REQUIRE(c.size() == std::size(expected));
  for (const auto& [name, value] : expected) {
    INFO(name);
    REQUIRE(c.at(std::string(name)).at("value").get<double>() == Approx(value).epsilon(1e-12));
  }
}

TEST_CASE("runtime_profile() finds every runtime", "[runtime_profile]") {
  // One profile per Runtime of names.hpp, named with its case spelling (the v2 framework runtimes too).
  REQUIRE(runtime_profiles.size() == static_cast<std::size_t>(names::count<Runtime>));
  for (const auto& n : names::table<Runtime>()) {
    INFO(n.name);
    CHECK(runtime_profile(n.value).runtime == n.value);
    CHECK(runtime_profile(n.value).name == n.name);
  }
  std::set<std::string_view> names;
  for (const RuntimeProfile& p : runtime_profiles) {
    REQUIRE(&runtime_profile(p.runtime) == &p);
    names.insert(p.name);
  }
  REQUIRE(names.size() == runtime_profiles.size());
}
