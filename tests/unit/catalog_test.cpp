#include <catch2/catch.hpp>

#include "headroom/catalog.hpp"

using namespace headroom;

TEST_CASE("closest ids for a typo", "[catalog]") {
  const std::vector<std::string> ids{"rtx-4090", "rtx-4080", "rtx-3090", "a100-sxm4-80gb", "h100-sxm5-80gb"};
  REQUIRE(detail::edit_distance("rtx-409", "rtx-4090") == 1);
  REQUIRE(detail::edit_distance("kitten", "sitting") == 3);
  const auto s = detail::closest("rtx-409", ids);
  REQUIRE(!s.empty());
  REQUIRE(s.front() == "rtx-4090");
  REQUIRE(detail::closest("RTX-4090", ids).front() == "rtx-4090");  // case-insensitive
  REQUIRE(detail::closest("zzzzzzzzzz", ids).empty());
}

TEST_CASE("a catalog finds, overrides and rejects ids", "[catalog]") {
  GpuSpec a{};
  a.id = "gpu-a";
  a.memory = gib(24);
  GpuSpec b{};
  b.id = "gpu-b";
  Catalog c({b, a}, {});
  REQUIRE(c.gpus().size() == 2);
  REQUIRE(c.gpus()[0].id == "gpu-a");  // kept sorted
  REQUIRE(c.find_gpu("gpu-b") != nullptr);
  REQUIRE(c.find_gpu("gpu-c") == nullptr);
  REQUIRE_THROWS_AS(c.gpu("gpu-c"), UnknownId);
  try {
    (void)c.gpu("gpu-aa");
  } catch (const UnknownId& e) {
    REQUIRE(e.suggestions().front() == "gpu-a");
    REQUIRE(std::string(e.what()) == "unknown gpu 'gpu-aa'; did you mean 'gpu-a' or 'gpu-b'?");
  }
  GpuSpec a2 = a;
  a2.memory = gib(48);
  c.put(a2);
  REQUIRE(c.gpus().size() == 2);
  REQUIRE(c.gpu("gpu-a").memory == gib(48));
  ModelArch m{};
  m.id = c.strings().keep(std::string("my-model"));
  c.put(m);
  REQUIRE(c.model("my-model").id == "my-model");
}

TEST_CASE("a catalog keeps each GPU's provenance beside its numbers", "[catalog]") {
  GpuSpec a{};
  a.id = "gpu-a";
  GpuSpec b{};
  b.id = "gpu-b";
  GpuProvenance pa{};
  pa.source = "S1 datasheet of a";
  GpuProvenance pb{};
  pb.source = "S2 datasheet of b";
  Catalog c({b, a}, {}, {pb, pa});  // provenance in the order of the GPUs given
  CHECK(c.gpus()[0].id == "gpu-a");
  CHECK(c.provenance("gpu-a").source == "S1 datasheet of a");  // moved with its GPU when sorted
  CHECK(c.provenance("gpu-b").source == "S2 datasheet of b");
  REQUIRE_THROWS_AS(c.provenance("gpu-c"), UnknownId);

  GpuSpec a0{};
  a0.id = "gpu-0";
  GpuProvenance p0{};
  p0.notes = "inserted first";
  c.put(a0, p0);
  CHECK(c.provenance("gpu-0").notes == "inserted first");
  CHECK(c.provenance("gpu-a").source == "S1 datasheet of a");
  c.put(a);  // new numbers without provenance replace the old provenance too
  CHECK(c.provenance("gpu-a") == GpuProvenance{});
  c.put(GpuRecord{b, pa});
  CHECK(c.provenance("gpu-b").source == "S1 datasheet of a");

  // The built-in catalog: the RTX 4090's rental price is dated 2026-03 (deploybase.ai, the
  // datasheet reference's price table).
  CHECK(Catalog::builtin().provenance("rtx-4090").price_date == "2026-03");
  CHECK(Catalog({a}, {}).provenance("gpu-a") == GpuProvenance{});  // none given
}

