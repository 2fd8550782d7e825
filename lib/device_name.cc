// The device-name rule on its own, without JSON, so that the agent can share it and still build
// with nothing but a compiler and libcurl (macOS has no JSON library installed).
#include "heartbeat_body.h"

namespace heartbeat {
namespace {

constexpr size_t kMaxDeviceNameLength = 64;

}  // namespace

bool IsValidDeviceName(std::string_view name) {
  if (name.empty() || name.size() > kMaxDeviceNameLength) return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

}  // namespace heartbeat
