// Validation files, scoring, the error tables and thresholds (the rendered report is tested in
// tests/cli/validation_report_test.cpp).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "headroom/io/cases.hpp"
#include "headroom/io/validation.hpp"
#include "validation_hand.hpp"

using json = nlohmann::json;
namespace hr = headroom;
namespace hv = headroom::validation;
using Catch::Matchers::Contains;
using validation_hand::hand_report;
using validation_hand::make_case;
using validation_hand::memory_answer;
using validation_hand::sample_report;

namespace {

const std::string data_dir = HEADROOM_TEST_DATA_DIR "/validation/";
const std::vector<std::string> validation_files{"public-memory.jsonl", "public-time.jsonl", "public-serving.jsonl"};

/// Parses a case; a model_type without a reader yet (UnsupportedModelType) is a known gap, counted in
/// `unsupported`; anything else that throws fails the test.
void parse_or_gap(const json& case_json, const hr::Catalog& cat, std::size_t& unsupported) {
  hr::StringStore s;
  try {
    (void)hr::job_from_json(case_json, cat, s);
  } catch (const hr::UnsupportedModelType&) {
    ++unsupported;
  }
}

/// A catalog with a placeholder for every GPU and model id the cases name: checks the fields of
/// the cases independently of which ids the built-in catalog has.
hr::Catalog placeholder_catalog(const std::vector<hr::ValidationCase>& cases, hr::StringStore& strings) {
  std::set<std::string> gpus, models;
  for (const auto& c : cases) {
    const json j = json::parse(c.case_text);
    if (j.contains("gpu") && j.at("gpu").is_string()) gpus.insert(j.at("gpu").get<std::string>());
    if (j.contains("model") && j.at("model").is_string()) models.insert(j.at("model").get<std::string>());
  }
  std::vector<hr::GpuSpec> g;
  for (const auto& id : gpus) {
    hr::GpuSpec s;
    s.id = strings.keep(id);
    s.memory = hr::gib(24);
    // A placeholder that can run every runtime, format and link (can_run, job.hpp): this test is
    // about the fields; the checks run against the real records in the next test and in checks_test.
    s.vendor = "NVIDIA";
    s.nvlink_topology = hr::LinkTopology::nvswitch;
    s.peak.fp8 = hr::tflops(1);
    s.peak.fp4 = hr::tflops(1);
    g.push_back(s);
  }
  std::vector<hr::ModelArch> m;
  for (const auto& id : models) {
    hr::ModelArch a;
    a.id = strings.keep(id);
    m.push_back(a);
  }
  return hr::Catalog(std::move(g), std::move(m));
}

}  // namespace

TEST_CASE("validation: the public files read, and every case uses only fields of docs/cases.md", "[validation]") {
  for (const auto& f : validation_files) {
    INFO(f);
    std::vector<hr::ValidationCase> cases;
    REQUIRE_NOTHROW(cases = hr::read_validation_file(data_dir + f));
    // Line counts of the v2 files (wc -l).
    CHECK(cases.size() == (f == "public-memory.jsonl" ? 162u : f == "public-time.jsonl" ? 533u : 2838u));
    hr::StringStore strings;
    const hr::Catalog placeholders = placeholder_catalog(cases, strings);
    for (const auto& c : cases) {
      INFO(c.source_row);
      const json case_json = json::parse(c.case_text);
      CHECK(case_json.value("id", "") == c.source_row);
      CHECK_FALSE(c.notes.empty());
      std::size_t unsupported = 0;
      CHECK_NOTHROW(parse_or_gap(case_json, placeholders, unsupported));
    }
  }
}

TEST_CASE("validation: every GPU and model id of the public files is in the built-in catalog", "[validation]") {
  const hr::Catalog& cat = hr::Catalog::builtin();
  if (cat.gpus().empty() || cat.models().empty()) {
    WARN("built-in GPU or model table is empty; id check skipped");
    return;
  }
  for (const auto& f : validation_files) {
    for (const auto& c : hr::read_validation_file(data_dir + f)) {
      INFO(c.source_row);
      std::size_t unsupported = 0;
      CHECK_NOTHROW(parse_or_gap(json::parse(c.case_text), cat, unsupported));
    }
  }
}

