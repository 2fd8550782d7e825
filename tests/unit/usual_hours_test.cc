// The usual hours from stored minutes: local time with daylight saving, the windows, the text.
#include "usual_hours.h"

#include <time.h>

#include "test_support.h"
#include "time_zone.h"

namespace heartbeat {
namespace {

constexpr uint64_t kWholeHour = (uint64_t{1} << 60) - 1;
enum Day { kMon, kTue, kWed, kThu, kFri, kSat, kSun };

int64_t Utc(int year, int month, int day, int hour, int minute = 0) {
  struct tm t {};
  t.tm_year = year - 1900, t.tm_mon = month - 1, t.tm_mday = day, t.tm_hour = hour,
  t.tm_min = minute;
  return static_cast<int64_t>(timegm(&t));
}

// The local hours (of one weekday) whose share is above zero.
std::vector<int> HoursWithShare(const UsualHours& hours, int day) {
  std::vector<int> out;
  for (int h = 0; h < 24; ++h) {
    if (hours.share[day][h] > 0) out.push_back(h);
  }
  return out;
}

BOOST_AUTO_TEST_SUITE(usual_hours)

BOOST_AUTO_TEST_CASE(empty_history) {
  ZoneClock zone("Europe/Berlin");
  UsualHours hours = ComputeUsualHours({}, zone, Utc(2026, 6, 1, 12), 30);
  BOOST_TEST(hours.days == 0);
  for (const auto& row : hours.share) {
    for (double share : row) BOOST_TEST(share == 0.0);
  }
  BOOST_TEST(hours.usually.empty());
}

BOOST_AUTO_TEST_CASE(one_day_counts_hours_with_five_minutes_or_more) {
  ZoneClock zone("");  // UTC
  // Monday 1 June 2026: 09:00-09:59 whole, 10:00 four minutes only, 11:00 exactly five.
  std::vector<ActiveHour> rows = {{Utc(2026, 6, 1, 9), kWholeHour},
                                  {Utc(2026, 6, 1, 10), 0b1111},
                                  {Utc(2026, 6, 1, 11), 0b1000010111}};
  UsualHours hours = ComputeUsualHours(rows, zone, Utc(2026, 6, 1, 20), 30);
  BOOST_TEST(hours.days == 1);
  BOOST_TEST(HoursWithShare(hours, kMon) == (std::vector<int>{9, 11}));
  BOOST_TEST(hours.share[kMon][9] == 1.0);
  BOOST_TEST(hours.usually.empty());  // one day is too little
}

BOOST_AUTO_TEST_CASE(berlin_summer_time_week_in_march) {
  ZoneClock zone("Europe/Berlin");
  // 09:00-09:59 local every day of Mon 23 - Sun 29 March 2026; on Sunday summer time has begun
  // (01:00 UTC), so 09:00 local is 07:00 UTC instead of 08:00 UTC.
  std::vector<ActiveHour> rows;
  for (int day = 23; day <= 28; ++day) rows.push_back({Utc(2026, 3, day, 8), kWholeHour});
  rows.push_back({Utc(2026, 3, 29, 7), kWholeHour});
  UsualHours hours = ComputeUsualHours(rows, zone, Utc(2026, 3, 29, 20), 30);
  BOOST_TEST(hours.days == 7);
  for (int day = kMon; day <= kSun; ++day) {
    BOOST_TEST_CONTEXT(day) { BOOST_TEST(HoursWithShare(hours, day) == std::vector<int>{9}); }
  }
  BOOST_TEST(hours.usually ==
             "Mon\xe2\x80\x93Sun 09:00\xe2\x80\x93"
             "10:00");
}

BOOST_AUTO_TEST_CASE(berlin_winter_time_week_in_october) {
  ZoneClock zone("Europe/Berlin");
  // Mon 19 - Sun 25 October 2026; winter time from 01:00 UTC on Sunday: 09:00 local is 08:00 UTC.
  std::vector<ActiveHour> rows;
  for (int day = 19; day <= 24; ++day) rows.push_back({Utc(2026, 10, day, 7), kWholeHour});
  rows.push_back({Utc(2026, 10, 25, 8), kWholeHour});
  // And the hour that happens twice: 02:00-02:59 local is 00:00 and 01:00 UTC that Sunday.
  rows.push_back({Utc(2026, 10, 25, 0), 0b11});
  rows.push_back({Utc(2026, 10, 25, 1), 0b111});
  std::sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.hour_s < b.hour_s; });
  UsualHours hours = ComputeUsualHours(rows, zone, Utc(2026, 10, 25, 20), 30);
  for (int day = kMon; day <= kSat; ++day) {
    BOOST_TEST_CONTEXT(day) { BOOST_TEST(HoursWithShare(hours, day) == std::vector<int>{9}); }
  }
  // 2 + 3 minutes in the local hour 02:00 of that day make five: one active hour.
  BOOST_TEST(HoursWithShare(hours, kSun) == (std::vector<int>{2, 9}));
}

BOOST_AUTO_TEST_CASE(new_york_summer_time_week) {
  ZoneClock zone("America/New_York");
  // 14:00-14:59 local, Mon 2 - Sun 8 March 2026; EDT from 07:00 UTC on Sunday 8 March.
  std::vector<ActiveHour> rows;
  for (int day = 2; day <= 7; ++day) rows.push_back({Utc(2026, 3, day, 19), kWholeHour});
  rows.push_back({Utc(2026, 3, 8, 18), kWholeHour});
  UsualHours hours = ComputeUsualHours(rows, zone, Utc(2026, 3, 8, 23), 30);
  for (int day = kMon; day <= kSun; ++day) {
    BOOST_TEST_CONTEXT(day) { BOOST_TEST(HoursWithShare(hours, day) == std::vector<int>{14}); }
  }
}

