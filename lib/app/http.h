// The request and response values that the handlers work on. Only the front ends
// (cgi_request.h, server_program.cc, fastcgi_server.cc) know where they come from.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace heartbeat {

struct Request {
  std::string method;         // REQUEST_METHOD
  std::string query;          // QUERY_STRING, still percent-encoded
  std::string path_info;      // PATH_INFO
  std::string remote_addr;    // REMOTE_ADDR
  std::string authorization;  // HTTP_AUTHORIZATION
  std::string content_type;   // CONTENT_TYPE
  std::string if_none_match;  // HTTP_IF_NONE_MATCH
  std::string origin;         // HTTP_ORIGIN
  std::string config_param;   // HEARTBEAT_CONFIG as a request parameter (fastcgi_param, SetEnv)
  // CONTENT_LENGTH as sent; -1 when absent, -2 when not a number.
  long long content_length = -1;
  // The body, read up to kMaxBodyBytes + 1 bytes so that "too large" can be told apart.
  std::string body;
  bool body_truncated = false;  // more bytes followed what is in `body`
};

constexpr size_t kMaxBodyBytes = 4096;

struct Response {
  int status = 200;
  std::string body;
  bool omit_body = false;  // HEAD: headers as for GET, no body

  // Adds the header "name: value". The lines are kept as they are written (header_lines), so
  // that an answer's headers cost one buffer, not a string for each name and value.
  void AddHeader(std::string_view name, std::string_view value);
  // The value of the first header of that name (case-sensitive, as we write them).
  std::optional<std::string_view> FindHeader(std::string_view name) const;
  // Each header as (name, value), in the order added.
  std::vector<std::pair<std::string_view, std::string_view>> Headers() const;
  // "Name: value\r\n" for each header, in the order added.
  const std::string& header_lines() const { return header_lines_; }

 private:
  std::string header_lines_;
};

// The reason phrase for the status codes we send.
const char* ReasonPhrase(int status);

// A JSON response {"error": code, "message": message} with the common headers.
Response JsonError(int status, std::string_view code, std::string_view message);

// Content type of every JSON body.
constexpr const char* kJsonContentType = "application/json; charset=utf-8";

// Headers that every response carries.
void AddCommonHeaders(Response* response);

// Seconds a client is asked to wait after a 503.
constexpr int kUnavailableRetryAfterSeconds = 30;

// What makes a response a 503 of ours: its status, never cached, and a Retry-After.
void MakeUnavailable(Response* response);

}  // namespace heartbeat
