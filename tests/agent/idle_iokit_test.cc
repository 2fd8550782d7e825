#define BOOST_TEST_DYN_LINK
#include "idle_iokit.h"

#include <boost/test/unit_test.hpp>
#include <optional>
#include <string>

#include "idle.h"

namespace heartbeat::agent {
namespace {

constexpr int64_t kSecond = 1000000000;  // HIDIdleTime counts nanoseconds

std::optional<bool> NoSession() { return std::nullopt; }
std::optional<bool> Unlocked() { return false; }
std::optional<bool> Locked() { return true; }

}  // namespace

BOOST_AUTO_TEST_SUITE(idle_iokit)

// cron and ssh jobs run outside the login session: the lock state is unknown and the idle time
// alone decides, so the owner typing is "active" and an untouched machine "idle".
BOOST_AUTO_TEST_CASE(no_session_leaves_the_lock_unknown_and_idle_time_decides) {
  const IdleReading typing = IokitReading(12 * kSecond, NoSession);
  BOOST_TEST(!typing.lock_known);
  BOOST_TEST(!typing.locked);
  BOOST_TEST(typing.idle_seconds == 12.0);
  BOOST_TEST(std::string(LockedWord(typing)) == "unknown");
  BOOST_TEST((DecideState(typing, 300) == DeviceState::kActive));

  const IdleReading away = IokitReading(301 * kSecond, NoSession);
  BOOST_TEST((DecideState(away, 300) == DeviceState::kIdle));
  BOOST_TEST((DecideState(IokitReading(300 * kSecond, NoSession), 300) == DeviceState::kIdle));
  BOOST_TEST((DecideState(IokitReading(299 * kSecond, NoSession), 300) == DeviceState::kActive));
}

BOOST_AUTO_TEST_CASE(inside_the_session_the_lock_flag_counts) {
  const IdleReading locked = IokitReading(1 * kSecond, Locked);
  BOOST_TEST(locked.lock_known);
  BOOST_TEST(locked.locked);
  BOOST_TEST(std::string(LockedWord(locked)) == "yes");
  BOOST_TEST((DecideState(locked, 300) == DeviceState::kIdle));

  const IdleReading open = IokitReading(1 * kSecond, Unlocked);
  BOOST_TEST(open.lock_known);
  BOOST_TEST(std::string(LockedWord(open)) == "no");
  BOOST_TEST((DecideState(open, 300) == DeviceState::kActive));
}

BOOST_AUTO_TEST_CASE(the_session_is_asked_once_per_reading) {
  int asked = 0;
  IokitReading(0, [&asked]() -> std::optional<bool> {
    ++asked;
    return std::nullopt;
  });
  BOOST_TEST(asked == 1);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace heartbeat::agent
