// Time zone names against the real zoneinfo files (Debian's tzdata) and a TZDIR of our own.
#include "time_zone.h"

#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>

#include "server_config.h"
#include "test_support.h"

namespace heartbeat {
namespace {

// Sets TZDIR for one test and puts the old value back.
class ScopedTzDir {
 public:
  explicit ScopedTzDir(const std::string& dir) {
    if (const char* old = std::getenv("TZDIR")) old_ = old, had_ = true;
    setenv("TZDIR", dir.c_str(), 1);
  }
  ~ScopedTzDir() { had_ ? (void)setenv("TZDIR", old_.c_str(), 1) : (void)unsetenv("TZDIR"); }

 private:
  bool had_ = false;
  std::string old_;
};

// UTC seconds of a civil UTC time.
int64_t Utc(int year, int month, int day, int hour, int minute) {
  struct tm t {};
  t.tm_year = year - 1900, t.tm_mon = month - 1, t.tm_mday = day, t.tm_hour = hour,
  t.tm_min = minute;
  return static_cast<int64_t>(timegm(&t));
}

BOOST_AUTO_TEST_SUITE(time_zone)

BOOST_AUTO_TEST_CASE(real_zone_names_are_accepted) {
  for (const char* name : {"Europe/Berlin", "America/New_York", "UTC", "Asia/Kolkata",
                           "America/Argentina/Buenos_Aires", "Etc/GMT+5", "Etc/GMT-14"}) {
    BOOST_TEST_CONTEXT(name) { BOOST_TEST(CheckTimeZone(name).ok()); }
  }
}

BOOST_AUTO_TEST_CASE(unsafe_or_unknown_names_are_refused) {
  const char* const bad[] = {
      "",
      "/etc/passwd",
      "../../etc/passwd",
      "Europe/../../../etc/passwd",
      "Europe/./Berlin",
      "Europe//Berlin",
      "Europe/Berlin/",
      "Europe/Berlin\n",
      "Europe/Ber lin",
      "Europe\\Berlin",
      "Europe/Berlín",
      "Mars/Olympus_Mons",
      "Europe",     // a folder, not a file
      "zone.tab",   // a file, but not TZif
      "localtime",  // a link to /etc/localtime: the host's setting, outside the folder
  };
  for (const char* name : bad) {
    BOOST_TEST_CONTEXT(name) { BOOST_TEST(!CheckTimeZone(name).ok()); }
  }
  BOOST_TEST(!CheckTimeZone(std::string(256, 'A')).ok());
  BOOST_TEST(CheckTimeZone("x/../UTC").message() ==
             "expected an IANA time zone name such as Europe/Berlin");
}

BOOST_AUTO_TEST_CASE(tzdir_is_where_the_names_are_looked_up) {
  testing::TempDir dir;
  BOOST_REQUIRE(mkdir(dir.File("Test").c_str(), 0700) == 0);
  std::filesystem::copy_file("/usr/share/zoneinfo/Europe/Berlin", dir.File("Test/Zone"));
  testing::WriteFile(dir.File("Test/NotTzif"), "TZ is a thing\n");
  ScopedTzDir scoped(dir.path());
  BOOST_TEST(ZoneInfoDir() == dir.path());
  BOOST_TEST(CheckTimeZone("Test/Zone").ok());
  BOOST_TEST(!CheckTimeZone("Test/NotTzif").ok());
  BOOST_TEST(!CheckTimeZone("Europe/Berlin").ok());  // only in the system's folder
  ZoneClock clock("Test/Zone");                      // the C library follows TZDIR too
  BOOST_TEST(clock.Local(Utc(2026, 7, 1, 12, 0)).tm_hour == 14);
}

BOOST_AUTO_TEST_CASE(a_zone_must_resolve_inside_the_zoneinfo_folder) {
  // The host's folder has links that stay inside (zones renamed, the posix/ copies).
  for (const char* linked : {"US/Eastern", "UTC", "posix/Europe/Berlin"}) {
    BOOST_TEST_CONTEXT(linked) { BOOST_TEST(CheckTimeZone(linked).ok()); }
  }
  testing::TempDir outside;
  std::filesystem::copy_file("/usr/share/zoneinfo/Europe/Berlin", outside.File("Zone"));
  testing::TempDir dir;
  BOOST_REQUIRE(mkdir(dir.File("Test").c_str(), 0700) == 0);
  std::filesystem::copy_file("/usr/share/zoneinfo/Europe/Berlin", dir.File("Test/Zone"));
  BOOST_REQUIRE(symlink("Zone", dir.File("Test/Relative").c_str()) == 0);
  BOOST_REQUIRE(symlink(dir.File("Test/Zone").c_str(), dir.File("Test/Absolute").c_str()) == 0);
  BOOST_REQUIRE(symlink("Test", dir.File("Again").c_str()) == 0);
  BOOST_REQUIRE(symlink(outside.File("Zone").c_str(), dir.File("Test/Out").c_str()) == 0);
  BOOST_REQUIRE(symlink("../../../../../../../../../../../../../../..", dir.File("Up").c_str()) ==
                0);
  BOOST_REQUIRE(symlink(outside.path().c_str(), dir.File("Elsewhere").c_str()) == 0);
  BOOST_REQUIRE(symlink("Loop", dir.File("Loop").c_str()) == 0);
  ScopedTzDir scoped(dir.path());
  for (const char* inside : {"Test/Zone", "Test/Relative", "Test/Absolute", "Again/Relative"}) {
    BOOST_TEST_CONTEXT(inside) { BOOST_TEST(CheckTimeZone(inside).ok()); }
  }
  std::string through_up = "Up" + outside.File("Zone");
  for (const std::string& out :
       {std::string("Test/Out"), std::string("Elsewhere/Zone"), through_up, std::string("Loop")}) {
    BOOST_TEST_CONTEXT(out) { BOOST_TEST(!CheckTimeZone(out).ok()); }
  }
}

BOOST_AUTO_TEST_CASE(the_config_key_names_its_line_when_wrong) {
  auto good = ParseServerConfig("timezone = Europe/Berlin\n", "/srv", "heartbeat.conf");
  BOOST_REQUIRE(good.ok());
  BOOST_TEST(good->timezone == "Europe/Berlin");
  BOOST_TEST(ParseServerConfig("", "/srv", "heartbeat.conf")->timezone.empty());
  auto bad = ParseServerConfig("\ntimezone = Europe/Atlantis\n", "/srv", "heartbeat.conf");
  BOOST_REQUIRE(!bad.ok());
  BOOST_TEST(bad.status().message() ==
             "heartbeat.conf line 2: timezone: no time zone 'Europe/Atlantis' in the host's "
             "zoneinfo (tzdata, or the folder $TZDIR names)");
  BOOST_TEST(!ParseServerConfig("timezone =\n", "/srv", "heartbeat.conf").ok());
  BOOST_TEST(!ParseServerConfig("timezone = ../zoneinfo/UTC\n", "/srv", "heartbeat.conf").ok());
}

BOOST_AUTO_TEST_CASE(local_time_follows_daylight_saving_and_tz_comes_back) {
  setenv("TZ", "UTC0", 1);
  {
    ZoneClock berlin("Europe/Berlin");
    // 2026: summer time from Sunday 29 March 01:00 UTC to Sunday 25 October 01:00 UTC.
    BOOST_TEST(berlin.Local(Utc(2026, 3, 29, 0, 59)).tm_hour == 1);   // 01:59 CET
    BOOST_TEST(berlin.Local(Utc(2026, 3, 29, 1, 0)).tm_hour == 3);    // 03:00 CEST
    BOOST_TEST(berlin.Local(Utc(2026, 10, 25, 0, 59)).tm_hour == 2);  // 02:59 CEST
    BOOST_TEST(berlin.Local(Utc(2026, 10, 25, 1, 0)).tm_hour == 2);   // 02:00 CET again
    BOOST_TEST(berlin.Local(Utc(2026, 10, 25, 1, 0)).tm_wday == 0);   // Sunday
  }
  BOOST_TEST(std::string(std::getenv("TZ")) == "UTC0");
  unsetenv("TZ");
  {
    ZoneClock new_york("America/New_York");
    BOOST_TEST(new_york.Local(Utc(2026, 3, 8, 6, 59)).tm_hour == 1);  // 01:59 EST
    BOOST_TEST(new_york.Local(Utc(2026, 3, 8, 7, 0)).tm_hour == 3);   // 03:00 EDT
    // Far past the table of transitions: the file's POSIX rule still applies.
    BOOST_TEST(new_york.Local(Utc(2100, 7, 1, 12, 0)).tm_gmtoff == -4 * 3600);
    BOOST_TEST(new_york.Local(Utc(2100, 1, 1, 12, 0)).tm_gmtoff == -5 * 3600);
  }
  BOOST_TEST(std::getenv("TZ") == nullptr);
  ZoneClock utc("");
  BOOST_TEST(utc.Local(Utc(2026, 7, 1, 12, 0)).tm_hour == 12);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
