#include "cgi_server.h"

#include <unistd.h>

#include <cerrno>
#include <string>

#include "cgi_request.h"
#include "cgi_response.h"

extern char** environ;

namespace heartbeat {

int ServeCgi(RequestHandler& handler) {
  Request request = RequestFromVariables(environ);
  if (ExpectsBody(request)) {
    size_t wanted = BodyBytesWanted(request);
    request.body.resize(wanted);
    size_t have = 0;
    while (have < wanted) {
      ssize_t n = read(STDIN_FILENO, &request.body[have], wanted - have);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      have += static_cast<size_t>(n);
    }
    request.body.resize(have);
    FinishBody(&request);
  }
  std::string out = SerializeResponse(handler.Handle(request));
  size_t written = 0;
  while (written < out.size()) {
    ssize_t n = write(STDOUT_FILENO, out.data() + written, out.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 1;
    written += static_cast<size_t>(n);
  }
  return 0;
}

}  // namespace heartbeat
