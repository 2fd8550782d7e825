// The GNOME idle source: Mutter's idle monitor and GNOME Shell's screen lock, on the session bus.
#pragma once

#include <memory>

#include "idle.h"

namespace heartbeat::agent {

std::unique_ptr<IdleSource> MakeGnomeIdleSource();  // nullptr without sd-bus

}  // namespace heartbeat::agent
