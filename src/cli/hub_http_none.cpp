// http_get in a build without libcurl (hub.hpp): a repo id is read from the Hugging Face cache only,
// and hub_config says how to get a build that downloads.

#include "hub.hpp"

namespace headroom::cli {

bool hub_http_available() noexcept { return false; }

HttpResponse http_get(const std::string& url, const HubSettings&) {
  throw HubError("this headroom was built without libcurl and cannot download " + url +
                 "; rebuild with libcurl (Debian: libcurl4-openssl-dev), or give the path of a config.json");
}

}  // namespace headroom::cli
