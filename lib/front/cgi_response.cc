#include "cgi_response.h"

#include <cstdint>
#include <string>

#include "short_text.h"

namespace heartbeat {

std::string SerializeResponse(const Response& response) {
  std::string out;
  AppendCgiResponse(response, &out);
  return out;
}

void AppendCgiResponse(const Response& response, std::string* out) {
  const bool has_body = response.status != 204 && response.status != 304;
  const auto status = Decimal(static_cast<uint64_t>(response.status));
  const auto length = Decimal(response.body.size());
  AppendAll(out, {"Status: ", status.view(), " ", ReasonPhrase(response.status), "\r\n",
                  response.header_lines(), has_body ? "Content-Length: " : "",
                  has_body ? length.view() : "", has_body ? "\r\n" : "", "\r\n",
                  has_body && !response.omit_body ? std::string_view(response.body) : ""});
}

}  // namespace heartbeat
