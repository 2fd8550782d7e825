// Plain CGI: the one request in the environment and on stdin, the answer on stdout.
#pragma once

#include "request_handler.h"

namespace heartbeat {

// Serves the request; 0, or 1 if the answer could not be written.
int ServeCgi(RequestHandler& handler);

}  // namespace heartbeat
