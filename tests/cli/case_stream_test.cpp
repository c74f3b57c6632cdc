// The stream runner of `headroom eval` (src/cli/case_stream.hpp): every line answered in order,
// bad lines answered with an error, blank lines skipped.

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
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
