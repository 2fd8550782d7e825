#include "http_cache.h"

#include <algorithm>

#include "trim.h"

namespace heartbeat {
namespace {

std::string_view StripWeak(std::string_view tag) {
  if (tag.size() >= 2 && tag[0] == 'W' && tag[1] == '/') tag.remove_prefix(2);
  return tag;
}

}  // namespace

ShortText<18> EntityTag(std::string_view representation) {
  uint64_t hash = 14695981039346656037ull;
  for (char c : representation) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ull;
  }
  char tag[18];  // a quoted 16-digit hex number
  tag[0] = tag[17] = '"';
  for (int i = 16; i >= 1; --i, hash >>= 4) tag[i] = "0123456789abcdef"[hash & 0xf];
  return {std::string_view(tag, sizeof tag)};
}

bool IfNoneMatchMatches(std::string_view if_none_match, std::string_view etag) {
  std::string_view ours = StripWeak(etag);
  size_t pos = 0;
  while (pos <= if_none_match.size()) {
    size_t comma = if_none_match.find(',', pos);
    if (comma == std::string_view::npos) comma = if_none_match.size();
    std::string_view tag = Trim(if_none_match.substr(pos, comma - pos));
    if (tag == "*") return true;
    if (!tag.empty() && StripWeak(tag) == ours) return true;
    pos = comma + 1;
  }
  return false;
}

ShortText<35> PublicMaxAge(int64_t seconds) {
  return {"public, max-age=", Decimal(static_cast<uint64_t>(seconds < 0 ? 0 : seconds)).view()};
}

int64_t OnlineMaxAgeSeconds(int64_t online_remaining_ms) {
  return std::clamp<int64_t>(online_remaining_ms / 1000, 0, kMaxOnlineMaxAge);
}

}  // namespace heartbeat
