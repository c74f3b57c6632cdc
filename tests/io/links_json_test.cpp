// data/links/links.json and the constexpr tables of links.hpp / scaling.hpp must agree, and every
// constant in the JSON names its source.
#include <catch2/catch.hpp>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "headroom/links.hpp"
#include "headroom/scaling.hpp"

using namespace headroom;

namespace {
nlohmann::json load() {
  std::ifstream in(std::string(HEADROOM_SOURCE_DIR) + "/data/links/links.json");
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}
}  // namespace

TEST_CASE("links.json has one row per LinkKind, in order, equal to the table", "[links_json]") {
  const auto j = load();
  const auto& rows = j.at("links");
  REQUIRE(rows.size() == link_models.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const LinkModel& m = link_models[i];
    INFO(m.id);
    CHECK(r.at("id").get<std::string>() == m.id);
    CHECK(static_cast<std::size_t>(m.kind) == i);
    CHECK(r.at("peak_gbps").get<double>() == m.peak_gbps);
    CHECK(r.at("efficiency").get<double>() == m.efficiency);
    CHECK(r.at("step_latency_us").get<double>() == m.step_latency_us);
    CHECK(r.at("inter_node").get<bool>() == m.inter_node);
    CHECK(r.at("nics_per_node").get<int>() == m.nics_per_node);
    CHECK(!r.at("source").get<std::string>().empty());
  }
  CHECK(j.at("collective").at("base_latency_us").at("value").get<double>() == collective_constants.base_latency_us);
}

TEST_CASE("links.json host constants equal HostConstants", "[links_json]") {
  const auto h = load().at("host");
  CHECK(h.at("memory_gbps").at("value").get<double>() == host_constants.memory_gbps);
  CHECK(h.at("cpu_optimizer_gbps").at("value").get<double>() == host_constants.cpu_optimizer_gbps);
  CHECK(h.size() == 2);
  for (const auto& [name, v] : h.items()) {
    INFO(name);
    CHECK(!v.at("source").get<std::string>().empty());
  }
}

TEST_CASE("links.json scaling constants equal ScalingConstants", "[links_json]") {
  const auto s = load().at("scaling");
  const ScalingConstants& k = scaling_constants;
  CHECK(s.at("dp_overlap").at("value").get<double>() == k.dp_overlap);
  CHECK(s.at("bucket_mb").at("value").get<double>() == k.bucket_mb);
  CHECK(s.at("moe_imbalance").at("value").get<double>() == k.moe_imbalance);
  CHECK(s.at("cp_overlap").at("value").get<double>() == k.cp_overlap);
  CHECK(s.at("llama_cpp_ubatch").at("value").get<double>() == k.llama_cpp_ubatch);
  for (const auto& [name, v] : s.items()) {
    INFO(name);
    CHECK(!v.at("source").get<std::string>().empty());
  }
}
