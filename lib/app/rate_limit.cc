#include "rate_limit.h"

#include <arpa/inet.h>

#include <cstring>

namespace heartbeat {

std::string AddressKey(std::string_view remote_addr) {
  if (remote_addr.find(':') == std::string_view::npos || remote_addr.size() >= INET6_ADDRSTRLEN) {
    return std::string(remote_addr);
  }
  char text[INET6_ADDRSTRLEN];
  std::memcpy(text, remote_addr.data(), remote_addr.size());
  text[remote_addr.size()] = '\0';
  in6_addr address{};
  if (inet_pton(AF_INET6, text, &address) != 1) return std::string(remote_addr);
  if (IN6_IS_ADDR_V4MAPPED(&address)) {
    inet_ntop(AF_INET, &address.s6_addr[12], text, sizeof text);
    return text;
  }
  std::memset(&address.s6_addr[8], 0, 8);
  inet_ntop(AF_INET6, &address, text, sizeof text);
  return std::string(text) + "/64";
}

int64_t LockoutRemainingMs(const AuthFailures& failures, int64_t now_ms) {
  if (failures.count < kMaxAuthFailures) return 0;
  int64_t remaining = failures.first_ms + kAuthFailureSpanMs - now_ms;
  return remaining > 0 ? remaining : 0;
}

int64_t LockoutRetryAfterSeconds(int64_t remaining_ms) {
  int64_t seconds = (remaining_ms + 999) / 1000;
  return seconds < 1 ? 1 : seconds;
}

}  // namespace heartbeat
