// The rule for a device's name, shared by the server (which checks it) and the agent (which
// makes one from the host name). It needs no JSON library, so the agent builds without one.
#pragma once

#include <cstddef>
#include <string_view>

namespace heartbeat {

constexpr size_t kMaxDeviceNameLength = 64;

// A-Z a-z 0-9 . _ -
bool IsDeviceNameCharacter(char c);

// 1 to kMaxDeviceNameLength device-name characters.
bool IsValidDeviceName(std::string_view name);

}  // namespace heartbeat
