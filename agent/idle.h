// Is the owner at the computer? One small interface, one implementation per source
// (agent/README.md).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "agent_config.h"
#include "device_state.h"
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

// Which source to ask, and why: `heartbeat-agent idle` prints both.
struct IdleChoice {
  std::string source;   // an idle_source value other than "auto"
  std::string reason;   // why this one
  std::string warning;  // when it may be wrong here (logged at start)
};

class IdleSource {
 public:
  virtual ~IdleSource() = default;
  virtual const char* name() const = 0;
  // A cheap local query. Unavailable when the source cannot tell.
  virtual Result<IdleReading> Read() = 0;

  const IdleChoice& choice() const { return choice_; }
  void set_choice(IdleChoice choice) { choice_ = std::move(choice); }

 private:
  IdleChoice choice_;
};

// What "auto" looks at: the session's environment, what this program has, and a way to ask
// a desktop source ("gnome", "freedesktop") once: Ok when it answered.
struct IdleSession {
  bool idle_command = false;    // idle_command is set
  bool iokit = false;           // a Mac
  bool x11 = false;             // built with X11
  std::string session_type;     // $XDG_SESSION_TYPE
  std::string wayland_display;  // $WAYLAND_DISPLAY
  std::string display;          // $DISPLAY
  std::string session_id;       // $XDG_SESSION_ID
  std::function<Status(const std::string& source)> probe;
};

// `idle_source` as named, or for "auto", in order: idle_command if set; IOKit on a Mac; in a
// Wayland session ($XDG_SESSION_TYPE=wayland or $WAYLAND_DISPLAY set; never XScreenSaver,
// which under XWayland misses input to Wayland windows) GNOME's idle monitor, then
// org.freedesktop.ScreenSaver, each only if it answers, then logind with a warning that names
// idle_command; X11 when $DISPLAY is set; logind when $XDG_SESSION_ID is set; the desktop
// sources when nothing else fits. Invalid when none fits.
Result<IdleChoice> ChooseIdleSource(const std::string& idle_source, const IdleSession& session);

// The source ChooseIdleSource picks for this process (its environment, real probes), with its
// choice. Invalid when none fits or the named one is not built into this program.
Result<std::unique_ptr<IdleSource>> MakeIdleSource(const AgentConfig& config);

// The state to report: a locked screen, an unknown reading or idle time at or past the
// threshold is never "active".
DeviceState DecideState(const Result<IdleReading>& reading, int idle_threshold_s);

// Parses an idle_command's output: idle seconds (integer or decimal) on the first line,
// optionally followed by the word "locked".
Result<IdleReading> ParseIdleCommandOutput(std::string_view output);

// What logind's session says: IdleHint, IdleSinceHint (µs since the epoch, when IdleHint last
// changed) and LockedHint, at `now_us`.
IdleReading LogindReading(bool idle_hint, long long idle_since_us, bool locked_hint,
                          long long now_us);

// For --idle-source none. The other sources have a header each (idle_command.h, idle_x11.h,
// idle_iokit.h, idle_gnome.h, idle_freedesktop.h, idle_logind.h).
std::unique_ptr<IdleSource> MakeAlwaysActiveSource();

}  // namespace heartbeat::agent
