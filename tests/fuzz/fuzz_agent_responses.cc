// What the agent reads from outside as text: response headers (Retry-After) and idle_command
// output.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "http_client.h"
#include "idle.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  int seconds = heartbeat::agent::RetryAfterSeconds(text);
  if (seconds < -1 || seconds > 86400) __builtin_trap();
  auto idle = heartbeat::agent::ParseIdleCommandOutput(text);
  if (idle.ok() && !(idle->idle_seconds >= 0)) __builtin_trap();
  return 0;
}
