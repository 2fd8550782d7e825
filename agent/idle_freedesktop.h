// The org.freedesktop.ScreenSaver idle source (KDE Plasma on X11, and other desktops that
// answer its GetSessionIdleTime).
#pragma once

#include <memory>

#include "idle.h"

namespace heartbeat::agent {

std::unique_ptr<IdleSource> MakeFreedesktopIdleSource();  // nullptr without sd-bus

}  // namespace heartbeat::agent
