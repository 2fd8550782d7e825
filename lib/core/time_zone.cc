#include "time_zone.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <vector>

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

std::vector<std::string> Parts(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) parts.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// The file `name` names in the folder `root` (resolved), each symbolic link on the way followed
// here and only while it stays inside `root`: the C library follows them all, and
// `zoneinfo/localtime` links to `/etc/localtime`, the host's own setting, which is no zone a
// config may name. Empty if a link leads out, the chain is too long or a part is missing.
std::string ResolveInside(const std::string& root, std::string_view name) {
  constexpr int kMaxLinks = 16;
  std::vector<std::string> done;
  std::vector<std::string> todo = Parts(name);  // in reverse: the next part is at the back
  std::reverse(todo.begin(), todo.end());
  int links = 0;
  while (!todo.empty()) {
    std::string part = std::move(todo.back());
    todo.pop_back();
    if (part == ".") continue;
    if (part == "..") {
      if (done.empty()) return std::string();
      done.pop_back();
      continue;
    }
    std::string path = root;
    for (const std::string& d : done) path += "/" + d;
    path += "/" + part;
    struct stat st;
    if (lstat(path.c_str(), &st) != 0) return std::string();
    if (!S_ISLNK(st.st_mode)) {
      done.push_back(std::move(part));
      continue;
    }
    char target[PATH_MAX];
    ssize_t length = readlink(path.c_str(), target, sizeof target - 1);
    if (length <= 0 || ++links > kMaxLinks) return std::string();
    std::string_view link(target, static_cast<size_t>(length));
    if (link.front() == '/') {
      if (link.size() <= root.size() + 1 || link.compare(0, root.size(), root) != 0 ||
          link[root.size()] != '/') {
        return std::string();
      }
      link.remove_prefix(root.size() + 1);
      done.clear();
    }
    std::vector<std::string> more = Parts(link);
    todo.insert(todo.end(), more.rbegin(), more.rend());
  }
  std::string path = root;
  for (const std::string& d : done) path += "/" + d;
  return path;
}

// True when the file starts like a TZif file: "TZif" and a version byte (NUL, '2', '3', '4').
bool IsTzifFile(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOFOLLOW);
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
  char root[PATH_MAX];
  std::string file;
  if (realpath(ZoneInfoDir().c_str(), root)) file = ResolveInside(root, name);
  if (file.empty() || !IsTzifFile(file)) {
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
