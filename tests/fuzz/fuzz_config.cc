// The config file: any bytes give a config or an Invalid status, never a crash.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "key_value.h"
#include "server_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = heartbeat::ParseServerConfig(text, "/srv/heartbeat", "heartbeat.conf");
  if (config.ok() && config->online_window_s < 1) __builtin_trap();  // a range check slipped
  auto lines = heartbeat::ParseKeyValueText(text, "agent.conf");
  (void)lines;
  return 0;
}
