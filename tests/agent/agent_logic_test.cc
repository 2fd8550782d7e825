#define BOOST_TEST_DYN_LINK
#include <stdlib.h>

#include <boost/test/unit_test.hpp>
#include <chrono>
#include <deque>
#include <string>
#include <vector>

#include "agent.h"
#include "idle.h"
#include "idle_command.h"
#include "retry_policy.h"
#include "sleep_watch.h"

namespace heartbeat::agent {
namespace {

HttpResponse Answer(long status, int retry_after = -1) {
  HttpResponse response;
  response.status = status;
  response.retry_after_s = retry_after;
  return response;
}

HttpResponse NetworkError() {
  HttpResponse response;
  response.transport_error = true;
  response.error = "Couldn't connect to server";
  return response;
}

BOOST_AUTO_TEST_SUITE(agent_logic)

BOOST_AUTO_TEST_CASE(state_from_idle_time_threshold_and_lock) {
  struct Case {
    double idle;
    bool locked;
    int threshold;
    DeviceState expected;
  } const cases[] = {
      {0, false, 300, DeviceState::kActive}, {299.9, false, 300, DeviceState::kActive},
      {300, false, 300, DeviceState::kIdle}, {5000, false, 300, DeviceState::kIdle},
      {0, true, 300, DeviceState::kIdle},  // locked is never active
      {10, false, 5, DeviceState::kIdle},
  };
  for (const Case& c : cases) {
    BOOST_TEST((DecideState(IdleReading{c.idle, c.locked}, c.threshold) == c.expected));
  }
  BOOST_TEST((DecideState(Status::Unavailable("no display"), 300) == DeviceState::kIdle));
}

BOOST_AUTO_TEST_CASE(idle_command_output) {
  auto plain = ParseIdleCommandOutput("42\n");
  BOOST_REQUIRE(plain.ok());
  BOOST_TEST(plain->idle_seconds == 42.0);
  BOOST_TEST(!plain->locked);
  auto decimal = ParseIdleCommandOutput("3.25 locked\nanything else");
  BOOST_REQUIRE(decimal.ok());
  BOOST_TEST(decimal->idle_seconds == 3.25);
  BOOST_TEST(decimal->locked);
  for (const char* bad : {"", "\n", "abc", "-5", "1e3", "12 sleeping", "12 locked now", "nan", ".",
                          "0x10", "1.2.3"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!ParseIdleCommandOutput(bad).ok()); }
  }
}

BOOST_AUTO_TEST_CASE(logind_hints) {
  const long long now = 1'800'000'000'000'000;
  IdleReading active = LogindReading(false, now - 5'000'000, false, now);
  BOOST_TEST(active.idle_seconds == 0.0);  // IdleSinceHint then says when input came back
  BOOST_TEST(!active.locked);
  IdleReading idle = LogindReading(true, now - 90'000'000, true, now);
  BOOST_TEST(idle.idle_seconds == 90.0);
  BOOST_TEST(idle.locked);
  // Idle since an unknown moment (0, or a clock that went back): very long, never active.
  BOOST_TEST(LogindReading(true, 0, false, now).idle_seconds >= 1e9);
  BOOST_TEST(LogindReading(true, now + 1, false, now).idle_seconds >= 1e9);
}

BOOST_AUTO_TEST_CASE(which_answers_are_retried_and_exit_codes) {
  BOOST_TEST((Classify(Answer(200)) == Outcome::kSent));
  BOOST_TEST((Classify(Answer(401)) == Outcome::kRejected));
  BOOST_TEST((Classify(Answer(400)) == Outcome::kRejected));
  BOOST_TEST((Classify(Answer(404)) == Outcome::kRejected));
  BOOST_TEST((Classify(Answer(413)) == Outcome::kRejected));
  BOOST_TEST((Classify(Answer(302)) == Outcome::kRejected));
  BOOST_TEST((Classify(Answer(429)) == Outcome::kRetryable));
  BOOST_TEST((Classify(Answer(500)) == Outcome::kRetryable));
  BOOST_TEST((Classify(Answer(503)) == Outcome::kRetryable));
  BOOST_TEST((Classify(NetworkError()) == Outcome::kRetryable));
  BOOST_TEST(ExitCodeFor(Outcome::kSent) == 0);
  BOOST_TEST(ExitCodeFor(Outcome::kRejected) == 3);
  BOOST_TEST(ExitCodeFor(Outcome::kRetryable) == 4);
}

BOOST_AUTO_TEST_CASE(backoff_doubles_with_jitter_within_three_attempts_and_thirty_seconds) {
  RetryPolicy policy;
  const long long timeout = 10'000;
  BOOST_TEST(NextDelayMs(policy, 2, NetworkError(), 0, timeout, 1.0).value() == 1000);
  BOOST_TEST(NextDelayMs(policy, 2, NetworkError(), 0, timeout, 0.5).value() == 500);
  BOOST_TEST(NextDelayMs(policy, 3, Answer(503), 1000, timeout, 1.0).value() == 2000);
  BOOST_TEST(NextDelayMs(policy, 3, Answer(503), 1000, timeout, 0.75).value() == 1500);
  BOOST_TEST(!NextDelayMs(policy, 4, Answer(503), 3000, timeout, 1.0).has_value());  // 3 attempts
  BOOST_TEST(!NextDelayMs(policy, 2, Answer(401), 0, timeout, 1.0).has_value());     // final
  BOOST_TEST(!NextDelayMs(policy, 2, Answer(200), 0, timeout, 1.0).has_value());
  // Two slow timeouts: a third attempt could not finish within 30 s.
  BOOST_TEST(!NextDelayMs(policy, 3, NetworkError(), 20'500, timeout, 1.0).has_value());
}

BOOST_AUTO_TEST_CASE(run_backs_off_from_check_interval_up_to_interval) {
  // check_interval 5 s, interval 60 s.
  BOOST_TEST(RunQuietMs(1, 5, 60, NetworkError(), 1.0) == 0);  // the next check retries
  BOOST_TEST(RunQuietMs(2, 5, 60, NetworkError(), 1.0) == 5000);
  BOOST_TEST(RunQuietMs(3, 5, 60, Answer(503), 1.0) == 10'000);
  BOOST_TEST(RunQuietMs(4, 5, 60, Answer(503), 1.0) == 20'000);
  BOOST_TEST(RunQuietMs(5, 5, 60, Answer(503), 1.0) == 40'000);
  BOOST_TEST(RunQuietMs(6, 5, 60, Answer(503), 1.0) == 60'000);     // capped at interval
  BOOST_TEST(RunQuietMs(1000, 5, 60, Answer(503), 1.0) == 60'000);  // no overflow
  BOOST_TEST(RunQuietMs(3, 5, 60, Answer(503), 0.5) == 5000);       // jitter
  BOOST_TEST(RunQuietMs(3, 5, 60, Answer(503), 7.0) == 10'000);     // jitter kept in range
  // Retry-After is never cut short, and lengthens a shorter backoff.
  BOOST_TEST(RunQuietMs(1, 5, 60, Answer(429, 30), 1.0) == 30'000);
  BOOST_TEST(RunQuietMs(6, 5, 60, Answer(503, 90), 1.0) == 90'000);
  BOOST_TEST(RunQuietMs(4, 5, 60, Answer(503, 2), 1.0) == 20'000);
}

BOOST_AUTO_TEST_CASE(retry_after_is_honoured_unless_it_overruns_the_budget) {
  RetryPolicy policy;
  BOOST_TEST(NextDelayMs(policy, 2, Answer(429, 3), 0, 10'000, 1.0).value() == 3000);
  BOOST_TEST(NextDelayMs(policy, 2, Answer(503, 0), 0, 10'000, 1.0).value() == 0);
  BOOST_TEST(!NextDelayMs(policy, 2, Answer(429, 600), 0, 10'000, 1.0).has_value());
  BOOST_TEST(!NextDelayMs(policy, 2, Answer(503, 25), 0, 10'000, 1.0).has_value());
}

// A fake server for Agent: answers from a queue, records what was sent.
class FakeHttp final : public HttpClient {
 public:
  std::deque<HttpResponse> answers;
  std::vector<HttpRequest> sent;
  HttpResponse Send(const HttpRequest& request) override {
    sent.push_back(request);
    HttpResponse answer = answers.empty() ? Answer(200) : answers.front();
    if (!answers.empty()) answers.pop_front();
    return answer;
  }
};

AgentConfig TestConfig() {
  AgentConfig config;
  config.url = "https://example.com/cgi-bin/heartbeat.fcgi";
  config.token = "s3cret-token";
  config.device = "mac";
  return config;
}

BOOST_AUTO_TEST_CASE(once_retries_then_gives_up_with_exit_4) {
  AgentConfig config = TestConfig();
  FakeHttp http;
  http.answers = {Answer(503, 0), Answer(502, 0), Answer(503, 0), Answer(200)};
  Agent agent(config, http);
  auto idle = MakeAlwaysActiveSource();
  BOOST_TEST(agent.Once(*idle) == 4);
  BOOST_TEST(http.sent.size() == 3u);
  BOOST_TEST(http.sent[0].json_body == "{\"device\":\"mac\",\"state\":\"active\"}");
  BOOST_TEST(http.sent[0].bearer_token == "s3cret-token");
}

BOOST_AUTO_TEST_CASE(once_stops_at_a_refusal_with_exit_3_and_succeeds_after_a_retry) {
  AgentConfig config = TestConfig();
  FakeHttp refused;
  refused.answers = {Answer(401)};
  Agent agent(config, refused);
  BOOST_TEST(agent.Offline() == 3);
  BOOST_TEST(refused.sent.size() == 1u);
  BOOST_TEST(refused.sent[0].json_body == "{\"device\":\"mac\",\"state\":\"offline\"}");

  FakeHttp flaky;
  flaky.answers = {Answer(429, 0), Answer(200)};
  Agent retrying(config, flaky);
  auto idle = MakeAlwaysActiveSource();
  BOOST_TEST(retrying.Once(*idle) == 0);
  BOOST_TEST(flaky.sent.size() == 2u);
}

BOOST_AUTO_TEST_CASE(retry_after_header_lines) {
  BOOST_TEST(RetryAfterSeconds("Retry-After: 30\r\n") == 30);
  BOOST_TEST(RetryAfterSeconds("retry-after:0\r\n") == 0);
  BOOST_TEST(RetryAfterSeconds("RETRY-AFTER: \t 7 \r\n") == 7);
  for (const char* other : {"Retry-After: Wed, 21 Oct 2026 07:28:00 GMT\r\n", "Retry-After: -1\r\n",
                            "Retry-After: 86401\r\n", "Retry-After:\r\n", "Content-Length: 5\r\n",
                            "Retry-After-Extra: 5\r\n", ""}) {
    BOOST_TEST_CONTEXT(other) { BOOST_TEST(RetryAfterSeconds(other) == -1); }
  }
}

BOOST_AUTO_TEST_CASE(the_token_is_redacted_from_log_lines) {
  BOOST_TEST(Redact("Bearer abc123 and abc123", "abc123") == "Bearer [redacted] and [redacted]");
  BOOST_TEST(Redact("nothing here", "abc123") == "nothing here");
  BOOST_TEST(Redact("empty secret", "") == "empty secret");
}

// Plays the power manager: hands out the scripted events, one per wait, then stops the run.
class ScriptedSleep final : public SleepWatcher {
 public:
  ScriptedSleep(std::deque<PowerEvent> script, std::vector<std::string>& journal,
                volatile std::sig_atomic_t& stop)
      : script_(std::move(script)), journal_(journal), stop_(stop) {}
  const char* name() const override { return "scripted"; }
  PowerEvent Wait(long long, const volatile std::sig_atomic_t&) override {
    if (script_.empty()) {
      stop_ = 1;
      return PowerEvent::kNone;
    }
    PowerEvent event = script_.front();
    script_.pop_front();
    return event;
  }
  bool EventPending() override { return false; }
  void AllowSleep() override { journal_.push_back("allow sleep"); }

 private:
  std::deque<PowerEvent> script_;
  std::vector<std::string>& journal_;
  volatile std::sig_atomic_t& stop_;
};

class JournalHttp final : public HttpClient {
 public:
  explicit JournalHttp(std::vector<std::string>& journal) : journal_(journal) {}
  HttpResponse Send(const HttpRequest& request) override {
    journal_.push_back("post " + request.json_body.substr(request.json_body.find("\"state\"")));
    return Answer(200);
  }

 private:
  std::vector<std::string>& journal_;
};

BOOST_AUTO_TEST_CASE(
    run_posts_offline_before_allowing_sleep_nothing_while_asleep_and_the_state_on_waking) {
  AgentConfig config = TestConfig();
  config.check_interval_s = 1;
  std::vector<std::string> journal;
  volatile std::sig_atomic_t stop = 0;
  JournalHttp http(journal);
  ScriptedSleep sleep({PowerEvent::kNone, PowerEvent::kWillSleep, PowerEvent::kNone,
                       PowerEvent::kNone, PowerEvent::kHasWoken, PowerEvent::kNone},
                      journal, stop);
  Agent agent(config, http);
  auto idle = MakeAlwaysActiveSource();
  BOOST_TEST(agent.Run(*idle, sleep, stop) == 0);
  const std::vector<std::string> expected = {
      "post \"state\":\"active\"}",   // at start
      "post \"state\":\"offline\"}",  // the sleep notice: offline first,
      "allow sleep",                  // then the sleep; two checks while asleep post nothing
      "post \"state\":\"active\"}",   // awake: at once
      "post \"state\":\"offline\"}",  // stopped
  };
  BOOST_TEST(journal == expected, boost::test_tools::per_element());
}

// A token that is part of "[redacted]" once made Redact search its own replacement forever.
BOOST_AUTO_TEST_CASE(redact_never_loops, *boost::unit_test::timeout(10)) {
  BOOST_TEST(Redact("a e b", "e") == "a [redacted] b");
  BOOST_TEST(Redact("redacted", "redacted") == "[redacted]");
  BOOST_TEST(Redact("[redacted]", "[redacted]") == "[redacted]");
  BOOST_TEST(Redact("ddd", "d") == "[redacted][redacted][redacted]");
}

// Programs the agent runs get its environment without the token (agent/README.md).
BOOST_AUTO_TEST_CASE(commands_run_without_the_token_in_their_environment) {
  setenv("HEARTBEAT_TOKEN", "s3cr3t", 1);
  setenv("HEARTBEAT_TEST_OTHER", "kept", 1);
  auto output =
      RunCommand("printf '%s %s' \"${HEARTBEAT_TOKEN-unset}\" \"$HEARTBEAT_TEST_OTHER\"", 5);
  unsetenv("HEARTBEAT_TOKEN");
  unsetenv("HEARTBEAT_TEST_OTHER");
  BOOST_REQUIRE(output.ok());
  BOOST_TEST(output.value() == "unset kept");
}

// The deadline covers the whole run: output closed early does not let the wait block.
BOOST_AUTO_TEST_CASE(
    a_command_that_closes_its_output_and_keeps_running_is_stopped_at_the_deadline) {
  const auto started = std::chrono::steady_clock::now();
  // Closes every copy of its output (3-9 too, in case one leaked), then lives on.
  auto output = RunCommand("echo 5; exec >&- 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&-; sleep 30", 1);
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  BOOST_TEST(!output.ok());
  BOOST_TEST(output.status().message() == "timed out after 1 s");
  BOOST_TEST(took < 3.0);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat::agent