TEST_CASE("a Hugging Face repo id or repo name finds the catalog model, in any case", "[catalog][hf]") {
  const Catalog& c = Catalog::builtin();
  // Ids are the Hub repo name lower-cased (data/models/README.md).
  CHECK(c.model("Qwen/Qwen2.5-7B-Instruct").id == "qwen2.5-7b-instruct");
  CHECK(c.model("qwen/qwen2.5-7b-instruct").id == "qwen2.5-7b-instruct");
  CHECK(c.model("Qwen2.5-7B-Instruct").id == "qwen2.5-7b-instruct");
  CHECK(c.model("deepseek-ai/DeepSeek-V3").id == "deepseek-v3");
  CHECK(c.model("meta-llama/Llama-3.1-8B-Instruct").id == "llama-3.1-8b-instruct");
  CHECK(c.model("meta-llama/Llama-3.1-8B").id == "llama-3.1-8b");
  // Older ids stay; the repo of their source resolves to them: llama-3.3-70b is the Instruct file.
  CHECK(c.model("llama-3.3-70b").id == "llama-3.3-70b");
  CHECK(c.model("meta-llama/Llama-3.3-70B-Instruct").id == "llama-3.3-70b");
  CHECK(c.model("Llama-3.3-70B-Instruct").id == "llama-3.3-70b");
  CHECK(c.model("meta-llama/Meta-Llama-3-8B").id == "llama-3-8b");
  // A repo id must match org and name: another organisation's repo of the same name is not the catalog model.
  CHECK(c.find_model("someone/Qwen2.5-7B-Instruct") == nullptr);
  CHECK(c.find_model("Qwen/Qwen2.5-7B-Instruct-AWQ") == nullptr);
  CHECK(c.find_model("Qwen/") == nullptr);
  CHECK(c.find_model("/") == nullptr);
}

TEST_CASE("the repo of a model's source", "[catalog][hf]") {
  STATIC_REQUIRE(Catalog::hf_repo("https://huggingface.co/Qwen/Qwen3-8B/blob/main/config.json") == "Qwen/Qwen3-8B");
  STATIC_REQUIRE(Catalog::hf_repo("https://huggingface.co/Qwen/Qwen3-8B, copied from x") == "Qwen/Qwen3-8B");
  STATIC_REQUIRE(Catalog::hf_repo("https://huggingface.co/Qwen/Qwen3-8B") == "Qwen/Qwen3-8B");
  STATIC_REQUIRE(Catalog::hf_repo("https://huggingface.co/Qwen").empty());
  STATIC_REQUIRE(Catalog::hf_repo("https://huggingface.co/Qwen/").empty());
  STATIC_REQUIRE(Catalog::hf_repo("https://github.com/Qwen/Qwen3").empty());
  STATIC_REQUIRE(Catalog::hf_repo("Brown et al. 2020").empty());
}

TEST_CASE("an unknown model names the closest ids and says a config.json or a repo id would do", "[catalog][hf]") {
  const Catalog& c = Catalog::builtin();
  try {
    (void)c.model("Qwen/Qwen2.5-7B-Instruct-1M");
    FAIL("no error");
  } catch (const UnknownId& e) {
    const std::string what = e.what();
    INFO(what);
    CHECK(e.kind() == "model");
    CHECK(e.id() == "Qwen/Qwen2.5-7B-Instruct-1M");
    // The closest ids are those of the repo name part.
    REQUIRE(!e.suggestions().empty());
    CHECK(e.suggestions().front() == "qwen2.5-7b-instruct");
    CHECK(what.starts_with("unknown model 'Qwen/Qwen2.5-7B-Instruct-1M'; did you mean 'qwen2.5-7b-instruct'"));
    CHECK(what.find("config.json") != std::string::npos);
    CHECK(what.find("Hugging Face repo id") != std::string::npos);
    CHECK(what.ends_with("."));
  }
  try {
    (void)c.model("zzzzzzzzzzzz");
    FAIL("no error");
  } catch (const UnknownId& e) {
    CHECK(e.suggestions().empty());
    CHECK(std::string(e.what()).starts_with("unknown model 'zzzzzzzzzzzz'. A model is a catalog id"));
  }
}

