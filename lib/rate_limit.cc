#include "rate_limit.h"

namespace heartbeat {

int64_t LockoutRemainingMs(const AuthFailures& failures, int64_t now_ms) {
  if (failures.count < kMaxAuthFailures) return 0;
  int64_t remaining = failures.first_ms + kAuthFailureSpanMs - now_ms;
  return remaining > 0 ? remaining : 0;
}

int64_t RetryAfterSeconds(int64_t remaining_ms) {
  int64_t seconds = (remaining_ms + 999) / 1000;
  return seconds < 1 ? 1 : seconds;
}

}  // namespace heartbeat
