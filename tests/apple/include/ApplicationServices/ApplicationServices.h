// The part of ApplicationServices (CoreGraphics) that the agent uses, as the macOS SDK declares
// it (see tests/apple/README.md).
#pragma once

#include <CoreFoundation/CoreFoundation.h>

extern "C" {

// CoreGraphics/CGSession.h: the current login session's dictionary, or NULL outside one.
CFDictionaryRef CGSessionCopyCurrentDictionary(void);

// CoreGraphics/CGWindow.h: the window list, front to back, and the keys of its dictionaries.
typedef uint32_t CGWindowID;
typedef uint32_t CGWindowListOption;
enum : CGWindowListOption {
  kCGWindowListOptionAll = 0,
  kCGWindowListOptionOnScreenOnly = (1 << 0),
  kCGWindowListOptionOnScreenAboveWindow = (1 << 1),
  kCGWindowListOptionOnScreenBelowWindow = (1 << 2),
  kCGWindowListOptionIncludingWindow = (1 << 3),
  kCGWindowListExcludeDesktopElements = (1 << 4),
};
#define kCGNullWindowID ((CGWindowID)0)
extern const CFStringRef kCGWindowLayer;
extern const CFStringRef kCGWindowOwnerName;
CFArrayRef CGWindowListCopyWindowInfo(CGWindowListOption option, CGWindowID relativeToWindow);

}  // extern "C"
