// Validation of what a heartbeat POST carries (docs/protocol.md, "heartbeat.fcgi").
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "activity.h"
#include "device_name.h"
#include "note.h"
#include "presence.h"
#include "result.h"

namespace heartbeat {

struct HeartbeatBody {
  std::string device = "default";
  DeviceState state = DeviceState::kActive;
  NoteChange note_change = NoteChange::kKeep;
  Note note;  // when note_change is kSet
  // What the device is doing; none when the field is absent or null.
  std::optional<Activity> activity;
};

// True when the body is empty or only JSON whitespace.
bool IsBlankBody(std::string_view body);

// True for `application/json` in any case, with or without parameters.
bool IsJsonMediaType(std::string_view content_type);

// Parses a non-blank body: a JSON object whose optional `device`, `state` and `note` follow the
// rules; unknown fields are ignored; `null` or a wrong type for a known field is Invalid, but
// `"note": null` clears the note. A note is an object with `text` (a string, see CleanTextField,
// at most kMaxNoteCodePoints), optional `busy` (a boolean) and optional `until` (whole unix ms
// after `now_ms`, the server's clock, and at most kLatestNoteUntilMs). `activity` is null or
// what ParseActivity accepts.
Result<HeartbeatBody> ParseHeartbeatBody(std::string_view body, int64_t now_ms);

// The token of an `Authorization: Bearer <token>` header (scheme in any case); empty when the
// header is missing, has another scheme or no token.
std::string_view BearerToken(std::string_view authorization);

}  // namespace heartbeat
