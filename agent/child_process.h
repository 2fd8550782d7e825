// The one way the agent runs another program: idle_command's command, osascript, and setup's
// systemctl and launchctl. posix_spawn (Linux and macOS), the environment without the token.
#pragma once

#include <string>
#include <vector>

#include "result.h"

namespace heartbeat::agent {

// Where the child's standard output goes.
enum class ChildOutput {
  kInherit,  // the agent's own stdout and stderr, for the user to see
  kDiscard,  // stdout and stderr to /dev/null
  kCapture,  // stdout into ChildExit::output (the first kMaxChildOutput bytes), stderr inherited
};

constexpr size_t kMaxChildOutput = 4096;

struct ChildRun {
  std::vector<std::string> argv;  // argv[0] is looked up in PATH unless it holds a '/'
  ChildOutput output = ChildOutput::kInherit;
  // 0: wait for the exit however long it takes. Else the child runs in a process group of its
  // own, killed (SIGKILL) when it has not exited this long after the start, output closed or not.
  int timeout_s = 0;
};

struct ChildExit {
  bool timed_out = false;
  bool exited = false;  // by exit(), rather than a signal (or the timeout's kill)
  int exit_status = 0;  // when `exited`
  std::string output;   // with ChildOutput::kCapture
};

// Runs `run.argv` with stdin from /dev/null, the agent's environment less HEARTBEAT_TOKEN and
// SIGPIPE as by default; Unavailable when it cannot be started (no such program, no pipe).
Result<ChildExit> RunChild(const ChildRun& run);

}  // namespace heartbeat::agent
