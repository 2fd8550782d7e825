// The system power messages the agent answers, as the macOS SDK defines them (see
// tests/apple/README.md).
#pragma once

#include <IOKit/IOKitLib.h>

// mach/error.h
#define err_system(x) ((signed)((((unsigned)(x)) & 0x3f) << 26))
#define err_sub(x) (((x)&0xfff) << 14)
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
