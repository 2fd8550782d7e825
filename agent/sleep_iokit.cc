// macOS: IOKit's system power notifications. On kIOMessageSystemWillSleep the machine waits
// (up to 30 s, Apple's limit) until IOAllowPowerChange, which the agent calls once "offline" is
// posted; kIOMessageCanSystemSleep is allowed at once. The notifications arrive on this thread's
// run loop, which Wait() runs, so that everything stays on the agent's one thread.
#include "sleep_iokit.h"

#include "clock.h"

#ifdef __APPLE__
#include <CoreFoundation/CoreFoundation.h>
#include <IOKit/IOKitLib.h>
#include <IOKit/IOMessage.h>
#include <IOKit/pwr_mgt/IOPMLib.h>
#include <time.h>

#include <algorithm>
#include <cstdint>
#include <deque>

namespace heartbeat::agent {
namespace {

class IokitSleepWatcher final : public SleepWatcher {
 public:
  ~IokitSleepWatcher() override {
    if (holding_) IOAllowPowerChange(root_port_, sleep_id_);
    if (port_) {
      CFRunLoopRemoveSource(CFRunLoopGetCurrent(), IONotificationPortGetRunLoopSource(port_),
                            kCFRunLoopDefaultMode);
    }
    if (notifier_) IODeregisterForSystemPower(&notifier_);
    if (root_port_) IOServiceClose(root_port_);
    if (port_) IONotificationPortDestroy(port_);
  }
  const char* name() const override { return "iokit"; }

  Status Start() {
    root_port_ = IORegisterForSystemPower(this, &port_, &IokitSleepWatcher::OnPower, &notifier_);
    if (!root_port_) return Status::Unavailable("IORegisterForSystemPower failed");
    CFRunLoopAddSource(CFRunLoopGetCurrent(), IONotificationPortGetRunLoopSource(port_),
                       kCFRunLoopDefaultMode);
    return Status::Ok();
  }

  PowerEvent Wait(long long ms, const volatile std::sig_atomic_t& stop) override {
    const long long until = MonotonicMs() + ms;
    while (!stop) {
      if (!events_.empty()) {
        PowerEvent event = events_.front();
        events_.pop_front();
        return event;
      }
      const long long left = until - MonotonicMs();
      if (left <= 0) break;
      // Short steps, so that a signal's flag is seen soon; notifications end a step at once.
      CFRunLoopRunInMode(kCFRunLoopDefaultMode,
                         static_cast<double>(std::min<long long>(left, 100)) / 1000.0, true);
    }
    return PowerEvent::kNone;
  }

  bool EventPending() override {
    if (events_.empty()) CFRunLoopRunInMode(kCFRunLoopDefaultMode, 0, true);
    return !events_.empty();
  }

  void AllowSleep() override {
    if (!holding_) return;
    holding_ = false;
    IOAllowPowerChange(root_port_, sleep_id_);
  }

 private:
  static void OnPower(void* refcon, io_service_t, uint32_t message_type, void* argument) {
    auto* self = static_cast<IokitSleepWatcher*>(refcon);
    const intptr_t id = reinterpret_cast<intptr_t>(argument);
    switch (message_type) {
      case kIOMessageCanSystemSleep:  // idle sleep may begin: no objection
        IOAllowPowerChange(self->root_port_, id);
        break;
      case kIOMessageSystemWillSleep:  // held until AllowSleep()
        self->sleep_id_ = id;
        self->holding_ = true;
        self->events_.push_back(PowerEvent::kWillSleep);
        break;
      case kIOMessageSystemHasPoweredOn:
        self->events_.push_back(PowerEvent::kHasWoken);
        break;
      default:
        break;
    }
  }

  io_connect_t root_port_ = 0;
  IONotificationPortRef port_ = nullptr;
  io_object_t notifier_ = 0;
  intptr_t sleep_id_ = 0;
  bool holding_ = false;
  std::deque<PowerEvent> events_;
};

}  // namespace

Result<std::unique_ptr<SleepWatcher>> MakeIokitSleepWatcher() {
  return Started(std::make_unique<IokitSleepWatcher>());
}

}  // namespace heartbeat::agent

#else

namespace heartbeat::agent {
Result<std::unique_ptr<SleepWatcher>> MakeIokitSleepWatcher() {
  return Status::Unavailable("IOKit is only on Apple platforms");
}
}  // namespace heartbeat::agent

#endif
