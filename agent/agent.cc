#include "agent.h"

#include <algorithm>
#include <cstdio>
#include <random>

#include "clock.h"
#include "json_text.h"
#include "log.h"
#include "status_summary.h"
#include "text_field.h"

namespace heartbeat::agent {
namespace {

// The offline post before a sleep or on the way out must not hold up the sleep, a shutdown or
// a logout for long (logind waits 5 s by default for a delay lock).
// A post under way when the notice comes is abandoned within about a second, so that "offline"
// is answered within 5 s of the notice: at most 2 attempts of 2 s within 4 s.
constexpr long long kQuickOfflineBudgetMs = 4000;
constexpr int kQuickOfflineAttemptS = 2;

std::string Describe(const HttpResponse& response) {
  if (response.transport_error) return response.error;
  std::string text = "HTTP " + std::to_string(response.status);
  if (response.retry_after_s >= 0)
    text += ", Retry-After " + std::to_string(response.retry_after_s);
  return text;
}

std::string SharedKinds(const ShareSet& share) {
  std::string kinds;
  for (auto [shared, name] :
       {std::pair{share.call, "call"}, {share.listening, "listening"}, {share.coding, "coding"}}) {
    if (shared) kinds += (kinds.empty() ? "" : ",") + std::string(name);
  }
  return kinds.empty() ? "nothing" : kinds;
}

}  // namespace

double RandomJitter() {
  static std::mt19937 random(std::random_device{}());
  return std::uniform_real_distribution<double>(0.5, 1.0)(random);
}

const Clock& SystemWallClock() {
  static const SystemClock clock;
  return clock;
}

std::string Redact(std::string text, const std::string& secret) {
  if (secret.empty()) return text;
  const std::string replacement = "[redacted]";
  // The search goes on after the replacement, which may itself contain the secret.
  for (size_t at = text.find(secret); at != std::string::npos;
       at = text.find(secret, at + replacement.size())) {
    text.replace(at, secret.size(), replacement);
  }
  return text;
}

void SetUpAgentLog() {
  SetLogProgramName("heartbeat-agent");
  SetLogTimestamps(true);
}

void LogAction(const std::string& action, const std::string& outcome, const std::string& secret) {
  // Outcomes carry text from servers and the bus (curl's errors, messages): never raw.
  LogLine(TerminalText(Redact(action + ": " + outcome, secret)));
}

std::string HeartbeatJson(const std::string& device, DeviceState state, const NoteRequest* note,
                          const Activity* activity) {
  return "{\"device\":" + JsonString(device) + ",\"state\":\"" + DeviceStateName(state) + "\"" +
         (note ? "," + NoteJsonMember(*note) : "") +
         (activity ? ",\"activity\":" + ActivityJson(*activity) : "") + "}";
}

HttpResponse Agent::Post(const std::string& action, DeviceState state, const RetryPolicy& policy,
                         int timeout_s, std::function<bool()> abandon_if, const NoteRequest* note,
                         const Activity* activity) {
  HttpRequest request;
  request.abandon_if = std::move(abandon_if);
  request.url = config_.url;
  request.bearer_token = config_.token;
  request.json_body = HeartbeatJson(config_.device, state, note, activity);
  request.timeout_s = timeout_s;
  const long long started = waiter_.NowMs();
  HttpResponse response;
  for (int attempt = 1;; ++attempt) {
    response = http_.Send(request);
    auto delay = NextDelayMs(policy, attempt + 1, response, waiter_.NowMs() - started,
                             timeout_s * 1000LL, jitter_());
    if (!delay) break;
    LogAction(action,
              std::string(DeviceStateName(state)) + " not sent (" + Describe(response) +
                  "), retrying in " + std::to_string(*delay) + " ms",
              config_.token);
    waiter_.Sleep(*delay, nullptr);
  }
  std::string what = std::string(DeviceStateName(state)) + " as " + config_.device;
  if (note) what += " with " + DescribeNote(*note);
  // The kind only: the track and the app are for visitors, not for every log line.
  if (activity) what += std::string(" with activity ") + ActivityKindName(activity->kind);
  switch (Classify(response)) {
    case Outcome::kSent:
      what += " sent";
      break;
    case Outcome::kRejected:
      what += " refused by the server";
      break;
    case Outcome::kRetryable:
      what += " not sent";
      break;
  }
  LogAction(action, what + " (" + Describe(response) + ")", config_.token);
  return response;
}

DeviceState Agent::CurrentState(IdleSource& idle) {
  Result<IdleReading> reading = idle.Read();
  if (!reading.ok()) {
    if (reading.status().message() != last_idle_error_) {
      LogAction("idle",
                std::string("warning: ") + idle.name() + ": " + reading.status().message() +
                    "; reporting idle",
                config_.token);
    }
    last_idle_error_ = reading.status().message();
  } else {
    last_idle_error_.clear();
  }
  return DecideState(reading, config_.idle_threshold_s);
}

std::optional<Activity> Agent::CurrentActivity(DeviceState state) {
  if (!activity_ || state != DeviceState::kActive) return std::nullopt;
  ActivityReport report = activity_->Look();
  std::string failures;
  for (const std::string& failure : report.failures)
    failures += (failures.empty() ? "" : "; ") + failure;
  if (!failures.empty() && failures != last_activity_error_) {
    LogAction("activity", "warning: " + failures + "; not shared", config_.token);
  }
  last_activity_error_ = failures;
  return report.shared;
}

int Agent::PostOnce(const std::string& action, IdleSource& idle, const NoteRequest* note) {
  const DeviceState state = CurrentState(idle);
  const std::optional<Activity> activity = CurrentActivity(state);
  return ExitCodeFor(Classify(Post(action, state, RetryPolicy{}, config_.timeout_s, {}, note,
                                   activity ? &*activity : nullptr)));
}

int Agent::Once(IdleSource& idle) { return PostOnce("once", idle, nullptr); }

int Agent::Offline() {
  return ExitCodeFor(
      Classify(Post("offline", DeviceState::kOffline, RetryPolicy{}, config_.timeout_s)));
}

int Agent::PostNote(IdleSource& idle, const NoteRequest& note) {
  return PostOnce("note", idle, &note);
}

int Agent::PrintStatus() {
  HttpRequest request;
  request.method = "GET";
  request.url = config_.status_url;
  request.timeout_s = config_.timeout_s;
  HttpResponse response = http_.Send(request);
  Outcome outcome = Classify(response);
  if (outcome == Outcome::kSent) {
    // The body is shown only once it parsed as the status JSON, and even then with no control
    // or bidirectional character: it is the server's text in the owner's terminal. The JSON
    // stays the first line, as before, for scripts; the summary follows.
    auto fields = ParseStatusFields(response.body);
    if (fields.ok()) {
      std::printf("%s\n", TerminalText(response.body).c_str());
      std::fputs(StatusSummary(fields.value(), wall_.NowMs() / 1000).c_str(), stdout);
    } else {
      LogAction("status", "warning: " + fields.status().message(), config_.token);
    }
  } else {
    LogAction("status", "failed (" + Describe(response) + ")", config_.token);
  }
  return ExitCodeFor(outcome);
}

HttpResponse Agent::PostOfflineQuickly(const std::string& action) {
  // At most 2 attempts of at most 2 s, 0.5 s apart, within 4 s in all, whatever the network.
  const RetryPolicy quick{2, kQuickOfflineBudgetMs, 500};
  return Post(action, DeviceState::kOffline, quick,
              std::min<int>(config_.timeout_s, kQuickOfflineAttemptS));
}

int Agent::Run(IdleSource& idle, SleepWatcher& sleep, const volatile std::sig_atomic_t& stop) {
  LogAction("run",
            std::string("started: idle source ") + idle.name() + ", sleep watch " + sleep.name() +
                ", check every " + std::to_string(config_.check_interval_s) + " s, post every " +
                std::to_string(config_.interval_s) + " s" +
                (activity_ ? std::string(", sharing ") + SharedKinds(activity_->share())
                           : std::string(", sharing no activity")),
            config_.token);
  RunState run;
  while (!stop) {
    if (waiter_.NowMs() >= run.asleep_until_ms) CheckAndPost(idle, sleep, stop, &run);
    OnPowerEvent(waiter_.Wait(sleep, config_.check_interval_s * 1000LL, stop), sleep, &run);
  }
  // Visitors should see "offline" now, not at the end of a window; but never hold up a logout.
  PostOfflineQuickly("stop");
  return kExitSent;
}

void Agent::CheckAndPost(IdleSource& idle, SleepWatcher& sleep,
                         const volatile std::sig_atomic_t& stop, RunState* run) {
  // In the loop, one attempt per post: the next check is the retry.
  const RetryPolicy single{1, 0, 0};
  DeviceState state = CurrentState(idle);
  std::optional<Activity> activity = CurrentActivity(state);
  const long long now = waiter_.NowMs();
  // One look per check, so a new track is posted at most once per check_interval.
  const bool same = run->have_posted && state == run->posted && activity == run->posted_activity;
  const bool due = !same || now >= run->next_regular_ms;
  if (!due || now < run->quiet_until_ms) return;
  // A sleep notice or a signal during the post cuts it short: "offline" comes first.
  HttpResponse response = Post(
      same ? "interval" : "change", state, single, config_.timeout_s,
      [&] { return stop || sleep.EventPending(); }, nullptr, activity ? &*activity : nullptr);
  switch (Classify(response)) {
    case Outcome::kSent:
      run->failures = 0;
      run->have_posted = true;
      run->posted = state;
      run->posted_activity = activity;
      run->next_regular_ms = now + config_.interval_s * 1000LL;
      break;
    case Outcome::kRejected:  // a wrong token will not fix itself at the next check
      run->quiet_until_ms = now + config_.interval_s * 1000LL;
      break;
    case Outcome::kRetryable:
      ++run->failures;
      run->quiet_until_ms = now + RunQuietMs(run->failures, config_.check_interval_s,
                                             config_.interval_s, response, jitter_());
      break;
  }
}

void Agent::OnPowerEvent(PowerEvent event, SleepWatcher& sleep, RunState* run) {
  switch (event) {
    case PowerEvent::kWillSleep:
      // Visitors should see "offline" before the lid closes; the machine waits for this.
      PostOfflineQuickly("sleep");
      sleep.AllowSleep();
      run->asleep_until_ms = waiter_.NowMs() + config_.interval_s * 1000LL;
      run->have_posted = true;
      run->posted = DeviceState::kOffline;
      run->posted_activity.reset();
      break;
    case PowerEvent::kHasWoken:  // the state at once, whatever the backoff before the sleep
      LogAction("wake", "awake again", config_.token);
      run->asleep_until_ms = 0;
      run->quiet_until_ms = 0;
      run->failures = 0;
      run->have_posted = false;
      break;
    case PowerEvent::kNone:
      break;
  }
}

}  // namespace heartbeat::agent
