// The failed-token lockout (SPEC §8): 10 failures from one address within 10 minutes of the
// first lock that address out until those 10 minutes end.
#pragma once

#include <cstdint>

#include "store.h"

namespace heartbeat {

constexpr int kMaxAuthFailures = 10;
constexpr int64_t kAuthFailureSpanMs = 10 * 60 * 1000;

// Milliseconds the address stays locked out, 0 when it is not locked out.
int64_t LockoutRemainingMs(const AuthFailures& failures, int64_t now_ms);

// The Retry-After value for a lockout: whole seconds, rounded up, at least 1.
int64_t RetryAfterSeconds(int64_t remaining_ms);

}  // namespace heartbeat
