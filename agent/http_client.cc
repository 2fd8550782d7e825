#include "http_client.h"

#include <strings.h>

#include "key_value.h"

namespace heartbeat::agent {

int RetryAfterSeconds(std::string_view line) {
  constexpr std::string_view kName = "retry-after:";
  if (line.size() <= kName.size() || strncasecmp(line.data(), kName.data(), kName.size()) != 0) {
    return -1;
  }
  line.remove_prefix(kName.size());
  while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\r' ||
                           line.back() == '\n')) {
    line.remove_suffix(1);
  }
  long long seconds = 0;
  return ParseIntInRange(line, 0, 86400, &seconds) ? static_cast<int>(seconds) : -1;
}

}  // namespace heartbeat::agent
