// logind on the system bus: the session's hints, which the desktop (or swayidle's idlehint)
// sets. LockedHint is the lock wherever the locker sets it (GNOME, KDE, light-locker).
#include "idle_logind.h"

#ifdef HEARTBEAT_WITH_LOGIND
#include <sys/time.h>

#include "bus_client.h"

namespace heartbeat::agent {
namespace {

constexpr const char* kLogind = "org.freedesktop.login1";
constexpr const char* kSession = "org.freedesktop.login1.Session";
constexpr BusMethod kGetSession = {kLogind, "/org/freedesktop/login1",
                                   "org.freedesktop.login1.Manager", "GetSession"};

long long NowUs() {
  timeval now;
  gettimeofday(&now, nullptr);  // IdleSinceHint is CLOCK_REALTIME
  return static_cast<long long>(now.tv_sec) * 1000000 + now.tv_usec;
}

class LogindSource final : public IdleSource {
 public:
  // Without $XDG_SESSION_ID, "auto": logind's name for the caller's own session.
  explicit LogindSource(std::string session_id)
      : session_id_(session_id.empty() ? "auto" : std::move(session_id)) {}
  const char* name() const override { return "logind"; }

  Result<IdleReading> Read() override {
    if (session_path_.empty()) {
      auto path = bus_.CallForPath(kGetSession, session_id_);
      if (!path.ok()) return path.status();
      session_path_ = path.value();
    }
    auto idle = bus_.Property(kLogind, session_path_, kSession, "IdleHint", 'b');
    auto since =
        idle.ok() ? bus_.Property(kLogind, session_path_, kSession, "IdleSinceHint", 't') : idle;
    auto locked =
        since.ok() ? bus_.Property(kLogind, session_path_, kSession, "LockedHint", 'b') : since;
    // The path stays: logind names it after the session id, the same after a restart, and a
    // session that ended fails the same way at each check (one warning, "idle").
    if (!locked.ok()) return locked.status();
    return LogindReading(idle.value() != 0, static_cast<long long>(since.value()),
                         locked.value() != 0, NowUs());
  }

 private:
  std::string session_id_;
  std::string session_path_;  // from GetSession, once
  BusClient bus_{BusKind::kSystem};
};

}  // namespace

std::unique_ptr<IdleSource> MakeLogindIdleSource(const std::string& session_id) {
  return std::make_unique<LogindSource>(session_id);
}

}  // namespace heartbeat::agent

#else

namespace heartbeat::agent {
std::unique_ptr<IdleSource> MakeLogindIdleSource(const std::string&) { return nullptr; }
}  // namespace heartbeat::agent

#endif
