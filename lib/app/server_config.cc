#include "server_config.h"

#include "key_value.h"
#include "time_zone.h"
#include "token.h"

namespace heartbeat {
namespace {

constexpr const char* kDefaultDatabaseName = "heartbeat.db";

std::string LineError(std::string_view source, const KeyValueLine& kv, const std::string& what) {
  return std::string(source) + " line " + std::to_string(kv.line) + ": " + kv.key + ": " + what;
}

std::vector<std::string> SplitOnBlanks(const std::string& value) {
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < value.size()) {
    size_t begin = value.find_first_not_of(" \t", pos);
    if (begin == std::string::npos) break;
    size_t end = value.find_first_of(" \t", begin);
    if (end == std::string::npos) end = value.size();
    words.push_back(value.substr(begin, end - begin));
    pos = end;
  }
  return words;
}

// An origin is scheme://host[:port] with nothing after it; browsers send exactly that.
bool IsOrigin(const std::string& origin) {
  size_t sep = origin.find("://");
  if (sep == std::string::npos || sep == 0) return false;
  std::string_view rest = std::string_view(origin).substr(sep + 3);
  if (rest.empty() || rest.find('/') != std::string_view::npos) return false;
  for (char c : origin) {
    if (static_cast<unsigned char>(c) <= ' ' || c == '"' || c == ',') return false;
  }
  return true;
}

// A whole number from `min` to `max` into *out, or the line's error saying what was expected.
Status IntSetting(const KeyValueLine& kv, std::string_view source, long long min, long long max,
                  const char* expected, int* out) {
  long long number = 0;
  if (!ParseIntInRange(kv.value, min, max, &number)) {
    return Status::Invalid(LineError(source, kv, expected));
  }
  *out = static_cast<int>(number);
  return Status::Ok();
}

// allow_origin: `*` (any origin), or the origins themselves.
Status OriginsSetting(const KeyValueLine& kv, std::string_view source, ServerConfig* config) {
  std::vector<std::string> origins = SplitOnBlanks(kv.value);
  if (origins.empty()) return Status::Invalid(LineError(source, kv, "expected * or origins"));
  if (origins.size() == 1 && origins[0] == "*") {
    config->allow_origins.clear();
    return Status::Ok();
  }
  for (const std::string& origin : origins) {
    if (!IsOrigin(origin)) {
      return Status::Invalid(
          LineError(source, kv, "'" + origin + "' is not an origin like https://example.com"));
    }
  }
  config->allow_origins = std::move(origins);
  return Status::Ok();
}

// last_seen: off, minute or exact.
Status LastSeenSetting(const KeyValueLine& kv, std::string_view source, ServerConfig* config) {
  if (kv.value == "off") {
    config->last_seen = LastSeenPolicy::kOff;
  } else if (kv.value == "minute") {
    config->last_seen = LastSeenPolicy::kMinute;
  } else if (kv.value == "exact") {
    config->last_seen = LastSeenPolicy::kExact;
  } else {
    return Status::Invalid(LineError(source, kv, "expected off, minute or exact"));
  }
  return Status::Ok();
}

// One line of the config applied to *config (docs/protocol.md, "Configuration").
Status ApplySetting(const KeyValueLine& kv, const std::string& config_dir, std::string_view source,
                    ServerConfig* config) {
  if (kv.key == "database") {
    if (kv.value.empty()) return Status::Invalid(LineError(source, kv, "empty path"));
    config->database_path = kv.value.front() == '/' ? kv.value : config_dir + "/" + kv.value;
  } else if (kv.key == "token_sha256") {
    if (!ParseSha256Hex(kv.value, &config->token_sha256)) {
      return Status::Invalid(LineError(source, kv, "expected 64 hex digits"));
    }
    config->has_token = true;
  } else if (kv.key == "online_window") {
    return IntSetting(kv, source, 1, 86400, "expected whole seconds from 1 to 86400",
                      &config->online_window_s);
  } else if (kv.key == "offline_max_age") {
    return IntSetting(kv, source, 0, 3600, "expected whole seconds from 0 to 3600",
                      &config->offline_max_age_s);
  } else if (kv.key == "allow_origin") {
    return OriginsSetting(kv, source, config);
  } else if (kv.key == "timezone") {
    Status zone = CheckTimeZone(kv.value);
    if (!zone.ok()) return Status::Invalid(LineError(source, kv, zone.message()));
    config->timezone = kv.value;
  } else if (kv.key == "history_days") {
    return IntSetting(kv, source, 0, 366, "expected whole days from 0 to 366",
                      &config->history_days);
  } else if (kv.key == "activity") {
    if (kv.value != "off" && kv.value != "on") {
      return Status::Invalid(LineError(source, kv, "expected off or on"));
    }
    config->activity_shown = kv.value == "on";
  } else if (kv.key == "last_seen") {
    return LastSeenSetting(kv, source, config);
  } else {
    return Status::Invalid(std::string(source) + " line " + std::to_string(kv.line) +
                           ": unknown key '" + kv.key + "'");
  }
  return Status::Ok();
}

}  // namespace

Result<ServerConfig> ParseServerConfig(std::string_view text, const std::string& config_dir,
                                       std::string_view source) {
  auto lines = ParseKeyValueText(text, source);
  if (!lines.ok()) return lines.status();

  ServerConfig config;
  config.database_path = config_dir + "/" + kDefaultDatabaseName;
  for (const KeyValueLine& kv : lines.value()) {
    Status applied = ApplySetting(kv, config_dir, source, &config);
    if (!applied.ok()) return applied;
  }
  return config;
}

}  // namespace heartbeat
