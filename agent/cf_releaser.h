// macOS: releases a Core Foundation object at the end of a scope (idle_iokit.cc,
// activity_frontmost_mac.cc).
#pragma once

#include <CoreFoundation/CoreFoundation.h>

namespace heartbeat::agent {

struct CfReleaser {
  CFTypeRef object;
  ~CfReleaser() {
    if (object) CFRelease(object);
  }
};

}  // namespace heartbeat::agent
