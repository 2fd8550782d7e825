#include "cgi_request.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <utility>

#include "key_value.h"

namespace heartbeat {

long long ParseContentLength(std::string_view value) {
  if (value.empty()) return -1;
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

// In order of name length, so that a name is compared only with those of its own length (at
// most two): most names a web server sends are of other lengths.
constexpr Variable kVariables[] = {
    {"PATH_INFO", &Request::path_info},
    {"REMOTE_ADDR", &Request::remote_addr},
    {"HTTP_ORIGIN", &Request::origin},
    {"QUERY_STRING", &Request::query},
    {"CONTENT_TYPE", &Request::content_type},
    {"REQUEST_METHOD", &Request::method},
    {"CONTENT_LENGTH", nullptr},
    {"HEARTBEAT_CONFIG", &Request::config_param},
    {"HTTP_AUTHORIZATION", &Request::authorization},
    {"HTTP_IF_NONE_MATCH", &Request::if_none_match},
};
constexpr size_t kVariableCount = sizeof kVariables / sizeof kVariables[0];
constexpr size_t kLongestName = kVariables[kVariableCount - 1].name.size();

// first[n]: the index in kVariables of the first name of n bytes or more.
struct ByLength {
  uint8_t first[kLongestName + 2] = {};
};
constexpr ByLength IndexByLength() {
  ByLength index;
  size_t i = 0;
  for (size_t length = 0; length <= kLongestName + 1; ++length) {
    while (i < kVariableCount && kVariables[i].name.size() < length) ++i;
    index.first[length] = static_cast<uint8_t>(i);
  }
  return index;
}
constexpr ByLength kByLength = IndexByLength();

constexpr bool SortedByLength() {
  for (size_t i = 1; i < kVariableCount; ++i) {
    if (kVariables[i - 1].name.size() > kVariables[i].name.size()) return false;
  }
  return true;
}
static_assert(SortedByLength(), "kByLength needs kVariables in order of name length");

}  // namespace

void RequestBuilder::Add(std::string_view name, std::string_view value) {
  static_assert(sizeof seen_ == kVariableCount, "one flag per variable");
  if (name.size() > kLongestName) return;
  for (size_t i = kByLength.first[name.size()]; i < kByLength.first[name.size() + 1]; ++i) {
    // The last byte first: most names of the same length end otherwise (SERVER_PORT,
    // REMOTE_PORT), and a byte costs less than a call.
    const std::string_view wanted = kVariables[i].name;
    if (wanted.back() != name.back() || std::memcmp(wanted.data(), name.data(), name.size()) != 0)
      continue;
    if (seen_[i]) return;
    seen_[i] = true;
    if (kVariables[i].field) {
      (request_.*kVariables[i].field).assign(value.data(), value.size());
    } else {
      request_.content_length = ParseContentLength(value);
    }
    return;
  }
}

Request RequestFromVariables(char* const* variables) {
  RequestBuilder builder;
  for (; variables && *variables; ++variables) {
    const char* entry = *variables;
    const char* equals = std::strchr(entry, '=');
    if (!equals) continue;
    builder.Add(std::string_view(entry, static_cast<size_t>(equals - entry)), equals + 1);
  }
  return std::move(builder.request());
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
