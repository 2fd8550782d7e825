// The macOS idle source: IOKit's HIDIdleTime and the session's lock flag.
#pragma once

#include <memory>

#include "idle.h"

namespace heartbeat::agent {

std::unique_ptr<IdleSource> MakeIokitIdleSource();  // nullptr off Apple platforms

}  // namespace heartbeat::agent
