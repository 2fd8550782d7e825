#include "cgi_request.h"

#include <algorithm>
#include <cstring>
#include <string_view>

#include "key_value.h"

namespace heartbeat {

long long ParseContentLength(const char* value) {
  if (!value || !*value) return -1;
  long long length = 0;
  if (!ParseIntInRange(value, 0, (1LL << 53), &length)) return -2;
  return length;
}

namespace {

// The variables a handler looks at, and where each goes.
struct Variable {
  std::string_view name;
  std::string Request::*field;  // null: CONTENT_LENGTH, which is parsed
};

constexpr Variable kVariables[] = {
    {"REQUEST_METHOD", &Request::method},
    {"QUERY_STRING", &Request::query},
    {"PATH_INFO", &Request::path_info},
    {"REMOTE_ADDR", &Request::remote_addr},
    {"HTTP_AUTHORIZATION", &Request::authorization},
    {"CONTENT_TYPE", &Request::content_type},
    {"HTTP_IF_NONE_MATCH", &Request::if_none_match},
    {"HTTP_ORIGIN", &Request::origin},
    {"HEARTBEAT_CONFIG", &Request::config_param},
    {"CONTENT_LENGTH", nullptr},
};
constexpr size_t kVariableCount = sizeof kVariables / sizeof kVariables[0];

}  // namespace

Request RequestFromVariables(char* const* variables) {
  Request request;
  bool seen[kVariableCount] = {};
  for (; variables && *variables; ++variables) {
    const char* entry = *variables;
    const char* equals = std::strchr(entry, '=');
    if (!equals) continue;
    std::string_view name(entry, static_cast<size_t>(equals - entry));
    for (size_t i = 0; i < kVariableCount; ++i) {
      if (seen[i] || kVariables[i].name != name) continue;
      seen[i] = true;
      if (kVariables[i].field) {
        request.*kVariables[i].field = equals + 1;
      } else {
        request.content_length = ParseContentLength(equals + 1);
      }
      break;
    }
  }
  return request;
}

size_t BodyBytesWanted(const Request& request) {
  if (request.content_length >= 0) {
    return static_cast<size_t>(std::min<long long>(request.content_length, kMaxBodyBytes + 1));
  }
  return kMaxBodyBytes + 1;  // no usable length: read to the end of the stream
}

void FinishBody(Request* request) {
  if (request->body.size() > kMaxBodyBytes) {
    request->body.resize(kMaxBodyBytes);
    request->body_truncated = true;
  }
}

bool BodyReadToEnd(const Request& request) {
  return request.content_length <= 0 ||
         static_cast<long long>(request.body.size()) == request.content_length;
}

}  // namespace heartbeat
