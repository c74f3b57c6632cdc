// io/case_line.hpp: the fast answer of one line has the same bytes as the reference
// answer_text(eval_line(...)) of io/cases.hpp, for every line the repository holds and for lines
// built to reach each branch of the reference (errors, warnings, limits, escapes).

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "headroom/catalog.hpp"
#include "headroom/io/case_line.hpp"
#include "headroom/io/cases.hpp"

namespace fs = std::filesystem;
namespace hr = headroom;
using json = nlohmann::json;

namespace {

std::vector<std::string> lines_of(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<std::string> out;
  for (std::string l; std::getline(in, l);)
    if (l.find_first_not_of(" \t\r\n") != std::string::npos) out.push_back(l);
  return out;
}

/// Both paths over `lines`; the number of lines compared.
std::size_t compare(const std::vector<std::string>& lines) {
  std::size_t n = 0;
  for (const std::string& line : lines) {
    ++n;
    const json ref = hr::eval_line(line, hr::Catalog::builtin(), n);
    const std::string want = hr::answer_text(ref);
    std::string got = "prefix:";  // appended to, never overwritten
    const bool ok = hr::append_answer_line(got, line, hr::Catalog::builtin(), n);
    INFO(line);
    REQUIRE(got == "prefix:" + want);
    REQUIRE(ok == ref.at("ok").get<bool>());
  }
  return n;
}

const fs::path data = HEADROOM_TEST_DATA_DIR;
const fs::path source = HEADROOM_SOURCE_DIR;

}  // namespace

TEST_CASE("case_line: every public validation case, bare and as its whole record", "[case_line]") {
  std::vector<std::string> cases, records;
  for (const char* f : {"public-memory.jsonl", "public-time.jsonl", "public-serving.jsonl"})
    for (const std::string& l : lines_of(data / "validation" / f)) {
      records.push_back(l);  // unknown fields (source_row, expected): an error answer
      cases.push_back(json::parse(l).at("case").dump());
    }
  CHECK(compare(cases) == 3533);
  CHECK(compare(records) == 3533);
}

TEST_CASE("case_line: the case, error and fuzz files of tests/", "[case_line]") {
  const auto lines_in = [](const fs::path& dir) {
    std::vector<std::string> lines;
    std::size_t files = 0;
    for (const auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".jsonl" || e.path().extension() == ".json") {
        ++files;
        for (const std::string& l : lines_of(e.path())) lines.push_back(l);
      }
    return std::pair{files, lines};
  };
  const auto [corpus_files, corpus] = lines_in(source / "tests" / "fuzz" / "corpus" / "case_line");
  CHECK(corpus_files >= 59);  // the fuzz corpus alone, so an emptied corpus fails
  CHECK(compare(corpus) >= 59);
  for (const fs::path& dir : {data / "cases", data / "errors"}) {
    const auto [files, lines] = lines_in(dir);
    CHECK(files > 0);
    CHECK(compare(lines) >= files);
  }
}

TEST_CASE("case_line: lines that reach each branch of the reference", "[case_line]") {
  const std::string deep = std::string(70, '[') + std::string(70, ']');
  const std::vector<std::string> lines{
      R"({"id": "a", "gpu": "rtx-4090", "model": "llama-3-8b"})",
      R"({"gpu": "rtx-4090", "model": "llama-3-8b"})",                              // no id: null
      R"({"id": 7, "gpu": "rtx-4090", "model": "llama-3-8b"})",                     // id not a string
      R"({"id": "caf\u00e9 \"q\" \\ \t", "gpu": "rtx-4090", "model": "llama-3-8b"})",  // escapes
      "{\"id\": \"bad utf8 \xff\", \"gpu\": \"rtx-4090\", \"model\": \"llama-3-8b\"}",
      R"({"id": "dup", "gpu": "rtx-4090", "model": "llama-3-8b", "batch": 1, "batch": 2})",
      R"({"id": "dup2", "gpu": "rtx-4090", "model": "llama-3-8b", "parallel": {"tp": 1, "tp": 1}})",
      R"({"id": "huge", "gpu": "rtx-4090", "model": "llama-3-8b", "seq": 1e400})",
      R"({"gpu": )" + deep + "}",
      "[1, 2]", "17", "\"text\"", "null", "{", "{} x", "{}",
      R"({"id": "w", "gpu": "rtx-4090", "model": "llama-3-8b", "seq": 2048})",  // a warning: seq is training's
      R"({"id": "mb", "gpu": "rtx-4090", "model": "llama-3-8b", "solve": "max_batch"})",
      R"({"id": "mc", "gpu": "rtx-4090", "model": "llama-3-8b", "solve": "max_context"})",
      R"({"id": "ms", "gpu": "a100-sxm4-80gb", "model": "llama-3-8b", "task": "training", "method": "qlora", "solve": "max_seq"})",
      R"({"id": "bm", "gpu": "h100-sxm5-80gb", "model": "llama-3-8b", "runtime": "vllm", "batch": "max"})",
      R"({"id": "no-fit", "gpu": "rtx-4090", "model": "llama-3-70b", "task": "training", "method": "full"})",
      R"({"id": "coll", "gpu": "h100-sxm5-80gb", "gpus": 8, "parallel": {"dp": 8}, "task": "collective", "collective": "all_reduce", "bytes": 1e9})",
      R"({"id": "srv", "gpu": "h100-sxm5-80gb", "model": "llama-3-8b", "task": "serving", "concurrency": 8})",
      R"({"id": "unknown-gpu", "gpu": "rtx-409", "model": "llama-3-8b"})",
      R"({"id": "f", "gpu": "rtx-4090", "model": "llama-3-8b", "batch": 2.0, "prompt": 1024.0})",
      R"({"id": "neg0", "gpu": "rtx-4090", "model": "llama-3-8b", "prompt": -0})",
  };
  CHECK(compare(lines) == lines.size());
}

