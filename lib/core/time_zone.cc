#include "time_zone.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace heartbeat {
namespace {

constexpr size_t kMaxZoneNameLength = 255;

bool IsZoneNameCharacter(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '/' ||
         c == '_' || c == '+' || c == '-';
}

bool IsSafeZoneName(std::string_view name) {
  if (name.empty() || name.size() > kMaxZoneNameLength) return false;
  for (char c : name) {
    if (!IsZoneNameCharacter(c)) return false;
  }
  size_t start = 0;
  while (start <= name.size()) {
    size_t slash = name.find('/', start);
    if (slash == std::string_view::npos) slash = name.size();
    std::string_view part = name.substr(start, slash - start);
    if (part.empty() || part == "." || part == "..") return false;
    start = slash + 1;
  }
  return true;
}

// True when the file starts like a TZif file: "TZif" and a version byte (NUL, '2', '3', '4').
bool IsTzifFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return false;
  struct stat st;
  char head[5];
  bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && read(fd, head, sizeof head) == 5 &&
            std::memcmp(head, "TZif", 4) == 0 &&
            (head[4] == '\0' || head[4] == '2' || head[4] == '3' || head[4] == '4');
  close(fd);
  return ok;
}

}  // namespace

std::string ZoneInfoDir() {
  const char* dir = std::getenv("TZDIR");
  return dir && *dir ? dir : "/usr/share/zoneinfo";
}

Status CheckTimeZone(std::string_view name) {
  if (!IsSafeZoneName(name)) {
    return Status::Invalid("expected an IANA time zone name such as Europe/Berlin");
  }
  if (!IsTzifFile(ZoneInfoDir() + "/" + std::string(name))) {
    // The folder is not named: the message may reach a visitor (503 config_invalid).
    return Status::Invalid("no time zone '" + std::string(name) +
                           "' in the host's zoneinfo (tzdata, or the folder $TZDIR names)");
  }
  return Status::Ok();
}

ZoneClock::ZoneClock(const std::string& zone) : utc_(zone.empty()) {
  if (utc_) return;
  if (const char* old = std::getenv("TZ")) {
    had_tz_ = true;
    old_tz_ = old;
  }
  // A leading ':' makes the C library read the file of that name in TZDIR, never parse the
  // name as a POSIX rule.
  setenv("TZ", (":" + zone).c_str(), 1);
  tzset();
}

ZoneClock::~ZoneClock() {
  if (utc_) return;
  if (had_tz_) {
    setenv("TZ", old_tz_.c_str(), 1);
  } else {
    unsetenv("TZ");
  }
  tzset();
}

struct tm ZoneClock::Local(int64_t utc_s) const {
  time_t seconds = static_cast<time_t>(utc_s);
  struct tm local {};
  if (utc_) {
    gmtime_r(&seconds, &local);
  } else {
    localtime_r(&seconds, &local);
  }
  return local;
}

}  // namespace heartbeat
