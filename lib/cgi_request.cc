#include "cgi_request.h"

#include <algorithm>

#include "key_value.h"

namespace heartbeat {

long long ParseContentLength(const char* value) {
  if (!value || !*value) return -1;
  long long length = 0;
  if (!ParseIntInRange(value, 0, (1LL << 53), &length)) return -2;
  return length;
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

std::string SerializeResponse(const Response& response) {
  std::string out = "Status: ";
  out += std::to_string(response.status);
  out += ' ';
  out += ReasonPhrase(response.status);
  out += "\r\n";
  for (const auto& [name, value] : response.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  bool has_body = response.status != 204 && response.status != 304;
  if (has_body) {
    out += "Content-Length: ";
    out += std::to_string(response.body.size());
    out += "\r\n";
  }
  out += "\r\n";
  if (has_body && !response.omit_body) out += response.body;
  return out;
}

}  // namespace heartbeat
