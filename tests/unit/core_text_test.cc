// The small text helpers of lib/core that the server and the agent share.
#include <boost/test/unit_test.hpp>

#include "device_name.h"
#include "iso_time.h"
#include "path_name.h"
#include "trim.h"

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(core_text)

BOOST_AUTO_TEST_CASE(trim_cuts_only_the_given_blanks_at_the_ends) {
  BOOST_TEST(Trim(" \t a b \t ") == "a b");
  BOOST_TEST(Trim("") == "");
  BOOST_TEST(Trim(" \t ") == "");
  BOOST_TEST(Trim("x\r\n") == "x\r\n");  // by default only spaces and tabs
  BOOST_TEST(Trim("token\r\n", " \r\n") == "token");
  BOOST_TEST(Trim("a") == "a");
}

BOOST_AUTO_TEST_CASE(iso_utc_to_the_second) {
  BOOST_TEST(IsoUtc(0) == "1970-01-01T00:00:00Z");
  BOOST_TEST(IsoUtc(1'795'873'205'999) == "2026-11-28T13:40:05Z");
  BOOST_TEST(IsoUtc(951'782'400'000) == "2000-02-29T00:00:00Z");  // a leap day
  BOOST_TEST(IsoUtc(-1) == "1969-12-31T23:59:59Z");               // floored, not rounded up
}

BOOST_AUTO_TEST_CASE(device_name_characters_and_length) {
  for (char c : std::string("AZaz09._-")) BOOST_TEST(IsDeviceNameCharacter(c));
  for (char c : std::string(" /:@\"\\\n\x7f\xc3")) BOOST_TEST(!IsDeviceNameCharacter(c));
  BOOST_TEST(IsValidDeviceName(std::string(kMaxDeviceNameLength, 'a')));
  BOOST_TEST(!IsValidDeviceName(std::string(kMaxDeviceNameLength + 1, 'a')));
  BOOST_TEST(!IsValidDeviceName(""));
}

BOOST_AUTO_TEST_CASE(path_parts) {
  BOOST_TEST(DirName("/a/b/c.conf") == "/a/b");
  BOOST_TEST(DirName("c.conf") == ".");
  BOOST_TEST(DirName("/c.conf") == "/");
  BOOST_TEST(BaseName("/a/b/c.conf") == "c.conf");
  BOOST_TEST(BaseName("c.conf") == "c.conf");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
