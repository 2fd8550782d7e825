// org.freedesktop.ScreenSaver: the idle time in milliseconds (as KDE's screen locker answers
// it) and whether the screen saver or lock is on. KDE Plasma on Wayland refuses
// GetSessionIdleTime (NotSupported): then this source cannot tell, and `auto` does not pick it.
#include "idle_freedesktop.h"

#include "idle_desktop.h"

namespace heartbeat::agent {

std::unique_ptr<IdleSource> MakeFreedesktopIdleSource() {
  static constexpr DesktopIdleService kScreenSaver = {
      "freedesktop",
      {"org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver",
       "GetSessionIdleTime"},
      'u',
      {"org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver",
       "GetActive"}};
  return MakeDesktopIdleSource(kScreenSaver);
}

}  // namespace heartbeat::agent
