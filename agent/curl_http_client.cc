#include "curl_http_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <utility>

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

// The first failure among the options of one request. An option this libcurl refuses (one too
// old for it, a TLS backend without CA blobs) fails the request with its name: sent without it,
// the request could go out without the owner's CA, the protocol limit or the timeouts.
class OptionErrors {
 public:
  void Check(const char* option, CURLcode code) {
    if (code != CURLE_OK && first_.empty())
      first_ = std::string("cannot set ") + option + ": " + curl_easy_strerror(code);
  }
  const std::string& first() const { return first_; }

 private:
  std::string first_;
};

HttpResponse TransportError(std::string error) {
  HttpResponse response;
  response.transport_error = true;
  response.error = std::move(error);
  return response;
}

// The request's headers; null when libcurl could not make the list.
std::unique_ptr<curl_slist, SlistDeleter> RequestHeaders(const HttpRequest& request) {
  std::unique_ptr<curl_slist, SlistDeleter> headers;
  auto add = [&headers](const std::string& header) {
    // On failure the list is left as it was, still owned here.
    curl_slist* longer = curl_slist_append(headers.get(), header.c_str());
    if (!longer) return false;
    headers.release();
    headers.reset(longer);
    return true;
  };
  bool complete = true;
  if (!request.bearer_token.empty())
    complete &= add("Authorization: Bearer " + request.bearer_token);
  if (request.method == "POST") complete &= add("Content-Type: application/json");
  complete &= add("Accept: application/json");
  if (!complete) headers.reset();
  return headers;
}

// Every option of one request on `c`; the first one this libcurl refused, or empty. `ca` is the
// owner's CA (null: the system's); it and `headers` must live until the transfer ends.
std::string SetOptions(CURL* c, const HttpRequest& request, curl_slist* headers, curl_blob* ca,
                       HttpResponse* response) {
  OptionErrors options;
#define HEARTBEAT_SETOPT(option, value) options.Check(#option, curl_easy_setopt(c, option, value))
  if (request.method == "POST") {
    HEARTBEAT_SETOPT(CURLOPT_POST, 1L);
    HEARTBEAT_SETOPT(CURLOPT_POSTFIELDS, request.json_body.c_str());
    HEARTBEAT_SETOPT(CURLOPT_POSTFIELDSIZE, static_cast<long>(request.json_body.size()));
  }
  HEARTBEAT_SETOPT(CURLOPT_URL, request.url.c_str());
  HEARTBEAT_SETOPT(CURLOPT_HTTPHEADER, headers);
#if LIBCURL_VERSION_NUM >= 0x075500  // 7.85: the older CURLOPT_PROTOCOLS is deprecated there
  HEARTBEAT_SETOPT(CURLOPT_PROTOCOLS_STR, "http,https");
#else  // older system libcurl, e.g. on macOS 12
  HEARTBEAT_SETOPT(CURLOPT_PROTOCOLS, static_cast<long>(CURLPROTO_HTTP | CURLPROTO_HTTPS));
#endif
  HEARTBEAT_SETOPT(CURLOPT_FOLLOWLOCATION, 0L);  // a redirect would carry the token away
  HEARTBEAT_SETOPT(CURLOPT_SSL_VERIFYPEER, 1L);
  HEARTBEAT_SETOPT(CURLOPT_SSL_VERIFYHOST, 2L);
  if (ca) HEARTBEAT_SETOPT(CURLOPT_CAINFO_BLOB, ca);
  HEARTBEAT_SETOPT(CURLOPT_NOSIGNAL, 1L);
  HEARTBEAT_SETOPT(CURLOPT_TIMEOUT, static_cast<long>(request.timeout_s));
  HEARTBEAT_SETOPT(CURLOPT_CONNECTTIMEOUT, std::min<long>(request.timeout_s, kMaxConnectTimeoutS));
  HEARTBEAT_SETOPT(CURLOPT_USERAGENT, "heartbeat-agent/" HEARTBEAT_VERSION);
  HEARTBEAT_SETOPT(CURLOPT_WRITEFUNCTION, AppendBody);
  HEARTBEAT_SETOPT(CURLOPT_WRITEDATA, &response->body);
  HEARTBEAT_SETOPT(CURLOPT_HEADERFUNCTION, ReadRetryAfter);
  HEARTBEAT_SETOPT(CURLOPT_HEADERDATA, &response->retry_after_s);
  if (request.abandon_if) {
    HEARTBEAT_SETOPT(CURLOPT_XFERINFOFUNCTION, AskAbandon);
    HEARTBEAT_SETOPT(CURLOPT_XFERINFODATA, &request.abandon_if);
    HEARTBEAT_SETOPT(CURLOPT_NOPROGRESS, 0L);
  }
#undef HEARTBEAT_SETOPT
  return options.first();
}

