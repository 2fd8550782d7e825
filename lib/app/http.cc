#include "http.h"

#include "json_text.h"
#include "short_text.h"

namespace heartbeat {

const char* ReasonPhrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 429:
      return "Too Many Requests";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

void Response::AddHeader(std::string_view name, std::string_view value) {
  // Every answer has a handful: one allocation holds them all.
  if (header_lines_.empty()) header_lines_.reserve(256);
  AppendAll(&header_lines_, {name, ": ", value, "\r\n"});
}

namespace {

// The first line of *lines as a header, which is then taken off; false when none is left.
bool NextHeader(std::string_view* lines, std::string_view* name, std::string_view* value) {
  if (lines->empty()) return false;
  const size_t end = lines->find("\r\n");
  const std::string_view line = lines->substr(0, end);
  lines->remove_prefix(end == std::string_view::npos ? lines->size() : end + 2);
  const size_t colon = line.find(": ");
  *name = line.substr(0, colon);
  *value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 2);
  return true;
}

}  // namespace

std::vector<std::pair<std::string_view, std::string_view>> Response::Headers() const {
  std::vector<std::pair<std::string_view, std::string_view>> headers;
  std::string_view lines = header_lines_, name, value;
  while (NextHeader(&lines, &name, &value)) headers.emplace_back(name, value);
  return headers;
}

std::optional<std::string_view> Response::FindHeader(std::string_view wanted) const {
  std::string_view lines = header_lines_, name, value;
  while (NextHeader(&lines, &name, &value)) {
    if (name == wanted) return value;
  }
  return std::nullopt;
}

void AddCommonHeaders(Response* response) {
  response->AddHeader("X-Content-Type-Options", "nosniff");
}

void MakeUnavailable(Response* response) {
  response->status = 503;
  response->AddHeader("Cache-Control", "no-store");
  response->AddHeader("Retry-After", std::to_string(kUnavailableRetryAfterSeconds));
}

Response JsonError(int status, std::string_view code, std::string_view message) {
  Response response;
  response.status = status;
  response.AddHeader("Content-Type", kJsonContentType);
  AddCommonHeaders(&response);
  response.body = "{\"error\":" + JsonString(code) + ",\"message\":" + JsonString(message) + "}";
  return response;
}

}  // namespace heartbeat
