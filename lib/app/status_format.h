// The three shapes of a status answer: JSON, an SVG badge, the shields.io endpoint schema.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "activity.h"
#include "badge_theme.h"
#include "note.h"
#include "presence.h"
#include "server_config.h"

namespace heartbeat {

enum class StatusFormat { kJson, kSvg, kShields, kHours, kHoursSvg };

// "json", "svg", "shields", "hours" or "hours.svg"; nullopt for anything else.
std::optional<StatusFormat> ParseStatusFormat(std::string_view text);

// The Content-Type of each format.
const char* StatusContentType(StatusFormat format);

// ISO 8601 UTC for lastSeen: to the second for kExact, seconds zero for kMinute.
std::string FormatLastSeen(int64_t at_ms, LastSeenPolicy policy);

// What a status JSON answer carries besides the presence; each is absent when empty / null.
struct StatusDetails {
  std::string_view last_seen;          // FormatLastSeen's text
  std::string_view timezone;           // the config's IANA name
  const Note* note = nullptr;          // a note that stands now
  const Activity* activity = nullptr;  // only while online and the config shows it
};

// {"isOnline":…,"state":…[,"lastSeen":…][,"timezone":…][,"note":{"text":…,"busy":…[,"until":…]}]
//  [,"activity":{"kind":…[,"title":…][,"artist":…][,"app":…]}]}
std::string StatusJson(Presence presence, const StatusDetails& details);

// The left text of the badge and the shields label unless ?label= says otherwise.
constexpr const char* kDefaultBadgeLabel = "status";
// At most this many characters in ?label=.
constexpr size_t kMaxLabelCodePoints = 32;

// A small flat badge "<label> | online"; `label` (trimmed, checked) is XML-escaped here.
// The presence card's note is never on the badge.
std::string StatusBadgeSvg(Presence presence, std::string_view label, Theme theme);
// The grey "status | unknown" badge sent with a 503.
std::string UnknownBadgeSvg();

// {"schemaVersion":1,"label":…,"message":…,"color":…}; the label is JSON-escaped here.
std::string StatusShieldsJson(Presence presence, std::string_view label);
std::string UnknownShieldsJson();

}  // namespace heartbeat
