// The one way a moment is written for people and for JSON: ISO 8601 in UTC.
#pragma once

#include <cstdint>
#include <string>

namespace heartbeat {

// "2026-03-01T14:05:09Z" for unix milliseconds (the milliseconds are dropped).
std::string IsoUtc(int64_t unix_ms);

}  // namespace heartbeat
