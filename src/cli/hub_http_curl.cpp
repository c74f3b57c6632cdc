// http_get with libcurl (hub.hpp): one GET, redirects followed, connect and total timeouts, the
// headers the Hub answers with (X-Repo-Commit, ETag, X-Error-Code). Built only when libcurl is found
// (src/cli/CMakeLists.txt); hub_http_none.cpp stands in otherwise.

#include <curl/curl.h>
#include <fmt/core.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <memory>

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

}  // namespace

bool hub_http_available() noexcept { return true; }

HttpResponse http_get(const std::string& url, const HubSettings& hub) {
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  const std::unique_ptr<CURL, void (*)(CURL*)> curl(initialised ? curl_easy_init() : nullptr, curl_easy_cleanup);
  if (!curl) throw HubError("cannot start libcurl to download " + url);
  std::unique_ptr<curl_slist, void (*)(curl_slist*)> headers(nullptr, curl_slist_free_all);
  if (!hub.token.empty())
    headers.reset(curl_slist_append(headers.release(), ("Authorization: Bearer " + hub.token).c_str()));
  Received r;
  char error[CURL_ERROR_SIZE] = {};
  const std::string agent = "headroom/" + std::string(version_string);
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);  // renamed repos and CDN files redirect
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, 10L);      // curl drops the Authorization header on another host
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, milliseconds(hub.connect_timeout_s));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, milliseconds(hub.timeout_s));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, agent.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &r);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, &r);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(c);
  const std::string why = error[0] != '\0' ? std::string(error) : std::string(curl_easy_strerror(rc));
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
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  out.body = std::move(r.body);
  out.commit = r.commit;
  out.etag = etag_name(r.linked_etag.empty() ? r.etag : r.linked_etag);
  out.error_code = r.error_code;
  return out;
}

}  // namespace headroom::cli
