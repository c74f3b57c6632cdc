// io/case_line.hpp: the fast answer of one line has the same bytes as the reference
// answer_text(eval_line(...)) of io/cases.hpp, for every line the repository holds and for lines
// built to reach each branch of the reference (errors, warnings, limits, escapes).

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

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
