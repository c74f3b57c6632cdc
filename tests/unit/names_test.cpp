// names.hpp: the one table of spellings per enum. Expected spellings are those of docs/cases.md and
// of the data/ JSON records, written out by hand.

#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "headroom/names.hpp"

using namespace headroom;

TEST_CASE("names: spelling, value, help and count of an enum", "[names]") {
  STATIC_REQUIRE(to_string(Runtime::llama_cpp) == "llama.cpp");
  STATIC_REQUIRE(to_string(WeightFormat::nf4_dq) == "nf4-dq");
  STATIC_REQUIRE(to_string(Objective::tokens_per_dollar) == "tokens-per-dollar");
  STATIC_REQUIRE(to_string(LinkTopology::nvswitch) == "switch");
  STATIC_REQUIRE(to_string(LinkTopology::none).empty());
  STATIC_REQUIRE(to_string(calibrate::TransferKind::peer_no_p2p) == "peer_no_p2p");
  STATIC_REQUIRE(names::value<Network>("eth-25") == Network::eth_25);
  STATIC_REQUIRE(!names::value<Network>("eth_25").has_value());
  // Spellings kept out of the case format are found only when asked for.
  STATIC_REQUIRE(!names::value<Precision>("int8").has_value());
  STATIC_REQUIRE(names::value<Precision>("int8", false) == Precision::int8);
  // Counts: the enums have 14 runtimes (case format v2), 7 precisions, 12 GPU families, 6 weight kernels (fp8 added for its own wrapper cost), 9 components.
  STATIC_REQUIRE(names::count<Runtime> == 14);
  STATIC_REQUIRE(names::value<Runtime>("torchtitan") == Runtime::torchtitan);
  STATIC_REQUIRE(names::value<Precision>("fp4") == Precision::fp4);  // Blackwell FP4 tensor cores (v2)
  STATIC_REQUIRE(names::count<Precision> == 7);
  STATIC_REQUIRE(names::count<GpuFamily> == 12);
  STATIC_REQUIRE(names::count<WeightKernel> == 6);
  STATIC_REQUIRE(names::count<Component> == 9);
  CHECK(names::list<Objective>() == "time, cost, tokens-per-dollar, throughput");
  CHECK(names::list<Objective>(", ", " or ") == "time, cost, tokens-per-dollar or throughput");
  CHECK(names::list<Interconnect>() == "nvlink, pcie, pcie-no-p2p, nvlink-bridge");
  CHECK(names::help(Method::qlora).find("4-bit") != std::string_view::npos);
}

TEST_CASE("names: every table has distinct spellings and a help line for every entry", "[names]") {
  auto check = [](auto table) {
    std::set<std::string_view> seen;
    for (const auto& n : table) {
      INFO(n.name);
      CHECK(seen.insert(n.name).second);
      CHECK_FALSE(n.help.empty());
    }
  };
  check(names::table<Task>());
  check(names::table<Method>());
  check(names::table<WeightFormat>());
  check(names::table<Precision>());
  check(names::table<KvFormat>());
  check(names::table<Optimizer>());
  check(names::table<PrecisionPolicy>());
  check(names::table<LossKind>());
  check(names::table<Offload>());
  check(names::table<Checkpointing>());
  check(names::table<Interconnect>());
  check(names::table<Network>());
  check(names::table<Runtime>());
  check(names::table<Collective>());
  check(names::table<Solve>());
  check(names::table<PeerAccess>());
  check(names::table<LinkTopology>());
  check(names::table<GpuFamily>());
  check(names::table<WeightKernel>());
  check(names::table<Component>());
  check(names::table<Bound>());
  check(names::table<Objective>());
  check(names::table<calibrate::MemoryOp>());
  check(names::table<calibrate::TransferKind>());
}
