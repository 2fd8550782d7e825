// The usual hours at any moment: an owner who keeps the same hours every week sees the same
// heatmap and the same `usually` whatever the weekday, the hour, the zone or a switch of
// summer time at which a visitor asks; and `usually` says what the heatmap shows.
#include <time.h>

#include <functional>
#include <string>
#include <vector>

#include "test_support.h"
#include "time_zone.h"
#include "usual_hours.h"

namespace heartbeat {
namespace {

enum Day { kMon, kTue, kWed, kThu, kFri, kSat, kSun };
constexpr int64_t kDay = 86400;
constexpr const char* kDash = "\xe2\x80\x93";

// (weekday 0 Monday .. 6 Sunday, local hour, local week number since the seeding began)
using Habit = std::function<bool(int weekday, int hour, int week)>;

int MondayFirst(const struct tm& local) { return (local.tm_wday + 6) % 7; }

// The UTC instant of a local wall time in `zone` (the first one, if it happens twice).
int64_t LocalTime(const ZoneClock& zone, int year, int month, int day, int hour, int minute) {
  struct tm t {};
  t.tm_year = year - 1900, t.tm_mon = month - 1, t.tm_mday = day, t.tm_hour = hour,
  t.tm_min = minute;
  int64_t guess = static_cast<int64_t>(timegm(&t));
  for (int64_t offset = -14 * 3600; offset <= 14 * 3600; offset += 900) {
    const int64_t utc = guess - offset;
    struct tm local = zone.Local(utc);
    if (local.tm_gmtoff == offset && local.tm_hour == hour && local.tm_min == minute &&
        local.tm_mday == day)
      return utc;
  }
  BOOST_FAIL("no such local time");
  return 0;
}

// The stored rows of an owner who was active in every minute of `habit`'s hours, from `days`
// days before `now` until `now` (so the hour in progress has the minutes up to now).
std::vector<ActiveHour> Seed(const ZoneClock& zone, int64_t now, int days, const Habit& habit) {
  std::vector<ActiveHour> rows;
  const int64_t first = (now - days * kDay) / 3600 * 3600;
  for (int64_t hour = first; hour <= now; hour += 3600) {
    uint64_t minutes = 0;
    for (int m = 0; m < 60 && hour + 60 * m < now; ++m) {
      struct tm local = zone.Local(hour + 60 * m);
      const int week = static_cast<int>((hour - first) / (7 * kDay));
      if (habit(MondayFirst(local), local.tm_hour, week)) minutes |= uint64_t{1} << m;
    }
    if (minutes) rows.push_back({hour, minutes});
  }
  return rows;
}

// Office hours on workdays, and the first and last hour of every day (so that a request at
// 00:30 or 23:30 falls inside a usual hour of its own).
bool Office(int weekday, int hour, int) {
  return hour == 0 || hour == 23 || (weekday <= kFri && hour >= 9 && hour < 18);
}

// Every cell of the heatmap is exactly 1 where the habit is, and 0 elsewhere.
void ExpectSteady(const UsualHours& hours) {
  for (int d = kMon; d <= kSun; ++d) {
    for (int h = 0; h < 24; ++h) {
      BOOST_TEST_CONTEXT("weekday " << d << " hour " << h) {
        BOOST_TEST(hours.share[d][h] == (Office(d, h, 0) ? 1.0 : 0.0));
      }
    }
  }
  // The first hour of each day runs on from the last hour of the day before.
  BOOST_TEST(hours.usually == std::string("Mon") + kDash + "Fri 09:00" + kDash + "18:00, 23:00" +
                                  kDash + "01:00, Sat" + kDash + "Sun 23:00" + kDash + "01:00");
}

BOOST_AUTO_TEST_SUITE(usual_hours_clock)

// Each weekday of one week (Monday 1 June 2026 .. Sunday 7 June) at 00:30, 10:30 and 23:30
// local time, in UTC, Berlin, New York, the zone furthest east (UTC+14) and one west of UTC-10.
BOOST_AUTO_TEST_CASE(every_weekday_and_hour_in_every_zone) {
  for (const char* name :
       {"", "Europe/Berlin", "America/New_York", "Pacific/Kiritimati", "Pacific/Pago_Pago"}) {
    ZoneClock zone(name);
    for (int date = 1; date <= 7; ++date) {
      for (int hour : {0, 10, 23}) {
        BOOST_TEST_CONTEXT(name << " June " << date << " " << hour << ":30") {
          const int64_t now = LocalTime(zone, 2026, 6, date, hour, 30);
          ExpectSteady(ComputeUsualHours(Seed(zone, now, 21, Office), zone, now, 30));
        }
      }
    }
  }
}

// Around both switches of summer time in Berlin (29 March, 25 October 2026) and New York
// (8 March, 1 November 2026): the day before, the day itself, the day after.
BOOST_AUTO_TEST_CASE(across_the_switches_of_summer_time) {
  struct Day {
    const char* zone;
    int month, day;
  };
  for (Day d :
       {Day{"Europe/Berlin", 3, 28}, Day{"Europe/Berlin", 3, 29}, Day{"Europe/Berlin", 3, 30},
        Day{"Europe/Berlin", 10, 24}, Day{"Europe/Berlin", 10, 25}, Day{"Europe/Berlin", 10, 26},
        Day{"America/New_York", 3, 7}, Day{"America/New_York", 3, 8}, Day{"America/New_York", 3, 9},
        Day{"America/New_York", 10, 31}, Day{"America/New_York", 11, 1},
        Day{"America/New_York", 11, 2}}) {
    ZoneClock zone(d.zone);
    for (int hour : {0, 10, 23}) {
      BOOST_TEST_CONTEXT(d.zone << " " << d.month << "-" << d.day << " " << hour << ":30") {
        const int64_t now = LocalTime(zone, 2026, d.month, d.day, hour, 30);
        ExpectSteady(ComputeUsualHours(Seed(zone, now, 21, Office), zone, now, 30));
      }
    }
  }
}

// Before the first data nothing counts: one week of data in a history of 30 days still makes
// every habitual cell 1, and on the first day only the hours from its first data on count.
BOOST_AUTO_TEST_CASE(days_before_the_first_data_never_count) {
  ZoneClock zone("Europe/Berlin");
  const int64_t now = LocalTime(zone, 2026, 6, 3, 10, 30);  // a Wednesday
  UsualHours hours = ComputeUsualHours(Seed(zone, now, 8, Office), zone, now, 30);
  BOOST_TEST(hours.share[kWed][9] == 1.0);
  BOOST_TEST(hours.share[kWed][10] == 1.0);
  BOOST_TEST(hours.share[kWed][11] == 1.0);  // to come today: last Wednesday's
  BOOST_TEST(hours.share[kMon][17] == 1.0);
}

// An hour that has begun today counts for today, active or not.
BOOST_AUTO_TEST_CASE(an_hour_begun_today_without_activity_counts_as_away) {
  ZoneClock zone("");
  const int64_t now = LocalTime(zone, 2026, 6, 15, 10, 30);  // Monday, two Mondays before
  const int64_t midnight = LocalTime(zone, 2026, 6, 15, 0, 0);
  auto mondays = [](int weekday, int hour, int) {
    return weekday == kMon && hour >= 9 && hour < 18;
  };
  std::vector<ActiveHour> rows;
  for (const ActiveHour& row : Seed(zone, now, 15, mondays)) {
    if (row.hour_s < midnight) rows.push_back(row);  // nobody there today
  }
  UsualHours hours = ComputeUsualHours(rows, zone, now, 30);
  BOOST_TEST(hours.share[kMon][9] == 2.0 / 3.0);   // begun today, nobody there
  BOOST_TEST(hours.share[kMon][10] == 2.0 / 3.0);  // the hour in progress has begun
  BOOST_TEST(hours.share[kMon][11] == 1.0);        // still to come today
  BOOST_TEST(hours.share[kMon][17] == 1.0);
}

// --- `usually` says what the heatmap shows ---------------------------------------------------

std::string Usually(int days, const Habit& habit) {
  ZoneClock zone("Europe/Berlin");
  const int64_t now = LocalTime(zone, 2026, 6, 15, 3, 30);  // a Monday, before any habit hour
  return ComputeUsualHours(Seed(zone, now, days, habit), zone, now, 60).usually;
}

std::string Range(int from, int to) {
  char text[32];
  std::snprintf(text, sizeof text, "%02d:00%s%02d:00", from, kDash, to);
  return text;
}

BOOST_AUTO_TEST_CASE(workdays_only) {
  auto workdays = [](int d, int h, int) { return d <= kFri && h >= 9 && h < 18; };
  BOOST_TEST(Usually(14, workdays) == std::string("Mon") + kDash + "Fri " + Range(9, 18));
}

BOOST_AUTO_TEST_CASE(workdays_and_saturday_evenings_are_named_apart) {
  auto week = [](int d, int h, int) {
    return (d <= kFri && h >= 9 && h < 18) || (d == kSat && h >= 19 && h < 22);
  };
  BOOST_TEST(Usually(14, week) ==
             std::string("Mon") + kDash + "Fri " + Range(9, 18) + ", Sat " + Range(19, 22));
  auto weekend = [](int d, int h, int) {
    return (d <= kFri && h >= 9 && h < 18) || (d >= kSat && h >= 19 && h < 22);
  };
  BOOST_TEST(Usually(14, weekend) == std::string("Mon") + kDash + "Fri " + Range(9, 18) + ", Sat" +
                                         kDash + "Sun " + Range(19, 22));
}

BOOST_AUTO_TEST_CASE(a_night_owl_across_midnight) {
  // Monday to Friday nights from 22:00 to 02:00: the small hours fall on Tuesday .. Saturday.
  auto nights = [](int d, int h, int) {
    return (d <= kFri && h >= 22) || (d >= kTue && d <= kSat && h < 2);
  };
  BOOST_TEST(Usually(14, nights) == std::string("Mon") + kDash + "Fri " + Range(22, 2));
}

BOOST_AUTO_TEST_CASE(shift_work_that_alternates_by_week) {
  // Early shifts (06-14) in the even weeks of the seeding, late ones (14-22) in the odd weeks.
  auto shifts = [](int d, int h, int week) {
    if (d > kFri) return false;
    return week % 2 == 0 ? h >= 6 && h < 14 : h >= 14 && h < 22;
  };
  // Three weeks and a day: two early weeks and one late week, so only the early hours are usual
  // (2 of 3 days), and the late ones (1 of 3) are not named.
  BOOST_TEST(Usually(22, shifts) == std::string("Mon") + kDash + "Fri " + Range(6, 14));
  // Four weeks and a day: each shift on half the days, so both are usual, and the text says so.
  BOOST_TEST(Usually(29, shifts) == std::string("Mon") + kDash + "Fri " + Range(6, 22));
}

BOOST_AUTO_TEST_CASE(every_day_the_same) {
  auto daily = [](int, int h, int) { return h >= 8 && h < 12; };
  BOOST_TEST(Usually(14, daily) == std::string("Mon") + kDash + "Sun " + Range(8, 12));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
