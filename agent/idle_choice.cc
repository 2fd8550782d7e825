// Which idle source to ask: the one named, or for "auto" the one that fits this session
// (agent/README.md, "Where 'active' comes from").
#include <cstdlib>
#include <optional>
#include <string>

#include "idle.h"
#include "idle_command.h"
#include "idle_freedesktop.h"
#include "idle_gnome.h"
#include "idle_iokit.h"
#include "idle_logind.h"
#include "idle_x11.h"

namespace heartbeat::agent {

namespace {

constexpr const char* kIdleCommandAdvice =
    "set idle_command (agent/README.md shows one with swayidle, for sway, Hyprland, labwc and "
    "KDE Plasma)";

IdleChoice Chose(std::string source, std::string reason, std::string warning = "") {
  return IdleChoice{std::move(source), std::move(reason), std::move(warning)};
}

// The desktop sources in order, the first that answers; `tried` gathers why the others did not.
std::optional<IdleChoice> FirstDesktopSource(const IdleSession& session, const std::string& why,
                                             std::string* tried) {
  static const struct {
    const char* source;
    const char* service;
    const char* desktop;
  } kDesktops[] = {{"gnome", "org.gnome.Mutter.IdleMonitor", "GNOME"},
                   {"freedesktop", "org.freedesktop.ScreenSaver", "KDE and others"}};
  for (const auto& desktop : kDesktops) {
    Status answered =
        session.probe ? session.probe(desktop.source) : Status::Unavailable("not asked");
    if (answered.ok()) {
      return Chose(desktop.source, why + ", and " + desktop.service +
                                       " answered on the session bus (" + desktop.desktop + ")" +
                                       (tried->empty() ? "" : "; not " + *tried));
    }
    if (!tried->empty()) *tried += "; ";
    *tried += desktop.source + std::string(": ") + answered.message();
  }
  return std::nullopt;
}

}  // namespace

Result<IdleChoice> ChooseIdleSource(const std::string& idle_source, const IdleSession& session) {
  const bool wayland = session.session_type == "wayland" || !session.wayland_display.empty();
  const std::string wayland_why =
      session.session_type == "wayland"
          ? "a Wayland session (XDG_SESSION_TYPE=wayland)"
          : "a Wayland session (WAYLAND_DISPLAY=" + session.wayland_display + ")";
  if (idle_source != "auto") {
    IdleChoice named = Chose(idle_source, "idle_source = " + idle_source + " (flag or config)");
    if (idle_source == "x11" && wayland) {
      named.warning = "x11 in " + wayland_why +
                      ": XWayland's idle time misses input to Wayland windows, so you may be "
                      "shown away while at the keyboard";
    }
    return named;
  }
  if (session.idle_command) return Chose("command", "idle_command is set");
  if (session.iokit) return Chose("iokit", "a Mac: IOKit's HIDIdleTime");
  std::string tried;
  if (wayland) {
    if (auto desktop = FirstDesktopSource(session, wayland_why, &tried)) return *desktop;
    const std::string none =
        wayland_why + " with no desktop idle time on the session bus (" + tried + ")";
    if (!session.session_id.empty()) {
      return Chose("logind", none + ": logind's IdleHint for $XDG_SESSION_ID",
                   "no desktop idle time in this Wayland session, so logind decides, and its "
                   "IdleHint moves only if something sets it (swayidle's idlehint): " +
                       std::string(kIdleCommandAdvice));
    }
    return Status::Invalid(none + ", and no $XDG_SESSION_ID for logind: " + kIdleCommandAdvice +
                           ", or --idle-source none to report active whenever the agent runs");
  }
  if (!session.display.empty() && session.x11) {
    return Chose("x11", "DISPLAY=" + session.display + " in a session that is not Wayland" +
                            (session.session_type.empty()
                                 ? std::string(" (no XDG_SESSION_TYPE, no WAYLAND_DISPLAY)")
                                 : " (XDG_SESSION_TYPE=" + session.session_type + ")"));
  }
  if (!session.session_id.empty()) {
    return Chose("logind", "XDG_SESSION_ID=" + session.session_id + " and no $DISPLAY");
  }
  // A service started without the session's environment (a systemd user unit) may still
  // reach the desktop through $XDG_RUNTIME_DIR/bus.
  if (auto desktop = FirstDesktopSource(session,
                                        "no $DISPLAY, $WAYLAND_DISPLAY or "
                                        "$XDG_SESSION_ID",
                                        &tried)) {
    return *desktop;
  }
  return Status::Invalid(
      "no idle source found (no IOKit, no $DISPLAY, no $XDG_SESSION_ID, no desktop idle time on "
      "the session bus): set idle_command, or --idle-source none to report active whenever the "
      "agent runs");
}

namespace {

std::string Environment(const char* name) {
  const char* value = std::getenv(name);
  return value ? value : "";
}

// Asks a desktop source once, as the agent would at its first check.
Status ProbeDesktopSource(const std::string& source) {
  std::unique_ptr<IdleSource> made =
      source == "gnome" ? MakeGnomeIdleSource() : MakeFreedesktopIdleSource();
  if (!made) return Status::Unavailable("not built into this program");
  auto reading = made->Read();
  return reading.ok() ? Status::Ok() : reading.status();
}

}  // namespace

Result<std::unique_ptr<IdleSource>> MakeIdleSource(const AgentConfig& config) {
  IdleSession session;
  session.idle_command = !config.idle_command.empty();
  std::unique_ptr<IdleSource> iokit =
      config.idle_source == "auto" ? MakeIokitIdleSource() : nullptr;
  session.iokit = iokit != nullptr;
  session.x11 = MakeX11IdleSource() != nullptr;
  session.session_type = Environment("XDG_SESSION_TYPE");
  session.wayland_display = Environment("WAYLAND_DISPLAY");
  session.display = Environment("DISPLAY");
  session.session_id = Environment("XDG_SESSION_ID");
  session.probe = ProbeDesktopSource;
  auto choice = ChooseIdleSource(config.idle_source, session);
  if (!choice.ok()) return choice.status();
  const std::string& source = choice->source;
  std::unique_ptr<IdleSource> made;
  if (source == "command") made = MakeCommandIdleSource(config.idle_command);
  if (source == "logind") made = MakeLogindIdleSource(session.session_id);
  if (source == "x11") made = MakeX11IdleSource();
  if (source == "gnome") made = MakeGnomeIdleSource();
  if (source == "freedesktop") made = MakeFreedesktopIdleSource();
  if (source == "iokit") made = iokit ? std::move(iokit) : MakeIokitIdleSource();
  if (source == "none") made = MakeAlwaysActiveSource();
  if (!made) return Status::Invalid("idle source '" + source + "' is not built into this program");
  made->set_choice(std::move(choice).value());
  return made;
}

}  // namespace heartbeat::agent
