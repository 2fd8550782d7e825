// The agent's commands (agent/README.md): once, run, offline, status, idle, note.
#pragma once

#include <csignal>
#include <functional>
#include <optional>
#include <string>

#include "activity.h"
#include "agent_config.h"
#include "clock.h"
#include "http_client.h"
#include "idle.h"
#include "note_request.h"
#include "retry_policy.h"
#include "sleep_watch.h"
#include "waiter.h"

namespace heartbeat::agent {

// Makes LogLine write the agent's lines: "<UTC time> heartbeat-agent: …". Called first in main.
void SetUpAgentLog();

// Writes "<UTC time> heartbeat-agent: <action>: <outcome>" to stderr through LogLine, with
// every occurrence of `secret` (the token) replaced, as a last line of defence.
void LogAction(const std::string& action, const std::string& outcome, const std::string& secret);

// Replaces every occurrence of `secret` in `text` by "[redacted]".
std::string Redact(std::string text, const std::string& secret);

// The JSON body of a heartbeat, with the note change when `note` is given and the activity
// when `activity` is.
std::string HeartbeatJson(const std::string& device, DeviceState state,
                          const NoteRequest* note = nullptr, const Activity* activity = nullptr);

// A factor in [0.5, 1.0] for a retry's wait, so that many agents do not retry in step.
double RandomJitter();

// The system's wall clock, for the owner's local time in `status`.
const Clock& SystemWallClock();

class Agent {
 public:
  // `waiter` is where the loop and the retries read the time and wait; `wall` tells the time of
  // day; `jitter` scales the waits. Tests replace all three.
  Agent(const AgentConfig& config, HttpClient& http, Waiter& waiter = SystemWaiter(),
        const Clock& wall = SystemWallClock(), std::function<double()> jitter = RandomJitter)
      : config_(config), http_(http), waiter_(waiter), wall_(wall), jitter_(std::move(jitter)) {}

  // What `once`, `note` and `run` say the owner is doing while active, from `look` (which must
  // outlive the agent); without it, nothing.
  void ShareActivity(ActivityLook* look) { activity_ = look; }

  // One decision and one POST with retries (cron). Returns the exit code.
  int Once(IdleSource& idle);
  // POSTs `offline` now (sleep or logout hooks).
  int Offline();
  // The decision of `once` and one POST with retries that also sets or clears the note.
  int PostNote(IdleSource& idle, const NoteRequest& note);
  // Prints the public status JSON, then the note and the owner's local time it carries.
  int PrintStatus();
  // Looks at the idle state every check_interval, posts at each interval and at once on a
  // change (of the state or of the activity), until `stop` is set; then posts offline and returns
  // 0. Before a sleep that `sleep` reports it posts offline (at most 2 attempts within 5 s), then
  // allows the sleep and posts nothing until the wake, when it posts the state at once.
  int Run(IdleSource& idle, SleepWatcher& sleep, const volatile std::sig_atomic_t& stop);

 private:
  // What the run loop knows between checks.
  struct RunState {
    bool have_posted = false;
    DeviceState posted = DeviceState::kOffline;
    std::optional<Activity> posted_activity;
    long long next_regular_ms = 0;  // when the interval asks for the next post
    // After a failure: backoff or Retry-After; after a refusal, the interval.
    long long quiet_until_ms = 0;
    int failures = 0;  // retryable failures in a row
    // Between "offline" before a sleep and the wake: no posts, or visitors would see "online"
    // while the lid is closed. If no wake event comes within an interval, the sleep did not
    // happen (the clock stands still while asleep), and the loop goes on.
    long long asleep_until_ms = 0;
  };
  // One check of the run loop: the state and activity looked at, posted when changed or due.
  void CheckAndPost(IdleSource& idle, SleepWatcher& sleep, const volatile std::sig_atomic_t& stop,
                    RunState* run);
  // What the run loop does on a sleep or a wake.
  void OnPowerEvent(PowerEvent event, SleepWatcher& sleep, RunState* run);
  // Posts `state` under `policy`; logs one line per attempt; returns the final answer.
  HttpResponse Post(const std::string& action, DeviceState state, const RetryPolicy& policy,
                    int timeout_s, std::function<bool()> abandon_if = {},
                    const NoteRequest* note = nullptr, const Activity* activity = nullptr);
  DeviceState CurrentState(IdleSource& idle);
  // The activity to send with `state`: only while active, and only what is shared. A source
  // that fails is logged once (until its failure changes) and gives nothing.
  std::optional<Activity> CurrentActivity(DeviceState state);
  // Posts the current state and activity once, with the note when given (once, note).
  int PostOnce(const std::string& action, IdleSource& idle, const NoteRequest* note);
  // "offline" within 5 s whatever the network: before a sleep, and on the way out.
  HttpResponse PostOfflineQuickly(const std::string& action);

  const AgentConfig& config_;
  HttpClient& http_;
  Waiter& waiter_;
  const Clock& wall_;
  std::function<double()> jitter_;
  std::string last_idle_error_;
  ActivityLook* activity_ = nullptr;
  std::string last_activity_error_;
};

}  // namespace heartbeat::agent
