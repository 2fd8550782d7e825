// Response → the bytes a CGI program writes, which are also a FastCGI request's stdout.
#pragma once

#include <string>

#include "http.h"

namespace heartbeat {

// Writes a response in CGI form (Status line, headers, blank line, body).
std::string SerializeResponse(const Response& response);
// The same, appended to *out (whose capacity a long-running process reuses).
void AppendCgiResponse(const Response& response, std::string* out);

}  // namespace heartbeat
