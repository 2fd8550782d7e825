#include "usual_hours.h"

#include <cstdio>
#include <map>

#include "time_zone.h"

namespace heartbeat {
namespace {

constexpr int64_t kDay = 86400;
constexpr const char* kWeekdayNames[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr const char* kEnDash = "\xe2\x80\x93";

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - (a % b != 0 && (a < 0) != (b < 0)); }

// 0 Monday .. 6 Sunday of a local day number (days since 1970-01-01, a Thursday).
int Weekday(int64_t local_day) { return static_cast<int>(((local_day + 3) % 7 + 7) % 7); }

// Active minutes per local day and local hour.
using MinutesByDay = std::map<int64_t, std::array<int, 24>>;

void AddMinute(MinutesByDay* days, int64_t local_s) {
  int64_t day = FloorDiv(local_s, kDay);
  (*days)[day][static_cast<int>((local_s - day * kDay) / 3600)] += 1;
}

std::string HourText(int hour) {
  char text[16];
  std::snprintf(text, sizeof text, "%02d:00", hour);
  return text;
}

// "Mon–Fri", "Mon, Wed", "Mon–Wed, Sat–Sun".
std::string WeekdaysText(const std::array<bool, 7>& usual) {
  std::string text;
  for (int d = 0; d < 7;) {
    if (!usual[d]) {
      ++d;
      continue;
    }
    int end = d;
    while (end + 1 < 7 && usual[end + 1]) ++end;
    if (!text.empty()) text += ", ";
    text += kWeekdayNames[d];
    if (end > d) text += std::string(kEnDash) + kWeekdayNames[end];
    d = end + 1;
  }
  return text;
}

// "09:00" for an hour of the day, "24:00" for the end of the last one.
std::string RangeText(int first, int end) { return HourText(first) + kEnDash + HourText(end); }

// The length of the run of usual hours of day `d` that begins at `h`.
int RunLength(const std::array<bool, 24>& day, int h) {
  int end = h;
  while (end < 24 && day[end]) ++end;
  return end - h;
}

// The usual hours of the week as ranges, each written under the day on which it begins.
// A range is cut at each midnight, except that an evening range that runs on into the small
// hours of the next day stays one range of the evening's day ("22:00–02:00"), as a person
// would say it, while the whole stays shorter than a day. Every hour inside a range is usual:
// nothing is absorbed.
std::array<std::string, 7> DayRanges(const std::array<std::array<bool, 24>, 7>& usual) {
  // First which mornings belong to the evening before: then the days can be written in any
  // order, Sunday night into Monday included.
  std::array<int, 7> evening_start{};  // 0: the morning is its own
  for (int d = 0; d < 7; ++d) {
    const int next = (d + 1) % 7;
    int start = 24;
    while (start > 0 && usual[d][start - 1]) --start;
    const int morning = RunLength(usual[next], 0);
    if (start > 0 && start < 24 && morning > 0 && morning < start) evening_start[next] = start;
  }
  std::array<std::string, 7> ranges;
  for (int d = 0; d < 7; ++d) {
    const int next = (d + 1) % 7;
    int h = evening_start[d] ? RunLength(usual[d], 0) : 0;  // this morning went to yesterday
    while (h < 24) {
      const int length = RunLength(usual[d], h);
      if (length == 0) {
        ++h;
        continue;
      }
      const bool goes_on = h + length == 24 && evening_start[next] == h;
      if (!ranges[d].empty()) ranges[d] += ", ";
      ranges[d] += RangeText(h, goes_on ? RunLength(usual[next], 0) : h + length);
      h += length;
    }
  }
  return ranges;
}

}  // namespace

UsualHours ComputeUsualHours(const std::vector<ActiveHour>& rows, const ZoneClock& zone,
                             int64_t now_s, int history_days) {
  UsualHours result;
  const int64_t window_start = now_s - int64_t{history_days} * kDay;
  MinutesByDay days;
  for (const ActiveHour& row : rows) {
    if (row.minutes == 0 || row.hour_s + 3600 <= window_start || row.hour_s > now_s) continue;
    // One offset for the whole hour unless it changes inside it (a rare transition).
    const long offset = zone.Local(row.hour_s).tm_gmtoff;
    const bool one_offset = zone.Local(row.hour_s + 3599).tm_gmtoff == offset;
    for (int m = 0; m < 60; ++m) {
      if (!(row.minutes >> m & 1)) continue;
      const int64_t at = row.hour_s + 60 * m;
      if (at < window_start || at > now_s) continue;
      AddMinute(&days, at + (one_offset ? offset : zone.Local(at).tm_gmtoff));
    }
  }
  result.days = static_cast<int>(days.size());
  if (days.empty()) return result;

  // How often each hour of each weekday has been, from the first hour with data to now: of
  // the first day only the hours from its first data on (the hours before it were before the
  // history began, or before the window), and of today only the hours that have begun, so that
  // the hours still to come keep what the past weeks made them.
  const int64_t local_now = now_s + zone.Local(now_s).tm_gmtoff;
  const int64_t today = FloorDiv(local_now, kDay);
  const int hour_now = static_cast<int>((local_now - today * kDay) / 3600);
  const int64_t first_day = days.begin()->first;
  int first_hour = 0;
  while (first_hour < 23 && days.begin()->second[first_hour] == 0) ++first_hour;
  std::array<std::array<int, 24>, 7> seen{};
  for (int64_t day = first_day; day <= today; ++day) {
    const int from = day == first_day ? first_hour : 0;
    const int to = day == today ? hour_now + 1 : 24;
    for (int h = from; h < to; ++h) ++seen[Weekday(day)][h];
  }

  std::array<std::array<int, 24>, 7> active{};
  for (const auto& [day, minutes] : days) {
    for (int h = 0; h < 24; ++h) {
      if (minutes[h] >= kActiveMinutesPerHour) ++active[Weekday(day)][h];
    }
  }
  for (int d = 0; d < 7; ++d) {
    for (int h = 0; h < 24; ++h) {
      result.share[d][h] = seen[d][h] ? static_cast<double>(active[d][h]) / seen[d][h] : 0.0;
    }
  }
  if (result.days >= kUsualMinDays) result.usually = DescribeUsualHours(result.share);
  return result;
}

std::string DescribeUsualHours(const std::array<std::array<double, 24>, 7>& share) {
  std::array<std::array<bool, 24>, 7> usual{};
  for (int d = 0; d < 7; ++d) {
    for (int h = 0; h < 24; ++h) usual[d][h] = share[d][h] >= kUsualShare;
  }
  const std::array<std::string, 7> ranges = DayRanges(usual);
  // Days with the same ranges are named together, in the order of their first day.
  std::string text;
  std::array<bool, 7> named{};
  for (int d = 0; d < 7; ++d) {
    if (ranges[d].empty() || named[d]) continue;
    std::array<bool, 7> group{};
    for (int other = d; other < 7; ++other) {
      group[other] = ranges[other] == ranges[d];
      named[other] = named[other] || group[other];
    }
    if (!text.empty()) text += ", ";
    text += WeekdaysText(group) + " " + ranges[d];
  }
  return text;
}

}  // namespace heartbeat
