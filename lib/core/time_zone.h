// The owner's time zone (docs/protocol.md, "The presence card"): an IANA name such as
// Europe/Berlin, checked against the host's zoneinfo files, and local time in it.
#pragma once

#include <time.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "result.h"

namespace heartbeat {

// The folder of zoneinfo files: $TZDIR when set and not empty, else /usr/share/zoneinfo.
std::string ZoneInfoDir();

// Invalid unless `name` is 1 to 255 of [A-Za-z0-9/_+-], does not start or end with '/', has no
// empty part and no part "." or "..", and names a TZif file (magic "TZif") in ZoneInfoDir().
// So a name can never reach a file outside that folder.
Status CheckTimeZone(std::string_view name);

// Civil time in one zone, through the C library's own reading of the same zoneinfo file
// (which works in a static binary too: it reads a file, nothing else). While it lives, TZ
// names the zone; the old TZ comes back when it goes. An empty zone is UTC.
// One at a time per process (TZ is the process's): the programs serve one request at a time.
class ZoneClock {
 public:
  explicit ZoneClock(const std::string& zone);
  ~ZoneClock();
  ZoneClock(const ZoneClock&) = delete;
  ZoneClock& operator=(const ZoneClock&) = delete;

  // The local date and time of a UTC instant in seconds (tm_wday 0 = Sunday, tm_gmtoff set).
  struct tm Local(int64_t utc_s) const;

 private:
  bool utc_;
  bool had_tz_ = false;
  std::string old_tz_;
};

}  // namespace heartbeat
