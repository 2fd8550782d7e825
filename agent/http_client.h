// The agent's HTTP, behind a small interface so that the retry policy can be tested with a
// fake; the real one is libcurl with certificate verification always on (curl_http_client.h).
#pragma once

#include <functional>
#include <string>
#include <string_view>

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

}  // namespace heartbeat::agent
