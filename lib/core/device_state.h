// A device's state as a heartbeat names it (docs/protocol.md, "heartbeat.fcgi"): the words the
// agent sends and the server reads, so both sides share them here. What the server makes of
// the states (online, away, offline) is its own: lib/app/presence.h.
#pragma once

#include <optional>
#include <string_view>

namespace heartbeat {

enum class DeviceState { kActive, kIdle, kOffline };

// Parses "active" / "idle" / "offline".
std::optional<DeviceState> ParseDeviceState(std::string_view text);
const char* DeviceStateName(DeviceState state);

}  // namespace heartbeat
