// macOS: IOKit's HIDIdleTime (nanoseconds since the last keyboard or mouse input), and the
// session dictionary's lock flag. The source itself exists only on Apple platforms; the rule that
// joins the two queries is built everywhere.
#include "idle_iokit.h"

namespace heartbeat::agent {

IdleReading IokitReading(int64_t hid_idle_ns, const SessionLockQuery& session_locked) {
  IdleReading reading;
  reading.idle_seconds = static_cast<double>(hid_idle_ns) / 1e9;
  const std::optional<bool> locked = session_locked();
  reading.lock_known = locked.has_value();
  reading.locked = locked.value_or(false);
  return reading;
}

}  // namespace heartbeat::agent

#ifdef __APPLE__
#include <ApplicationServices/ApplicationServices.h>
#include <CoreFoundation/CoreFoundation.h>
#include <IOKit/IOKitLib.h>

#include "cf_releaser.h"

namespace heartbeat::agent {
namespace {

// The session of the screen this process belongs to. CGSessionCopyCurrentDictionary returns NULL
// outside a graphical login session: a job that cron or sshd started has none, even while the
// owner is logged in at the screen (launchd's LaunchAgents run inside the session).
std::optional<bool> SessionScreenLocked() {
  CFDictionaryRef session = CGSessionCopyCurrentDictionary();
  if (!session) return std::nullopt;
  CfReleaser release{session};
  CFTypeRef locked = CFDictionaryGetValue(session, CFSTR("CGSSessionScreenIsLocked"));
  return locked && CFGetTypeID(locked) == CFBooleanGetTypeID() &&
         CFBooleanGetValue(static_cast<CFBooleanRef>(locked));
}

class IokitSource final : public IdleSource {
 public:
  const char* name() const override { return "iokit"; }
  Result<IdleReading> Read() override {
    // MACH_PORT_NULL is the default main port (kIOMainPortDefault from macOS 12 on).
    io_service_t service =
        IOServiceGetMatchingService(MACH_PORT_NULL, IOServiceMatching("IOHIDSystem"));
    if (!service) return Status::Unavailable("no IOHIDSystem service");
    CFTypeRef property =
        IORegistryEntryCreateCFProperty(service, CFSTR("HIDIdleTime"), kCFAllocatorDefault, 0);
    IOObjectRelease(service);
    if (!property) return Status::Unavailable("no HIDIdleTime");
    CfReleaser release{property};
    int64_t nanoseconds = 0;
    if (CFGetTypeID(property) != CFNumberGetTypeID() ||
        !CFNumberGetValue(static_cast<CFNumberRef>(property), kCFNumberSInt64Type, &nanoseconds)) {
      return Status::Unavailable("HIDIdleTime is not a number");
    }
    return IokitReading(nanoseconds, SessionScreenLocked);
  }
};

}  // namespace

std::unique_ptr<IdleSource> MakeIokitIdleSource() { return std::make_unique<IokitSource>(); }

}  // namespace heartbeat::agent

#else

namespace heartbeat::agent {
std::unique_ptr<IdleSource> MakeIokitIdleSource() { return nullptr; }
}  // namespace heartbeat::agent

#endif
