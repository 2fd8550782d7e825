// The only code that touches libfcgi: turns FastCGI or CGI requests into Request values,
// calls a handler, writes the Response. Runs a program in the three ways of SPEC §1.
#pragma once

#include "http.h"
#include "services.h"

namespace heartbeat {

struct ServerProgram {
  const char* name;     // "status.fcgi", also the log prefix
  const char* summary;  // one line for --help
  Response (*handle)(const Request&, Services&);
};

// Parses the command line (--help, --version, --listen ADDR) and serves requests:
// - with --listen: on its own socket, until SIGTERM/SIGINT;
// - started by a FastCGI process manager (listening socket on fd 0): until SIGTERM;
// - otherwise as CGI: the one request in the environment and stdin.
// Returns the process exit code.
int RunServerProgram(const ServerProgram& program, int argc, char** argv);

// Writes a response in CGI form (Status line, headers, blank line, body).
std::string SerializeResponse(const Response& response);

}  // namespace heartbeat
