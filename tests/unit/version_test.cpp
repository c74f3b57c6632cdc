#include <catch2/catch.hpp>
#include <string>

#include "headroom/version.hpp"

TEST_CASE("the version string matches the version macros", "[version]") {
  const std::string expected = std::to_string(HEADROOM_VERSION_MAJOR) + "." + std::to_string(HEADROOM_VERSION_MINOR) +
                               "." + std::to_string(HEADROOM_VERSION_PATCH);
  REQUIRE(std::string(headroom::version_string) == expected);
  STATIC_REQUIRE(HEADROOM_VERSION == HEADROOM_VERSION_MAJOR * 10000 + HEADROOM_VERSION_MINOR * 100 + HEADROOM_VERSION_PATCH);
}
