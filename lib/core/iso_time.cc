#include "iso_time.h"

#include <time.h>

namespace heartbeat {

std::string IsoUtc(int64_t unix_ms) {
  // Floor, so that a moment before 1970 is not moved forward by a second.
  int64_t seconds = unix_ms / 1000 - (unix_ms % 1000 < 0 ? 1 : 0);
  time_t as_time = static_cast<time_t>(seconds);
  struct tm utc;
  gmtime_r(&as_time, &utc);
  char text[32];
  strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

}  // namespace heartbeat
