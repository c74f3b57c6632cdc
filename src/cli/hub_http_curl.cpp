// http_get with libcurl (hub.hpp): one GET, redirects followed, connect and total timeouts, the
// headers the Hub answers with (X-Repo-Commit, ETag, X-Error-Code). Built only when libcurl is found
// (src/cli/CMakeLists.txt); hub_http_none.cpp stands in otherwise.
//
// Outside Windows libcurl is loaded (dlopen) at the first download, not linked: linking it makes
// the loader bind libcurl and its ~30 libraries (TLS, Kerberos, LDAP, ...) at every start, 14 of
// the 24 million instructions of a `headroom eval` of an empty input (docs/performance.md), for
// a download that most runs never make.

#include <curl/curl.h>
#include <fmt/core.h>

#if !defined(_WIN32)
#include <dlfcn.h>
#endif

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>
#include <type_traits>

#include "headroom/detail/closest.hpp"
#include "headroom/version.hpp"
#include "hub.hpp"

namespace headroom::cli {

namespace {

/// A config.json is kilobytes; an answer beyond this is not one (and is not read to the end).
constexpr std::size_t max_body = 64u << 20;

struct Received {
  std::string body;
  std::string commit, etag, linked_etag, error_code;
  bool too_big = false;
};

std::size_t on_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* r = static_cast<Received*>(user);
  if (r->body.size() + size * n > max_body) {
    r->too_big = true;
    return 0;  // curl then fails with CURLE_WRITE_ERROR
  }
  r->body.append(data, size * n);
  return size * n;
}

std::string header_value(std::string_view line) {
  std::string v(line.substr(line.find(':') + 1));
  while (!v.empty() && std::isspace(static_cast<unsigned char>(v.back())) != 0) v.pop_back();
  std::size_t i = 0;
  while (i < v.size() && std::isspace(static_cast<unsigned char>(v[i])) != 0) ++i;
  return v.substr(i);
}

/// An ETag as a file name: without the weak marker and the quotes, and only when it is plain
/// letters, digits and '-' (it names a blob in the cache).
std::string etag_name(std::string e) {
  if (e.rfind("W/", 0) == 0) e = e.substr(2);
  e.erase(std::remove(e.begin(), e.end(), '"'), e.end());
  const bool plain = !e.empty() && std::all_of(e.begin(), e.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
  });
  return plain ? e : std::string();
}

std::size_t on_header(char* data, std::size_t size, std::size_t n, void* user) {
  auto* r = static_cast<Received*>(user);
  const std::string_view line(data, size * n);
  const std::string lower = detail::to_lower_ascii(line.substr(0, line.find(':')));
  if (line.rfind("HTTP/", 0) == 0) {
    r->error_code.clear();  // a new response (after a redirect): its own error code
    r->etag.clear();
  } else if (lower == "x-repo-commit" && r->commit.empty()) {
    r->commit = header_value(line);
  } else if (lower == "x-linked-etag") {
    r->linked_etag = header_value(line);
  } else if (lower == "etag") {
    r->etag = header_value(line);
  } else if (lower == "x-error-code") {
    r->error_code = header_value(line);
  }
  return size * n;
}

long milliseconds(double s) { return static_cast<long>(std::ceil(s * 1000)); }

/// The libcurl functions http_get calls.
struct Curl {
  decltype(&::curl_global_init) global_init = nullptr;
  decltype(&::curl_easy_init) easy_init = nullptr;
  decltype(&::curl_easy_cleanup) easy_cleanup = nullptr;
  CURLcode (*easy_setopt)(CURL*, CURLoption, ...) = nullptr;
  decltype(&::curl_easy_perform) easy_perform = nullptr;
  CURLcode (*easy_getinfo)(CURL*, CURLINFO, ...) = nullptr;
  decltype(&::curl_easy_strerror) easy_strerror = nullptr;
  decltype(&::curl_slist_append) slist_append = nullptr;
  decltype(&::curl_slist_free_all) slist_free_all = nullptr;
};

#if defined(_WIN32)
const Curl& curl_api(const std::string& /*url*/) {
  static const Curl api{&::curl_global_init, &::curl_easy_init,   &::curl_easy_cleanup,
                        &::curl_easy_setopt, &::curl_easy_perform, &::curl_easy_getinfo,
                        &::curl_easy_strerror, &::curl_slist_append, &::curl_slist_free_all};
  return api;
}
#else
#if defined(__APPLE__)
constexpr const char* curl_library = "libcurl.4.dylib";
#else
constexpr const char* curl_library = "libcurl.so.4";  // libcurl's soname since 7.16 (2006)
#endif

