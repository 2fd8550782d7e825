// What an answer means for the agent: sent, refused for good, or worth another try; and when.
#pragma once

#include <optional>

#include "http_client.h"

namespace heartbeat::agent {

enum class Outcome {
  kSent,       // 2xx
  kRejected,   // 401 and every other 4xx but 429: retrying won't help
  kRetryable,  // network or TLS failure, 5xx, 429
};

Outcome Classify(const HttpResponse& response);

// The process exit codes (agent/README.md).
constexpr int kExitSent = 0;
constexpr int kExitUsage = 2;
constexpr int kExitRejected = 3;
constexpr int kExitUnavailable = 4;
int ExitCodeFor(Outcome outcome);

struct RetryPolicy {
  int max_attempts = 3;
  long long budget_ms = 30'000;  // all attempts and waits together
  long long base_delay_ms = 1000;
};

// How long to wait before attempt number `next_attempt` (2, 3, …) after `previous` answered,
// with `elapsed_ms` spent so far; nullopt when there is to be no further attempt: the answer was
// final, the attempts are used up, or the wait (or a Retry-After) plus one more request of
// `request_timeout_ms` would overrun the budget. Without Retry-After the wait doubles from
// base_delay_ms, scaled by `jitter` in [0.5, 1.0] so that many agents do not retry in step.
std::optional<long long> NextDelayMs(const RetryPolicy& policy, int next_attempt,
                                     const HttpResponse& previous, long long elapsed_ms,
                                     long long request_timeout_ms, double jitter);

// In `run`, how long to stay quiet after `failures` (1, 2, …) retryable failures in a row that
// ended with `previous`. The first is retried at the next check; then the wait doubles from
// check_interval up to interval, scaled by `jitter` in [0.5, 1.0], so that a server that is down
// is not asked every few seconds by every agent. A Retry-After is never cut short.
long long RunQuietMs(int failures, int check_interval_s, int interval_s,
                     const HttpResponse& previous, double jitter);

}  // namespace heartbeat::agent
