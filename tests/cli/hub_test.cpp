// Hugging Face repo ids as MODEL (src/cli/hub.hpp, resolve_model_argument): which arguments are repo
// ids, the environment huggingface_hub reads (docs/reference/hf-hub.md), the cache layout, and the
// order of resolution. The network itself is tested end to end in hub.cmake.

#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "headroom/catalog.hpp"
#include "hub.hpp"
#include "job_options.hpp"

namespace cli = headroom::cli;
namespace fs = std::filesystem;

namespace {

/// The environment from_environment sees in a test.
std::map<std::string, std::string> fake_env;

const char* lookup(const char* name) {
  const auto it = fake_env.find(name);
  return it == fake_env.end() ? nullptr : it->second.c_str();
}

cli::HubSettings settings(std::map<std::string, std::string> env, std::string revision = "main") {
  fake_env = std::move(env);
  return cli::HubSettings::from_environment(std::move(revision), lookup);
}

/// A fresh folder under the system's temporary folder.
fs::path temp_dir(const std::string& name) {
  const fs::path p = fs::temp_directory_path() /
                     ("headroom-hub-test-" + name + "-" +
                      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::create_directories(p);
  return p;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

constexpr const char* commit = "0123456789abcdef0123456789abcdef01234567";

}  // namespace

TEST_CASE("a repo id is org/name as the Hub spells it", "[cli][hub]") {
  CHECK(cli::is_repo_id("Qwen/Qwen3-32B"));
  CHECK(cli::is_repo_id("meta-llama/Llama-3.1-8B-Instruct"));
  CHECK(cli::is_repo_id("deepseek-ai/DeepSeek-V3"));
  CHECK(cli::is_repo_id("openai/gpt-oss-20b"));
  CHECK_FALSE(cli::is_repo_id("llama-3-8b"));            // a catalog id
  CHECK_FALSE(cli::is_repo_id("no/such/config.json"));   // a path
  CHECK_FALSE(cli::is_repo_id("models/config.json"));    // a path, not a repo named config.json
  CHECK_FALSE(cli::is_repo_id("/Qwen3-32B"));
  CHECK_FALSE(cli::is_repo_id("Qwen/"));
  CHECK_FALSE(cli::is_repo_id("Qwen/-x"));
  CHECK_FALSE(cli::is_repo_id("Qwen/a--b"));             // "--" separates parts in the cache
  CHECK_FALSE(cli::is_repo_id("Qwen/a..b"));
  CHECK_FALSE(cli::is_repo_id("Qwen/a b"));
  CHECK(cli::is_repo_id("o/" + std::string(96, 'n')));
  CHECK_FALSE(cli::is_repo_id("o/" + std::string(97, 'n')));
}

TEST_CASE("the Hub settings come from huggingface_hub's environment variables", "[cli][hub]") {
  SECTION("defaults") {
    const auto s = settings({{"HOME", "/home/u"}});
    CHECK(s.endpoint == "https://huggingface.co");
    CHECK(s.cache == fs::path("/home/u/.cache/huggingface/hub"));
    CHECK(s.token.empty());
    CHECK_FALSE(s.offline);
    CHECK(s.revision == "main");
    CHECK(s.connect_timeout_s == 10);
    CHECK(s.timeout_s == 30);
    CHECK(cli::model_page(s, "Qwen/Qwen3-32B") == "https://huggingface.co/Qwen/Qwen3-32B");
    CHECK(cli::config_url(s, "Qwen/Qwen3-32B") == "https://huggingface.co/Qwen/Qwen3-32B/resolve/main/config.json");
    CHECK(cli::repo_cache_dir(s, "Qwen/Qwen3-32B") == fs::path("/home/u/.cache/huggingface/hub/models--Qwen--Qwen3-32B"));
  }
  SECTION("the cache: HF_HUB_CACHE, then HUGGINGFACE_HUB_CACHE, then HF_HOME/hub, then XDG_CACHE_HOME") {
    CHECK(settings({{"HOME", "/h"}, {"XDG_CACHE_HOME", "/x"}}).cache == fs::path("/x/huggingface/hub"));
    CHECK(settings({{"HOME", "/h"}, {"XDG_CACHE_HOME", "/x"}, {"HF_HOME", "~/hf"}}).cache == fs::path("/h/hf/hub"));
    CHECK(settings({{"HOME", "/h"}, {"HF_HOME", "/hf"}, {"HUGGINGFACE_HUB_CACHE", "/legacy"}}).cache ==
          fs::path("/legacy"));
    CHECK(settings({{"HF_HOME", "/hf"}, {"HUGGINGFACE_HUB_CACHE", "/legacy"}, {"HF_HUB_CACHE", "/new"}}).cache ==
          fs::path("/new"));
  }
  SECTION("a mirror and a revision with a slash") {
    const auto s = settings({{"HF_ENDPOINT", "https://hf-mirror.com/"}}, "refs/pr/1");
    CHECK(cli::config_url(s, "Qwen/Qwen3-32B") == "https://hf-mirror.com/Qwen/Qwen3-32B/resolve/refs%2Fpr%2F1/config.json");
    CHECK(cli::model_page(s, "Qwen/Qwen3-32B") == "https://hf-mirror.com/Qwen/Qwen3-32B");
  }
  SECTION("offline: 1, ON, YES, TRUE in any case; TRANSFORMERS_OFFLINE when HF_HUB_OFFLINE is not set") {
    for (const char* yes : {"1", "ON", "yes", "True"}) CHECK(settings({{"HF_HUB_OFFLINE", yes}}).offline);
    for (const char* no : {"0", "off", "no", "2"}) CHECK_FALSE(settings({{"HF_HUB_OFFLINE", no}}).offline);
    CHECK(settings({{"TRANSFORMERS_OFFLINE", "1"}}).offline);
    CHECK_FALSE(settings({{"TRANSFORMERS_OFFLINE", "1"}, {"HF_HUB_OFFLINE", "0"}}).offline);
  }
  SECTION("the token: HF_TOKEN, else the token file of HF_TOKEN_PATH or HF_HOME") {
    CHECK(settings({{"HF_TOKEN", " hf_abc\n"}}).token == "hf_abc");
    const fs::path home = temp_dir("token");
    write(home / "token", "hf_from_file\n");
    CHECK(settings({{"HF_HOME", home.string()}}).token == "hf_from_file");
    CHECK(settings({{"HF_HOME", home.string()}, {"HF_TOKEN", "hf_env"}}).token == "hf_env");
    write(home / "other", "hf_other");
    CHECK(settings({{"HF_HOME", home.string()}, {"HF_TOKEN_PATH", (home / "other").string()}}).token == "hf_other");
    fs::remove_all(home);
  }
  SECTION("HEADROOM_HF_TIMEOUT_S sets the whole request and caps the connection") {
    const auto short_limit = settings({{"HEADROOM_HF_TIMEOUT_S", "3"}});
    CHECK(short_limit.timeout_s == 3);
    CHECK(short_limit.connect_timeout_s == 3);
    const auto long_limit = settings({{"HEADROOM_HF_TIMEOUT_S", "120"}});
    CHECK(long_limit.timeout_s == 120);
    CHECK(long_limit.connect_timeout_s == 10);
    for (const char* bad : {"0", "-1", "soon", "inf", "5s"})
      CHECK_THROWS_AS(settings({{"HEADROOM_HF_TIMEOUT_S", bad}}), headroom::InputError);
  }
  SECTION("a revision is a name under refs/, never a way out of the cache") {
    CHECK_THROWS_AS(settings({}, "../../etc"), headroom::InputError);
    CHECK_THROWS_AS(settings({}, "/abs"), headroom::InputError);
    CHECK_THROWS_AS(settings({}, ""), headroom::InputError);
  }
}

TEST_CASE("the cache: written as huggingface_hub lays it out, and read back", "[cli][hub]") {
  const fs::path cache = temp_dir("cache");
  auto s = settings({{"HF_HUB_CACHE", cache.string()}});
  const fs::path repo = cache / "models--org--name";
  CHECK(cli::cached_config(s, "org/name").empty());

  const fs::path file = cli::write_cached_config(s, "org/name", "{\"model_type\": \"llama\"}", commit, "abc123");
  CHECK(file == repo / "snapshots" / commit / "config.json");
  CHECK(fs::is_symlink(file));
  CHECK(fs::read_symlink(file) == fs::path("../../blobs/abc123"));
  CHECK(read(repo / "blobs" / "abc123") == "{\"model_type\": \"llama\"}");
  CHECK(read(repo / "refs" / "main") == commit);
  CHECK(cli::cached_config(s, "org/name") == file);

  // A commit as the revision needs no ref; another branch is not cached.
  CHECK(cli::cached_config(settings({{"HF_HUB_CACHE", cache.string()}}, commit), "org/name") == file);
  CHECK(cli::cached_config(settings({{"HF_HUB_CACHE", cache.string()}}, "dev"), "org/name").empty());

  // Without an ETag the snapshot holds the file itself; a tag's ref may hold a trailing newline.
  s.revision = "v1.0";
  const std::string other = "89abcdef0123456789abcdef0123456789abcdef";
  const fs::path copy = cli::write_cached_config(s, "org/name", "{}", other, "");
  CHECK(fs::is_regular_file(fs::symlink_status(copy)));
  CHECK(read(repo / "refs" / "v1.0") == other);
  write(repo / "refs" / "v1.0", other + "\n");
  CHECK(cli::cached_config(s, "org/name") == copy);
  fs::remove_all(cache);
}

TEST_CASE("a model argument is a catalog id first, then a file or folder, then a repo id", "[cli][hub]") {
  const headroom::Catalog catalog = headroom::Catalog::builtin();
  CHECK(cli::resolve_model_argument("llama-3-8b", catalog) == "llama-3-8b");

  const fs::path dir = temp_dir("models");
  write(dir / "my-model" / "config.json", "{\"model_type\": \"llama\"}");
  write(dir / "tiny.json", "{\"model_type\": \"llama\", \"_id\": \"kept\"}");
  const auto folder = cli::resolve_model_argument((dir / "my-model").string(), catalog);
  CHECK(folder["hf_config"]["_id"] == "my-model");
  const auto folder_slash = cli::resolve_model_argument((dir / "my-model").string() + "/", catalog);
  CHECK(folder_slash["hf_config"]["_id"] == "my-model");
  CHECK(cli::resolve_model_argument((dir / "my-model" / "config.json").string(), catalog)["hf_config"]["_id"] == "config");
  CHECK(cli::resolve_model_argument((dir / "tiny.json").string(), catalog)["hf_config"]["_id"] == "kept");

  // Neither: the closest catalog ids and what a MODEL may be.
  try {
    (void)cli::resolve_model_argument("llama-3-7b", catalog);
    FAIL("no error");
  } catch (const cli::UnknownModel& e) {
    CHECK(e.id() == "llama-3-7b");
    CHECK(std::find(e.suggestions().begin(), e.suggestions().end(), "llama-3-70b") != e.suggestions().end());
    CHECK_THAT(e.what(), Catch::Contains("Hugging Face repo id"));
  }

  // A repo id offline without a cached copy: the Hub's error, not "unknown model".
  ::setenv("HF_HUB_CACHE", (dir / "cache").c_str(), 1);
  ::setenv("HF_HUB_OFFLINE", "1", 1);
  CHECK_THROWS_AS(cli::resolve_model_argument("org/absent", catalog), cli::HubError);
  // ... and with one: the cached config.json, named by the repo id.
  auto s = cli::HubSettings::from_environment();
  (void)cli::write_cached_config(s, "org/present", "{\"model_type\": \"llama\"}", commit, "");
  const auto cached = cli::resolve_model_argument("org/present", catalog);
  CHECK(cached["hf_config"]["_id"] == "org/present");
  CHECK(cached["hf_config"]["model_type"] == "llama");
  ::unsetenv("HF_HUB_OFFLINE");
  ::unsetenv("HF_HUB_CACHE");
  fs::remove_all(dir);
}