TEST_CASE("validation: malformed lines are DataErrors naming file, line and field", "[validation]") {
  auto error_of = [](const std::string& text) {
    std::istringstream in(text);
    try {
      (void)hr::read_validation(in, "x.jsonl");
    } catch (const hr::DataError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  const std::string good_case = R"("case": {"gpu": "rtx-4090", "model": "llama-3-8b"})";
  const std::string tail = R"(, "confidence": "high", "notes": "n"})";
  auto line = [&](const std::string& expected, const std::string& extra = "") {
    return R"({"source_row": "S-1", )" + good_case + R"(, "expected": )" + expected + extra + tail;
  };
  std::istringstream ok("\n" + line(R"({"key": "memory.per_gpu_gib", "value": 10.5, "kind": "measured", "reported_as": "reserved"})") +
                        "\n" + line(R"({"key": "memory.fits", "value": false, "kind": "measured"})") + "\n");
  const auto cases = hr::read_validation(ok, "x.jsonl");
  REQUIRE(cases.size() == 2);
  CHECK(cases[0].line == 2);
  CHECK(cases[0].expected == 10.5);
  CHECK(cases[0].reported_as == "reserved");
  CHECK(cases[1].is_fits());
  CHECK_FALSE(cases[1].expected_fits);

  CHECK_THAT(error_of(line(R"({"key": "memory.per_gpu", "value": 1, "kind": "measured"})")),
             Contains("x.jsonl:1") && Contains("expected.key") && Contains("did you mean 'memory.per_gpu_gib'"));
  CHECK_THAT(error_of(line(R"({"key": "memory.per_gpu_gib", "value": 0, "kind": "measured"})")),
             Contains("expected.value") && Contains("> 0"));
  CHECK_THAT(error_of(line(R"({"key": "memory.fits", "value": 1, "kind": "measured"})")),
             Contains("true or false"));
  CHECK_THAT(error_of(line(R"({"key": "memory.fits", "value": true, "kind": "measured", "unit": "GiB"})")),
             Contains("expected.unit"));
  CHECK_THAT(error_of(line(R"({"key": "memory.fits", "value": true, "kind": "measured"})", ", \"confidense\": 1")),
             Contains("confidense") && Contains("did you mean 'confidence'"));
  CHECK_THAT(error_of("{nope"), Contains("x.jsonl:1") && Contains("not valid JSON"));
  CHECK_THAT(error_of(R"({"source_row": "S-1", "expected": {"key": "memory.fits", "value": true, "kind": "m"}, "confidence": "high", "notes": ""})"),
             Contains("'case'") && Contains("required"));
  CHECK_THAT(error_of(R"({"source_row": "S-1", )" + good_case +
                      R"(, "expected": {"key": "memory.fits", "value": true, "kind": "m"}, "confidence": "sure", "notes": ""})"),
             Contains("high, medium or low"));
  CHECK_THROWS_AS(hr::read_validation_file(data_dir + "no-such-file.jsonl"), hr::IoError);
}

TEST_CASE("validation: source is the source_row prefix before the first '-'", "[validation]") {
  CHECK(hv::source_of("TORCHTUNE-005") == "TORCHTUNE");
  CHECK(hv::source_of("XDAI-12-b") == "XDAI");
  CHECK(hv::source_of("PLAIN") == "PLAIN");
}

TEST_CASE("validation: scoring one case", "[validation]") {
  using hv::CaseStatus;
  const auto num = make_case("A-1", "memory.per_gpu_gib", 20.0, "high");
  SECTION("numeric key: APE") {
    const auto r = hr::detail::validation_impl::score(num, 0, memory_answer(22.0));
    CHECK(r.status == CaseStatus::scored);
    CHECK(r.predicted == 22.0);
    CHECK(r.ape == Approx(0.1));
    CHECK(r.source == "A");
    CHECK(r.gpu == "rtx-4090");
    CHECK(r.runtime == "pytorch");  // the default when the case names none
  }
  SECTION("reserved and device memory are scored against their own keys") {
    // memory_answer(20.0): reserved 20.25, device 20.5; measured 20.0 -> APE 1.25% and 2.5%.
    const auto rr = hr::detail::validation_impl::score(make_case("A-4", "memory.reserved_gib", 20.0, "high"), 0,
                                                       memory_answer(20.0));
    CHECK(rr.status == CaseStatus::scored);
    CHECK(rr.ape == Approx(0.0125));
    const auto rd = hr::detail::validation_impl::score(make_case("A-5", "memory.device_gib", 20.0, "high"), 0,
                                                       memory_answer(20.0));
    CHECK(rd.ape == Approx(0.025));
    REQUIRE(rd.cell.has_value());  // the device key has its own family
    CHECK(rd.cell->key == hr::AnswerKey::memory_device_gib);
    CHECK_FALSE(rd.band.present());  // this answer has no intervals
    // The band scored is the answer's own: measured/predicted = 20.0 / 20.5 = 0.9756, outside [0.98, 1.1]
    // and inside [0.97, 1.1].
    json banded = memory_answer(20.0);
    banded["intervals"] = {{"memory.device_gib", {{"low", 0.98}, {"high", 1.1}}}};
    const auto rb = hr::detail::validation_impl::score(make_case("A-6", "memory.device_gib", 20.0, "high"), 0, banded);
    CHECK(rb.band.low == 0.98);
    CHECK(rb.band.high == 1.1);
    CHECK_FALSE(rb.covered);
    banded["intervals"]["memory.device_gib"]["low"] = 0.97;
    CHECK(hr::detail::validation_impl::score(make_case("A-7", "memory.device_gib", 20.0, "high"), 0, banded).covered);
  }
  SECTION("memory.fits: right or wrong") {
    auto f = make_case("A-2", "memory.fits", 0, "low");
    f.expected_fits = false;
    const auto r = hr::detail::validation_impl::score(f, 0, memory_answer(30.0, false));
    CHECK(r.status == CaseStatus::scored);
    CHECK(r.correct);
    CHECK(r.device_gib == 30.5);  // the wrong-fits table shows device against usable
    CHECK(r.usable_gib == 24.0);
    CHECK_FALSE(hr::detail::validation_impl::score(f, 0, memory_answer(20.0, true)).correct);
  }
  SECTION("a time key absent from the answer is 'not predicted', not an error") {
    const auto t = make_case("A-3", "time.decode_tokens_per_s", 50, "high");
    CHECK(hr::detail::validation_impl::score(t, 0, memory_answer(10)).status == CaseStatus::not_predicted);
    json zero = memory_answer(10);
    zero["time"] = {{"decode_tokens_per_s", 0}};
    CHECK(hr::detail::validation_impl::score(t, 0, zero).status == CaseStatus::not_predicted);
  }
  SECTION("an unanswered case is an error with its message") {
    const auto r = hr::detail::validation_impl::score(num, 0, hr::error_to_json("A-1", "'gpu': boom"));
    CHECK(r.status == CaseStatus::error);
    CHECK(r.error == "'gpu': boom");
  }
  SECTION("labels: runtime given, collective, gpus") {
    json c{{"gpu", "a100-sxm4-80gb"}, {"model", "m"}, {"runtime", "llama.cpp"}, {"gpus", 4}};
    const auto r = hr::detail::validation_impl::score(make_case("B-1", "memory.per_gpu_gib", 1, "high", c), 0,
                                                      memory_answer(1));
    CHECK(r.runtime == "llama.cpp");
    CHECK(r.gpus == 4);
    json coll{{"gpu", "h200-sxm-141gb"}, {"task", "collective"}};
    CHECK(hr::detail::validation_impl::score(make_case("N-1", "time.busbw_gbps", 1, "high", coll), 0, memory_answer(1))
              .runtime == "-");
  }
}


TEST_CASE("validation: per-key and per-group tables", "[validation]") {
  auto rep = sample_report();
  using namespace hr::detail::validation_impl;
  const auto by_key = aggregate(rep, [](const hv::CaseResult&) { return std::string("all"); });
  REQUIRE(by_key.size() == 3);  // report order: memory.per_gpu_gib, memory.fits, time.decode_tokens_per_s
  CHECK(by_key[0].key == "memory.per_gpu_gib");
  CHECK(by_key[0].cases == 5);
  CHECK(by_key[0].scored == 4);
  CHECK(by_key[0].errors == 1);
  CHECK(by_key[0].median_ape == Approx(0.25));
  CHECK(by_key[0].p90_ape == Approx(0.37));
  CHECK(std::isnan(by_key[0].accuracy));
  CHECK(by_key[1].key == "memory.fits");
  CHECK(by_key[1].accuracy == Approx(0.5));
  CHECK(by_key[2].key == "time.decode_tokens_per_s");
  CHECK(by_key[2].not_predicted == 1);
  CHECK(std::isnan(by_key[2].median_ape));

  const auto by_source = aggregate(rep, [](const hv::CaseResult& r) { return r.source; });
  CHECK(by_source.front().group == "SRCA");
  CHECK(by_source.front().median_ape == Approx(0.2));
  const auto by_runtime = aggregate(rep, [](const hv::CaseResult& r) { return r.runtime; });
  CHECK(by_runtime.front().group == "llama.cpp");
  CHECK(by_runtime.front().median_ape == Approx(0.35));
}

TEST_CASE("validation: thresholds", "[validation]") {
  auto rep = sample_report();
  SECTION("the default table fails on the error and on the fits accuracy") {
    const auto chk = hv::check(rep);
    CHECK_FALSE(chk.passed);
    CHECK(chk.errors == 1);
    REQUIRE(chk.items.size() == hv::default_thresholds.size());
    CHECK(chk.items[0].status == hv::CheckStatus::fail);  // median 25% > 12%
    CHECK(chk.items[0].value == Approx(0.25));
    CHECK(chk.items[2].status == hv::CheckStatus::fail);  // fits 50% < 90%
    CHECK(chk.items[3].threshold.key == "time.decode_tokens_per_s");
    CHECK(chk.items[3].status == hv::CheckStatus::fail);  // single-GPU time rows are required
    CHECK(chk.items[4].status == hv::CheckStatus::no_cases);
  }
  SECTION("a custom table: pass, scope and required") {
    const std::array<hv::Threshold, 4> table{{
        {"memory.per_gpu_gib", hv::Metric::median_ape, 0.30, hv::GpuScope::any, true},
        {"memory.per_gpu_gib", hv::Metric::p90_ape, 0.40, hv::GpuScope::single, true},
        {"memory.per_gpu_gib", hv::Metric::median_ape, 0.01, hv::GpuScope::multi, true},
        {"time.decode_tokens_per_s", hv::Metric::median_ape, 0.2, hv::GpuScope::any, true},
    }};
    rep.errors.clear();
    for (auto& r : rep.results)
      if (r.status == hv::CaseStatus::error) r.status = hv::CaseStatus::not_predicted;
    const auto chk = hv::check(rep, table);
    CHECK(chk.items[0].status == hv::CheckStatus::fail);  // required, one case not predicted
    CHECK(chk.items[0].not_predicted == 1);
    CHECK(chk.items[2].status == hv::CheckStatus::no_cases);  // no multi-GPU case
    CHECK(chk.items[3].status == hv::CheckStatus::fail);      // required and not predicted
    CHECK_FALSE(chk.passed);
  }
  SECTION("all met") {
    auto good = hand_report({
        {make_case("A-1", "memory.per_gpu_gib", 10, "high"), memory_answer(10.5)},
        {make_case("A-2", "memory.per_gpu_gib", 10, "high"), memory_answer(9.5)},
    });
    hv::summarize(good);  // derives the bands: LOSO coverage needs them (one source: x/÷2 holds both)
    const auto chk = hv::check(good);
    CHECK(chk.items[13].threshold.metric == hv::Metric::loso_coverage);
    CHECK(chk.items[13].status == hv::CheckStatus::pass);
    CHECK(chk.items[13].value == Approx(1.0));
    CHECK(chk.passed);
    CHECK(chk.items[0].status == hv::CheckStatus::pass);
    CHECK(chk.items[2].status == hv::CheckStatus::no_cases);
  }
}

TEST_CASE("validation: run_validation end to end over a small file", "[validation]") {
  std::istringstream in(
      R"({"source_row": "T-1", "case": {"id": "T-1", "gpu": "rtx-4090", "model": "llama-3-8b"}, "expected": {"key": "memory.per_gpu_gib", "value": 16.0, "kind": "measured"}, "confidence": "high", "notes": "n1"})"
      "\n"
      R"({"source_row": "T-2", "case": {"id": "T-2", "gpu": "rtx-409", "model": "llama-3-8b"}, "expected": {"key": "memory.fits", "value": true, "kind": "measured"}, "confidence": "low", "notes": "n2"})"
      "\n"
      R"({"source_row": "U-1", "case": {"id": "U-1", "gpu": "rtx-4090", "model": "llama-3-8b"}, "expected": {"key": "time.decode_tokens_per_s", "value": 100.0, "kind": "measured"}, "confidence": "medium", "notes": "n3"})"
      "\n");
  auto cases = hr::read_validation(in, "small.jsonl");
  hr::StringStore strings;
  const hr::Catalog& builtin = hr::Catalog::builtin();
  const bool real = builtin.find_gpu("rtx-4090") != nullptr && builtin.find_model("llama-3-8b") != nullptr;
  const hr::Catalog cat = real ? builtin : placeholder_catalog(cases, strings);
  const auto rep = hr::run_validation(cases, cat);
  REQUIRE(rep.results.size() == 3);
  CHECK(rep.files == std::vector<std::string>{"small.jsonl"});
  // A GPU id not in the catalog is a gap of the catalog: not answered, listed with its reason.
  CHECK(rep.results[1].status == hv::CaseStatus::not_answered);
  CHECK_THAT(rep.results[1].error, Contains("rtx-4090"));
  CHECK(rep.not_answered == std::vector<std::size_t>{1});
  CHECK(rep.by_confidence.front().group == "high");
  CHECK(rep.by_confidence.back().group == "low");
  CHECK(rep.by_source.front().group == "T");
  if (real) {
    CHECK(rep.results[0].status == hv::CaseStatus::scored);
    CHECK(rep.results[2].status != hv::CaseStatus::error);
    CHECK(rep.errors.empty());
  }
}

TEST_CASE("validation: cases not answered yet are listed, never dropped, and do not fail the check", "[validation][v2]") {
  std::istringstream in(
      R"({"source_row": "S-1", "case": {"id": "S-1", "gpu": "rtx-4090", "model": "llama-3-8b", "task": "serving", "concurrency": 4}, "expected": {"key": "serving.tpot_s", "value": 0.02, "kind": "measured"}, "confidence": "high", "notes": "n"})"
      "\n"
      R"({"source_row": "S-2", "case": {"id": "S-2", "gpu": "rtx-4090", "model": "llama-3-8b", "task": "serving", "concurrency": 0}, "expected": {"key": "serving.ttft_s", "value": 0.2, "kind": "measured"}, "confidence": "high", "notes": "n"})"
      "\n"
      R"({"source_row": "M-1", "case": {"id": "M-1", "gpu": "rtx-4090", "model": {"hf_config": {"model_type": "no_such_type"}}}, "expected": {"key": "memory.per_gpu_gib", "value": 10, "kind": "measured"}, "confidence": "high", "notes": "n"})"
      "\n");
  auto cases = hr::read_validation(in, "gaps.jsonl");
  hr::StringStore strings;
  const hr::Catalog& builtin = hr::Catalog::builtin();
  const bool real = builtin.find_gpu("rtx-4090") != nullptr && builtin.find_model("llama-3-8b") != nullptr;
  const hr::Catalog cat = real ? builtin : placeholder_catalog(cases, strings);
  const auto rep = hr::run_validation(cases, cat);
  REQUIRE(rep.results.size() == 3);
  // Serving: answered and scored (on the real catalog). A malformed serving case is an error.
  if (real) CHECK(rep.results[0].status == hv::CaseStatus::scored);
  CHECK(rep.results[1].status == hv::CaseStatus::error);
  CHECK_THAT(rep.results[1].error, Contains("'concurrency'"));
  // A model_type without a reader is a gap too.
  CHECK(rep.results[2].status == hv::CaseStatus::not_answered);
  CHECK_THAT(rep.results[2].error, Contains("no_such_type"));
  CHECK(rep.not_answered == (real ? std::vector<std::size_t>{2} : std::vector<std::size_t>{0, 2}));
  CHECK(rep.errors == std::vector<std::size_t>{1});
  const auto chk = hv::check(rep);
  CHECK(chk.errors == 1);  // the malformed case fails the check, the gaps do not
  CHECK_FALSE(chk.passed);
  std::size_t gaps = 0;
  for (const auto& k : rep.by_key) gaps += k.not_answered;
  CHECK(gaps == (real ? 1u : 2u));

  auto only_gaps = rep;
  only_gaps.results[0].status = hv::CaseStatus::not_answered;  // the serving case's score is not this test's
  only_gaps.results[1].status = hv::CaseStatus::not_answered;
  CHECK(hv::check(only_gaps).passed);
}
