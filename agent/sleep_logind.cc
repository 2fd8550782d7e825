// Linux: logind's PrepareForSleep signal, with a "delay" inhibitor lock so that the machine
// waits (up to logind's InhibitDelayMaxSec, 5 s by default) while the agent posts "offline".
// Built with libsystemd's sd-bus (HEARTBEAT_WITH_LOGIND).
#include "sleep_logind.h"

#ifdef HEARTBEAT_WITH_LOGIND
#include <fcntl.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "agent.h"
#include "unique_fd.h"

namespace heartbeat::agent {
namespace {

constexpr const char* kLogind = "org.freedesktop.login1";
constexpr const char* kPath = "/org/freedesktop/login1";
constexpr const char* kManager = "org.freedesktop.login1.Manager";
constexpr const char* kBus = "org.freedesktop.DBus";
constexpr const char* kBusPath = "/org/freedesktop/DBus";
constexpr const char* kOwnerChangedRule =
    "type='signal',sender='org.freedesktop.DBus',path='/org/freedesktop/DBus',"
    "interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='org.freedesktop.login1'";
// A method call that logind does not answer must not hold up the agent's loop.
constexpr uint64_t kCallTimeoutUs = 2'000'000;

std::string Describe(const sd_bus_error& error, int code) {
  if (error.message) return error.message;
  if (error.name) return error.name;
  return std::strerror(-code);
}

class LogindSleepWatcher final : public QueuedSleepWatcher {
 public:
  ~LogindSleepWatcher() override {
    sd_bus_slot_unref(slot_);
    sd_bus_slot_unref(owner_slot_);
    sd_bus_flush_close_unref(bus_);
  }
  const char* name() const override { return "logind"; }

  // Connects to the system bus ($DBUS_SYSTEM_BUS_ADDRESS, else the standard socket), listens
  // for PrepareForSleep first, then takes the lock, so that no signal falls between the two.
  // Which connection is logind is followed from the bus itself (NameOwnerChanged, then
  // GetNameOwner), so that a change of owner between the two is not missed.
  Status Start() {
    int r = sd_bus_open_system(&bus_);
    if (r < 0) return Status::Unavailable(std::string("no system bus: ") + std::strerror(-r));
    sd_bus_set_method_call_timeout(bus_, kCallTimeoutUs);
    r = sd_bus_add_match(bus_, &owner_slot_, kOwnerChangedRule, &LogindSleepWatcher::OnOwnerChanged,
                         this);
    if (r < 0)
      return Status::Unavailable(std::string("cannot follow logind: ") + std::strerror(-r));
    r = sd_bus_match_signal(bus_, &slot_, kLogind, kPath, kManager, "PrepareForSleep",
                            &LogindSleepWatcher::OnPrepareForSleep, this);
    if (r < 0)
      return Status::Unavailable(std::string("cannot listen to logind: ") + std::strerror(-r));
    ReadOwner();
    return TakeInhibitor();
  }

  bool EventPending() override {
    while (!HasQueued() && sd_bus_process(bus_, nullptr) > 0) {
    }
    return HasQueued();
  }

  void AllowSleep() override { inhibitor_.Reset(); }

 private:
  void Pump(long long step_ms) override {
    int r = sd_bus_process(bus_, nullptr);
    if (r > 0) return;  // more may be queued
    if (r < 0) {        // the bus went away: keep the loop's rhythm, without events
      usleep(static_cast<useconds_t>(step_ms * 1000));
      return;
    }
    // Short steps, so that a signal's flag is seen even if it came just before the wait.
    sd_bus_wait(bus_, static_cast<uint64_t>(step_ms) * 1000);
  }

  // Awake again: the lock was given up for the sleep; take it for the next one.
  void HandingOut(PowerEvent event) override {
    if (event != PowerEvent::kHasWoken || inhibitor_.valid()) return;
    Status taken = TakeInhibitor();
    if (!taken.ok()) LogAction("wake", "warning: " + taken.message(), "");
  }