// The transfer into `*response` (where SetOptions pointed the body and Retry-After), then its
// status.
HttpResponse Perform(CURL* c, HttpResponse* response) {
  CURLcode code = curl_easy_perform(c);
  if (code != CURLE_OK) {
    HttpResponse failed =
        TransportError(code == CURLE_ABORTED_BY_CALLBACK ? "abandoned" : curl_easy_strerror(code));
    failed.certificate_error = code == CURLE_PEER_FAILED_VERIFICATION ||
                               code == CURLE_SSL_CACERT_BADFILE || code == CURLE_SSL_CERTPROBLEM;
    return failed;
  }
  code = curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &response->status);
  if (code != CURLE_OK) {
    return TransportError(std::string("cannot read the HTTP status: ") + curl_easy_strerror(code));
  }
  return std::move(*response);
}

class CurlHttpClient final : public HttpClient {
 public:
  // After a curl_global_init that worked, which the destructor balances.
  explicit CurlHttpClient(std::string ca_blob) : ca_blob_(std::move(ca_blob)) {}
  ~CurlHttpClient() override { curl_global_cleanup(); }
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  HttpResponse Send(const HttpRequest& request) override {
    std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
    if (!curl) return TransportError("cannot initialise libcurl");
    std::unique_ptr<curl_slist, SlistDeleter> headers = RequestHeaders(request);
    if (!headers) return TransportError("cannot build the request's headers");
    curl_blob blob{ca_blob_.data(), ca_blob_.size(), CURL_BLOB_NOCOPY};
    HttpResponse response;
    std::string refused = SetOptions(curl.get(), request, headers.get(),
                                     ca_blob_.empty() ? nullptr : &blob, &response);
    if (!refused.empty()) return TransportError(refused);
    return Perform(curl.get(), &response);
  }

 private:
  std::string ca_blob_;
};

// The system's CA bundle followed by ca_file: the extra CA is added, not substituted. A ca_file
// that cannot be read is the owner's config error, said at start.
Result<std::string> TrustedCertificates(const std::string& ca_file) {
  auto extra = ReadWholeFile(ca_file);
  if (!extra.ok()) return Status::Invalid("cannot read ca_file " + extra.status().message());
  std::string pem;
  const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
  if (info && info->cainfo) {
    auto system = ReadWholeFile(info->cainfo);
    if (system.ok()) pem = system.value() + "\n";
  }
  return pem + extra.value();
}

}  // namespace

Result<std::unique_ptr<HttpClient>> MakeCurlHttpClient(const std::string& ca_file) {
  std::string ca_blob;
  if (!ca_file.empty()) {
    auto trusted = TrustedCertificates(ca_file);
    if (!trusted.ok()) return trusted.status();
    ca_blob = std::move(trusted).value();
  }
  CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (init != CURLE_OK)
    return Status::Unavailable(std::string("cannot initialise libcurl: ") +
                               curl_easy_strerror(init));
  return std::unique_ptr<HttpClient>(std::make_unique<CurlHttpClient>(std::move(ca_blob)));
}

}  // namespace heartbeat::agent
