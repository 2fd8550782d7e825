// The sleep watcher on logind's PrepareForSleep with a delay inhibitor (Linux).
#pragma once

#include <memory>

#include "result.h"
#include "sleep_watch.h"

namespace heartbeat::agent {

// Unavailable in builds without libsystemd.
Result<std::unique_ptr<SleepWatcher>> MakeLogindSleepWatcher();

}  // namespace heartbeat::agent
