#include "heartbeat_body.h"

#include <nlohmann/json.hpp>

#include <strings.h>

namespace heartbeat {
namespace {

bool IsJsonWhitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

bool IsBlankBody(std::string_view body) {
  for (char c : body) {
    if (!IsJsonWhitespace(c)) return false;
  }
  return true;
}

bool IsJsonMediaType(std::string_view content_type) {
  std::string_view media_type = TrimBlanks(content_type.substr(0, content_type.find(';')));
  constexpr std::string_view kJson = "application/json";
  return media_type.size() == kJson.size() &&
         strncasecmp(media_type.data(), kJson.data(), kJson.size()) == 0;
}

Result<HeartbeatBody> ParseHeartbeatBody(std::string_view body) {
  // No exceptions: a parse error gives a "discarded" value.
  nlohmann::json json = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return Status::Invalid("body is not valid JSON");
  if (!json.is_object()) return Status::Invalid("body must be a JSON object");

  HeartbeatBody parsed;
  if (auto device = json.find("device"); device != json.end()) {
    if (!device->is_string()) return Status::Invalid("device must be a string");
    const std::string& name = device->get_ref<const std::string&>();
    if (!IsValidDeviceName(name)) {
      return Status::Invalid("device must be 1 to 64 of A-Z a-z 0-9 . _ -");
    }
    parsed.device = name;
  }
  if (auto state = json.find("state"); state != json.end()) {
    if (!state->is_string()) return Status::Invalid("state must be a string");
    auto value = ParseDeviceState(state->get_ref<const std::string&>());
    if (!value) return Status::Invalid("state must be active, idle or offline");
    parsed.state = *value;
  }
  return parsed;
}

std::string_view BearerToken(std::string_view authorization) {
  authorization = TrimBlanks(authorization);
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() ||
      strncasecmp(authorization.data(), kScheme.data(), kScheme.size()) != 0 ||
      (authorization[kScheme.size()] != ' ' && authorization[kScheme.size()] != '\t')) {
    return {};
  }
  return TrimBlanks(authorization.substr(kScheme.size() + 1));
}

}  // namespace heartbeat
