// The idle source that asks another program: idle_command.
#pragma once

#include <memory>
#include <string>

#include "idle.h"
#include "result.h"

namespace heartbeat::agent {

std::unique_ptr<IdleSource> MakeCommandIdleSource(const std::string& command);

// Runs `/bin/sh -c command` with stdin closed and the agent's environment less HEARTBEAT_TOKEN,
// and returns its standard output; Unavailable on a failure, a non-zero exit or when it has not
// ended `timeout_s` after the start, output closed or not (then its process group is killed).
Result<std::string> RunCommand(const std::string& command, int timeout_s);

}  // namespace heartbeat::agent
