// What `heartbeat-agent setup` installs so that the agent starts at login (agent/README.md):
// a launchd LaunchAgent on macOS, a systemd user unit on Linux, and the files' small helpers.
#pragma once

#include <string>
#include <vector>

#include "result.h"

namespace heartbeat::agent {

// One line of what setup says, on stderr. It holds text from the server (curl's errors) and the
// owner's paths: never raw, always through TerminalText.
void Say(const std::string& text);

enum class FileChange { kUnchanged, kCreated, kChanged };

// Writes `content` to `path` with `mode` unless the file already holds exactly that with that
// mode; replaced through a new file and rename(), so a reader never sees half a file. Missing
// folders are made, mode 0700.
Result<FileChange> WriteFileIfDifferent(const std::string& path, const std::string& content,
                                        int mode);

// Runs `argv` (RunChild: found in PATH, the environment less HEARTBEAT_TOKEN) with the output
// shown to the user (or dropped when `quiet`); returns its exit status (127 when it cannot be
// started, 128 when a signal ended it).
int RunProgram(const std::vector<std::string>& argv, bool quiet = false);

// The launchd job and the systemd unit for `run` of `program` with `config`, absolute paths.
constexpr const char* kLaunchdLabel = "local.heartbeat-agent";
constexpr const char* kSystemdUnit = "heartbeat-agent.service";
std::string LaunchAgentPlist(const std::string& program, const std::string& config,
                             const std::string& log_file);
std::string SystemdUserUnit(const std::string& program, const std::string& config);

struct InstallPlan {
  std::string service;            // "launchd" or "systemd"
  std::string home;               // $HOME
  std::string config_home;        // $XDG_CONFIG_HOME or $HOME/.config (systemd's user unit folder)
  std::string program;            // the running agent, copied to home/.local/bin
  std::string config;             // agent.conf, absolute
  bool settings_changed = false;  // agent.conf or the token file was written just now
  unsigned uid = 0;
};

// Copies the agent to ~/.local/bin, writes the plist or unit, and runs the service manager's
// commands for what changed (agent/README.md, "setup"). Each step is said on stderr. Invalid
// when a file cannot be written, Unavailable when the service manager fails.
Status InstallService(const InstallPlan& plan);

}  // namespace heartbeat::agent
