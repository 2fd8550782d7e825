// The owner's note (docs/protocol.md, "The presence card"): one per owner, whatever the device,
// set and cleared by heartbeats, standing until cleared or until its `until` has passed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace heartbeat {

// At most this many code points of text, after trimming.
constexpr size_t kMaxNoteCodePoints = 140;
// The latest `until` accepted: 9999-12-31T23:59:59.999Z, the last instant with a 4-digit year.
constexpr int64_t kLatestNoteUntilMs = 253402300799999;

struct Note {
  std::string text;
  bool busy = false;
  std::optional<int64_t> until_ms;  // unix ms; none: until cleared

  bool StandsAt(int64_t now_ms) const { return !until_ms || *until_ms > now_ms; }
  bool operator==(const Note& other) const {
    return text == other.text && busy == other.busy && until_ms == other.until_ms;
  }
};

// What a heartbeat does to the note: nothing (no "note" field), clear it (`null`), or set it.
enum class NoteChange { kKeep, kClear, kSet };

}  // namespace heartbeat
