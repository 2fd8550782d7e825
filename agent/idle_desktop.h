// An idle source that asks the desktop over the session bus: the idle time in milliseconds and
// whether the screen is locked, each from one method without arguments. GNOME and the
// freedesktop.org screen saver (KDE and others) differ only in the names (idle_gnome.cc,
// idle_freedesktop.cc).
#pragma once

#include <memory>

#include "bus_client.h"
#include "idle.h"

namespace heartbeat::agent {

struct DesktopIdleService {
  const char* name;         // the idle_source value
  BusMethod idle_time;      // answers milliseconds since the last input
  char idle_type;           // its D-Bus type: 't' or 'u'
  BusMethod screen_locked;  // answers whether the lock or screen saver is on ('b')
};

// A read fails (Unavailable) when either method does not answer: without the lock state an
// idle time could be a false "active" behind a locked screen. nullptr without sd-bus.
std::unique_ptr<IdleSource> MakeDesktopIdleSource(const DesktopIdleService& service);

}  // namespace heartbeat::agent