TEST_CASE("a GPU is found by its id or an alias, and only unknown names get suggestions", "[catalog]") {
  GpuSpec h20{};
  h20.id = "h20-96gb";
  GpuSpec h200{};
  h200.id = "h200-sxm-141gb";
  GpuProvenance h20_names{};
  h20_names.aliases = "h20\nhgx-h20";
  GpuProvenance h200_names{};
  h200_names.aliases = "h200";
  const Catalog c({h200, h20}, {}, {h200_names, h20_names});

  // An alias is an exact match: "h20" is the H20, never "did you mean h200".
  REQUIRE(c.find_gpu("h20") != nullptr);
  CHECK(c.gpu("h20").id == "h20-96gb");
  CHECK(c.gpu("hgx-h20").id == "h20-96gb");
  CHECK(c.gpu("H20").id == "h20-96gb");  // case-insensitive, ids too
  CHECK(c.gpu("H20-96GB").id == "h20-96gb");
  CHECK(c.gpu("HGX H20").id == "h20-96gb");  // a space or underscore stands for the hyphen
  CHECK(c.gpu("h20_96gb").id == "h20-96gb");
  CHECK(c.find_gpu("hgx h200") == nullptr);  // still the whole name: no alias "hgx-h200"
  CHECK(c.gpu("h200").id == "h200-sxm-141gb");
  CHECK(&c.provenance("h20") == &c.provenance("h20-96gb"));

  // A '+' as typed in a product name is the ids' "-plus": "Ryzen AI Max+ 395" is ryzen-ai-max-plus-395.
  CHECK(detail::same_name("ryzen-ai-max-plus-395", "Ryzen AI Max+ 395"));
  CHECK(detail::same_name("ryzen-ai-max-plus-395", "ryzen-ai-max-plus-395"));
  CHECK_FALSE(detail::same_name("ryzen-ai-max-plus-395", "Ryzen AI Max 395"));
  CHECK_FALSE(detail::same_name("ryzen-ai-max-395", "Ryzen AI Max+ 395"));
  CHECK_FALSE(detail::same_name("max-plus", "max+ 395"));  // the rest must match too
  CHECK_FALSE(detail::same_name("max-pl", "max+"));        // shorter than "-plus"

  // An unknown name gets the ids its closest names stand for, each once.
  try {
    (void)c.gpu("h2");
    FAIL("h2 is not a GPU");
  } catch (const UnknownId& e) {
    CHECK(e.suggestions() == std::vector<std::string>{"h20-96gb", "h200-sxm-141gb"});
  }
  try {
    (void)c.gpu("hgx-h2");
    FAIL("hgx-h2 is not a GPU");
  } catch (const UnknownId& e) {
    REQUIRE(!e.suggestions().empty());
    CHECK(e.suggestions().front() == "h20-96gb");  // through its alias, given as the id
  }
}

TEST_CASE("the built-in catalog answers the names people type", "[catalog]") {
  const Catalog& c = Catalog::builtin();
  const std::pair<std::string_view, std::string_view> typed[] = {
      {"h20", "h20-96gb"},           {"5090", "rtx-5090"},          {"rtx5080", "rtx-5080"},
      {"mi355x", "mi355x"},          {"spark", "dgx-spark-gb10"},   {"gb10", "dgx-spark-gb10"},
      {"m4-max", "apple-m4-max-40c"}, {"4090", "rtx-4090"},         {"h100", "h100-sxm5-80gb"},
      {"a800", "a800-sxm4-80gb"},    {"b300", "b300-hgx"},          {"gb300", "gb300-per-gpu"},
      {"5070-ti", "rtx-5070-ti"},    {"5060-ti", "rtx-5060-ti-16gb"}, {"3060", "rtx-3060-12gb"},
      {"4060-ti", "rtx-4060-ti-16gb"}, {"a5000", "rtx-a5000"},      {"a4000", "rtx-a4000"},
      {"l20", "l20"},                {"strix-halo", "ryzen-ai-max-plus-395"},
      {"RTX 5060 Ti", "rtx-5060-ti-16gb"}, {"rtx 5070 ti", "rtx-5070-ti"}, {"RTX A4000", "rtx-a4000"}};
  for (const auto& [name, id] : typed) {
    INFO(name);
    CHECK(c.gpu(name).id == id);
  }
}
