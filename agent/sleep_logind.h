// The sleep watcher on logind's PrepareForSleep with a delay inhibitor (Linux).
#pragma once

#include <memory>

#include "result.h"
#include "sleep_watch.h"

namespace heartbeat::agent {

// Defined only on builds with HEARTBEAT_WITH_LOGIND (libsystemd); Unavailable when the power
// manager cannot be reached.
Result<std::unique_ptr<SleepWatcher>> MakeLogindSleepWatcher();

}  // namespace heartbeat::agent
