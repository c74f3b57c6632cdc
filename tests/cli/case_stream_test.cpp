// The stream runner of `headroom eval` (src/cli/case_stream.hpp): every line answered in order,
// bad lines answered with an error, blank lines skipped.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "case_stream.hpp"
#include "headroom/catalog.hpp"

using headroom::Catalog;
using json = nlohmann::json;
namespace hr = headroom;
using Catch::Matchers::Contains;

TEST_CASE("cases: eval_stream answers every line in order and keeps going past bad ones", "[cases]") {
  std::istringstream in(
      "{\"id\": \"a\", \"gpu\": \"rtx-4090\", \"model\": \"llama-3-8b\"}\n"
      "{\"id\": \"b\", \"gpu\": \"rtx-4090\", \"model\": \"llama-3-8b\", \"lora_rnak\": 8}\n"
      "\n"
      "   \t\n"
      "{not json\n"
      "{\"id\": \"d\", \"gpu\": \"rtx-409\", \"model\": \"llama-3-8b\"}\r\n"
      "[1, 2]\n"
      "{\"id\": 17, \"gpu\": \"rtx-4090\"}\n"
      "{\"id\": \"e\", \"gpu\": \"rtx-4090\", \"model\": \"llama-3-8b\", \"task\": \"training\", \"method\": \"qlora\"}");
  std::ostringstream out;
  std::size_t calls = 0;
  const auto summary = hr::cli::eval_stream(in, out, Catalog::builtin(), [&](std::size_t) { ++calls; });

  std::vector<json> lines;
  std::istringstream back(out.str());
  for (std::string l; std::getline(back, l);) lines.push_back(json::parse(l));
  REQUIRE(lines.size() == 7);
  CHECK(summary.blank == 2);
  CHECK(summary.answered + summary.failed == 7);
  CHECK(calls == 7);

  CHECK(lines[0].at("id") == "a");
  CHECK(lines[1].at("id") == "b");
  CHECK(lines[1].at("ok") == false);
  CHECK_THAT(lines[1].at("error").get<std::string>(),
             Contains("line 2") && Contains("'lora_rnak'") && Contains("did you mean 'lora_rank'"));
  CHECK(lines[2].at("id").is_null());
  CHECK(lines[2].at("ok") == false);
  CHECK_THAT(lines[2].at("error").get<std::string>(), Contains("line 5") && Contains("not valid JSON"));
  CHECK(lines[3].at("id") == "d");
  CHECK(lines[3].at("ok") == false);
  CHECK_THAT(lines[3].at("error").get<std::string>(), Contains("line 6") && Contains("'rtx-4090'"));
  CHECK(lines[4].at("id").is_null());
  CHECK_THAT(lines[4].at("error").get<std::string>(), Contains("line 7") && Contains("object"));
  CHECK(lines[5].at("id") == 17);  // echoed as given even when it is not a string
  CHECK(lines[5].at("ok") == false);
  CHECK(lines[6].at("id") == "e");
  CHECK(lines[0].at("ok") == true);
  CHECK(lines[0].contains("memory"));
  CHECK(lines[6].at("ok") == true);
  CHECK(summary.answered == 2);
  CHECK(summary.failed == 5);
}

TEST_CASE("cases: a byte-order mark on the first line is ignored", "[cases]") {
  std::istringstream in("\xEF\xBB\xBF{\"id\": \"a\", \"gpu\": \"rtx-4090\", \"model\": \"llama-3-8b\", \"lora_rnak\": 8}\n");
  std::ostringstream out;
  (void)hr::cli::eval_stream(in, out, Catalog::builtin());
  CHECK_THAT(out.str(), Contains("lora_rnak") && !Contains("not valid JSON"));
}

TEST_CASE("cases: eval_stream on several threads writes the bytes of one thread, in input order", "[cases]") {
  // Every public validation case (memory, time and serving: the serving answers go through the
  // reference writer), bad lines and blank lines, shuffled and repeated to 6,000 lines: far more
  // than one 64 KiB batch, so the threaded runs cut many batches into parts.
  std::vector<std::string> cases;
  for (const char* f : {"public-memory.jsonl", "public-time.jsonl", "public-serving.jsonl"}) {
    std::ifstream in(std::string(HEADROOM_TEST_DATA_DIR) + "/validation/" + f);
    for (std::string l; std::getline(in, l);)
      if (!l.empty()) cases.push_back(json::parse(l).at("case").dump());
  }
  REQUIRE(cases.size() > 3000);
  for (const char* bad : {"{not json", "[1, 2]", "{\"id\": \"x\", \"gpu\": \"rtx-409\", \"model\": \"llama-3-8b\"}",
                          "{\"id\": \"y\", \"gpu\": \"rtx-4090\", \"model\": \"llama-3-8b\", \"lora_rnak\": 8}", "", "  "})
    cases.emplace_back(bad);
  // A fixed shuffle (its own generator, so every standard library gives the same order).
  std::uint64_t state = 0x9E3779B97F4A7C15ULL;
  const auto next = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  };
  std::string text;
  std::size_t non_blank = 0;
  for (std::size_t n = 0; n < 6000; ++n) {
    const std::string& l = cases[next() % cases.size()];
    text += l;
    text += '\n';
    if (l.find_first_not_of(' ') != std::string::npos) ++non_blank;
  }
  const auto run = [&](unsigned threads) {
    std::istringstream in(text);
    std::ostringstream out;
    std::size_t calls = 0;
    const auto s = hr::cli::eval_stream(in, out, Catalog::builtin(), [&](std::size_t) { ++calls; },
                                        hr::builtin_efficiency, 0, threads);
    CHECK(calls == s.answered + s.failed);
    return std::pair{out.str(), s};
  };
  const auto [one, s1] = run(1);
  REQUIRE(s1.answered + s1.failed == non_blank);
  REQUIRE(s1.failed > 0);
  for (const unsigned threads : {2U, 3U, 8U}) {
    const auto [many, s] = run(threads);
    CHECK(s.answered == s1.answered);
    CHECK(s.failed == s1.failed);
    CHECK(s.blank == s1.blank);
    CHECK(many == one);  // the same bytes, in the same order
  }
}
