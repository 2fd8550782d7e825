// Where the agent's loop and its retries read the time and wait. The real one is the system's
// monotonic clock and real waits, cut short by a stop request; tests give the agent one that
// advances a fake clock instead, so that an hour of `run` passes in a moment.
#pragma once

#include <csignal>
#include <cstdint>

#include "sleep_watch.h"

namespace heartbeat::agent {

class Waiter {
 public:
  virtual ~Waiter() = default;
  // Milliseconds on a clock that never jumps: intervals, backoff and budgets.
  virtual int64_t NowMs() const = 0;
  // Waits `ms`, less once `*stop` is set when `stop` is given: a retry's pause.
  virtual void Sleep(int64_t ms, const volatile std::sig_atomic_t* stop) = 0;
  // Waits up to `ms` for `watcher`'s next event, kNone at once when `stop` is set: between
  // checks.
  virtual PowerEvent Wait(SleepWatcher& watcher, int64_t ms,
                          const volatile std::sig_atomic_t& stop) = 0;
};

// MonotonicMs, SleepInSteps and the watcher's own Wait.
Waiter& SystemWaiter();

// Sleeps `ms` in steps of at most 100 ms, so that a signal's `*stop` is seen at once.
void SleepInSteps(int64_t ms, const volatile std::sig_atomic_t* stop);

}  // namespace heartbeat::agent
