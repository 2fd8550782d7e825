#include "sleep_watch.h"

#include <algorithm>

#include "clock.h"
#include "sleep_iokit.h"
#include "sleep_logind.h"
#include "waiter.h"

namespace heartbeat::agent {
namespace {

class NoSleepWatcher final : public SleepWatcher {
 public:
  const char* name() const override { return "none"; }
  PowerEvent Wait(long long ms, const volatile std::sig_atomic_t& stop) override {
    SleepInSteps(ms, &stop);
    return PowerEvent::kNone;
  }
  bool EventPending() override { return false; }
  void AllowSleep() override {}
};

}  // namespace

PowerEvent QueuedSleepWatcher::Wait(long long ms, const volatile std::sig_atomic_t& stop) {
  const long long until = MonotonicMs() + ms;
  while (!stop) {
    if (!events_.empty()) {
      PowerEvent event = events_.front();
      events_.pop_front();
      HandingOut(event);
      return event;
    }
    const long long left = until - MonotonicMs();
    if (left <= 0) break;
    Pump(std::min<long long>(left, 100));
  }
  return PowerEvent::kNone;
}

std::unique_ptr<SleepWatcher> MakeNoSleepWatcher() { return std::make_unique<NoSleepWatcher>(); }

Result<std::unique_ptr<SleepWatcher>> MakeSleepWatcher() {
#if defined(__APPLE__)
  return MakeIokitSleepWatcher();
#elif defined(HEARTBEAT_WITH_LOGIND)
  return MakeLogindSleepWatcher();
#else
  return Status::Unavailable("built without logind support (libsystemd)");
#endif
}

}  // namespace heartbeat::agent
