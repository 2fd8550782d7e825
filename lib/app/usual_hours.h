// Usual hours (docs/protocol.md, "Usual hours"): from the minutes with an `active` heartbeat,
// kept per UTC hour, to the share of days on which the owner was active in each local hour of
// each weekday, and a short text such as "Mon–Fri 09:00–18:00".
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace heartbeat {

class ZoneClock;

// One stored hour: its start (UTC seconds, a multiple of 3600) and the minutes in it that had
// an `active` heartbeat (bit m: minute m, 0..59).
struct ActiveHour {
  int64_t hour_s = 0;
  uint64_t minutes = 0;
};

// An hour of a local day counts as active with at least this many active minutes in it.
constexpr int kActiveMinutesPerHour = 5;
// `usually` needs at least this many days with data.
constexpr int kUsualMinDays = 7;
// A share at or above this is "usual".
constexpr double kUsualShare = 0.5;

struct UsualHours {
  int days = 0;  // local days with at least one active minute
  // [weekday: 0 Monday .. 6 Sunday][local hour]: days active in that hour / days of that
  // weekday on which that hour has been, from the first day with data to now (today only for
  // the hours that have begun).
  std::array<std::array<double, 24>, 7> share{};
  std::string usually;  // empty: too little data, or no usual hour
};

// The rows within `history_days` before `now_s`, in `zone`'s local time.
UsualHours ComputeUsualHours(const std::vector<ActiveHour>& rows, const ZoneClock& zone,
                             int64_t now_s, int history_days);

// "Mon–Fri 09:00–18:00, Sat 19:00–22:00" from the shares: each weekday named with exactly its
// usual hours, days with the same hours together (see docs/protocol.md for the rule); empty
// when no hour is usual.
std::string DescribeUsualHours(const std::array<std::array<double, 24>, 7>& share);

}  // namespace heartbeat
