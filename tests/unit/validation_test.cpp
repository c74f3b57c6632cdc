// Validation scoring from the standard library alone (headroom/validation.hpp): one case scored
// from its labels and what its answer says, the group tables, and the threshold check.

#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "headroom/validation.hpp"

namespace hr = headroom;
namespace hv = headroom::validation;

namespace {

hr::ValidationCase memory_case(const std::string& row, double measured_gib) {
  hr::ValidationCase c;
  c.file = "hand.jsonl";
  c.source_row = row;
  c.key = "memory.per_gpu_gib";
  c.expected = measured_gib;
  c.confidence = "high";
  return c;
}

hv::Prediction predicted_gib(double gib) {
  hv::Prediction p;
  p.ok = true;
  p.value = gib;
  p.device_gib = gib;
  return p;
}

}  // namespace

TEST_CASE("validation scoring needs no JSON", "[validation]") {
  hv::CaseLabels labels;
  labels.gpu = "rtx-4090";
  SECTION("APE of one case: |22 - 20| / 20 = 0.1, labelled by its source and GPU") {
    const auto r = hv::score(memory_case("A-1", 20.0), 0, labels, predicted_gib(22.0));
    CHECK(r.status == hv::CaseStatus::scored);
    CHECK(r.ape == Approx(0.1));
    CHECK(r.source == "A");
    CHECK(r.gpu == "rtx-4090");
    CHECK(r.runtime == "pytorch");
    REQUIRE(r.cell.has_value());  // memory.per_gpu_gib of a one-GPU eager case
    CHECK(r.cell->key == hr::AnswerKey::memory_per_gpu_gib);
    CHECK(r.cell->runtime == hr::RuntimeClass::eager);
    CHECK(r.cell->regime == hr::ParallelRegime::one_gpu);
  }
  SECTION("an answer without the key is not predicted; an unanswered case is an error") {
    hv::Prediction none;
    none.ok = true;
    CHECK(hv::score(memory_case("A-2", 20.0), 0, labels, none).status ==
          hv::CaseStatus::not_predicted);
    hv::Prediction failed;
    failed.error = "'gpu': boom";
    const auto r = hv::score(memory_case("A-3", 20.0), 0, labels, failed);
    CHECK(r.status == hv::CaseStatus::error);
    CHECK(r.error == "'gpu': boom");
  }
  SECTION("summarize: APEs 0.1 and 0.3 have the median 0.2; the worst case comes first") {
    hr::ValidationReport rep;
    rep.cases = {memory_case("A-1", 10.0), memory_case("B-1", 10.0)};
    rep.results.push_back(hv::score(rep.cases[0], 0, labels, predicted_gib(11.0)));
    rep.results.push_back(hv::score(rep.cases[1], 1, labels, predicted_gib(7.0)));
    hv::summarize(rep);
    CHECK(rep.files == std::vector<std::string>{"hand.jsonl"});
    REQUIRE(rep.by_key.size() == 1);
    CHECK(rep.by_key[0].median_ape == Approx(0.2));
    CHECK(rep.by_source.size() == 2);
    CHECK(rep.worst == std::vector<std::size_t>{1, 0});
    const hv::Threshold loose{"memory.per_gpu_gib", hv::Metric::median_ape, 0.25};
    const hv::Threshold tight{"memory.per_gpu_gib", hv::Metric::median_ape, 0.15};
    CHECK(hv::check(rep, std::vector<hv::Threshold>{loose}).passed);
    CHECK_FALSE(hv::check(rep, std::vector<hv::Threshold>{tight}).passed);
  }
}

TEST_CASE("80% band derivation: sources, not cases, are the unit", "[validation][uncertainty]") {
  using R = hv::SourceResidual;
  SECTION("source-weighted 80th percentile of |r|") {
    // A has 0.1 and -0.3 (weight 1/2 each), B has 0.2 (weight 1); 80% of 2 sources = 1.6:
    // cumulative 0.5 at 0.1, 1.5 at 0.2, 2.0 at 0.3 -> 0.3.
    CHECK(hv::source_weighted_q80({{"A", 0.1}, {"A", -0.3}, {"B", 0.2}}) == Approx(0.3));
    // Three sources of one case each: 80% of 3 = 2.4 is reached at the third, 0.2.
    CHECK(hv::source_weighted_q80({{"A", 0.05}, {"B", -0.1}, {"C", 0.2}}) == Approx(0.2));
    // Case-weighted, 100 tight cases of A would set the band; with sources as the unit they weigh as B's one.
    std::vector<R> many(100, R{"A", 0.01});
    many.push_back({"B", 0.5});
    CHECK(hv::source_weighted_q80(many) == Approx(0.5));
  }
  SECTION("widening: one source twice its spread, none x/÷2") {
    const std::vector<R> one{{"A", 0.1}};
    CHECK(hv::band_half_width(one) == Approx(0.2));
    int sources = -1;
    CHECK(hv::band_half_width(one, "A", &sources) == Approx(std::log(2.0)));
    CHECK(sources == 0);
    const std::vector<R> two{{"A", 0.1}, {"B", 0.3}};  // 80% of 2 = 1.6 reached at 0.3
    CHECK(hv::band_half_width(two, {}, &sources) == Approx(0.3));
    CHECK(sources == 2);
    CHECK(hv::band_half_width(two, "B") == Approx(0.2));  // A alone: 2 x 0.1
  }
  SECTION("leave-one-source-out coverage judges each case by the band derived without its source") {
    hv::CaseLabels labels;
    hr::ValidationReport rep;
    // measured = 10 e^r against a prediction of 10: A at r = 0.1 and -0.3, B at r = 0.7.
    rep.cases = {memory_case("A-1", 10 * std::exp(0.1)), memory_case("A-2", 10 * std::exp(-0.3)),
                 memory_case("B-1", 10 * std::exp(0.7))};
    for (std::size_t i = 0; i < rep.cases.size(); ++i)
      rep.results.push_back(hv::score(rep.cases[i], i, labels, predicted_gib(10.0)));
    hv::summarize(rep);
    REQUIRE(rep.bands.size() == 1);
    const auto& b = rep.bands[0];
    CHECK(b.sources == 2);
    CHECK(b.cases == 3);
    CHECK(b.half == Approx(0.7));  // cumulative 0.5 (0.1), 1.0 (0.3), 2.0 (0.7) against 1.6
    CHECK(b.coverage == Approx(1.0));
    // Without A, B alone: 2 x 0.7 = 1.4 covers A's 0.1 and 0.3. Without B, A alone: 2 x 0.3 = 0.6 < 0.7.
    CHECK(rep.results[0].loso_half == Approx(1.4));
    CHECK(rep.results[0].loso_covered);
    CHECK(rep.results[2].loso_half == Approx(0.6));
    CHECK_FALSE(rep.results[2].loso_covered);
    CHECK(b.loso_coverage == Approx(2.0 / 3.0));
    REQUIRE(rep.by_key.size() == 1);
    CHECK(rep.by_key[0].loso_banded == 3);
    CHECK(rep.by_key[0].loso_coverage == Approx(2.0 / 3.0));
  }
}
