#include "http.h"

#include "json_text.h"

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
