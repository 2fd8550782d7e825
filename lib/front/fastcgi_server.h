// The FastCGI side of the programs: one thread that serves every connection the web server
// opens on a listening socket, non-blocking, each connection's records read by its
// FastCgiReader (fastcgi_reader.h). It knows requests and responses, nothing of what answers
// them.
#pragma once

#include "request_handler.h"

namespace heartbeat {

// Serves requests on `listen_fd` until SIGTERM, SIGINT or SIGUSR1 (Apache's graceful stop):
// the request in flight is finished first, connections are closed, and 0 is returned.
// Connections are kept open when the web server asks for it (FCGI_KEEP_CONN, nginx's
// `fastcgi_keep_conn on`), and up to 256 of them, idle or not, are served side by side
// (docs/protocol.md, "Slow clients and connections").
// Returns 1 if the socket fails.
int ServeFastCgi(RequestHandler& handler, int listen_fd);

}  // namespace heartbeat
