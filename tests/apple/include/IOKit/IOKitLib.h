// The part of IOKit that the agent uses, as the macOS SDK declares it (see
// tests/apple/README.md). Each block names the SDK header it stands for.
#pragma once

#include <CoreFoundation/CoreFoundation.h>
// kern_return_t, mach_port_t and MACH_PORT_NULL: Apple's own mach headers, which IOKit/IOTypes.h
// includes.
#include <mach/kern_return.h>
#include <mach/port.h>
#include <stdint.h>

extern "C" {

// IOKit/IOTypes.h, IOKit/IOReturn.h
typedef mach_port_t io_object_t;
typedef io_object_t io_connect_t;
typedef io_object_t io_registry_entry_t;
typedef io_object_t io_service_t;
typedef UInt32 IOOptionBits;
typedef kern_return_t IOReturn;

// IOKit/IOKitLib.h
typedef struct IONotificationPort* IONotificationPortRef;
typedef void (*IOServiceInterestCallback)(void* refcon, io_service_t service, uint32_t messageType,
                                          void* messageArgument);
kern_return_t IOObjectRelease(io_object_t object);
io_service_t IOServiceGetMatchingService(mach_port_t mainPort, CFDictionaryRef matching);
CFMutableDictionaryRef IOServiceMatching(const char* name);
CFTypeRef IORegistryEntryCreateCFProperty(io_registry_entry_t entry, CFStringRef key,
                                          CFAllocatorRef allocator, IOOptionBits options);
kern_return_t IOServiceClose(io_connect_t connect);
CFRunLoopSourceRef IONotificationPortGetRunLoopSource(IONotificationPortRef notify);
void IONotificationPortDestroy(IONotificationPortRef notify);

}  // extern "C"
