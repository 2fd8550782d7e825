// CGI variables and body bytes → Request, and Response → CGI output. The CGI path and the
// FastCGI path differ only in where the variables and bytes come from.
#pragma once

#include <string>

#include "http.h"

namespace heartbeat {

// CONTENT_LENGTH: -1 when absent or empty, -2 when not a usable number.
long long ParseContentLength(const char* value);

// Fills a Request from CGI variables; `param` looks one up (environment or FastCGI params)
// and returns null when it is not set.
template <typename ParamFn>
Request RequestFromParams(ParamFn param) {
  auto get = [&](const char* name) {
    const char* value = param(name);
    return std::string(value ? value : "");
  };
  Request request;
  request.method = get("REQUEST_METHOD");
  request.query = get("QUERY_STRING");
  request.path_info = get("PATH_INFO");
  request.remote_addr = get("REMOTE_ADDR");
  request.authorization = get("HTTP_AUTHORIZATION");
  request.content_type = get("CONTENT_TYPE");
  request.if_none_match = get("HTTP_IF_NONE_MATCH");
  request.origin = get("HTTP_ORIGIN");
  request.config_param = get("HEARTBEAT_CONFIG");
  request.content_length = ParseContentLength(param("CONTENT_LENGTH"));
  return request;
}

// Whether the request has a body to read at all.
inline bool ExpectsBody(const Request& request) {
  return request.method == "POST" || request.content_length > 0;
}

// How many body bytes to read: what was announced, but never more than one past the limit,
// so that an oversized body is recognised without reading it all.
size_t BodyBytesWanted(const Request& request);

// After reading up to BodyBytesWanted bytes into request->body: marks an oversized body.
void FinishBody(Request* request);

// Whether the body was read to its announced end (nothing left unread on the connection).
bool BodyReadToEnd(const Request& request);

// Writes a response in CGI form (Status line, headers, blank line, body).
std::string SerializeResponse(const Response& response);

}  // namespace heartbeat
