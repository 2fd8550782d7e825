// What the owner is doing (docs/protocol.md, "What the owner is doing"): one activity per
// device, stated by each of its heartbeats, shown only while the config's `activity` is on.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace heartbeat {

enum class ActivityKind { kListening, kCoding, kCall };

// Lengths in code points, after trimming.
constexpr size_t kMaxActivityTitleCodePoints = 100;
constexpr size_t kMaxActivityArtistCodePoints = 100;
constexpr size_t kMaxActivityAppCodePoints = 32;

struct Activity {
  ActivityKind kind = ActivityKind::kCall;
  std::string title;   // listening: 1-100 code points; empty for the other kinds
  std::string artist;  // listening: empty when none
  std::string app;     // listening: 1-32; coding: empty when none; call: empty

  bool operator==(const Activity& other) const {
    return kind == other.kind && title == other.title && artist == other.artist && app == other.app;
  }
};

// "listening" / "coding" / "call"; nullopt for anything else (case matters).
std::optional<ActivityKind> ParseActivityKind(std::string_view text);
const char* ActivityKindName(ActivityKind kind);

}  // namespace heartbeat
