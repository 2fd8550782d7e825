// The logind idle source: the session's IdleHint, IdleSinceHint and LockedHint.
#pragma once

#include <memory>
#include <string>

#include "idle.h"

namespace heartbeat::agent {

// For the session `session_id` ($XDG_SESSION_ID); nullptr without sd-bus.
std::unique_ptr<IdleSource> MakeLogindIdleSource(const std::string& session_id);

}  // namespace heartbeat::agent
