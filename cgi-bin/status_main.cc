// status.fcgi: the public read side. All logic is in lib/.
#include "server_program.h"
#include "status_handler.h"

int main(int argc, char** argv) {
  const heartbeat::ServerProgram program = {
      "status.fcgi", "tells visitors whether the owner is online", heartbeat::HandleStatus};
  return heartbeat::RunServerProgram(program, argc, argv);
}
