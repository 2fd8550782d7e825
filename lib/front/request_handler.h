// What a front end serves (CGI once, the FastCGI loop for as long as it runs): the program's
// endpoint, seen by the front ends only as requests in and responses out.
#pragma once

#include "http.h"

namespace heartbeat {

class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // The answer to one request.
  virtual Response Handle(const Request& request) = 0;
  // Called on each wake of the FastCGI loop, before the requests it found waiting are handled:
  // those arrived together, and may share work that any of them would have done alone.
  virtual void StartBatch() {}
};

}  // namespace heartbeat
