// `heartbeat-agent setup` (agent/README.md): from a fresh download to a running agent in one
// command.
#pragma once

namespace heartbeat::agent {

// Asks for the URL and the token, writes agent.conf and the token file (0600), proves them with
// one post, then installs the agent to start at login (unless --no-install). Flags:
// --config FILE, --no-install, --service launchd|systemd (default: this platform's),
// --ca-file FILE (kept in agent.conf). Returns the exit code (agent/README.md, "setup").
int RunSetup(int argc, const char* const* argv);

}  // namespace heartbeat::agent
