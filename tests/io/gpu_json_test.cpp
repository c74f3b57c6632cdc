// GPU records <-> JSON (headroom/io/gpu_json.hpp): the data files, round trips, the generated table,
// user records and every error path (fixtures in tests/data/gpus_bad/).

#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "headroom/catalog.hpp"
#include "headroom/catalog/builtin_gpus.hpp"
#include "headroom/io/gpu_json.hpp"
#include "gpu_table.hpp"  // tools/

using namespace headroom;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const fs::path data_gpus = fs::path(HEADROOM_SOURCE_DIR) / "data" / "gpus";
const fs::path test_data = fs::path(HEADROOM_TEST_DATA_DIR);

json read_json(const fs::path& p) {
  std::ifstream in(p);
  REQUIRE(in);
  return json::parse(in);
}

/// Loads a broken fixture and returns the DataError it raises.
DataError error_of(const std::string& fixture) {
  StringStore store;
  const fs::path p = test_data / "gpus_bad" / (fixture + ".json");
  try {
    (void)load_gpu_files(p, store);
  } catch (const DataError& e) {
    CHECK(e.where() == p.string());
    return e;
  }
  FAIL("no DataError for " << fixture);
  throw;  // unreachable
}

}  // namespace

TEST_CASE("every data/gpus file reads, and writes back unchanged", "[io][gpu]") {
  const auto files = headroom::json_files(data_gpus);
  REQUIRE(files.size() == 52 + 16);  // the reference table's 52 and the 2026 additions (docs/catalog.md)
  StringStore store;
  for (const auto& f : files) {
    INFO(f.string());
    const json j = read_json(f);
    const GpuRecord r = gpu_from_json(j, store, f.string());
    CHECK(f.stem().string() == r.spec.id);        // data/gpus/<id>.json
    CHECK(gpu_to_json(r.spec, r.provenance) == j);  // every key written, nulls included, numbers as in the file
  }
}

TEST_CASE("the built-in table is data/gpus", "[io][gpu][catalog]") {
  StringStore store;
  const auto loaded = load_gpu_files(data_gpus, store);
  REQUIRE(loaded.size() == builtin::gpus.size());
  REQUIRE(loaded.size() == builtin::gpu_provenance.size());
  for (std::size_t i = 0; i < loaded.size(); ++i) {
    INFO(loaded[i].spec.id);
    CHECK(loaded[i].spec == builtin::gpus[i]);  // every field, values bit for bit
    CHECK(loaded[i].provenance == builtin::gpu_provenance[i]);  // the text, in the same order
  }
}

TEST_CASE("GpuRecord -> JSON -> GpuRecord is the identity", "[io][gpu]") {
  StringStore store;
  for (std::size_t i = 0; i < builtin::gpus.size(); ++i) {
    const GpuRecord r{builtin::gpus[i], builtin::gpu_provenance[i]};
    INFO(r.spec.id);
    const json j = gpu_to_json(r.spec, r.provenance);
    CHECK(gpu_from_json(j, store, "round trip") == r);
    // The output survives text: dump, parse, read.
    CHECK(gpu_from_json(json::parse(j.dump()), store, "round trip") == r);
  }
}

TEST_CASE("gpu_to_json writes unit-suffixed keys", "[io][gpu]") {
  const GpuSpec* g = Catalog::builtin().find_gpu("h100-sxm5-80gb");
  REQUIRE(g != nullptr);
  const json j = gpu_to_json(*g, Catalog::builtin().provenance("h100-sxm5-80gb"));
  CHECK(j.at("id") == "h100-sxm5-80gb");
  CHECK(j.at("memory").at("capacity_gib") == 80);                        // 80 GB label read as GiB
  CHECK(j.at("memory").at("bandwidth_gbps") == 3350);                    // decimal GB/s
  CHECK(j.at("dense_tflops").at("bf16") == 989.4);                       // dense, FP32 accumulate
  CHECK(j.at("interconnect").at("nvlink").at("bidirectional_gbps") == 900);
  CHECK(j.at("interconnect").at("nvlink").at("per_direction_gbps") == 450);  // 900 / 2
  CHECK(j.at("interconnect").at("nvlink").at("topology") == "switch");
  CHECK(j.at("interconnect").at("pcie").at("per_direction_gbps") == 63.0);  // gen5 x16, derived
  CHECK(j.at("interconnect").at("peer_access") == "nvlink");
  CHECK(j.at("price").at("usd_per_hour") == 1.49);
  CHECK(j.at("sources").size() == 6);  // S8;S9;S1;S2;S21;S30
  CHECK(j.at("tdp_w") == 700);
}

