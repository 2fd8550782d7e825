#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>
#include <csignal>
#include <deque>
#include <map>
#include <string>
#include <vector>

#include "agent.h"
#include "idle.h"
#include "sleep_watch.h"
#include "waiter.h"

// Agent::Run and the retries without real time: the clock moves only when the agent waits or
// when the scripted server takes its time. The server is a scripted in-process HttpClient, since
// a unit test cannot start nginx and the two programs; tests/agent/test_agent.py and
// test_agent_sleep.py run `run` against the real server.
namespace heartbeat::agent {
namespace {

constexpr int64_t kGiveUpMs = 24 * 3600 * 1000LL;  // a loop that never ends fails, not hangs

class FakeWaiter final : public Waiter {
 public:
  explicit FakeWaiter(volatile std::sig_atomic_t& stop) : stop_(stop) {}

  int64_t now = 0;
  int64_t stop_at = -1;                  // when SIGTERM arrives; -1: never
  std::map<int64_t, PowerEvent> events;  // the power manager's notices, by time
  std::vector<int64_t> sleeps;           // the retry pauses asked for

  int64_t NowMs() const override { return now; }
  void Sleep(int64_t ms, const volatile std::sig_atomic_t*) override {
    sleeps.push_back(ms);
    Pass(ms);
  }
  PowerEvent Wait(SleepWatcher&, int64_t ms, const volatile std::sig_atomic_t& stop) override {
    if (stop) return PowerEvent::kNone;
    const int64_t until = now + ms;
    const bool stop_first =
        stop_at >= 0 && stop_at <= until && (events.empty() || stop_at <= events.begin()->first);
    if (stop_first) {
      now = std::max(now, stop_at);
      stop_ = 1;
      return PowerEvent::kNone;  // the real watchers see the flag within 100 ms
    }
    if (!events.empty() && events.begin()->first <= until) {
      now = std::max(now, events.begin()->first);
      PowerEvent event = events.begin()->second;
      events.erase(events.begin());
      return event;
    }
    Pass(ms);
    return PowerEvent::kNone;
  }
  // Time that passes outside a wait (a slow answer, a retry's pause): a signal may arrive in it.
  void Pass(int64_t ms) {
    now += ms;
    if ((stop_at >= 0 && now >= stop_at) || now > kGiveUpMs) stop_ = 1;
  }
  bool EventDue() const { return !events.empty() && events.begin()->first <= now; }

 private:
  volatile std::sig_atomic_t& stop_;
};

// Never waits itself (the FakeWaiter does); says whether a notice is due during a post.
class FakeWatcher final : public SleepWatcher {
 public:
  FakeWatcher(const FakeWaiter& time, std::vector<std::string>& journal)
      : time_(time), journal_(journal) {}
  const char* name() const override { return "fake"; }
  PowerEvent Wait(long long, const volatile std::sig_atomic_t&) override {
    BOOST_ERROR("Run waited on the watcher instead of its Waiter");
    return PowerEvent::kNone;
  }
  bool EventPending() override { return time_.EventDue(); }
  void AllowSleep() override { journal_.push_back("allow sleep at " + std::to_string(time_.now)); }

 private:
  const FakeWaiter& time_;
  std::vector<std::string>& journal_;
};

struct Reply {
  HttpResponse response;
  int64_t takes_ms = 0;  // a slow server: asked whether to abandon once a second, as curl does
};

Reply Answer(long status, int retry_after = -1) {
  Reply reply;
  reply.response.status = status;
  reply.response.retry_after_s = retry_after;
  return reply;
}

Reply Unreachable(int64_t takes_ms = 0) {
  Reply reply;
  reply.response.transport_error = true;
  reply.response.error = "Couldn't connect to server";
  reply.takes_ms = takes_ms;
  return reply;
}

// Answers from its script (then 200 at once), writes "<state> at <ms>" for each post.
class ScriptedServer final : public HttpClient {
 public:
  ScriptedServer(FakeWaiter& time, std::vector<std::string>& journal)
      : time_(time), journal_(journal) {}
  std::deque<Reply> script;
  HttpResponse Send(const HttpRequest& request) override {
    const std::string& body = request.json_body;
    const size_t state = body.find("\"state\":\"") + 9;
    journal_.push_back(body.substr(state, body.find('"', state) - state) + " at " +
                       std::to_string(time_.now));
    Reply reply = script.empty() ? Answer(200) : script.front();
    if (!script.empty()) script.pop_front();
    for (int64_t left = reply.takes_ms; left > 0; left -= 1000) {
      time_.Pass(std::min<int64_t>(left, 1000));
      if (request.abandon_if && request.abandon_if()) {
        journal_.back() += " abandoned at " + std::to_string(time_.now);
        return Unreachable().response;
      }
    }
    return reply.response;
  }

