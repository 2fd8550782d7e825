#include "heartbeat_body.h"

#include <strings.h>

#include <nlohmann/json.hpp>

#include "activity_body.h"
#include "text_field.h"
#include "trim.h"

namespace heartbeat {
namespace {

bool IsJsonWhitespace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

Result<Note> NoteFromJson(const nlohmann::json& json, int64_t now_ms) {
  if (!json.is_object()) return Status::Invalid("note must be an object or null");
  Note note;
  auto text = json.find("text");
  if (text == json.end() || !text->is_string())
    return Status::Invalid("note.text must be a string");
  auto cleaned =
      CleanTextField(text->get_ref<const std::string&>(), kMaxNoteCodePoints, "note.text");
  if (!cleaned.ok()) return cleaned.status();
  note.text = std::move(cleaned).value();
  if (auto busy = json.find("busy"); busy != json.end()) {
    if (!busy->is_boolean()) return Status::Invalid("note.busy must be true or false");
    note.busy = busy->get<bool>();
  }
  if (auto until = json.find("until"); until != json.end()) {
    // Whole milliseconds only: 1.5e12 or "tomorrow" would be guesses.
    if (!until->is_number_integer())
      return Status::Invalid("note.until must be whole unix milliseconds");
    if (until->is_number_unsigned()
            ? until->get<uint64_t>() > static_cast<uint64_t>(kLatestNoteUntilMs)
            : until->get<int64_t>() > kLatestNoteUntilMs) {
      return Status::Invalid("note.until is after the year 9999");
    }
    int64_t until_ms = until->get<int64_t>();
    if (until_ms <= now_ms) return Status::Invalid("note.until is not in the future");
    note.until_ms = until_ms;
  }
  return note;
}

}  // namespace

bool IsBlankBody(std::string_view body) {
  for (char c : body) {
    if (!IsJsonWhitespace(c)) return false;
  }
  return true;
}

bool IsJsonMediaType(std::string_view content_type) {
  std::string_view media_type = Trim(content_type.substr(0, content_type.find(';')));
  constexpr std::string_view kJson = "application/json";
  return media_type.size() == kJson.size() &&
         strncasecmp(media_type.data(), kJson.data(), kJson.size()) == 0;
}

Result<HeartbeatBody> ParseHeartbeatBody(std::string_view body, int64_t now_ms) {
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
  if (auto note = json.find("note"); note != json.end()) {
    if (note->is_null()) {
      parsed.note_change = NoteChange::kClear;
    } else {
      auto value = NoteFromJson(*note, now_ms);
      if (!value.ok()) return value.status();
      parsed.note_change = NoteChange::kSet;
      parsed.note = std::move(value).value();
    }
  }
  if (auto activity = json.find("activity"); activity != json.end() && !activity->is_null()) {
    auto value = ParseActivity(*activity);
    if (!value.ok()) return value.status();
    parsed.activity = std::move(value).value();
  }
  return parsed;
}

std::string_view BearerToken(std::string_view authorization) {
  authorization = Trim(authorization);
  constexpr std::string_view kScheme = "bearer";
  if (authorization.size() <= kScheme.size() ||
      strncasecmp(authorization.data(), kScheme.data(), kScheme.size()) != 0 ||
      (authorization[kScheme.size()] != ' ' && authorization[kScheme.size()] != '\t')) {
    return {};
  }
  return Trim(authorization.substr(kScheme.size() + 1));
}

}  // namespace heartbeat
