#include "device_name.h"

namespace heartbeat {

bool IsDeviceNameCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}

bool IsValidDeviceName(std::string_view name) {
  if (name.empty() || name.size() > kMaxDeviceNameLength) return false;
  for (char c : name) {
    if (!IsDeviceNameCharacter(c)) return false;
  }
  return true;
}

}  // namespace heartbeat