 private:
  FakeWaiter& time_;
  std::vector<std::string>& journal_;
};

// Active or idle by time: the first entry at or before now decides.
class TimedIdle final : public IdleSource {
 public:
  TimedIdle(const FakeWaiter& time, std::map<int64_t, bool> active_from)
      : time_(time), active_from_(std::move(active_from)) {}
  const char* name() const override { return "timed"; }
  Result<IdleReading> Read() override {
    auto at = active_from_.upper_bound(time_.now);
    bool active = at == active_from_.begin() || std::prev(at)->second;
    return IdleReading{active ? 0.0 : 3600.0, false};
  }

 private:
  const FakeWaiter& time_;
  std::map<int64_t, bool> active_from_;
};

AgentConfig RunConfig() {
  AgentConfig config;
  config.url = "https://example.com/cgi-bin/heartbeat.fcgi";
  config.token = "s3cret-token";
  config.device = "mac";
  config.check_interval_s = 5;
  config.interval_s = 60;
  config.idle_threshold_s = 300;
  return config;
}

// One run: the agent, its fake world, and what the server saw.
struct World {
  volatile std::sig_atomic_t stop = 0;
  FakeWaiter time{stop};
  std::vector<std::string> journal;
  ScriptedServer server{time, journal};
  FakeWatcher watcher{time, journal};
  AgentConfig config = RunConfig();

