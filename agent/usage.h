// The agent's help: the usage of the whole program and of each command, and which of them a
// command line asks for. `--help` works everywhere: `heartbeat-agent --help`,
// `heartbeat-agent help [COMMAND]` and `heartbeat-agent COMMAND --help`.
#pragma once

#include <optional>
#include <string>

#include "result.h"

namespace heartbeat::agent {

// The usage that `argv` asks for, or nullopt when it asks for none (then the command runs).
// `help` with a word that is no command is Invalid, naming the word.
std::optional<Result<std::string>> HelpFor(int argc, const char* const* argv);

}  // namespace heartbeat::agent
