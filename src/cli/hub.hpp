#pragma once
// Hugging Face repo ids as model arguments (`headroom fit Qwen/Qwen3-32B ...`): the config.json of a
// repo from the local Hugging Face cache, else from the Hub over HTTP (libcurl, hub_http_curl.cpp),
// written back into that cache. The settings come from the environment variables huggingface_hub
// reads (docs/cli.md "Model arguments", docs/reference/hf-hub.md), so a cache that transformers
// filled is used without network.

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "headroom/error.hpp"

namespace headroom::cli {

/// The config.json of a Hugging Face repo id cannot be had (exit 6, docs/cli.md): the Hub cannot be
/// reached or timed out, refused access (401/403: HF_TOKEN), answered an error, HF_HUB_OFFLINE is set
/// and the cache has no copy, or this build has no libcurl.
class HubError : public Error {
 public:
  using Error::Error;
};

/// An unknown model with a note on where it was looked for (a catalog id, a file, the Hub's answer):
/// an UnknownId (exit 3) whose message ends with the note.
class UnknownModel : public UnknownId {
 public:
  UnknownModel(std::string id, std::vector<std::string> suggestions, const std::string& note)
      : UnknownId("model", std::move(id), std::move(suggestions)) {
    text_ = std::string(UnknownId::what()) + "\n" + note;
  }
  [[nodiscard]] const char* what() const noexcept override { return text_.c_str(); }

 private:
  std::string text_;
};

/// Where and how to get a repo's config.json: the environment of huggingface_hub, read once.
struct HubSettings {
  std::string endpoint = "https://huggingface.co";  ///< HF_ENDPOINT (a mirror), without a trailing '/'
  std::string token;                ///< HF_TOKEN, else the file HF_TOKEN_PATH or $HF_HOME/token
  std::filesystem::path cache;      ///< HF_HUB_CACHE, HUGGINGFACE_HUB_CACHE, $HF_HOME/hub, ~/.cache/huggingface/hub
  bool offline = false;             ///< HF_HUB_OFFLINE (or TRANSFORMERS_OFFLINE) is 1, ON, YES or TRUE
  double connect_timeout_s = 10;    ///< to open the connection
  double timeout_s = 30;            ///< the whole request; HEADROOM_HF_TIMEOUT_S sets it (and caps connect)
  std::string revision = "main";    ///< --revision: a branch, tag or commit

  /// The settings from the environment, looked up with `env` (std::getenv; tests pass their own).
  /// @throws InputError when HEADROOM_HF_TIMEOUT_S is not a number of seconds > 0.
  static HubSettings from_environment(std::string revision = "main",
                                      const char* (*env)(const char*) = nullptr);
};

/// True for `org/name` as the Hub spells a repo id: exactly one '/', each part of letters, digits,
/// '-', '_' and '.', not starting or ending with '-' or '.', without "--" or "..", a name of at most
/// 96 characters. A config.json path (ending in ".json") is not a repo id.
[[nodiscard]] bool is_repo_id(std::string_view s);

/// The cache folder of a repo: <cache>/models--org--name.
[[nodiscard]] std::filesystem::path repo_cache_dir(const HubSettings& hub, std::string_view repo);

/// The cached config.json of `repo` at hub.revision (refs/<revision> names the snapshot's commit; a
/// 40-hex revision is the commit itself); empty when there is none.
[[nodiscard]] std::filesystem::path cached_config(const HubSettings& hub, std::string_view repo);

/// Where the Hub serves the file: <endpoint>/<repo>/resolve/<revision, percent-encoded>/config.json.
[[nodiscard]] std::string config_url(const HubSettings& hub, std::string_view repo);

/// The model's page on the Hub, <endpoint>/<repo>: where a gated model's terms are accepted.
[[nodiscard]] std::string model_page(const HubSettings& hub, std::string_view repo);

/// Writes a downloaded config.json into the cache as huggingface_hub does: blobs/<etag>,
/// snapshots/<commit>/config.json linking to it (a copy where links fail) and refs/<revision>
/// holding the commit. Returns the snapshot file. @throws IoError when it cannot be written.
std::filesystem::path write_cached_config(const HubSettings& hub, std::string_view repo, const std::string& body,
                                          const std::string& commit, const std::string& etag);

/// One HTTP GET's outcome (hub_http_curl.cpp; hub_http_none.cpp in builds without libcurl).
struct HttpResponse {
  long status = 0;
  std::string body;
  std::string commit;      ///< the X-Repo-Commit header: the commit the revision resolved to
  std::string etag;        ///< X-Linked-Etag, else ETag, without W/ and quotes
  std::string error_code;  ///< X-Error-Code of the last response (RepoNotFound, GatedRepo, ...)
};

/// False in a build without libcurl: a repo id is then read from the cache only.
[[nodiscard]] bool hub_http_available() noexcept;

/// GET `url` with the token as "Authorization: Bearer", following redirects, within the timeouts.
/// @throws HubError when the server cannot be reached, the request times out, or there is no libcurl.
[[nodiscard]] HttpResponse http_get(const std::string& url, const HubSettings& hub);

/// The config.json of a Hub repo as a JSON object with `_id` (the repo id) and `_source` (where it
/// came from): the cached copy, else a download that is then cached.
/// @throws HubError (no network, timeout, offline without a cached copy, 401/403, other HTTP errors),
///         UnknownModel on 404 with the closest of `catalog_ids`, InputError for an unknown revision,
///         DataError when the answer is not JSON.
[[nodiscard]] nlohmann::json hub_config(std::string_view repo, const HubSettings& hub,
                                        const std::vector<std::string_view>& catalog_ids);

}  // namespace headroom::cli
