// The FastCGI side of the programs: one thread that serves every connection the web server
// opens on a listening socket, with libfcgi reading and writing the records.
#pragma once

#include "http.h"
#include "services.h"

namespace heartbeat {

using Handler = Response (*)(const Request&, Services&);

// Serves requests on `listen_fd` until SIGTERM, SIGINT or SIGUSR1 (Apache's graceful stop):
// the request in flight is finished first, connections are closed, and 0 is returned.
// Connections are kept open when the web server asks for it (FCGI_KEEP_CONN, nginx's
// `fastcgi_keep_conn on`), and any number of them, idle or not, are served side by side.
// Returns 1 if the socket fails.
int ServeFastCgi(Handler handle, Services& services, int listen_fd);

}  // namespace heartbeat