  Status TakeInhibitor() {
    sd_bus_error error = SD_BUS_ERROR_NULL;
    sd_bus_message* reply = nullptr;
    int r = sd_bus_call_method(bus_, kLogind, kPath, kManager, "Inhibit", &error, &reply, "ssss",
                               "sleep", "heartbeat-agent",
                               "Tell visitors \"offline\" before sleeping", "delay");
    Status status = Status::Ok();
    int fd = -1;
    if (r < 0) {
      status = Status::Unavailable("logind refused the inhibitor lock: " + Describe(error, r));
    } else if ((r = sd_bus_message_read(reply, "h", &fd)) < 0) {
      status = Status::Unavailable(std::string("logind's Inhibit answer: ") + std::strerror(-r));
    } else {
      // The reply owns fd and closes it when freed: keep a copy of our own.
      inhibitor_.Reset(fcntl(fd, F_DUPFD_CLOEXEC, 3));
      if (!inhibitor_.valid())
        status = Status::Unavailable(std::string("dup: ") + std::strerror(errno));
    }
    sd_bus_message_unref(reply);
    sd_bus_error_free(&error);
    return status;
  }

  void ReadOwner() {
    sd_bus_error error = SD_BUS_ERROR_NULL;
    sd_bus_message* reply = nullptr;
    const char* owner = nullptr;
    if (sd_bus_call_method(bus_, kBus, kBusPath, kBus, "GetNameOwner", &error, &reply, "s",
                           kLogind) >= 0 &&
        sd_bus_message_read(reply, "s", &owner) >= 0 && owner) {
      owner_ = owner;
    }
    sd_bus_message_unref(reply);
    sd_bus_error_free(&error);
  }

  // Only the bus itself can send as org.freedesktop.DBus: the sender is checked here too,
  // since a unicast signal reaches the agent whatever its match rules say.
  static int OnOwnerChanged(sd_bus_message* message, void* self, sd_bus_error*) {
    const char* sender = sd_bus_message_get_sender(message);
    const char *name = nullptr, *old_owner = nullptr, *new_owner = nullptr;
    if (!sender || std::strcmp(sender, kBus) != 0) return 0;
    if (sd_bus_message_read(message, "sss", &name, &old_owner, &new_owner) < 0) return 0;
    if (name && std::strcmp(name, kLogind) == 0) {
      static_cast<LogindSleepWatcher*>(self)->owner_ = new_owner ? new_owner : "";
    }
    return 0;
  }

  // A PrepareForSleep counts only from the connection that owns org.freedesktop.login1 now:
  // any local user may send one to the agent's own name on the system bus. The first forged
  // one is logged, not every one, so that a sender cannot fill the log.
  static int OnPrepareForSleep(sd_bus_message* message, void* self, sd_bus_error*) {
    auto* watcher = static_cast<LogindSleepWatcher*>(self);
    const char* sender = sd_bus_message_get_sender(message);
    if (!sender || watcher->owner_.empty() || watcher->owner_ != sender) {
      if (!watcher->forgery_logged_) {
        LogAction("sleep",
                  std::string("warning: ignored a PrepareForSleep from ") +
                      (sender ? sender : "an unknown sender") + ", which is not logind",
                  "");
        watcher->forgery_logged_ = true;
      }
      return 0;
    }
    int sleeping = 0;
    if (sd_bus_message_read(message, "b", &sleeping) < 0) return 0;
    watcher->Queue(sleeping ? PowerEvent::kWillSleep : PowerEvent::kHasWoken);
    return 0;
  }

  sd_bus* bus_ = nullptr;
  sd_bus_slot* slot_ = nullptr;
  sd_bus_slot* owner_slot_ = nullptr;
  std::string owner_;  // the unique name of logind's connection; empty while it has none
  bool forgery_logged_ = false;
  UniqueFd inhibitor_;  // the delay lock: held while open
};

}  // namespace

Result<std::unique_ptr<SleepWatcher>> MakeLogindSleepWatcher() {
  return Started(std::make_unique<LogindSleepWatcher>());
}

}  // namespace heartbeat::agent

#endif
