#include "status_format.h"

#include <boost/test/unit_test.hpp>

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(status_format)

BOOST_AUTO_TEST_CASE(last_seen_formats) {
  const int64_t at = 1'795'873'205'123;  // 2026-11-28T13:40:05.123Z
  BOOST_TEST(FormatLastSeen(at, LastSeenPolicy::kExact) == "2026-11-28T13:40:05Z");
  BOOST_TEST(FormatLastSeen(at, LastSeenPolicy::kMinute) == "2026-11-28T13:40:00Z");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
