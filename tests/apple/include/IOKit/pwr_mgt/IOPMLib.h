// The part of IOKit's power management that the agent uses, as the macOS SDK declares it (see
// tests/apple/README.md).
#pragma once

#include <IOKit/IOKitLib.h>
#include <stdint.h>

extern "C" {

// IOKit/pwr_mgt/IOPMLib.h
io_connect_t IORegisterForSystemPower(void* refcon, IONotificationPortRef* thePortRef,
                                      IOServiceInterestCallback callback, io_object_t* notifier);
IOReturn IODeregisterForSystemPower(io_object_t* notifier);
IOReturn IOAllowPowerChange(io_connect_t kernelPort, intptr_t notificationID);
IOReturn IOCancelPowerChange(io_connect_t kernelPort, intptr_t notificationID);

}  // extern "C"
