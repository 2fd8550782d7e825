// lib/core's JSON reader, which reads the server's answers in the agent: whatever the bytes, no
// crash; and text it accepts writes out as JSON that reads back to the same value, and writes
// out the same again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "json_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  heartbeat::JsonLimits limits;
  limits.max_depth = 64;
  auto first = heartbeat::ReadJson(text, limits);
  if (!first.ok()) {
    if (first.status().message().empty()) __builtin_trap();
    return 0;
  }
  const std::string written = heartbeat::WriteJson(first.value());
  auto again = heartbeat::ReadJson(written, limits);
  if (!again.ok() || again.value() != first.value()) __builtin_trap();
  if (heartbeat::WriteJson(again.value()) != written) __builtin_trap();
  return 0;
}
