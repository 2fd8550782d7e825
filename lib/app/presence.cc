#include "presence.h"

#include <algorithm>

namespace heartbeat {

const char* PresenceName(Presence presence) {
  switch (presence) {
    case Presence::kOnline:
      return "online";
    case Presence::kAway:
      return "away";
    case Presence::kOffline:
      return "offline";
  }
  return "offline";
}

int64_t ActiveRemainingMs(int64_t at_ms, int64_t now_ms, int online_window_s) {
  return std::min(at_ms, now_ms) + static_cast<int64_t>(online_window_s) * 1000 - now_ms;
}

PresenceVerdict DecidePresence(const PresenceFacts& facts, int64_t now_ms, int online_window_s) {
  auto remaining = [&](int64_t at_ms) { return ActiveRemainingMs(at_ms, now_ms, online_window_s); };

  PresenceVerdict verdict;
  if (facts.newest_active_ms && remaining(*facts.newest_active_ms) > 0) {
    verdict.presence = Presence::kOnline;
    verdict.online_remaining_ms = remaining(*facts.newest_active_ms);
  } else if (facts.newest_idle_ms && remaining(*facts.newest_idle_ms) > 0) {
    verdict.presence = Presence::kAway;
  }
  return verdict;
}

}  // namespace heartbeat
