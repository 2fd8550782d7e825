// org.freedesktop.ScreenSaver: the idle time in milliseconds (as KDE's screen locker answers
// it) and whether the screen saver or lock is on. KDE Plasma on Wayland refuses
// GetSessionIdleTime (NotSupported): then this source cannot tell, and `auto` does not pick it.
#include "idle_freedesktop.h"

#ifdef HEARTBEAT_WITH_LOGIND
#include "bus_client.h"

namespace heartbeat::agent {
namespace {

constexpr BusMethod kGetSessionIdleTime = {"org.freedesktop.ScreenSaver",
                                           "/org/freedesktop/ScreenSaver",
                                           "org.freedesktop.ScreenSaver", "GetSessionIdleTime"};
constexpr BusMethod kGetActive = {"org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver",
                                  "org.freedesktop.ScreenSaver", "GetActive"};

class FreedesktopSource final : public IdleSource {
 public:
  const char* name() const override { return "freedesktop"; }
  Result<IdleReading> Read() override {
    auto idle_ms = bus_.Call(kGetSessionIdleTime, 'u');
    if (!idle_ms.ok()) return idle_ms.status();
    auto locked = bus_.Call(kGetActive, 'b');
    if (!locked.ok()) return locked.status();
    IdleReading reading;
    reading.idle_seconds = static_cast<double>(idle_ms.value()) / 1000.0;
    reading.locked = locked.value() != 0;
    return reading;
  }

 private:
  BusClient bus_{BusKind::kSession};
};

}  // namespace

std::unique_ptr<IdleSource> MakeFreedesktopIdleSource() {
  return std::make_unique<FreedesktopSource>();
}

}  // namespace heartbeat::agent

#else

namespace heartbeat::agent {
std::unique_ptr<IdleSource> MakeFreedesktopIdleSource() { return nullptr; }
}  // namespace heartbeat::agent

#endif