namespace {

/// What a case read one way gives: the answer text with its warnings, or the error's message.
template <class Case>
std::string outcome(const Case& c) {
  try {
    hr::StringStore strings;
    std::vector<std::string> warnings;
    const hr::Job w = hr::job_from_case(c, hr::Catalog::builtin(), strings, warnings);
    return hr::answer_text(hr::answer_to_json(nullptr, hr::evaluate(w), w, warnings));
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
}

/// Reads `line` with the flat reader and, when it takes it, checks that the case gives what the
/// nlohmann object of the same line gives. Returns whether the flat reader took the line.
bool flat_equals_dom(const std::string& line) {
  hr::detail::case_line::FlatCase flat;
  if (!hr::detail::case_line::PlainReader(line).read_case(flat)) return false;
  const json dom = json::parse(line);
  INFO(line);
  CHECK(outcome(flat) == outcome(hr::detail::case_parse::JsonCase(dom)));
  const json* id = flat.find("id");
  CHECK((id == nullptr ? json(nullptr) : *id) == dom.value("id", json(nullptr)));
  return true;
}

}  // namespace

TEST_CASE("case_line: the flat reader gives the case the DOM gives, on every public case", "[case_line]") {
  std::size_t lines = 0, taken = 0;
  for (const char* f : {"public-memory.jsonl", "public-time.jsonl", "public-serving.jsonl"})
    for (const std::string& l : lines_of(data / "validation" / f)) {
      ++lines;
      taken += flat_equals_dom(json::parse(l).at("case").dump()) ? 1U : 0U;
      CHECK_FALSE(flat_equals_dom(l));  // the whole record: source_row, expected are not case fields
    }
  CHECK(lines == 3533);
  // The 90 cases whose inline config carries a regular expression with an escaped "\\." (an escape
  // in the dumped text) go to the DOM; the rest are read flat. 90 is a count of the corpus (the
  // lines with a backslash), not a figure of the reader.
  CHECK(taken == 3533 - 90);
}

TEST_CASE("case_line: what the flat reader takes and what it leaves to the DOM", "[case_line]") {
  const std::string base = R"("gpu": "h100-sxm5-80gb", "model": "llama-3-8b")";
  // Taken: plain fields, numbers in every form nlohmann reads, nested objects and arrays.
  for (const std::string& fields : {
           std::string(R"("id": "a")"),
           std::string(R"("prompt": 1.024e3, "generate": 12800E-2, "batch": 4.0)"),  // exponents: 1024, 128, 4
           std::string(R"("task": "training", "method": "lora", "lora_targets": ["q_proj", "v_proj"], "seq": 2048)"),
           std::string(R"("gpus": 8, "parallel": {"tp": 8}, "interconnect": "nvlink")"),
           std::string(R"("batch": 0)"),             // a value out of range
           std::string(R"("seq": 2048)"),            // a warning: seq is a training field
           std::string(R"("task": "collective", "gpus": 8, "parallel": {"dp": 8}, "collective": "all_reduce", "bytes": 1e9, "seq": 1)"),
       }) {
    const std::string line = "{\"id\": \"x\", " + base + ", " + fields + "}";
    const bool dup_id = fields.find("\"id\"") != std::string::npos;
    CHECK(flat_equals_dom(line) == !dup_id);  // a repeated key goes to the reference, which names it
  }
  CHECK(flat_equals_dom("{" + base + "}"));  // no id: null
  CHECK(flat_equals_dom(R"({"gpu": {"id": "g", "memory_gib": 80}, "model": "llama-3-8b"})"));
  // Left to the DOM: escapes, non-ASCII, a key that is not a field, a repeated key, a number
  // beyond a double, not an object, text after the object.
  for (const std::string& line : {
           std::string(R"({"id": "caf\u00e9", )" + base + "}"),
           std::string("{\"id\": \"caf\xc3\xa9\", " + base + "}"),
           std::string(R"({"id": "a", "modle": "llama-3-8b", "gpu": "h100-sxm5-80gb"})"),
           std::string(R"({"id": "a", "batch": 1, "batch": 2, )" + base + "}"),
           std::string("{" + base + R"(, "prompt": 1e400})"),  // beyond a double: the reference names it
           std::string("[1]"),
           std::string(R"({"id": "a", )" + base + "} x"),
       }) {
    INFO(line);
    CHECK_FALSE(flat_equals_dom(line));
  }
  // And every line above answered by append_answer_line has the reference's bytes.
  CHECK(compare({R"({"id": "a", "modle": "llama-3-8b", "gpu": "h100-sxm5-80gb"})", "{" + base + R"(, "batch": 0})",
                 "{" + base + R"(, "prompt": 1e400})", "{" + base + R"(, "prompt": 1.024e3, "generate": 12800E-2})"}) == 4);
}

namespace {

/// The reference's way to write a rounded figure: round through text and back (cases.hpp), then
/// the shortest round trip (put_double, as append_json).
std::string slow_round_to(double v, int decimals) {
  std::string s;
  hr::detail::case_line::put_double(s, hr::detail::case_parse::round_to(v, decimals));
  return s;
}
std::string slow_round_sig(double v, int digits) {
  std::string s;
  hr::detail::case_line::put_double(s, hr::detail::case_parse::round_sig(v, digits));
  return s;
}
std::string fast_round_to(double v, int decimals) {
  std::string s;
  (void)hr::detail::case_line::put_round_to(s, v, decimals);  // the digits, whatever the sign
  return s;
}
std::string fast_round_sig(double v, int digits) {
  std::string s;
  (void)hr::detail::case_line::put_round_sig(s, v, digits);
  return s;
}

}  // namespace

TEST_CASE("case_line: rounded figures are written without reading the rounded text back", "[case_line]") {
  // By the rule of std::to_chars: the shortest digits, fixed unless scientific is shorter.
  CHECK(fast_round_to(100000.0, 3) == "1e+05");      // "100000" has 6 characters, "1e+05" 5
  CHECK(fast_round_to(10000.0, 3) == "10000.0");     // a tie (5 and 5): fixed, then ".0"
  CHECK(fast_round_to(0.00012, 4) == "1e-04");       // "0.0001" has 6 characters
  CHECK(fast_round_to(0.00123, 4) == "0.0012");      // "1.2e-03" has 7
  CHECK(fast_round_to(2.5, 4) == "2.5");
  CHECK(fast_round_to(-0.00004, 4) == "0.0");        // -0 is written as 0
  CHECK(fast_round_to(-1.23456, 3) == "-1.235");
  CHECK(fast_round_to(1234567.0, 3) == "1234567.0");
  CHECK(fast_round_to(1200000.0, 3) == "1200000.0");   // a tie (7 and 7)
  CHECK(fast_round_to(12000000.0, 3) == "1.2e+07");
  CHECK(fast_round_sig(123456.0, 5) == "123460.0");  // "1.2346e+05" is longer
  CHECK(fast_round_sig(0.000123456, 5) == "0.00012346");
  CHECK(fast_round_sig(1.5e-7, 5) == "1.5e-07");
  CHECK(fast_round_sig(9.99996e20, 5) == "1e+21");
  CHECK(fast_round_sig(3e150, 5) == "3e+150");
  // And the same bytes as the reference over magnitudes from 1e-12 to 1e22, both signs, and the
  // roundings the answers use (3 and 4 decimals, 5 significant digits).
  std::uint64_t state = 12345;
  const auto uniform = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) * 0x1.0p-53;
  };
  for (int i = 0; i < 200000; ++i) {
    double v = std::pow(10.0, -12 + 34 * uniform());
    if (i % 3 == 0) v = std::round(v);  // whole numbers: trailing zeros
    if (i % 5 == 0) v = -v;
    INFO(v);
    REQUIRE(fast_round_to(v, 3) == slow_round_to(v, 3));
    REQUIRE(fast_round_to(v, 4) == slow_round_to(v, 4));
    REQUIRE(fast_round_sig(v, 5) == slow_round_sig(v, 5));
  }
  // Next to the halfway points of the roundings, where a product in doubles could round the other way.
  for (int k = 0; k < 20000; ++k) {
    for (const double half : {(2.0 * k + 1) / 2000.0, (2.0 * k + 1) / 20000.0, (2.0 * k + 1) * 1e5 / 2000.0}) {
      for (const double v : {half, std::nextafter(half, 0.0), std::nextafter(half, 1e300), -half}) {
        INFO(v);
        REQUIRE(fast_round_to(v, 3) == slow_round_to(v, 3));
        REQUIRE(fast_round_to(v, 4) == slow_round_to(v, 4));
      }
    }
  }
  for (const double v : {0.0, -0.0, 5e-324, 1e300, 1.7976931348623157e308, 0.0005, 0.00005, 0.9995, 999.9995})
    CHECK(fast_round_to(v, 3) == slow_round_to(v, 3));
}
