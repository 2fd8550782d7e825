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

// "09:00–18:00" for the usual hours: the complement of the longest run of other hours, going
// round midnight (22:00–02:00 for a night owl); a short break inside the run is absorbed.
std::string HoursText(const std::array<bool, 24>& usual) {
  int count = 0;
  for (bool u : usual) count += u;
  if (count == 24) return "00:00" + std::string(kEnDash) + "24:00";
  int best_start = 0, best_length = 0;
  for (int start = 0; start < 24; ++start) {
    if (usual[start] || !usual[(start + 23) % 24]) continue;  // a gap starts after a usual hour
    int length = 0;
    while (length < 24 && !usual[(start + length) % 24]) ++length;
    if (length > best_length) best_start = start, best_length = length;
  }
  int first = (best_start + best_length) % 24;  // the first usual hour
  int end = best_start == 0 ? 24 : best_start;  // the hour after the last usual one
  return HourText(first) + kEnDash + HourText(end);
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

  // The days each weekday had, from the first day with data to today.
  const int64_t today = FloorDiv(now_s + zone.Local(now_s).tm_gmtoff, kDay);
  std::array<int, 7> weekdays{};
  for (int64_t day = days.begin()->first; day <= today; ++day) ++weekdays[Weekday(day)];

  std::array<std::array<int, 24>, 7> active{};
  for (const auto& [day, minutes] : days) {
    for (int h = 0; h < 24; ++h) {
      if (minutes[h] >= kActiveMinutesPerHour) ++active[Weekday(day)][h];
    }
  }
  for (int d = 0; d < 7; ++d) {
    for (int h = 0; h < 24; ++h) {
      result.share[d][h] = weekdays[d] ? static_cast<double>(active[d][h]) / weekdays[d] : 0.0;
    }
  }
  if (result.days >= kUsualMinDays) result.usually = DescribeUsualHours(result.share);
  return result;
}

std::string DescribeUsualHours(const std::array<std::array<double, 24>, 7>& share) {
  std::array<bool, 7> usual_days{};
  int usual_day_count = 0;
  for (int d = 0; d < 7; ++d) {
    for (double s : share[d]) usual_days[d] = usual_days[d] || s >= kUsualShare;
    usual_day_count += usual_days[d];
  }
  if (usual_day_count == 0) return std::string();
  std::array<bool, 24> usual_hours{};
  bool any = false;
  for (int h = 0; h < 24; ++h) {
    double sum = 0;
    for (int d = 0; d < 7; ++d) sum += usual_days[d] ? share[d][h] : 0.0;
    usual_hours[h] = sum / usual_day_count >= kUsualShare;
    any = any || usual_hours[h];
  }
  if (!any) return std::string();
  return WeekdaysText(usual_days) + " " + HoursText(usual_hours);
}

}  // namespace heartbeat
