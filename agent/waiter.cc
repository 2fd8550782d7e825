#include "waiter.h"

#include <unistd.h>

#include <algorithm>

#include "clock.h"

namespace heartbeat::agent {
namespace {

class RealWaiter final : public Waiter {
 public:
  int64_t NowMs() const override { return MonotonicMs(); }
  void Sleep(int64_t ms, const volatile std::sig_atomic_t* stop) override {
    SleepInSteps(ms, stop);
  }
  PowerEvent Wait(SleepWatcher& watcher, int64_t ms,
                  const volatile std::sig_atomic_t& stop) override {
    return watcher.Wait(ms, stop);
  }
};

}  // namespace

Waiter& SystemWaiter() {
  static RealWaiter waiter;
  return waiter;
}

void SleepInSteps(int64_t ms, const volatile std::sig_atomic_t* stop) {
  const int64_t until = MonotonicMs() + ms;
  while ((!stop || !*stop) && MonotonicMs() < until) {
    int64_t step = std::min<int64_t>(until - MonotonicMs(), 100);
    if (step > 0) usleep(static_cast<useconds_t>(step * 1000));
  }
}

}  // namespace heartbeat::agent
