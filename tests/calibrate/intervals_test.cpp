// The 80% band table: data/uncertainty/intervals.json equals the constexpr table, a cell without a row
// gets x/÷2, the cell of a job, and a measured profile's fit residuals widen a band.

#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <set>
#include <string_view>
#include <tuple>
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
    INFO(b.key << " " << b.runtime_class << " " << b.regime);
    CHECK(r.at("key").get<std::string>() == b.key);
    CHECK(r.at("runtime_class").get<std::string>() == b.runtime_class);
    CHECK(r.at("regime").get<std::string>() == b.regime);
    CHECK(r.at("low").get<double>() == b.low);
    CHECK(r.at("high").get<double>() == b.high);
    CHECK(r.at("sources").get<int>() == b.sources);
    CHECK(r.at("cases").get<int>() == b.cases);
    // Centred on the prediction (never shifted): low x high = 1 up to the 3-decimal rounding.
    CHECK(b.low * b.high == Approx(1.0).margin(0.01));
    CHECK(b.sources >= 1);
    // Spellings the lookup compares with.
    CHECK(names::value<AnswerKey>(b.key, false).has_value());
    CHECK(names::value<RuntimeClass>(b.runtime_class, false).has_value());
    CHECK(names::value<ParallelRegime>(b.regime, false).has_value());
  }
}

TEST_CASE("band lookup: the cell's row, else x/÷2", "[uncertainty]") {
  for (const auto& b : interval_bands) {
    const BandCell c{*names::value<AnswerKey>(b.key, false), *names::value<RuntimeClass>(b.runtime_class, false),
                     *names::value<ParallelRegime>(b.regime, false)};
    CHECK(band_for(c).low == b.low);
    CHECK(band_for(c).high == b.high);
  }
  // No public source answers max_batch: a cell without a source is x/÷2.
  constexpr BandCell none{AnswerKey::limits_max_batch, RuntimeClass::server, ParallelRegime::model_parallel};
  STATIC_REQUIRE(band_for(none).low == 0.5);
  STATIC_REQUIRE(band_for(none).high == 2.0);
}

TEST_CASE("the compile-time band index answers as band_for in every cell", "[uncertainty]") {
  std::size_t indexed = 0;
  for (int k = 0; k < names::count<AnswerKey>; ++k)
    for (int c = 0; c < names::count<RuntimeClass>; ++c)
      for (int r = 0; r < names::count<ParallelRegime>; ++r) {
        const BandCell cell{static_cast<AnswerKey>(k), static_cast<RuntimeClass>(c), static_cast<ParallelRegime>(r)};
        const Interval a = detail::band_index.band(cell), b = band_for(cell);
        CHECK(a.low == b.low);
        CHECK(a.high == b.high);
        if (detail::band_index.row[detail::BandIndex::at(cell)] >= 0) ++indexed;
      }
  // Every row of the table is reachable: one indexed cell per distinct (key, runtime class, regime) of
  // the rows (a misspelled row would be ignored by both lookups, and agree).
  std::set<std::tuple<std::string_view, std::string_view, std::string_view>> rows;
  for (const IntervalBand& b : interval_bands) {
    CHECK(names::value<AnswerKey>(b.key, false).has_value());
    CHECK(names::value<RuntimeClass>(b.runtime_class, false).has_value());
    CHECK(names::value<ParallelRegime>(b.regime, false).has_value());
    rows.emplace(b.key, b.runtime_class, b.regime);
  }
  CHECK(indexed == rows.size());
  CHECK(!rows.empty());
}

TEST_CASE("band cell of a job: key family, runtime class, parallel regime", "[uncertainty]") {
  // Step time is 1 / tokens per second: one family; a symmetric log band is the same for both.
  STATIC_REQUIRE(band_key(AnswerKey::time_step_time_s) == AnswerKey::time_train_tokens_per_s_per_gpu);
  STATIC_REQUIRE(band_key(AnswerKey::time_hfu) == AnswerKey::time_mfu);
  STATIC_REQUIRE(band_key(AnswerKey::memory_reserved_gib) == AnswerKey::memory_reserved_gib);
  Job w;
  w.runtime = Runtime::torchtitan;
  CHECK(runtime_class(w) == RuntimeClass::distributed);
  CHECK(parallel_regime(w) == ParallelRegime::one_gpu);
  w.hardware.count = 8;
  w.parallel.dp = 8;
  w.parallel.zero = 3;  // FSDP over 8 GPUs is still data parallel
  CHECK(parallel_regime(w) == ParallelRegime::data_parallel);
  w.parallel.dp = 4;
  w.parallel.cp = 2;
  CHECK(parallel_regime(w) == ParallelRegime::model_parallel);
  w.runtime = Runtime::sglang;
  CHECK(runtime_class(w) == RuntimeClass::server);
  w.runtime = Runtime::unsloth;
  CHECK(runtime_class(w) == RuntimeClass::eager);
  w.task = Task::collective;
  CHECK(runtime_class(w) == RuntimeClass::collective);
}

TEST_CASE("a profile's fit half-width widens a band in quadrature", "[uncertainty]") {
  const Interval b{0.8, 1.25};  // ln half-width 0.223, centre 0
  const Interval w = widen(b, 0.1);
  const double h = std::sqrt(std::log(1.25) * std::log(1.25) + 0.01);
  CHECK_THAT(w.high, Catch::Matchers::WithinRel(std::exp(h), 1e-12));
  CHECK_THAT(w.low, Catch::Matchers::WithinRel(std::exp(-h), 1e-12));
  CHECK(widen(b, 0).high == b.high);
}
