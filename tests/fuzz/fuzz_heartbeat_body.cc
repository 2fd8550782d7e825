// What a heartbeat POST carries: the JSON body (with its note), Content-Type and Authorization.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "heartbeat_body.h"
#include "http.h"
#include "json_text.h"
#include "text_field.h"

namespace {

constexpr int64_t kNow = 1'800'000'000'000;

// A note that was accepted holds what the rules say, and its JSON form holds no markup.
void CheckNote(const heartbeat::Note& note) {
  size_t length = heartbeat::CountCodePoints(note.text);
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

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto body = heartbeat::ParseHeartbeatBody(text, kNow);
  if (body.ok() && !heartbeat::IsValidDeviceName(body->device)) __builtin_trap();
  if (body.ok() && body->note_change == heartbeat::NoteChange::kSet) CheckNote(body->note);
  // The raw bytes as a note's text and as a badge label.
  auto cleaned = heartbeat::CleanTextField(text, heartbeat::kMaxNoteCodePoints, "note.text");
  if (cleaned.ok()) CheckNote(heartbeat::Note{cleaned.value(), false, std::nullopt});
  (void)heartbeat::IsBlankBody(text);
  (void)heartbeat::IsJsonMediaType(text);
  std::string_view token = heartbeat::BearerToken(text);
  if (token.size() > text.size()) __builtin_trap();
  return 0;
}