TEST_CASE("a minimal user record: optional keys default to unknown", "[io][gpu]") {
  StringStore store;
  const auto gpus = load_gpu_files(test_data / "gpus_user" / "extra.json", store);
  REQUIRE(gpus.size() == 2);
  REQUIRE(gpus[0].spec.id == "my-gpu");  // sorted by id
  const GpuSpec& g = gpus[0].spec;
  CHECK(g.memory == gib(24));
  CHECK(g.memory_bandwidth == gb_per_s(1000));
  CHECK(g.peak.bf16 == tflops(100));
  CHECK(g.peak.fp16.value() == 0);  // not given: unknown, not copied from bf16
  CHECK(g.nvlink_generation.empty());
  CHECK(gpus[0].provenance.source == "test fixture");
  // PCIe 5.0 x8 without per_direction_gbps: derived as 8 x 63.0 / 16 = 31.5 GB/s.
  CHECK(g.pcie_per_direction == gb_per_s(31.5));
  CHECK(g.peer_access == PeerAccess::pcie);
  CHECK(g.mig_instances == 0);
  CHECK(g.price_usd_per_hour == 0);
  // It writes back with every key present and the unknowns as null.
  const json j = gpu_to_json(g, gpus[0].provenance);
  CHECK(j.at("dense_tflops").at("fp16").is_null());
  CHECK(j.at("mig_max_instances").is_null());
  CHECK(j.at("price").is_null());
  CHECK(gpu_from_json(j, store, "again") == gpus[0]);
}

TEST_CASE("user records override built-in ones by id", "[io][gpu][catalog]") {
  Catalog c = Catalog::builtin();
  for (const GpuRecord& r : load_gpu_files(test_data / "gpus_user" / "extra.json", c.strings())) c.put(r);
  CHECK(c.gpus().size() == builtin::gpus.size() + 1);  // my-gpu is new
  const GpuSpec& g = c.gpu("rtx-4090");
  CHECK(g.name == "GeForce RTX 4090 (measured)");
  CHECK(g.memory == gib(23.5));
  CHECK(g.memory_bandwidth == gb_per_s(915));
  // Its provenance is replaced with it: the user's source, no datasheet price date.
  CHECK(c.provenance("rtx-4090").source == "own measurement: torch.cuda.mem_get_info and a copy kernel");
  CHECK(c.provenance("rtx-4090").price_date.empty());
}

