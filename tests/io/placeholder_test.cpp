#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
TEST_CASE("nlohmann parses", "[io]") { REQUIRE(nlohmann::json::parse("{\"a\":1}").at("a") == 1); }
