// GNOME (Wayland or X11): Mutter counts every input the compositor sees, native Wayland windows
// included, which XWayland's XScreenSaver never hears of.
#include "idle_gnome.h"

#ifdef HEARTBEAT_WITH_LOGIND
#include "bus_client.h"

namespace heartbeat::agent {
namespace {

constexpr BusMethod kGetIdletime = {"org.gnome.Mutter.IdleMonitor",
                                    "/org/gnome/Mutter/IdleMonitor/Core",
                                    "org.gnome.Mutter.IdleMonitor", "GetIdletime"};
constexpr BusMethod kGetActive = {"org.gnome.ScreenSaver", "/org/gnome/ScreenSaver",
                                  "org.gnome.ScreenSaver", "GetActive"};

class GnomeSource final : public IdleSource {
 public:
  const char* name() const override { return "gnome"; }
  Result<IdleReading> Read() override {
    auto idle_ms = bus_.Call(kGetIdletime, 't');
    if (!idle_ms.ok()) return idle_ms.status();
    // Without the lock state the answer could be a false "active" behind a locked screen.
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

std::unique_ptr<IdleSource> MakeGnomeIdleSource() { return std::make_unique<GnomeSource>(); }

}  // namespace heartbeat::agent

#else

namespace heartbeat::agent {
std::unique_ptr<IdleSource> MakeGnomeIdleSource() { return nullptr; }
}  // namespace heartbeat::agent

#endif
