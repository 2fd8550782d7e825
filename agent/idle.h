// Is the owner at the computer? One small interface, one implementation per source
// (agent/README.md).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "agent_config.h"
#include "presence.h"
#include "result.h"

namespace heartbeat::agent {

struct IdleReading {
  double idle_seconds = 0;  // since the last keyboard or mouse input
  bool locked = false;      // screen locked, screen saver on, or asleep
  // False when the source cannot see the screen (macOS outside a login session: cron, ssh);
  // `locked` is then false and the idle time alone decides.
  bool lock_known = true;
};

// "yes", "no" or "unknown", as `heartbeat-agent idle` prints it.
inline const char* LockedWord(const IdleReading& reading) {
  return !reading.lock_known ? "unknown" : reading.locked ? "yes" : "no";
}

class IdleSource {
 public:
  virtual ~IdleSource() = default;
  virtual const char* name() const = 0;
  // A cheap local query. Unavailable when the source cannot tell.
  virtual Result<IdleReading> Read() = 0;
};

// The source that `config.idle_source` names; "auto" picks: idle_command if set, IOKit on a
// Mac, X11 when $DISPLAY is set, logind when $XDG_SESSION_ID is set. Invalid when none fits
// or the named one is not built into this program.
Result<std::unique_ptr<IdleSource>> MakeIdleSource(const AgentConfig& config);

// The state to report: a locked screen, an unknown reading or idle time at or past the
// threshold is never "active".
DeviceState DecideState(const Result<IdleReading>& reading, int idle_threshold_s);

// Parses an idle_command's output: idle seconds (integer or decimal) on the first line,
// optionally followed by the word "locked".
Result<IdleReading> ParseIdleCommandOutput(std::string_view output);

// Parses `loginctl show-session` output (IdleHint, IdleSinceHint in µs, LockedHint), with the
// current time in µs since the epoch.
Result<IdleReading> ParseLoginctlOutput(std::string_view output, long long now_us);

// For --idle-source none. The other sources have a header each (idle_command.h, idle_x11.h,
// idle_iokit.h).
std::unique_ptr<IdleSource> MakeAlwaysActiveSource();

}  // namespace heartbeat::agent
