// The system power messages the agent answers, as the macOS SDK defines them (see
// tests/apple/README.md).
#pragma once

#include <IOKit/IOKitLib.h>

// err_system and err_sub: Apple's own mach/error.h, which IOKit/IOReturn.h includes.
#include <mach/error.h>

// IOKit/IOReturn.h
#define sys_iokit err_system(0x38)
#define sub_iokit_common err_sub(0)
// IOKit/IOMessage.h
#define iokit_common_msg(message) (UInt32)(sys_iokit | sub_iokit_common | message)
#define kIOMessageCanSystemSleep iokit_common_msg(0x270)
#define kIOMessageSystemWillSleep iokit_common_msg(0x280)
#define kIOMessageSystemWillNotSleep iokit_common_msg(0x290)
#define kIOMessageSystemHasPoweredOn iokit_common_msg(0x300)
#define kIOMessageSystemWillPowerOn iokit_common_msg(0x320)
