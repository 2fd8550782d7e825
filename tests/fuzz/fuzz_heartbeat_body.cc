// What a heartbeat POST carries: the JSON body, Content-Type and Authorization.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "heartbeat_body.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = heartbeat::ParseHeartbeatBody(text);
  if (body.ok() && !heartbeat::IsValidDeviceName(body->device)) __builtin_trap();
  (void)heartbeat::IsBlankBody(text);
  (void)heartbeat::IsJsonMediaType(text);
  std::string_view token = heartbeat::BearerToken(text);
  if (token.size() > text.size()) __builtin_trap();
  return 0;
}
