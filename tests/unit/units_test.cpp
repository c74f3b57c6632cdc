#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>
#include <type_traits>

#include "headroom/units.hpp"

using namespace headroom;
using namespace headroom::literals;

template <class A, class B>
concept Addable = requires(A a, B b) { a + b; };

TEST_CASE("quantities are zero-cost doubles", "[units]") {
  STATIC_REQUIRE(sizeof(Bytes) == sizeof(double));
  STATIC_REQUIRE(std::is_trivially_copyable_v<Bytes>);
  STATIC_REQUIRE(!std::is_convertible_v<double, Bytes>);
}

TEST_CASE("dimensions combine and mismatches do not compile", "[units]") {
  STATIC_REQUIRE(std::is_same_v<decltype(16_GiB / 1008_GBps), Seconds>);
  STATIC_REQUIRE(std::is_same_v<decltype(Flops{1} / 1_B), Intensity>);
  STATIC_REQUIRE(std::is_same_v<decltype(1_s / 1_ms), double>);
  STATIC_REQUIRE(std::is_same_v<decltype(tflops(1) * 1_s), Flops>);
  STATIC_REQUIRE(!Addable<Bytes, Seconds>);
  STATIC_REQUIRE(Addable<Bytes, Bytes>);
}

TEST_CASE("GB and GiB are kept apart", "[units]") {
  // 24 GiB = 24 * 2^30 = 25,769,803,776 B, which is 25.77 GB (the "24 GB" RTX 4090).
  STATIC_REQUIRE((24_GiB).value() == 25769803776.0);
  REQUIRE(to_gb(24_GiB) == Approx(25.769803776));
  // 80 GB = 80e9 B = 74.506 GiB.
  REQUIRE(to_gib(80_GB) == Approx(74.50580596923828));
  REQUIRE(to_mib(1_GiB) == 1024.0);
  STATIC_REQUIRE((1_MB).value() == 1e6);
}

TEST_CASE("rates and times", "[units]") {
  // 16.06 GB over 1008 GB/s = 15.93 ms.
  const Seconds t = gb(16.06) / 1008_GBps;
  REQUIRE(t.value() == Approx(0.01593254).epsilon(1e-6));
  REQUIRE(to_tflops(165.2_TFLOPS) == Approx(165.2));
  REQUIRE((3_ms).value() == Approx(0.003));
  REQUIRE(max(1_GiB, 2_GiB) == 2_GiB);
  REQUIRE(min(1_GiB, 2_GiB) == 1_GiB);
  Bytes b = 1_GiB;
  b += 1_GiB;
  b *= 2.0;
  REQUIRE(b == 4_GiB);
}

TEST_CASE("comparisons are those of the stored double, NaN included", "[units]") {
  STATIC_REQUIRE(Bytes{1} < Bytes{2} && Bytes{2} > Bytes{1} && Bytes{2} <= Bytes{2} && Bytes{2} >= Bytes{2});
  STATIC_REQUIRE(Bytes{2} == Bytes{2} && Bytes{1} != Bytes{2} && !(Bytes{2} < Bytes{2}));
  STATIC_REQUIRE(Bytes{-0.0} == Bytes{0.0});
  const Bytes nan{std::numeric_limits<double>::quiet_NaN()};
  CHECK_FALSE(nan < Bytes{1});
  CHECK_FALSE(nan > Bytes{1});
  CHECK_FALSE(nan <= nan);
  CHECK_FALSE(nan >= nan);
  CHECK_FALSE(nan == nan);
  CHECK(nan != nan);
  CHECK(std::max(Bytes{3}, Bytes{5}) == Bytes{5});
  CHECK(std::min(Bytes{3}, Bytes{5}) == Bytes{3});
}
