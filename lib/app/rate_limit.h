// The failed-token lockout (docs/protocol.md, "Rate limit"): 10 wrong Bearer tokens from one
// address within 10 minutes of the first lock that address out until those 10 minutes end.
// Requests without a Bearer credential are never counted; the right token always passes.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace heartbeat {

constexpr int kMaxAuthFailures = 10;
constexpr int64_t kAuthFailureSpanMs = 10 * 60 * 1000;
// At most this many addresses are kept; beyond it the oldest spans are forgotten first, so
// that a flood from many addresses cannot grow the database without bound.
constexpr int kMaxTrackedAddresses = 10000;

// What the store keeps per client address about failed tokens.
struct AuthFailures {
  int64_t first_ms = 0;  // time of the first failure of the current 10-minute span
  int count = 0;
};

// The key an address is counted under: an IPv4 address as it is, an IPv6 address by its /64
// (one host usually has a whole /64), an IPv4-mapped IPv6 address as the IPv4 address.
// Anything else as it is.
std::string AddressKey(std::string_view remote_addr);

// Milliseconds the address stays locked out, 0 when it is not locked out.
int64_t LockoutRemainingMs(const AuthFailures& failures, int64_t now_ms);

// The Retry-After value for a lockout: whole seconds, rounded up, at least 1.
int64_t LockoutRetryAfterSeconds(int64_t remaining_ms);

}  // namespace heartbeat
