// The agent's HTTP, behind a small interface so that the retry policy can be tested with a
// fake; the real one is libcurl with certificate verification always on.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "result.h"

namespace heartbeat::agent {

struct HttpRequest {
  std::string method = "POST";  // POST or GET
  std::string url;
  std::string bearer_token;  // sent as Authorization: Bearer …; never logged
  std::string json_body;     // sent with Content-Type: application/json when not empty
  int timeout_s = 10;        // the whole request, connect included
  // Asked about once a second while the request runs (and more often while data flows); true
  // abandons it, e.g. when the machine is about to sleep and "offline" must go out instead.
  std::function<bool()> abandon_if;
};

struct HttpResponse {
  bool transport_error = false;    // no HTTP answer: DNS, connect, TLS, timeout, abandoned
  bool certificate_error = false;  // of those: the server's certificate was not accepted
  std::string error;               // what went wrong, for the log
  long status = 0;
  std::string body;
  int retry_after_s = -1;  // Retry-After in seconds, -1 when absent or not a number
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  virtual HttpResponse Send(const HttpRequest& request) = 0;
};

// The seconds of a "Retry-After: N" header line (any case, blanks and CRLF allowed), or -1 for
// any other line, an HTTP date or a value out of 0..86400.
int RetryAfterSeconds(std::string_view header_line);

// libcurl. `ca_file`, if not empty, is trusted in addition to the system's CAs. Verification
// of the certificate and of the host name is always on; nothing turns it off. Invalid when
// ca_file cannot be read (a config error: the owner named it), Unavailable when libcurl cannot
// be initialised. A request whose options libcurl refuses fails as a transport error that
// names the option.
Result<std::unique_ptr<HttpClient>> MakeCurlHttpClient(const std::string& ca_file);

}  // namespace heartbeat::agent