/// libcurl, loaded once; a HubError that says why when it cannot be.
const Curl& curl_api(const std::string& url) {
  static const Curl api = [] {
    Curl c;
    void* lib = ::dlopen(curl_library, RTLD_NOW | RTLD_LOCAL);  // kept loaded until exit
    if (lib == nullptr) return c;
    bool all = true;
    const auto get = [lib, &all](auto& f, const char* name) {
      f = reinterpret_cast<std::remove_reference_t<decltype(f)>>(::dlsym(lib, name));
      all = all && f != nullptr;
    };
    get(c.global_init, "curl_global_init");
    get(c.easy_init, "curl_easy_init");
    get(c.easy_cleanup, "curl_easy_cleanup");
    get(c.easy_setopt, "curl_easy_setopt");
    get(c.easy_perform, "curl_easy_perform");
    get(c.easy_getinfo, "curl_easy_getinfo");
    get(c.easy_strerror, "curl_easy_strerror");
    get(c.slist_append, "curl_slist_append");
    get(c.slist_free_all, "curl_slist_free_all");
    return all ? c : Curl{};  // all functions or none
  }();
  if (api.global_init == nullptr)
    throw HubError(fmt::format("cannot load libcurl ({}) to download {}; install it (Debian: libcurl4), or set "
                               "HF_HUB_OFFLINE=1 to use the Hugging Face cache, or give the path of a config.json",
                               curl_library, url));
  return api;
}
#endif

}  // namespace

bool hub_http_available() noexcept { return true; }

HttpResponse http_get(const std::string& url, const HubSettings& hub) {
  const Curl& api = curl_api(url);
  static const bool initialised = api.global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  const std::unique_ptr<CURL, void (*)(CURL*)> curl(initialised ? api.easy_init() : nullptr, api.easy_cleanup);
  if (!curl) throw HubError("cannot start libcurl to download " + url);
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(nullptr, api.slist_free_all);
  if (!hub.token.empty())
    headers.reset(api.slist_append(headers.release(), ("Authorization: Bearer " + hub.token).c_str()));
  Received r;
  char error[CURL_ERROR_SIZE] = {};
  const std::string agent = "headroom/" + std::string(version_string);
  CURL* c = curl.get();
  api.easy_setopt(c, CURLOPT_URL, url.c_str());
  api.easy_setopt(c, CURLOPT_HTTPGET, 1L);
  api.easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);  // renamed repos and CDN files redirect
  api.easy_setopt(c, CURLOPT_MAXREDIRS, 10L);      // curl drops the Authorization header on another host
  api.easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(hub.connect_timeout_s));
  api.easy_setopt(c, CURLOPT_TIMEOUT_MS, milliseconds(hub.timeout_s));
  api.easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  api.easy_setopt(c, CURLOPT_USERAGENT, agent.c_str());
  api.easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  api.easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  api.easy_setopt(c, CURLOPT_WRITEDATA, &r);
  api.easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  api.easy_setopt(c, CURLOPT_HEADERDATA, &r);
  api.easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = api.easy_perform(c);
  const std::string why = error[0] != '\0' ? std::string(error) : std::string(api.easy_strerror(rc));
  if (rc == CURLE_OPERATION_TIMEDOUT)
    throw HubError(fmt::format(
        "{} did not answer in time ({}; limits: {:g} s to connect, {:g} s in all): set HEADROOM_HF_TIMEOUT_S "
        "to wait longer, HF_ENDPOINT to a mirror, or HF_HUB_OFFLINE=1 with a cached copy, or give the path of "
        "a config.json",
        url, why, hub.connect_timeout_s, hub.timeout_s));
  if (r.too_big)
    throw HubError(fmt::format("{} sent more than {} MiB; that is not a config.json", url, max_body >> 20));
  if (rc != CURLE_OK)
    throw HubError(fmt::format("cannot download {}: {}; check the network (or HF_ENDPOINT, a mirror), or set "
                               "HF_HUB_OFFLINE=1 to use the Hugging Face cache, or give the path of a config.json",
                               url, why));
  HttpResponse out;
  api.easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  out.body = std::move(r.body);
  out.commit = r.commit;
  out.etag = etag_name(r.linked_etag.empty() ? r.etag : r.linked_etag);
  out.error_code = r.error_code;
  return out;
}

}  // namespace headroom::cli
