// GNOME (Wayland or X11): Mutter counts every input the compositor sees, native Wayland windows
// included, which XWayland's XScreenSaver never hears of.
#include "idle_gnome.h"

#include "idle_desktop.h"

namespace heartbeat::agent {

std::unique_ptr<IdleSource> MakeGnomeIdleSource() {
  static constexpr DesktopIdleService kGnome = {
      "gnome",
      {"org.gnome.Mutter.IdleMonitor", "/org/gnome/Mutter/IdleMonitor/Core",
       "org.gnome.Mutter.IdleMonitor", "GetIdletime"},
      't',
      {"org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver", "GetActive"}};
  return MakeDesktopIdleSource(kGnome);
}

}  // namespace heartbeat::agent