  int Run(IdleSource& idle, double jitter = 1.0) {
    Agent agent(config, server, time, SystemWallClock(), [jitter] { return jitter; });
    return agent.Run(idle, watcher, stop);
  }
  int Run(double jitter = 1.0) {
    auto idle = MakeAlwaysActiveSource();
    return Run(*idle, jitter);
  }
  // What a run that a stop request ends at `stop_at` posted (and let sleep).
  std::vector<std::string> RunUntil(int64_t stop_at, double jitter = 1.0) {
    time.stop_at = stop_at;
    BOOST_TEST(Run(jitter) == 0);
    return journal;
  }
};

BOOST_AUTO_TEST_SUITE(agent_run)

BOOST_AUTO_TEST_CASE(posts_at_start_at_once_on_a_change_and_every_interval_while_unchanged) {
  World world;
  TimedIdle idle(world.time, {{0, true}, {22'000, false}, {198'000, true}});
  world.time.stop_at = 228'500;
  BOOST_TEST(world.Run(idle) == 0);
  const std::vector<std::string> expected = {
      "active at 0",
      "idle at 25000",   // the first check after the change
      "idle at 85000",   // an interval later
      "idle at 145000",  // and again
      "active at 200000",
      "offline at 228500",  // the stop, at once, not at the next check
  };
  BOOST_TEST(world.journal == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(failures_back_off_from_check_interval_doubling_up_to_interval) {
  World world;
  world.server.script = {Answer(503), Unreachable(), Answer(503),
                         Answer(502), Answer(503),   Answer(503)};
  const std::vector<std::string> expected = {
      "active at 0",       // fails: retried at the next check
      "active at 5000",    // fails: 5 s quiet
      "active at 10000",   // fails: 10 s
      "active at 20000",   // fails: 20 s
      "active at 40000",   // fails: 40 s
      "active at 80000",   // fails: 60 s, the interval, at most
      "active at 140000",  // sent
      "active at 200000",  // an interval later
      "offline at 201000",
  };
  BOOST_TEST(world.RunUntil(201'000) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(the_backoff_is_scaled_by_the_jitter) {
  World world;
  world.server.script = {Answer(503), Answer(503), Answer(503)};
  // Quiet 2.5 s after the second failure, 5 s after the third: the checks every 5 s decide.
  const std::vector<std::string> expected = {"active at 0", "active at 5000", "active at 10000",
                                             "active at 15000", "offline at 31000"};
  BOOST_TEST(world.RunUntil(31'000, 0.5) == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_retry_after_is_waited_out_and_a_refusal_waits_an_interval) {
  World waiting;
  waiting.server.script = {Answer(429, 30)};
  const std::vector<std::string> after_429 = {"active at 0", "active at 30000", "offline at 31000"};
  BOOST_TEST(waiting.RunUntil(31'000) == after_429, boost::test_tools::per_element());

  World refused;
  refused.server.script = {Answer(401)};
  const std::vector<std::string> after_401 = {"active at 0", "active at 60000", "offline at 61000"};
  BOOST_TEST(refused.RunUntil(61'000) == after_401, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_stop_during_a_slow_post_abandons_it_and_posts_offline) {
  World world;
  world.server.script = {Unreachable(10'000)};
  const std::vector<std::string> expected = {"active at 0 abandoned at 3000", "offline at 3000"};
  BOOST_TEST(world.RunUntil(3'000) == expected, boost::test_tools::per_element());
  BOOST_TEST(world.time.now == 3000);
}

// The offline on the way out never holds up a logout: at most 2 attempts within 4 s.
BOOST_AUTO_TEST_CASE(the_offline_on_stopping_gives_up_within_four_seconds) {
  World refused_fast;
  refused_fast.server.script = {Answer(200), Unreachable(), Unreachable(), Unreachable()};
  const std::vector<std::string> two_tries = {"active at 0", "offline at 1000", "offline at 1500"};
  BOOST_TEST(refused_fast.RunUntil(1'000) == two_tries, boost::test_tools::per_element());

  World silent;
  silent.server.script = {Answer(200), Unreachable(2'000), Unreachable(2'000)};
  // A second attempt of 2 s after a pause would end past the 4 s.
  const std::vector<std::string> one_try = {"active at 0", "offline at 1000"};
  BOOST_TEST(silent.RunUntil(1'000) == one_try, boost::test_tools::per_element());
  BOOST_TEST(silent.time.now <= 1000 + 4000);
}

BOOST_AUTO_TEST_CASE(a_sleep_is_preceded_by_offline_and_a_sleep_without_a_wake_ends_in_interval) {
  World woken;
  woken.time.events = {{12'000, PowerEvent::kWillSleep}, {30'500, PowerEvent::kHasWoken}};
  const std::vector<std::string> with_wake = {"active at 0", "offline at 12000",
                                              "allow sleep at 12000", "active at 30500",
                                              "offline at 40000"};
  BOOST_TEST(woken.RunUntil(40'000) == with_wake, boost::test_tools::per_element());

  World cancelled;  // no wake comes: the sleep did not happen, and after an interval it goes on
  cancelled.time.events = {{12'000, PowerEvent::kWillSleep}};
  const std::vector<std::string> without_wake = {"active at 0", "offline at 12000",
                                                 "allow sleep at 12000", "active at 72000",
                                                 "offline at 80000"};
  BOOST_TEST(cancelled.RunUntil(80'000) == without_wake, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(once_waits_about_one_then_two_seconds_between_its_attempts) {
  for (double jitter : {1.0, 0.5}) {
    World world;
    world.server.script = {Answer(503), Answer(503), Answer(503)};
    Agent agent(world.config, world.server, world.time, SystemWallClock(),
                [jitter] { return jitter; });
    auto idle = MakeAlwaysActiveSource();
    BOOST_TEST(agent.Once(*idle) == 4);
    const std::vector<int64_t> expected = {static_cast<int64_t>(1000 * jitter),
                                           static_cast<int64_t>(2000 * jitter)};
    BOOST_TEST(world.time.sleeps == expected, boost::test_tools::per_element());
    BOOST_TEST(world.journal.size() == 3u);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat::agent