BOOST_AUTO_TEST_CASE(a_half_hour_zone_splits_a_utc_hour) {
  ZoneClock zone("Asia/Kolkata");                                     // UTC+05:30
  std::vector<ActiveHour> rows = {{Utc(2026, 6, 1, 3), kWholeHour}};  // 08:30-09:29 local
  UsualHours hours = ComputeUsualHours(rows, zone, Utc(2026, 6, 1, 12), 30);
  BOOST_TEST(HoursWithShare(hours, kMon) == (std::vector<int>{8, 9}));
}

BOOST_AUTO_TEST_CASE(a_full_year_of_office_hours_in_berlin) {
  ZoneClock zone("Europe/Berlin");
  // Every weekday of 2026, 09:00-17:59 local; the UTC hours follow summer and winter time.
  std::vector<ActiveHour> rows;
  for (int64_t hour = Utc(2026, 1, 1, 0); hour < Utc(2027, 1, 1, 0); hour += 3600) {
    struct tm local = zone.Local(hour);
    bool weekday = local.tm_wday >= 1 && local.tm_wday <= 5;
    if (weekday && local.tm_hour >= 9 && local.tm_hour < 18) rows.push_back({hour, kWholeHour});
  }
  const int64_t now = Utc(2026, 12, 31, 20, 0);  // 21:00 local, still 2026
  UsualHours hours = ComputeUsualHours(rows, zone, now, 366);
  BOOST_TEST(hours.days == 261);  // the weekdays of 2026
  for (int day = kMon; day <= kFri; ++day) {
    for (int h = 9; h < 18; ++h) BOOST_TEST(hours.share[day][h] == 1.0);
    BOOST_TEST(hours.share[day][8] == 0.0);
    BOOST_TEST(hours.share[day][18] == 0.0);
  }
  BOOST_TEST(HoursWithShare(hours, kSat).empty());
  BOOST_TEST(hours.usually ==
             "Mon\xe2\x80\x93"
             "Fri 09:00\xe2\x80\x93"
             "18:00");

  // Only the last 30 days count with history_days 30: from 1 December 20:00 UTC, after that
  // day's office hours, so the weekdays of 2-31 December.
  UsualHours month = ComputeUsualHours(rows, zone, now, 30);
  BOOST_TEST(month.days == 22);
}

BOOST_AUTO_TEST_CASE(days_without_data_count_as_days_away) {
  ZoneClock zone("");
  // Two Mondays with 10:00, but the Monday between them had nothing: 2 of 3 Mondays.
  std::vector<ActiveHour> rows = {{Utc(2026, 6, 1, 10), kWholeHour},
                                  {Utc(2026, 6, 15, 10), kWholeHour}};
  UsualHours hours = ComputeUsualHours(rows, zone, Utc(2026, 6, 15, 12), 30);
  BOOST_TEST(hours.share[kMon][10] == 2.0 / 3.0);
  BOOST_TEST(hours.days == 2);
}

BOOST_AUTO_TEST_CASE(the_text_rule) {
  std::array<std::array<double, 24>, 7> share{};
  BOOST_TEST(DescribeUsualHours(share).empty());
  for (int day : {kMon, kWed, kThu, kSat})
    share[day][22] = share[day][23] = share[day][0] = share[day][1] = 0.8;
  // Only Wednesday's night runs on into a usual morning (Thursday's); the other nights end at
  // midnight, and their own mornings are ranges of their own.
  BOOST_TEST(DescribeUsualHours(share) ==
             "Mon, Sat 00:00\xe2\x80\x93"
             "02:00, 22:00\xe2\x80\x93"
             "24:00, Wed 00:00\xe2\x80\x93"
             "02:00, 22:00\xe2\x80\x93"
             "02:00, Thu 22:00\xe2\x80\x93"
             "24:00");
  share = {};
  for (int day = kMon; day <= kFri; ++day) {
    for (int h = 8; h < 17; ++h) share[day][h] = h == 12 ? 0.2 : 0.9;  // lunch is not usual
  }
  share[kSat][10] = 0.5;  // one usual Saturday hour is named for Saturday alone
  BOOST_TEST(DescribeUsualHours(share) ==
             "Mon\xe2\x80\x93"
             "Fri 08:00\xe2\x80\x93"
             "12:00, 13:00\xe2\x80\x93"
             "17:00, Sat 10:00\xe2\x80\x93"
             "11:00");
  for (auto& row : share) row.fill(1.0);
  BOOST_TEST(DescribeUsualHours(share) ==
             "Mon\xe2\x80\x93Sun 00:00\xe2\x80\x93"
             "24:00");
  share = {};
  share[kMon][9] = 1.0;
  share[kTue][15] = 1.0;
  share[kWed][20] = 1.0;  // three usual days with no hour in common: each named apart
  BOOST_TEST(DescribeUsualHours(share) ==
             "Mon 09:00\xe2\x80\x93"
             "10:00, Tue 15:00\xe2\x80\x93"
             "16:00, Wed 20:00\xe2\x80\x93"
             "21:00");
  share = {};
  share[kSun][23] = share[kMon][0] = 1.0;  // Sunday night runs on into Monday
  BOOST_TEST(DescribeUsualHours(share) ==
             "Sun 23:00\xe2\x80\x93"
             "01:00");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
