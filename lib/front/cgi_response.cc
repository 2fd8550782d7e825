#include "cgi_response.h"

#include <string>

namespace heartbeat {

std::string SerializeResponse(const Response& response) {
  std::string out;
  AppendCgiResponse(response, &out);
  return out;
}

void AppendCgiResponse(const Response& response, std::string* out) {
  *out += "Status: ";
  *out += std::to_string(response.status);
  *out += ' ';
  *out += ReasonPhrase(response.status);
  *out += "\r\n";
  for (const auto& [name, value] : response.headers) {
    *out += name;
    *out += ": ";
    *out += value;
    *out += "\r\n";
  }
  bool has_body = response.status != 204 && response.status != 304;
  if (has_body) {
    *out += "Content-Length: ";
    *out += std::to_string(response.body.size());
    *out += "\r\n";
  }
  *out += "\r\n";
  if (has_body && !response.omit_body) *out += response.body;
}

}  // namespace heartbeat
