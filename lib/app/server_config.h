// The server's configuration (docs/protocol.md, "Configuration"): one struct, filled in one place.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace heartbeat {

enum class LastSeenPolicy { kOff, kMinute, kExact };

struct ServerConfig {
  // Path of the SQLite file; a relative `database` is taken from the config's folder.
  std::string database_path;
  // SHA-256 of the agent's token. Without it heartbeats are refused (fail closed).
  bool has_token = false;
  std::array<uint8_t, 32> token_sha256{};
  // Seconds after an `active` heartbeat that the owner still counts as online.
  int online_window_s = 180;
  // Empty means `*`; otherwise the exact origins allowed to read status from a browser.
  std::vector<std::string> allow_origins;
  // Whether status reveals the last activity time, and how precisely.
  LastSeenPolicy last_seen = LastSeenPolicy::kOff;
  // Seconds that a cache may keep an "offline" or "away" answer.
  int offline_max_age_s = 30;
  // The owner's IANA time zone (checked against the host's zoneinfo); empty: not revealed.
  std::string timezone;
  // Days of usual-hours history kept (0-366); 0: none kept, ?format=hours is 404.
  int history_days = 0;
  // `activity = on`: heartbeats' activities are kept and shown; off (the default): checked
  // and dropped.
  bool activity_shown = false;
};

// Parses the text of a config file. `config_dir` is the folder the file lives in (for the
// default and relative database paths); `source` names the file in error messages.
// Unknown keys, malformed lines and out-of-range values are Invalid, naming the line.
Result<ServerConfig> ParseServerConfig(std::string_view text, const std::string& config_dir,
                                       std::string_view source);

}  // namespace heartbeat
