// The command line of the two programs (docs/protocol.md, "Programs"); `--help` prints it.
#pragma once

#include <string>

#include "result.h"
#include "services.h"

namespace heartbeat {

struct ProgramOptions {
  enum class Action { kServe, kHelp, kVersion };
  Action action = Action::kServe;
  const char* listen = nullptr;  // --listen ADDR; null: the socket on fd 0, or CGI
  int processes = 1;             // --processes N
  ConfigPolicy config_policy;    // --config-dir DIR, and whether a request may name the config
};

// Parses argv[1..argc). Invalid, with the message to print after the program's name, on an
// unknown argument or a bad value.
Result<ProgramOptions> ParseProgramOptions(int argc, char** argv);

// The --help text.
std::string HelpText(const char* program_name, const char* summary);

}  // namespace heartbeat
