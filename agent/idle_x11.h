// The X11 idle source: the XScreenSaver extension.
#pragma once

#include <memory>

#include "idle.h"

namespace heartbeat::agent {

std::unique_ptr<IdleSource> MakeX11IdleSource();  // nullptr without X11 support

}  // namespace heartbeat::agent
