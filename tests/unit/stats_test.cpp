#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "headroom/stats.hpp"

using namespace headroom::stats;

TEST_CASE("ape is |predicted - measured| / measured", "[stats]") {
  CHECK(ape(110, 100) == Approx(0.10));
  CHECK(ape(90, 100) == Approx(0.10));
  CHECK(ape(100, 100) == 0);
  CHECK(ape(0, 4) == Approx(1.0));
  CHECK(ape(-5, -10) == Approx(0.5));
  CHECK(std::isnan(ape(1, 0)));
  CHECK(std::isnan(ape(nan_value, 1)));
}

TEST_CASE("median interpolates between the two middle values", "[stats]") {
  CHECK(median(std::vector<double>{1, 2, 3, 4}) == Approx(2.5));
  CHECK(median(std::vector<double>{3, 1, 2}) == Approx(2));
  CHECK(median(std::vector<double>{7}) == Approx(7));
  CHECK(median(std::vector<double>{4, 1}) == Approx(2.5));
  CHECK(std::isnan(median(std::vector<double>{})));
  CHECK(median(std::vector<double>{nan_value, 1, 3}) == Approx(2));  // NaN is ignored
}

TEST_CASE("percentile is linear interpolation between ranks (NumPy default)", "[stats]") {
  const std::vector<double> ten{10, 9, 8, 7, 6, 5, 4, 3, 2, 1};
  CHECK(percentile(ten, 0) == Approx(1));
  CHECK(percentile(ten, 100) == Approx(10));
  CHECK(percentile(ten, 50) == Approx(5.5));
  CHECK(percentile(ten, 90) == Approx(9.1));  // index 0.9 * 9 = 8.1
  CHECK(percentile(ten, 25) == Approx(3.25));
  const std::vector<double> four{1, 2, 3, 4};
  CHECK(percentile(four, 90) == Approx(3.7));  // index 2.7
  CHECK(percentile(four, 150) == Approx(4));    // clamped
  CHECK(percentile(four, -5) == Approx(1));
  CHECK(std::isnan(percentile(std::vector<double>{}, 90)));
}

TEST_CASE("mean, share and summarize", "[stats]") {
  CHECK(mean(std::vector<double>{1, 2, 3, 6}) == Approx(3));
  CHECK(std::isnan(mean(std::vector<double>{})));
  CHECK(share(9, 10) == Approx(0.9));
  CHECK(std::isnan(share(0, 0)));
  const auto s = summarize(std::vector<double>{0.1, 0.2, 0.3, 0.4, nan_value});
  CHECK(s.n == 4);
  CHECK(s.median == Approx(0.25));
  CHECK(s.p90 == Approx(0.37));
  CHECK(s.mean == Approx(0.25));
  CHECK(s.max == Approx(0.4));
  const auto e = summarize(std::vector<double>{});
  CHECK(e.n == 0);
  CHECK(std::isnan(e.median));
  CHECK(std::isnan(e.max));
}

TEST_CASE("group_by keeps the item order inside each group, groups sorted by key", "[stats]") {
  struct Row {
    std::string source;
    double error;
  };
  const std::vector<Row> rows{{"B", 0.3}, {"A", 0.1}, {"B", 0.1}, {"A", 0.5}, {"C", 0.2}};
  const auto groups = group_by(rows, [](const Row& r) { return r.source; });
  REQUIRE(groups.size() == 3);
  auto it = groups.begin();
  CHECK(it->first == "A");
  REQUIRE(it->second.size() == 2);
  CHECK(it->second[0]->error == 0.1);
  CHECK(it->second[1]->error == 0.5);
  const auto b = values_of(groups.at("B"), [](const Row& r) { return r.error; });
  CHECK(b == std::vector<double>{0.3, 0.1});
  CHECK(median(b) == Approx(0.2));
}
