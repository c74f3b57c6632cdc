#include <catch2/catch.hpp>
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
