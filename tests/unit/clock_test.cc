#include "clock.h"

#include <time.h>

#include <boost/test/unit_test.hpp>

namespace heartbeat {
namespace {

void SleepMs(long ms) {
  timespec pause{0, ms * 1000000};
  nanosleep(&pause, nullptr);
}

BOOST_AUTO_TEST_SUITE(clock)

BOOST_AUTO_TEST_CASE(a_marked_clock_holds_the_time_of_its_last_mark) {
  SystemClock system;
  MarkedClock marked;
  // Before a mark it is the system clock.
  const int64_t before = system.NowMs();
  const int64_t unmarked = marked.NowMs();
  BOOST_TEST(unmarked >= before);
  BOOST_TEST(unmarked <= system.NowMs());
  SleepMs(20);
  BOOST_TEST(marked.NowMs() >= unmarked + 20);

  marked.Mark();
  const int64_t at_mark = marked.NowMs();
  SleepMs(20);
  BOOST_TEST(marked.NowMs() == at_mark);  // however long the wake lasts
  BOOST_TEST(system.NowMs() >= at_mark + 20);

  marked.Mark();
  BOOST_TEST(marked.NowMs() >= at_mark + 20);
  BOOST_TEST(marked.NowMs() <= system.NowMs());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