TEST_CASE("bad GPU records name the field", "[io][gpu][errors]") {
  struct Case {
    const char* fixture;
    const char* field;
    const char* message;  // a part of the message
  };
  const Case cases[] = {
      {"unknown_key", "memory.bandwith_gbps", "unknown key; did you mean 'bandwidth_gbps'?"},
      {"unknown_precision", "dense_tflops.bfloat16", "unknown key"},
      {"misplaced_key", "vram_gib", "it belongs at 'memory.capacity_gib'"},
      {"missing_bandwidth", "memory.bandwidth_gbps", "missing required key"},
      {"missing_sources", "sources", "missing required key"},
      {"empty_sources", "sources", "must name at least one source"},
      {"wrong_type", "sm_count", "expected an integer, got string"},
      {"fractional_year", "launch_year", "expected an integer, got a fractional number"},
      {"negative_tflops", "dense_tflops.bf16", "must not be negative"},
      {"zero_capacity", "memory.capacity_gib", "must be greater than 0"},
      {"bad_schema", "schema", "unsupported schema version 2"},
      {"bad_id", "id", "'RTX 4090' is not kebab-case"},
      {"bad_peer_access", "interconnect.peer_access", "did you mean 'nvlink'?"},
      {"nvlink_not_half", "interconnect.nvlink.per_direction_gbps", "must be half of bidirectional_gbps"},
      {"pcie_not_double", "interconnect.pcie.bidirectional_gbps", "must be twice per_direction_gbps"},
      {"price_without_source", "price.source", "missing required key"},
      {"not_json", "", "not valid JSON"},
  };
  // Every fixture in the folder is covered.
  CHECK(headroom::json_files(test_data / "gpus_bad").size() == std::size(cases));
  for (const Case& c : cases) {
    INFO(c.fixture);
    const DataError e = error_of(c.fixture);
    CHECK(e.field() == c.field);
    CHECK_THAT(e.what(), Catch::Matchers::Contains(c.message));
    if (*c.field) CHECK_THAT(e.what(), Catch::Matchers::Contains(std::string("field '") + c.field + "'"));
  }
}

TEST_CASE("wrong JSON types name the expected type", "[io][gpu][errors]") {
  StringStore store;
  json j = read_json(test_data / "gpus_user" / "extra.json").at(1);
  SECTION("a string where a number belongs") {
    j["memory"]["bandwidth_gbps"] = "1000";
    try {
      (void)gpu_from_json(j, store, "inline");
      FAIL("accepted");
    } catch (const DataError& e) {
      CHECK(e.field() == "memory.bandwidth_gbps");
      CHECK_THAT(e.what(), Catch::Matchers::Contains("expected a number, got string"));
    }
  }
  SECTION("an array where an object belongs") {
    j["dense_tflops"] = json::array();
    try {
      (void)gpu_from_json(j, store, "inline");
      FAIL("accepted");
    } catch (const DataError& e) {
      CHECK(e.field() == "dense_tflops");
      CHECK_THAT(e.what(), Catch::Matchers::Contains("expected an object, got array"));
    }
  }
  SECTION("not an object at all") {
    try {
      (void)gpu_from_json(json::array(), store, "inline");
      FAIL("accepted");
    } catch (const DataError& e) {
      CHECK(e.field().empty());
      CHECK_THAT(e.what(), Catch::Matchers::Contains("expected an object, got array"));
    }
  }
}

TEST_CASE("loading files: missing paths and duplicate ids", "[io][gpu][errors]") {
  StringStore store;
  CHECK_THROWS_AS(load_gpu_files(test_data / "no-such-gpus-dir" / "x.json", store), IoError);
  try {
    (void)load_gpu_files(test_data / "gpus_dup", store);
    FAIL("duplicate ids accepted");
  } catch (const DataError& e) {
    CHECK(e.field() == "id");
    CHECK_THAT(e.what(), Catch::Matchers::Contains("duplicate id 'dup-gpu'"));
    CHECK_THAT(e.what(), Catch::Matchers::Contains("a.json"));
  }
}

