#include "retry_policy.h"

#include <algorithm>

namespace heartbeat::agent {

Outcome Classify(const HttpResponse& response) {
  if (response.transport_error) return Outcome::kRetryable;
  if (response.status >= 200 && response.status < 300) return Outcome::kSent;
  if (response.status == 429 || response.status >= 500) return Outcome::kRetryable;
  return Outcome::kRejected;
}

int ExitCodeFor(Outcome outcome) {
  switch (outcome) {
    case Outcome::kSent:
      return kExitSent;
    case Outcome::kRejected:
      return kExitRejected;
    case Outcome::kRetryable:
      return kExitUnavailable;
  }
  return kExitUnavailable;
}

std::optional<long long> NextDelayMs(const RetryPolicy& policy, int next_attempt,
                                     const HttpResponse& previous, long long elapsed_ms,
                                     long long request_timeout_ms, double jitter) {
  if (Classify(previous) != Outcome::kRetryable || next_attempt > policy.max_attempts) {
    return std::nullopt;
  }
  long long delay;
  if (previous.retry_after_s >= 0) {
    delay = previous.retry_after_s * 1000LL;
  } else {
    delay = policy.base_delay_ms << (next_attempt - 2);
    if (jitter < 0.5) jitter = 0.5;
    if (jitter > 1.0) jitter = 1.0;
    delay = static_cast<long long>(static_cast<double>(delay) * jitter);
  }
  // A transport failure may have been quick (refused) or slow (timeout): budget for a full one.
  if (elapsed_ms + delay + request_timeout_ms > policy.budget_ms) return std::nullopt;
  return delay;
}

long long RunQuietMs(int failures, int check_interval_s, int interval_s,
                     const HttpResponse& previous, double jitter) {
  long long delay = 0;
  if (failures >= 2) {
    const long long cap = interval_s * 1000LL;
    delay = check_interval_s * 1000LL;
    for (int i = 2; i < failures && delay < cap; ++i) delay *= 2;
    if (delay > cap) delay = cap;
    if (jitter < 0.5) jitter = 0.5;
    if (jitter > 1.0) jitter = 1.0;
    delay = static_cast<long long>(static_cast<double>(delay) * jitter);
  }
  if (previous.retry_after_s >= 0) delay = std::max(delay, previous.retry_after_s * 1000LL);
  return delay;
}

}  // namespace heartbeat::agent
