// The FastCGI side of the programs: one thread that serves every connection the web server
// opens on a listening socket, non-blocking, each connection's records read by its
// FastCgiReader (fastcgi_reader.h). It knows requests and responses, nothing of what answers
// them.
#pragma once

#include "http.h"

namespace heartbeat {

// What the loop serves.
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // The answer to one request.
  virtual Response Handle(const Request& request) = 0;
  // Called on each wake of the loop, before the requests it found waiting are handled: those
  // arrived together, and may share work that any of them would have done alone.
  virtual void StartBatch() {}
};

// Serves requests on `listen_fd` until SIGTERM, SIGINT or SIGUSR1 (Apache's graceful stop):
// the request in flight is finished first, connections are closed, and 0 is returned.
// Connections are kept open when the web server asks for it (FCGI_KEEP_CONN, nginx's
// `fastcgi_keep_conn on`), and up to 256 of them, idle or not, are served side by side
// (docs/protocol.md, "Slow clients and connections").
// Returns 1 if the socket fails.
int ServeFastCgi(RequestHandler& handler, int listen_fd);

}  // namespace heartbeat
