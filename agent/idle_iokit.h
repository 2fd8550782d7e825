// The macOS idle source: IOKit's HIDIdleTime and the session's lock flag.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>

#include "idle.h"

namespace heartbeat::agent {

std::unique_ptr<IdleSource> MakeIokitIdleSource();  // nullptr off Apple platforms

// Whether the login session's screen is locked; nullopt when the process runs outside a
// graphical login session (cron, ssh), where macOS has no session to ask.
using SessionLockQuery = std::function<std::optional<bool>()>;

// The IOKit source's reading from its two queries: HIDIdleTime in nanoseconds and the session's
// lock flag. No session means the lock state is unknown, so the idle time alone decides (a cron
// job must not report "idle" while the owner types). Built everywhere, so that the rule is tested
// off a Mac.
IdleReading IokitReading(int64_t hid_idle_ns, const SessionLockQuery& session_locked);

}  // namespace heartbeat::agent
