// The sleep watcher on IOKit's system power notifications (macOS).
#pragma once

#include <memory>

#include "result.h"
#include "sleep_watch.h"

namespace heartbeat::agent {

// Defined only on Apple platforms; Unavailable when the power manager cannot be reached.
Result<std::unique_ptr<SleepWatcher>> MakeIokitSleepWatcher();

}  // namespace heartbeat::agent
