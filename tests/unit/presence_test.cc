#include "presence.h"

#include "rate_limit.h"
#include "test_support.h"

namespace heartbeat {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;
constexpr int kWindow = 180;

BOOST_AUTO_TEST_SUITE(presence)

BOOST_AUTO_TEST_CASE(nothing_known_is_offline) {
  BOOST_TEST((DecidePresence({}, kNow, kWindow).presence == Presence::kOffline));
}

BOOST_AUTO_TEST_CASE(active_window_boundary_to_the_millisecond) {
  PresenceFacts facts;
  facts.newest_active_ms = kNow - kWindow * 1000 + 1;
  PresenceVerdict verdict = DecidePresence(facts, kNow, kWindow);
  BOOST_TEST((verdict.presence == Presence::kOnline));
  BOOST_TEST(verdict.online_remaining_ms == 1);

  facts.newest_active_ms = kNow - kWindow * 1000;  // exactly one window old: expired
  BOOST_TEST((DecidePresence(facts, kNow, kWindow).presence == Presence::kOffline));
}

BOOST_AUTO_TEST_CASE(one_second_before_and_after_the_window) {
  PresenceFacts facts;
  facts.newest_active_ms = kNow - (kWindow - 1) * 1000;
  BOOST_TEST((DecidePresence(facts, kNow, kWindow).presence == Presence::kOnline));
  BOOST_TEST(DecidePresence(facts, kNow, kWindow).online_remaining_ms == 1000);
  facts.newest_active_ms = kNow - (kWindow + 1) * 1000;
  BOOST_TEST((DecidePresence(facts, kNow, kWindow).presence == Presence::kOffline));
}

BOOST_AUTO_TEST_CASE(idle_within_window_is_away_and_active_beats_idle) {
  PresenceFacts facts;
  facts.newest_idle_ms = kNow - 1000;
  BOOST_TEST((DecidePresence(facts, kNow, kWindow).presence == Presence::kAway));
  facts.newest_active_ms = kNow - 100'000;
  BOOST_TEST((DecidePresence(facts, kNow, kWindow).presence == Presence::kOnline));
  facts.newest_active_ms = kNow - 200'000;  // expired active, fresh idle
  BOOST_TEST((DecidePresence(facts, kNow, kWindow).presence == Presence::kAway));
  facts.newest_idle_ms = kNow - 200'000;
  BOOST_TEST((DecidePresence(facts, kNow, kWindow).presence == Presence::kOffline));
}

BOOST_AUTO_TEST_CASE(future_stamps_count_as_just_sent) {
  PresenceFacts facts;
  facts.newest_active_ms = kNow + 3'600'000;  // the server clock was stepped back
  PresenceVerdict verdict = DecidePresence(facts, kNow, kWindow);
  BOOST_TEST((verdict.presence == Presence::kOnline));
  BOOST_TEST(verdict.online_remaining_ms == kWindow * 1000);
}

BOOST_AUTO_TEST_CASE(names_round_trip) {
  for (DeviceState state : {DeviceState::kActive, DeviceState::kIdle, DeviceState::kOffline}) {
    BOOST_TEST((ParseDeviceState(DeviceStateName(state)) == state));
  }
  BOOST_TEST(!ParseDeviceState("Active").has_value());
  BOOST_TEST(!ParseDeviceState("").has_value());
  BOOST_TEST(std::string(PresenceName(Presence::kAway)) == "away");
}

BOOST_AUTO_TEST_CASE(lockout_after_ten_failures_for_the_rest_of_ten_minutes) {
  AuthFailures failures{kNow, 9};
  BOOST_TEST(LockoutRemainingMs(failures, kNow + 1000) == 0);
  failures.count = 10;
  BOOST_TEST(LockoutRemainingMs(failures, kNow + 1000) == kAuthFailureSpanMs - 1000);
  BOOST_TEST(LockoutRemainingMs(failures, kNow + kAuthFailureSpanMs - 1) == 1);
  BOOST_TEST(LockoutRemainingMs(failures, kNow + kAuthFailureSpanMs) == 0);
  BOOST_TEST(LockoutRetryAfterSeconds(1) == 1);
  BOOST_TEST(LockoutRetryAfterSeconds(1000) == 1);
  BOOST_TEST(LockoutRetryAfterSeconds(1001) == 2);
  BOOST_TEST(LockoutRetryAfterSeconds(599'000) == 599);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
