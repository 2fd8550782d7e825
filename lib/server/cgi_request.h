// CGI variables and body bytes → Request. The CGI path and the FastCGI path differ only in
// where the variables and bytes come from.
#pragma once

#include <string>

#include "http.h"

namespace heartbeat {

// CONTENT_LENGTH: -1 when absent or empty, -2 when not a usable number.
long long ParseContentLength(const char* value);

// Fills a Request from CGI variables given as a null-terminated array of "NAME=value"
// strings (`environ` for CGI, libfcgi's envp for FastCGI), in one pass over them. As with
// getenv, the first of a name given twice counts.
Request RequestFromVariables(char* const* variables);

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

}  // namespace heartbeat
