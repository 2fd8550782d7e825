// The presence rules (docs/protocol.md, "status.fcgi"): from each device's latest heartbeat
// to online/away/offline.
#pragma once

#include <cstdint>
#include <optional>

#include "activity.h"
#include "device_state.h"
#include "note.h"

namespace heartbeat {

enum class Presence { kOnline, kAway, kOffline };

const char* PresenceName(Presence presence);

// What the store knows, reduced over all devices by one query:
struct PresenceFacts {
  // Latest heartbeat time of the devices whose latest heartbeat is `active` (resp. `idle`).
  std::optional<int64_t> newest_active_ms;
  std::optional<int64_t> newest_idle_ms;
  // Time of the latest `active` heartbeat ever, whatever came after it (for lastSeen).
  std::optional<int64_t> last_active_ms;
  // The note as stored, also one whose `until` has passed (see Note::StandsAt).
  std::optional<Note> note;
  // The activity of the newest heartbeat that has one among the devices whose latest state is
  // `active`, and that heartbeat's time (whether it is within the window is the caller's
  // question: see ActiveRemainingMs).
  std::optional<Activity> activity;
  int64_t activity_at_ms = 0;
};

struct PresenceVerdict {
  Presence presence = Presence::kOffline;
  // While online: milliseconds until the online window would end on its own.
  int64_t online_remaining_ms = 0;
};

// A device counts while `now - at < window`: a heartbeat exactly one window old has expired.
// A heartbeat stamped in the future (clock stepped back) counts as just sent.
// Milliseconds until an `active` heartbeat at `at_ms` stops counting; <= 0: it has.
int64_t ActiveRemainingMs(int64_t at_ms, int64_t now_ms, int online_window_s);

PresenceVerdict DecidePresence(const PresenceFacts& facts, int64_t now_ms, int online_window_s);

}  // namespace heartbeat
