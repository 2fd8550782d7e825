// heartbeat.fcgi: the authenticated write side. All logic is in lib/.
#include <cstdio>
#include <cstring>

#include "fcgi_frontend.h"
#include "handlers.h"
#include "token.h"

namespace {

// Prints a fresh token and the config line with its hash; the token is shown only here.
int PrintNewToken() {
  if (!heartbeat::InitCrypto()) {
    std::fprintf(stderr, "heartbeat.fcgi: cannot initialise libsodium\n");
    return 1;
  }
  std::string token = heartbeat::NewToken();
  std::printf("%s\ntoken_sha256 = %s\n", token.c_str(),
              heartbeat::ToHex(heartbeat::HashToken(token)).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (!heartbeat::StartedAsCgi() && argc == 2 && std::strcmp(argv[1], "--new-token") == 0) {
    return PrintNewToken();
  }
  // Only the write side hashes tokens, so only it links and initialises libsodium.
  if (!heartbeat::InitCrypto()) {
    std::fprintf(stderr, "heartbeat.fcgi: cannot initialise libsodium\n");
    return 1;
  }
  const heartbeat::ServerProgram program = {
      "heartbeat.fcgi", "receives the agent's authenticated heartbeats (--new-token makes one)",
      heartbeat::HandleHeartbeat};
  return heartbeat::RunServerProgram(program, argc, argv);
}
