#include "idle_desktop.h"

namespace heartbeat::agent {

#ifdef HEARTBEAT_WITH_LOGIND
namespace {

class DesktopSource final : public IdleSource {
 public:
  explicit DesktopSource(const DesktopIdleService& service) : service_(service) {}
  const char* name() const override { return service_.name; }
  Result<IdleReading> Read() override {
    auto idle_ms = bus_.Call(service_.idle_time, service_.idle_type);
    if (!idle_ms.ok()) return idle_ms.status();
    auto locked = bus_.Call(service_.screen_locked, 'b');
    if (!locked.ok()) return locked.status();
    IdleReading reading;
    reading.idle_seconds = static_cast<double>(idle_ms.value()) / 1000.0;
    reading.locked = locked.value() != 0;
    return reading;
  }

 private:
  const DesktopIdleService service_;
  BusClient bus_{BusKind::kSession};
};

}  // namespace

std::unique_ptr<IdleSource> MakeDesktopIdleSource(const DesktopIdleService& service) {
  return std::make_unique<DesktopSource>(service);
}
#else
std::unique_ptr<IdleSource> MakeDesktopIdleSource(const DesktopIdleService&) { return nullptr; }
#endif

}  // namespace heartbeat::agent
