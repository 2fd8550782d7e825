// Is the machine about to sleep, or awake again? One small interface beside the idle sources,
// one implementation per power manager (agent/README.md, "Sleep"): IOKit's system power
// notifications on macOS, logind's PrepareForSleep with a delay inhibitor on Linux.
#pragma once

#include <csignal>
#include <deque>
#include <memory>
#include <utility>

#include "result.h"

namespace heartbeat::agent {

enum class PowerEvent {
  kNone,       // nothing happened within the wait
  kWillSleep,  // the machine sleeps once AllowSleep() is called (or the power manager stops
               // waiting)
  kHasWoken,   // the machine is awake again
};

class SleepWatcher {
 public:
  virtual ~SleepWatcher() = default;
  virtual const char* name() const = 0;
  // Waits up to `ms` for the next event; returns kNone at once when `stop` is set.
  virtual PowerEvent Wait(long long ms, const volatile std::sig_atomic_t& stop) = 0;
  // Without waiting: is an event there for the next Wait()? (Asked during a post.)
  virtual bool EventPending() = 0;
  // After kWillSleep, once "offline" is posted or given up on: lets the machine sleep.
  virtual void AllowSleep() = 0;
};

// The platform's watcher: IOKit on Apple platforms, logind on Linux builds with libsystemd.
// Unavailable with the reason when the power manager cannot be reached (no logind on the system
// bus, say); the agent then runs without one and says so.
Result<std::unique_ptr<SleepWatcher>> MakeSleepWatcher();

// Waits and never sees an event.
std::unique_ptr<SleepWatcher> MakeNoSleepWatcher();

// What the platforms' watchers share: their callbacks queue the power manager's notices, and
// Wait hands them out one at a time, running the platform's event source in steps of at most
// 100 ms in between, so that a signal's flag is seen soon.
class QueuedSleepWatcher : public SleepWatcher {
 public:
  PowerEvent Wait(long long ms, const volatile std::sig_atomic_t& stop) final;

 protected:
  // Runs the platform's event source for at most `step_ms`; a notice ends it early.
  virtual void Pump(long long step_ms) = 0;
  // Told of each event as Wait hands it out.
  virtual void HandingOut(PowerEvent) {}
  void Queue(PowerEvent event) { events_.push_back(event); }
  bool HasQueued() const { return !events_.empty(); }

 private:
  std::deque<PowerEvent> events_;
};

// A watcher of one of the platforms' kinds (sleep_iokit.h, sleep_logind.h) once its Start()
// worked, or why it did not.
template <typename Watcher>
Result<std::unique_ptr<SleepWatcher>> Started(std::unique_ptr<Watcher> watcher) {
  Status started = watcher->Start();
  if (!started.ok()) return started;
  return std::unique_ptr<SleepWatcher>(std::move(watcher));
}

}  // namespace heartbeat::agent
