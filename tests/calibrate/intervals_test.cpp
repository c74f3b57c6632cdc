// The 80% band table: data/uncertainty/intervals.json equals the constexpr table, lookups fall back to the
// key's pooled row, and a measured profile's fit residuals widen a band.

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "headroom/evaluate.hpp"
#include "headroom/uncertainty.hpp"

using namespace headroom;

TEST_CASE("data/uncertainty/intervals.json equals the constexpr band table", "[uncertainty][data]") {
  std::ifstream in(std::string(HEADROOM_SOURCE_DIR) + "/data/uncertainty/intervals.json");
  REQUIRE(in);
  const auto j = nlohmann::json::parse(in);
  CHECK(j.at("level").get<double>() == 0.8);
  const auto& rows = j.at("bands");
  REQUIRE(rows.size() == interval_bands.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const IntervalBand& b = interval_bands[i];
    INFO(b.key << " " << b.regime);
    CHECK(r.at("key").get<std::string>() == b.key);
    CHECK(r.at("regime").get<std::string>() == b.regime);
    CHECK(r.at("low").get<double>() == b.low);
    CHECK(r.at("high").get<double>() == b.high);
    CHECK(r.at("cases").get<int>() == b.cases);
    CHECK(r.at("coverage").get<double>() == b.coverage);
    CHECK(b.low > 0);
    CHECK(b.low < b.high);
  }
}

TEST_CASE("band lookup: the regime's row, else the key's pooled row, else none", "[uncertainty]") {
  for (const auto& b : interval_bands) {
    const Interval i = interval_for(b.key, b.regime);
    CHECK(i.low == b.low);
    CHECK(i.high == b.high);
  }
  // A regime without its own row takes the pooled "any" row of the key.
  const Interval any = interval_for("memory.per_gpu_gib", "any");
  REQUIRE(any.present());
  const Interval other = interval_for("memory.per_gpu_gib", "no-such-regime");
  CHECK(other.low == any.low);
  CHECK(other.high == any.high);
  CHECK_FALSE(interval_for("limits.max_batch", "any").present());
  STATIC_REQUIRE(interval_for("time.no_such_key", "compute").high == 0);
}

TEST_CASE("a profile's fit half-width widens a band in quadrature", "[uncertainty]") {
  const Interval b{0.8, 1.25};  // ln half-width 0.223, centre 0
  const Interval w = widen(b, 0.1);
  const double h = std::sqrt(std::log(1.25) * std::log(1.25) + 0.01);
  CHECK_THAT(w.high, Catch::Matchers::WithinRel(std::exp(h), 1e-12));
  CHECK_THAT(w.low, Catch::Matchers::WithinRel(std::exp(-h), 1e-12));
  CHECK(widen(b, 0).high == b.high);
}
