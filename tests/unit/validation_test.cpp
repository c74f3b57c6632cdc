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
    CHECK(r.regime == "inference");
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
