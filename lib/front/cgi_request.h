// CGI variables and body bytes → Request. The CGI path and the FastCGI path differ only in
// where the variables and bytes come from.
#pragma once

#include <string>
#include <string_view>

#include "http.h"

namespace heartbeat {

// CONTENT_LENGTH: -1 when absent or empty, -2 when not a usable number.
long long ParseContentLength(std::string_view value);

// Fills a Request from CGI variables given one at a time (a FastCGI request's params). As with
// getenv, the first of a name given twice counts.
class RequestBuilder {
 public:
  void Add(std::string_view name, std::string_view value);
  Request& request() { return request_; }

 private:
  Request request_;
  bool seen_[10] = {};  // of the variables a handler looks at (cgi_request.cc)
};

// The same from a null-terminated array of "NAME=value" strings (`environ` for CGI).
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
