#include <curl/curl.h>

#include <cstdlib>
#include <functional>
#include <string>

#include "http_client.h"
#include "key_value.h"

namespace heartbeat::agent {
namespace {

constexpr long kMaxConnectTimeoutS = 10;
constexpr size_t kMaxBody = 64 * 1024;

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

size_t AppendBody(char* data, size_t size, size_t count, void* user) {
  auto* body = static_cast<std::string*>(user);
  size_t n = size * count;
  if (body->size() + n > kMaxBody) return 0;  // a status answer is tiny: refuse floods
  body->append(data, n);
  return n;
}

int AskAbandon(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return (*static_cast<const std::function<bool()>*>(user))() ? 1 : 0;
}

size_t ReadRetryAfter(char* data, size_t size, size_t count, void* user) {
  size_t n = size * count;
  int seconds = RetryAfterSeconds(std::string_view(data, n));
  if (seconds >= 0) *static_cast<int*>(user) = seconds;
  return n;
}

class CurlHttpClient final : public HttpClient {
 public:
  explicit CurlHttpClient(std::string ca_file) : ca_file_(std::move(ca_file)) {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (!ca_file_.empty()) ca_blob_ = TrustedCertificates();
  }
  ~CurlHttpClient() override { curl_global_cleanup(); }

  HttpResponse Send(const HttpRequest& request) override {
    HttpResponse response;
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) {
      response.transport_error = true;
      response.error = "cannot initialise libcurl";
      return response;
    }
    CURL* c = curl.get();
    std::unique_ptr<curl_slist, SlistDeleter> headers;
    auto add_header = [&headers](const std::string& header) {
      headers.reset(curl_slist_append(headers.release(), header.c_str()));
    };
    if (!request.bearer_token.empty()) add_header("Authorization: Bearer " + request.bearer_token);
    if (request.method == "POST") {
      add_header("Content-Type: application/json");
      curl_easy_setopt(c, CURLOPT_POST, 1L);
      curl_easy_setopt(c, CURLOPT_POSTFIELDS, request.json_body.c_str());
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, static_cast<long>(request.json_body.size()));
    }
    add_header("Accept: application/json");
    curl_easy_setopt(c, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85: the older CURLOPT_PROTOCOLS is deprecated there
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
#else  // older system libcurl, e.g. on macOS 12
    curl_easy_setopt(c, CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);  // a redirect would carry the token away
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!ca_blob_.empty()) {
      curl_blob blob{ca_blob_.data(), ca_blob_.size(), CURL_BLOB_NOCOPY};
      curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
    }
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT, static_cast<long>(request.timeout_s));
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT,
                     std::min<long>(request.timeout_s, kMaxConnectTimeoutS));
    curl_easy_setopt(c, CURLOPT_USERAGENT, "heartbeat-agent/" HEARTBEAT_VERSION);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, AppendBody);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &response.body);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, ReadRetryAfter);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, &response.retry_after_s);

    if (request.abandon_if) {
      curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, AskAbandon);
      curl_easy_setopt(c, CURLOPT_XFERINFODATA, &request.abandon_if);
      curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    }

    CURLcode code = curl_easy_perform(c);
    if (code != CURLE_OK) {
      response.transport_error = true;
      response.error = code == CURLE_ABORTED_BY_CALLBACK ? "abandoned" : curl_easy_strerror(code);
      response.certificate_error = code == CURLE_PEER_FAILED_VERIFICATION ||
                                   code == CURLE_SSL_CACERT_BADFILE ||
                                   code == CURLE_SSL_CERTPROBLEM;
      return response;
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response.status);
    return response;
  }

 private:
  // The system's CA bundle followed by ca_file: the extra CA is added, not substituted.
  std::string TrustedCertificates() const {
    std::string pem;
    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    if (info && info->cainfo) {
      auto system = ReadWholeFile(info->cainfo);
      if (system.ok()) pem = system.value() + "\n";
    }
    auto extra = ReadWholeFile(ca_file_);
    if (extra.ok()) pem += extra.value();
    return pem;
  }

  std::string ca_file_;
  std::string ca_blob_;
};

}  // namespace

std::unique_ptr<HttpClient> MakeCurlHttpClient(const std::string& ca_file) {
  return std::make_unique<CurlHttpClient>(ca_file);
}

}  // namespace heartbeat::agent
