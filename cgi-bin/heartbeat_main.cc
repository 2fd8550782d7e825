// heartbeat.fcgi: the authenticated write side. All logic is in lib/.
#include <cstdio>
#include <cstring>

#include "heartbeat_handler.h"
#include "server_program.h"
#include "token.h"

namespace {

// Prints a fresh token and the config line with its hash; the token is shown only here.
int PrintNewToken() {
  std::string token = heartbeat::NewToken();
  std::printf("%s\ntoken_sha256 = %s\n", token.c_str(),
              heartbeat::ToHex(heartbeat::HashToken(token)).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // This side hashes tokens and makes new ones: libsodium must be ready (and its random
  // source usable) before either. status.fcgi only parses hex, which needs no set-up.
  if (!heartbeat::InitCrypto()) {
    std::fprintf(stderr, "heartbeat.fcgi: cannot initialise libsodium\n");
    return 1;
  }
  // Under CGI the arguments are the query string's words (docs/protocol.md, "Programs").
  if (!heartbeat::StartedAsCgi() && argc == 2 && std::strcmp(argv[1], "--new-token") == 0) {
    return PrintNewToken();
  }
  const heartbeat::ServerProgram program = {
      "heartbeat.fcgi", "receives the agent's authenticated heartbeats (--new-token makes one)",
      heartbeat::HandleHeartbeat};
  return heartbeat::RunServerProgram(program, argc, argv);
}
