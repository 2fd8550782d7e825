#define BOOST_TEST_DYN_LINK
#include "sleep_watch.h"

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <vector>

#include "clock.h"
#include "waiter.h"

namespace heartbeat::agent {
namespace {

// A platform whose event source brings `event` at its `arrives_at`-th run; the runs before wait
// their step out, as the real ones do when nothing comes.
class CountedPlatform final : public QueuedSleepWatcher {
 public:
  CountedPlatform(int arrives_at, PowerEvent event) : arrives_at_(arrives_at), event_(event) {}
  const char* name() const override { return "counted"; }
  bool EventPending() override { return HasQueued(); }
  void AllowSleep() override {}
  std::vector<long long> steps;
  std::vector<PowerEvent> handed_out;

 private:
  void Pump(long long step_ms) override {
    steps.push_back(step_ms);
    if (static_cast<int>(steps.size()) == arrives_at_) {
      Queue(event_);
    } else {
      SleepInSteps(step_ms, nullptr);
    }
  }
  void HandingOut(PowerEvent event) override { handed_out.push_back(event); }
  int arrives_at_;
  PowerEvent event_;
};

BOOST_AUTO_TEST_SUITE(sleep_watch)

BOOST_AUTO_TEST_CASE(a_queued_notice_ends_the_wait_and_is_handed_out_once) {
  volatile std::sig_atomic_t stop = 0;
  CountedPlatform platform(3, PowerEvent::kWillSleep);
  BOOST_TEST((platform.Wait(60'000, stop) == PowerEvent::kWillSleep));
  BOOST_TEST(platform.steps.size() == 3u);
  BOOST_TEST(platform.handed_out.size() == 1u);
  BOOST_TEST(!platform.EventPending());
}

BOOST_AUTO_TEST_CASE(without_a_notice_the_wait_runs_its_time_in_steps_of_at_most_100_ms) {
  volatile std::sig_atomic_t stop = 0;
  CountedPlatform platform(0, PowerEvent::kNone);
  const int64_t started = MonotonicMs();
  BOOST_TEST((platform.Wait(250, stop) == PowerEvent::kNone));
  BOOST_TEST(MonotonicMs() - started >= 250);
  BOOST_TEST(platform.steps.size() >= 3u);
  for (long long step : platform.steps) BOOST_TEST((step > 0 && step <= 100));
  BOOST_TEST(platform.handed_out.empty());
}

BOOST_AUTO_TEST_CASE(a_stop_request_ends_the_wait_before_the_platform_is_asked) {
  volatile std::sig_atomic_t stop = 1;
  CountedPlatform platform(1, PowerEvent::kHasWoken);
  BOOST_TEST((platform.Wait(60'000, stop) == PowerEvent::kNone));
  BOOST_TEST(platform.steps.empty());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat::agent
