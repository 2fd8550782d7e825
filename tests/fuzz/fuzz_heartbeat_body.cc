// What a heartbeat POST carries: the JSON body (with its note and activity), Content-Type and
// Authorization.
#include <cstddef>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "activity_body.h"
#include "heartbeat_body.h"
#include "http.h"
#include "json_text.h"
#include "status_format.h"
#include "text_field.h"

namespace {

constexpr int64_t kNow = 1'800'000'000'000;

// The code points of text the decoder accepted, counted apart from its own decoder: the text
// must be valid UTF-8 (nlohmann's dump refuses anything else), so each code point starts with
// the one byte of it that is not a continuation byte.
size_t CodePoints(const std::string& text) {
  try {
    (void)nlohmann::json(text).dump();
  } catch (const nlohmann::json::exception&) {
    __builtin_trap();
  }
  size_t count = 0;
  for (unsigned char c : text) count += (c & 0xC0) != 0x80;
  return count;
}

// A note that was accepted holds what the rules say, and its JSON form holds no markup.
void CheckNote(const heartbeat::Note& note) {
  size_t length = CodePoints(note.text);
  if (length == 0 || length > heartbeat::kMaxNoteCodePoints) __builtin_trap();
  for (unsigned char c : note.text) {
    if (c < 0x20 || c == 0x7f) __builtin_trap();
  }
  if (note.text.front() == ' ' || note.text.back() == ' ') __builtin_trap();
  if (note.until_ms && (*note.until_ms <= kNow || *note.until_ms > heartbeat::kLatestNoteUntilMs)) {
    __builtin_trap();
  }
  std::string json = heartbeat::JsonString(note.text);
  for (char c : json.substr(1, json.size() - 2)) {
    if (c == '<' || c == '>' || c == '&') __builtin_trap();
  }
  if (json.find("\xe2\x80\xa8") != std::string::npos ||
      json.find("\xe2\x80\xa9") != std::string::npos) {
    __builtin_trap();
  }
}

// An accepted activity's text: empty only where allowed, within its length, trimmed, no C0 or
// DEL byte.
void CheckActivityText(const std::string& text, size_t max_code_points, bool may_be_empty) {
  if (text.empty()) {
    if (!may_be_empty) __builtin_trap();
    return;
  }
  size_t length = CodePoints(text);
  if (length == 0 || length > max_code_points) __builtin_trap();
  for (unsigned char c : text) {
    if (c < 0x20 || c == 0x7f) __builtin_trap();
  }
  if (text.front() == ' ' || text.back() == ' ') __builtin_trap();
}

// An accepted activity holds what its kind allows, and goes out in status JSON as JSON without
// markup that reads back as the same activity.
void CheckActivity(const heartbeat::Activity& activity) {
  using heartbeat::ActivityKind;
  const bool listening = activity.kind == ActivityKind::kListening;
  CheckActivityText(activity.title, heartbeat::kMaxActivityTitleCodePoints, !listening);
  CheckActivityText(activity.artist, heartbeat::kMaxActivityArtistCodePoints, true);
  CheckActivityText(activity.app, heartbeat::kMaxActivityAppCodePoints, !listening);
  if (!listening && (!activity.title.empty() || !activity.artist.empty())) __builtin_trap();
  if (activity.kind == ActivityKind::kCall && !activity.app.empty()) __builtin_trap();

  heartbeat::StatusDetails details;
  details.activity = &activity;
  std::string json = heartbeat::StatusJson(heartbeat::Presence::kOnline, details);
  if (json.find_first_of("<>&") != std::string::npos) __builtin_trap();
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded() || !parsed.contains("activity")) __builtin_trap();
  auto again = heartbeat::ParseActivity(parsed["activity"]);
  if (!again.ok() || !(again.value() == activity)) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = heartbeat::ParseHeartbeatBody(text, kNow);
  if (body.ok() && !heartbeat::IsValidDeviceName(body->device)) __builtin_trap();
  if (body.ok() && body->note_change == heartbeat::NoteChange::kSet) CheckNote(body->note);
  if (body.ok() && body->activity) CheckActivity(*body->activity);
  // The raw bytes as a note's text and as a badge label.
  auto cleaned = heartbeat::CleanTextField(text, heartbeat::kMaxNoteCodePoints, "note.text");
  if (cleaned.ok()) CheckNote(heartbeat::Note{cleaned.value(), false, std::nullopt});
  (void)heartbeat::IsBlankBody(text);
  (void)heartbeat::IsJsonMediaType(text);
  std::string_view token = heartbeat::BearerToken(text);
  if (token.size() > text.size()) __builtin_trap();
  return 0;
}