TEST_CASE("write_gpu_table emits a sorted constexpr header", "[io][gpu]") {
  StringStore store;
  auto gpus = load_gpu_files(test_data / "gpus_user" / "extra.json", store);
  std::reverse(gpus.begin(), gpus.end());
  gpus[0].provenance.notes = "a \"quoted\" note\\ with ?? and caf\xc3\xa9";
  std::ostringstream os;
  write_gpu_table(os, gpus);
  const std::string h = os.str();
  CHECK_THAT(h, Catch::Matchers::StartsWith("#pragma once\n"));
  CHECK_THAT(h, Catch::Matchers::Contains("GENERATED from data/gpus by headroom-gen-gpus; do not edit"));
  CHECK_THAT(h, Catch::Matchers::Contains("inline constexpr std::array<GpuSpec, 2> gpus{{"));
  CHECK(h.find(".id = \"my-gpu\"") < h.find(".id = \"rtx-4090\""));  // sorted by id
  CHECK_THAT(h, Catch::Matchers::Contains(".memory = gib(23.5),"));
  CHECK_THAT(h, Catch::Matchers::Contains(".memory_bandwidth = gb_per_s(915.0),"));
  CHECK_THAT(h, Catch::Matchers::Contains(".pcie_per_direction = gb_per_s(31.5),"));
  // The provenance, in a second array in the same order.
  CHECK_THAT(h, Catch::Matchers::Contains("inline constexpr std::array<GpuProvenance, 2> gpu_provenance{{"));
  CHECK(h.find("gpus{{") < h.find("GpuProvenance{  // my-gpu"));
  CHECK(h.find("GpuProvenance{  // my-gpu") < h.find("GpuProvenance{  // rtx-4090"));
  CHECK(h.find(".source = ") > h.find("gpu_provenance{{"));  // no text in the numbers
  // Escapes: quotes, backslashes, no trigraph, non-ASCII bytes as octal.
  CHECK_THAT(h, Catch::Matchers::Contains(R"(.notes = "a \"quoted\" note\\ with ?\? and caf\303\251",)"));
}

TEST_CASE("aliases: a list of other kebab-case names, each naming one GPU", "[io][gpu][errors]") {
  StringStore store;
  json j = read_json(test_data / "gpus_user" / "extra.json").at(1);
  const std::string id = j.at("id").get<std::string>();
  const auto error = [&](const json& aliases) -> std::string {
    json k = j;
    k["aliases"] = aliases;
    try {
      (void)gpu_from_json(k, store, "inline");
    } catch (const DataError& e) {
      return e.field() + ": " + e.what();
    }
    return "accepted";
  };
  SECTION("read, written back, and found by the catalog") {
    j["aliases"] = json::array({"my-alias", "9999"});
    const GpuRecord r = gpu_from_json(j, store, "inline");
    CHECK(r.provenance.aliases == "my-alias\n9999");
    CHECK(gpu_to_json(r.spec, r.provenance).at("aliases") == j.at("aliases"));
    Catalog c = Catalog::builtin();
    c.put(r);
    CHECK(c.gpu("9999").id == id);
    CHECK(c.gpu("MY-ALIAS").id == id);
  }
  SECTION("absent or null is no alias") {
    j.erase("aliases");
    CHECK(gpu_from_json(j, store, "inline").provenance.aliases.empty());
    j["aliases"] = nullptr;
    CHECK(gpu_from_json(j, store, "inline").provenance.aliases.empty());
  }
  SECTION("bad aliases name the entry") {
    CHECK_THAT(error("h20"), Catch::Matchers::Contains("aliases: ") && Catch::Matchers::Contains("expected an array"));
    CHECK_THAT(error(json::array({"H20"})), Catch::Matchers::Contains("aliases[0]") && Catch::Matchers::Contains("not kebab-case"));
    CHECK_THAT(error(json::array({id})), Catch::Matchers::Contains("the record's own id"));
    CHECK_THAT(error(json::array({"x1", "x1"})), Catch::Matchers::Contains("aliases[1]") && Catch::Matchers::Contains("listed twice"));
    CHECK_THAT(error(json::array({1})), Catch::Matchers::Contains("expected a string, got number"));
  }
  SECTION("an alias may not name two GPUs") {
    json a = j, b = j;
    b["id"] = "other-gpu";
    a["aliases"] = json::array({"shared"});
    b["aliases"] = json::array({"shared"});
    const fs::path file = fs::temp_directory_path() / "headroom-alias-clash.json";
    std::ofstream(file) << json::array({a, b}).dump();
    try {
      (void)load_gpu_files(file, store);
      FAIL("an alias of two GPUs accepted");
    } catch (const DataError& e) {
      CHECK(e.field() == "aliases");
      CHECK_THAT(e.what(), Catch::Matchers::Contains("'shared' names both"));
    }
    b["aliases"] = json::array({id});  // another record's id
    std::ofstream(file) << json::array({a, b}).dump();
    CHECK_THROWS_AS(load_gpu_files(file, store), DataError);
    fs::remove(file);
  }
}
