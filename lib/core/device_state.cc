#include "device_state.h"

namespace heartbeat {

std::optional<DeviceState> ParseDeviceState(std::string_view text) {
  if (text == "active") return DeviceState::kActive;
  if (text == "idle") return DeviceState::kIdle;
  if (text == "offline") return DeviceState::kOffline;
  return std::nullopt;
}

const char* DeviceStateName(DeviceState state) {
  switch (state) {
    case DeviceState::kActive:
      return "active";
    case DeviceState::kIdle:
      return "idle";
    case DeviceState::kOffline:
      return "offline";
  }
  return "offline";
}

}  // namespace heartbeat
