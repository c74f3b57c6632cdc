#include <catch2/catch.hpp>

#include "headroom/error.hpp"
#include "headroom/names.hpp"
#include "headroom/result.hpp"
#include "headroom/string_store.hpp"

using namespace headroom;

TEST_CASE("a memory breakdown totals its components and names the largest", "[result]") {
  MemoryBreakdown b{};
  b.weights = gib(35.8);
  b.lora = gib(3.1);
  b.activations = gib(2.5);
  b.runtime = gib(0.3);
  // 35.8 + 3.1 + 2.5 + 0.3 = 41.7 GiB
  REQUIRE(to_gib(b.total()) == Approx(41.7));
  REQUIRE(b.largest() == Component::weights);
  REQUIRE(b[Component::lora] == gib(3.1));
  b.kv_cache = gib(50);
  REQUIRE(b.largest() == Component::kv_cache);
  STATIC_REQUIRE(to_string(Component::quant_constants) == "quant_constants");
  STATIC_REQUIRE(to_string(Bound::communication) == "communication");
}

TEST_CASE("headroom is usable minus device memory, negative when it does not fit", "[result]") {
  MemoryResult m{};
  m.capacity = gib(24);
  m.usable = gib(21.6);  // e.g. vLLM's 0.9 x 24 GiB
  m.per_gpu = gib(20.0);
  m.device = gib(22.0);
  REQUIRE(to_gib(m.headroom()) == Approx(-0.4));  // 21.6 - 22.0, whatever per_gpu and capacity are
  REQUIRE_FALSE(fits_in(m));
  m.device = gib(21.6);
  REQUIRE(fits_in(m));  // exactly at the limit fits
}

TEST_CASE("errors name what is wrong", "[error]") {
  REQUIRE(std::string(DataError("gpus/x.json", "memory.capacity_gib", "must be positive").what()) ==
          "gpus/x.json: field 'memory.capacity_gib': must be positive");
  REQUIRE(std::string(InputError("batch", "must be >= 1").what()) == "'batch': must be >= 1");
  REQUIRE(std::string(UnknownId("gpu", "h10", {}).what()) == "unknown gpu 'h10'");
  REQUIRE(std::string(UnknownId("gpu", "h10", {"h100-sxm5-80gb"}).what()) ==
          "unknown gpu 'h10'; did you mean 'h100-sxm5-80gb'?");
}

TEST_CASE("a string store keeps views valid as it grows", "[string_store]") {
  StringStore s;
  const std::string_view first = s.keep(std::string("first"));
  for (int i = 0; i < 1000; ++i) (void)s.keep(std::to_string(i));
  REQUIRE(first == "first");
}
