// HTTP caching decisions for status answers (docs/protocol.md, "status.fcgi").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "short_text.h"

namespace heartbeat {

// A strong ETag for a representation: a quoted 64-bit FNV-1a hash of its bytes, 16 hex digits.
ShortText<18> EntityTag(std::string_view representation);

// True if an If-None-Match header value (a list, `*`, weak or strong tags) matches `etag`.
// Comparison is weak, as RFC 9110 asks for If-None-Match.
bool IfNoneMatchMatches(std::string_view if_none_match, std::string_view etag);

// "public, max-age=N" with N in whole seconds (at most 16 + 19 bytes).
ShortText<35> PublicMaxAge(int64_t seconds);

// Seconds a cache may keep an "online" answer: until the window would end, rounded down,
// at most kMaxOnlineMaxAge.
constexpr int64_t kMaxOnlineMaxAge = 60;
int64_t OnlineMaxAgeSeconds(int64_t online_remaining_ms);

}  // namespace heartbeat
