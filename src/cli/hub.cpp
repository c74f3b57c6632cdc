// The Hugging Face cache and the Hub's answers (hub.hpp). The HTTP request itself is http_get, in
// hub_http_curl.cpp (libcurl) or hub_http_none.cpp; the protocol and the cache layout followed here
// are summarised, with their source, in docs/reference/hf-hub.md.

#include "hub.hpp"

#include <fmt/core.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <system_error>

#include "headroom/detail/closest.hpp"
#include "headroom/io/json_file.hpp"
#include "headroom/io/strict_json.hpp"

namespace headroom::cli {

namespace fs = std::filesystem;

namespace {

const char* from_getenv(const char* name) { return std::getenv(name); }

std::string trimmed(std::string s) {
  const auto blank = [](unsigned char c) { return std::isspace(c) != 0; };
  while (!s.empty() && blank(static_cast<unsigned char>(s.back()))) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && blank(static_cast<unsigned char>(s[i]))) ++i;
  return s.substr(i);
}

/// huggingface_hub's truth values of a flag variable: 1, ON, YES, TRUE in any case.
bool is_true(const char* v) {
  if (v == nullptr) return false;
  std::string s = detail::to_lower_ascii(trimmed(v));
  return s == "1" || s == "on" || s == "yes" || s == "true";
}

/// "~/x" with $HOME, as os.path.expanduser does for the cache variables.
fs::path expand_home(const std::string& p, const char* home) {
  if (home != nullptr && (p == "~" || p.rfind("~/", 0) == 0)) return fs::path(home) / p.substr(p.size() > 1 ? 2 : 1);
  return p;
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return {};
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool is_commit(std::string_view s) {
  if (s.size() != 40) return false;
  for (char c : s)
    if (std::isxdigit(static_cast<unsigned char>(c)) == 0) return false;
  return true;
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

bool repo_part(std::string_view p, std::size_t max) {
  if (p.empty() || p.size() > max || !word_char(p.front()) || !word_char(p.back())) return false;
  for (char c : p)
    if (!word_char(c) && c != '-' && c != '.') return false;
  return p.find("--") == std::string_view::npos && p.find("..") == std::string_view::npos;
}

/// A revision is a branch, tag or commit: it becomes a path under refs/, so no "..", no leading
/// '/', no backslash or control characters.
void check_revision(const std::string& r) {
  bool ok = !r.empty() && r.front() != '/' && r.find("..") == std::string::npos;
  for (char c : r) ok = ok && c != '\\' && std::isprint(static_cast<unsigned char>(c)) != 0 && c != ' ';
  if (!ok)
    throw InputError("revision", "'" + r + "' is not a branch, tag or commit name; the default is main");
}

std::string percent_encoded(std::string_view s) {
  std::string out;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') out += static_cast<char>(c);
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

/// Writes `text` to `path` through a temporary file in the same folder, so a reader never sees half a
/// file. @throws IoError.
void write_file(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + fmt::format(".{}.incomplete", std::chrono::steady_clock::now().time_since_epoch().count());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    if (!out.flush()) throw IoError("cannot write '" + tmp.string() + "'");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    throw IoError("cannot write '" + path.string() + "'");
  }
}

/// A config.json from the Hub or its cache, named by its repo id and sourced where it came from.
nlohmann::json named(nlohmann::json config, std::string_view repo, const std::string& source) {
  if (!config.is_object()) return config;  // the parser says what is wrong with it
  config["_id"] = std::string(repo);
  config["_source"] = source;
  return config;
}

std::string lower_name(std::string_view repo) {
  return detail::to_lower_ascii(repo.substr(repo.find('/') + 1));
}

}  // namespace

HubSettings HubSettings::from_environment(std::string revision, const char* (*env)(const char*)) {
  if (env == nullptr) env = from_getenv;
  const auto get = [env](const char* name) -> std::string {
    const char* v = env(name);
    return v == nullptr ? std::string() : std::string(v);
  };
  HubSettings s;
  check_revision(revision);
  s.revision = std::move(revision);
  if (std::string e = get("HF_ENDPOINT"); !e.empty()) {
    while (!e.empty() && e.back() == '/') e.pop_back();
    s.endpoint = e;
  }
  const char* home = env("HOME");
  fs::path hf_home;
  if (const std::string h = get("HF_HOME"); !h.empty()) hf_home = expand_home(h, home);
  else if (const std::string x = get("XDG_CACHE_HOME"); !x.empty()) hf_home = expand_home(x, home) / "huggingface";
  else hf_home = fs::path(home != nullptr ? home : ".") / ".cache" / "huggingface";
  if (const std::string c = get("HF_HUB_CACHE"); !c.empty()) s.cache = expand_home(c, home);
  else if (const std::string l = get("HUGGINGFACE_HUB_CACHE"); !l.empty()) s.cache = expand_home(l, home);
  else s.cache = hf_home / "hub";
  s.token = trimmed(get("HF_TOKEN"));
  if (s.token.empty()) {
    const std::string p = get("HF_TOKEN_PATH");
    s.token = trimmed(read_text(p.empty() ? hf_home / "token" : expand_home(p, home)));
  }
  // huggingface_hub: HF_HUB_OFFLINE when set, else the older TRANSFORMERS_OFFLINE.
  const char* offline = env("HF_HUB_OFFLINE");
  s.offline = is_true(offline != nullptr && *offline != '\0' ? offline : env("TRANSFORMERS_OFFLINE"));
  if (const std::string t = trimmed(get("HEADROOM_HF_TIMEOUT_S")); !t.empty()) {
    char* end = nullptr;
    const double v = std::strtod(t.c_str(), &end);
    if (end != t.c_str() + t.size() || !std::isfinite(v) || v <= 0)
      throw InputError("HEADROOM_HF_TIMEOUT_S", "'" + t + "' is not a number of seconds > 0; e.g. HEADROOM_HF_TIMEOUT_S=60");
    s.timeout_s = v;
    s.connect_timeout_s = std::min(s.connect_timeout_s, v);
  }
  return s;
}

bool is_repo_id(std::string_view s) {
  const std::size_t slash = s.find('/');
  if (slash == std::string_view::npos || s.find('/', slash + 1) != std::string_view::npos) return false;
  if (s.ends_with(".json")) return false;
  return repo_part(s.substr(0, slash), 96) && repo_part(s.substr(slash + 1), 96);
}

fs::path repo_cache_dir(const HubSettings& hub, std::string_view repo) {
  const std::size_t slash = repo.find('/');
  return hub.cache / ("models--" + std::string(repo.substr(0, slash)) + "--" + std::string(repo.substr(slash + 1)));
}

fs::path cached_config(const HubSettings& hub, std::string_view repo) {
  const fs::path dir = repo_cache_dir(hub, repo);
  const std::string commit = is_commit(hub.revision) ? hub.revision : trimmed(read_text(dir / "refs" / hub.revision));
  if (!is_commit(commit)) return {};
  const fs::path file = dir / "snapshots" / commit / "config.json";
  std::error_code ec;
  return fs::is_regular_file(file, ec) ? file : fs::path();
}

std::string config_url(const HubSettings& hub, std::string_view repo) {
  return hub.endpoint + "/" + std::string(repo) + "/resolve/" + percent_encoded(hub.revision) + "/config.json";
}

std::string model_page(const HubSettings& hub, std::string_view repo) { return hub.endpoint + "/" + std::string(repo); }

fs::path write_cached_config(const HubSettings& hub, std::string_view repo, const std::string& body,
                             const std::string& commit, const std::string& etag) {
  const fs::path dir = repo_cache_dir(hub, repo);
  const fs::path snapshot_dir = dir / "snapshots" / commit;
  const fs::path snapshot = snapshot_dir / "config.json";
  std::error_code ec;
  fs::create_directories(snapshot_dir, ec);
  if (ec) throw IoError("cannot create '" + snapshot_dir.string() + "': " + ec.message());
  bool linked = false;
  if (!etag.empty()) {
    // The blob is named after its ETag; the snapshot file links to it (huggingface_hub's layout).
    fs::create_directories(dir / "blobs", ec);
    if (ec) throw IoError("cannot create '" + (dir / "blobs").string() + "': " + ec.message());
    write_file(dir / "blobs" / etag, body);
    fs::remove(snapshot, ec);
    fs::create_symlink(fs::path("..") / ".." / "blobs" / etag, snapshot, ec);
    linked = !ec;
  }
  if (!linked) write_file(snapshot, body);  // no ETag, or a file system without links: a copy
  if (hub.revision != commit) {
    const fs::path ref = dir / "refs" / hub.revision;
    fs::create_directories(ref.parent_path(), ec);
    if (ec) throw IoError("cannot create '" + ref.parent_path().string() + "': " + ec.message());
    write_file(ref, commit);
  }
  return snapshot;
}

nlohmann::json hub_config(std::string_view repo, const HubSettings& hub,
                          const std::vector<std::string_view>& catalog_ids) {
  const std::string id(repo);
  if (const fs::path cached = cached_config(hub, repo); !cached.empty())
    return named(read_json_file(cached), repo, cached.string() + " (Hugging Face cache of " + id + ")");
  if (hub.offline)
    throw HubError("HF_HUB_OFFLINE is set and the Hugging Face cache has no config.json of '" + id + "' at revision '" +
                   hub.revision + "' (looked in " + repo_cache_dir(hub, repo).string() +
                   "); unset HF_HUB_OFFLINE to download it, or give the path of a config.json");
  if (!hub_http_available())
    throw HubError("this headroom was built without libcurl, so it cannot download '" + id +
                   "' from the Hugging Face Hub (and the cache " + hub.cache.string() +
                   " has no copy); rebuild with libcurl (Debian: libcurl4-openssl-dev), or give the path of its "
                   "config.json");
  const std::string url = config_url(hub, repo);
  const HttpResponse r = http_get(url, hub);
  const std::string page = model_page(hub, repo);
  if (r.status == 200) {
    nlohmann::json config;
    try {
      config = strict_json::parse(r.body, url);
    } catch (const nlohmann::json::exception& e) {
      throw DataError(url, "config.json", "not valid JSON: " + strict_json::without_library_ids(e.what()));
    }
    if (!config.is_object()) throw DataError(url, "config.json", "not a config.json object; got " + std::string(config.type_name()));
    const std::string commit = is_commit(r.commit) ? r.commit : is_commit(hub.revision) ? hub.revision : "";
    if (commit.empty()) {
      fmt::print(stderr, "warning: {} sent no X-Repo-Commit header, so the config.json is not cached\n", url);
    } else {
      try {
        (void)write_cached_config(hub, repo, r.body, commit, r.etag);
      } catch (const Error& e) {
        fmt::print(stderr, "warning: the config.json of {} is not cached: {}\n", id, e.what());
      }
    }
    return named(std::move(config), repo, url + (commit.empty() ? "" : " (commit " + commit + ")"));
  }
  const std::string answered = fmt::format("{} answered HTTP {}{}", url, r.status,
                                           r.error_code.empty() ? "" : " (" + r.error_code + ")");
  if (r.status == 404 && r.error_code == "RevisionNotFound")
    throw InputError("revision", "'" + hub.revision + "' is not a branch, tag or commit of " + id + " (" + answered +
                                     "); its branches and tags are listed at " + page + "/tree/main");
  if (r.status == 404 && r.error_code == "EntryNotFound")
    throw InputError("model", id + " has no config.json at revision '" + hub.revision + "' (" + answered +
                                  "); headroom reads a transformers config.json: give the path of one");
  // The Hub answers 401 RepoNotFound, not 404, to a request without a token for a repo that does not
  // exist or is private.
  if (r.status == 404 || (r.status == 401 && r.error_code == "RepoNotFound")) {
    std::string note = "It is not in the catalog (headroom models), and on the Hugging Face Hub " + answered + ".";
    if (r.status == 401) note += " If " + page + " is a private repository, set HF_TOKEN to a token that can read it.";
    throw UnknownModel(id, detail::closest(lower_name(repo), catalog_ids), note);
  }
  // 401 without a token answers a gated, a private and (on some servers) an absent repo alike.
  const bool maybe_absent = r.status == 401 && r.error_code != "GatedRepo";
  if (r.status == 401 || r.status == 403)
    throw HubError(answered + ": access to " + id + " is refused" +
                   (hub.token.empty() ? std::string("; it is gated or private") + (maybe_absent ? " (or absent)" : "") +
                                            " and HF_TOKEN is not set. Accept its terms at " + page +
                                            " and set HF_TOKEN to an access token of your account (read access)"
                                      : "; the token in HF_TOKEN cannot read it. Accept the model's terms at " + page +
                                            " with the token's account, or set HF_TOKEN to a token with read access"));
  throw HubError(answered + "; try again later, set HF_ENDPOINT to a mirror, or give the path of a config.json");
}

}  // namespace headroom::cli
