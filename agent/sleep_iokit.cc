// macOS: IOKit's system power notifications. On kIOMessageSystemWillSleep the machine waits
// (up to 30 s, Apple's limit) until IOAllowPowerChange, which the agent calls once "offline" is
// posted; kIOMessageCanSystemSleep is allowed at once. The notifications arrive on this thread's
// run loop, which Wait() runs, so that everything stays on the agent's one thread.
#include "sleep_iokit.h"

#ifdef __APPLE__
#include <CoreFoundation/CoreFoundation.h>
#include <IOKit/IOKitLib.h>
#include <IOKit/IOMessage.h>
#include <IOKit/pwr_mgt/IOPMLib.h>

#include <cstdint>

namespace heartbeat::agent {
namespace {

class IokitSleepWatcher final : public QueuedSleepWatcher {
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

  bool EventPending() override {
    if (!HasQueued()) CFRunLoopRunInMode(kCFRunLoopDefaultMode, 0, true);
    return HasQueued();
  }
  void AllowSleep() override {
    if (!holding_) return;
    holding_ = false;
    IOAllowPowerChange(root_port_, sleep_id_);
  }

 private:
  // Notifications end a step at once.
  void Pump(long long step_ms) override {
    CFRunLoopRunInMode(kCFRunLoopDefaultMode, static_cast<double>(step_ms) / 1000.0, true);
  }

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
        self->Queue(PowerEvent::kWillSleep);
        break;
      case kIOMessageSystemHasPoweredOn:
        self->Queue(PowerEvent::kHasWoken);
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
};

}  // namespace

Result<std::unique_ptr<SleepWatcher>> MakeIokitSleepWatcher() {
  return Started(std::make_unique<IokitSleepWatcher>());
}

}  // namespace heartbeat::agent

#endif
