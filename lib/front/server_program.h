// How a program runs (docs/protocol.md, "Programs"): its command line, then CGI or FastCGI on
// a socket from a process manager or of its own.
#pragma once

#include "http.h"
#include "services.h"

namespace heartbeat {

struct ServerProgram {
  const char* name;     // "status.fcgi", also the log prefix
  const char* summary;  // one line for --help
  Response (*handle)(const Request&, Services&);
};

// Parses the command line (program_options.h) and serves requests:
// - with --listen: on its own socket, until SIGTERM/SIGINT;
// - started by a FastCGI process manager (listening socket on fd 0): until SIGTERM;
// - otherwise as CGI: the one request in the environment and stdin.
// Returns the process exit code.
int RunServerProgram(const ServerProgram& program, int argc, char** argv);

// Whether the program was started as CGI (GATEWAY_INTERFACE set): then its arguments come
// from the query string and must be ignored.
bool StartedAsCgi();

}  // namespace heartbeat
