#include "sleep_watch.h"

#include <time.h>
#include <unistd.h>

#include <algorithm>

#include "clock.h"
#include "sleep_iokit.h"
#include "sleep_logind.h"

namespace heartbeat::agent {
namespace {

class NoSleepWatcher final : public SleepWatcher {
 public:
  const char* name() const override { return "none"; }
  // Sleeps in short steps so that a signal is seen at once.
  PowerEvent Wait(long long ms, const volatile std::sig_atomic_t& stop) override {
    const long long until = MonotonicMs() + ms;
    while (!stop && MonotonicMs() < until) {
      long long step = std::min<long long>(until - MonotonicMs(), 100);
      if (step > 0) usleep(static_cast<useconds_t>(step * 1000));
    }
    return PowerEvent::kNone;
  }
  bool EventPending() override { return false; }
  void AllowSleep() override {}
};

}  // namespace

std::unique_ptr<SleepWatcher> MakeNoSleepWatcher() { return std::make_unique<NoSleepWatcher>(); }

Result<std::unique_ptr<SleepWatcher>> MakeSleepWatcher() {
#ifdef __APPLE__
  return MakeIokitSleepWatcher();
#else
  return MakeLogindSleepWatcher();
#endif
}

}  // namespace heartbeat::agent
