#include "sleep_watch.h"

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

std::unique_ptr<SleepWatcher> MakeNoSleepWatcher() { return std::make_unique<NoSleepWatcher>(); }

Result<std::unique_ptr<SleepWatcher>> MakeSleepWatcher() {
#ifdef __APPLE__
  return MakeIokitSleepWatcher();
#else
  return MakeLogindSleepWatcher();
#endif
}

}  // namespace heartbeat::agent
