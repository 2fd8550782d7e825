#include "http_cache.h"

#include <boost/test/unit_test.hpp>
#include <cstdint>

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(http_cache)

BOOST_AUTO_TEST_CASE(entity_tags_are_quoted_and_follow_the_bytes) {
  std::string a(EntityTag("{\"isOnline\":true}").view());
  BOOST_TEST(a.size() == 18u);
  BOOST_TEST(a.front() == '"');
  BOOST_TEST(a.back() == '"');
  BOOST_TEST(a == EntityTag("{\"isOnline\":true}").view());
  BOOST_TEST(a != EntityTag("{\"isOnline\":false}").view());
  BOOST_TEST(EntityTag("").view() ==
             "\"cbf29ce484222325\"");  // FNV-1a of nothing: its offset basis
}

BOOST_AUTO_TEST_CASE(if_none_match) {
  const std::string tag = "\"0123456789abcdef\"";
  BOOST_TEST(IfNoneMatchMatches(tag, tag));
  BOOST_TEST(IfNoneMatchMatches("W/" + tag, tag));
  BOOST_TEST(IfNoneMatchMatches("\"x\", " + tag + " ,\"y\"", tag));
  BOOST_TEST(IfNoneMatchMatches("*", tag));
  BOOST_TEST(!IfNoneMatchMatches("\"0123456789abcdee\"", tag));
  BOOST_TEST(!IfNoneMatchMatches("0123456789abcdef", tag));
  BOOST_TEST(!IfNoneMatchMatches(",,", tag));
  BOOST_TEST(!IfNoneMatchMatches("", tag));
}

BOOST_AUTO_TEST_CASE(max_age_rounds_down_and_caps_at_sixty) {
  BOOST_TEST(OnlineMaxAgeSeconds(179'999) == 60);
  BOOST_TEST(OnlineMaxAgeSeconds(60'999) == 60);
  BOOST_TEST(OnlineMaxAgeSeconds(59'999) == 59);
  BOOST_TEST(OnlineMaxAgeSeconds(999) == 0);
  BOOST_TEST(PublicMaxAge(42).view() == "public, max-age=42");
  BOOST_TEST(PublicMaxAge(-5).view() == "public, max-age=0");
  // The longest there is fits whole.
  BOOST_TEST(PublicMaxAge(INT64_MAX).view() == "public, max-age=9223372036854775807");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
