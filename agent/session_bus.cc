// The session bus through sd-bus: one connection, kept, and made again after the bus went away.
#include "session_bus.h"

#ifdef HEARTBEAT_WITH_LOGIND
#include <systemd/sd-bus.h>

#include <cstring>
#include <string>

namespace heartbeat::agent {
namespace {

// A desktop that does not answer must not hold up the agent's loop (check_interval >= 1 s).
constexpr uint64_t kCallTimeoutUs = 1'000'000;

// The words come from whichever program answered: no control character of theirs reaches a
// log line or the terminal.
std::string Describe(const sd_bus_error& error, int code) {
  std::string words = error.message ? error.message
                      : error.name  ? error.name
                                    : std::strerror(-code);
  for (char& c : words) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return words;
}

}  // namespace

SessionBus::~SessionBus() { Close(); }

void SessionBus::Close() {
  sd_bus_flush_close_unref(bus_);
  bus_ = nullptr;
}

Status SessionBus::Connect() {
  int r = sd_bus_open_user(&bus_);
  if (r < 0) {
    bus_ = nullptr;
    return Status::Unavailable(std::string("no session bus: ") + std::strerror(-r));
  }
  sd_bus_set_method_call_timeout(bus_, kCallTimeoutUs);
  return Status::Ok();
}

Result<uint64_t> SessionBus::Call(const BusMethod& method, char type) {
  if (!bus_) {
    Status connected = Connect();
    if (!connected.ok()) return connected;
  }
  const std::string what = std::string(method.service) + " " + method.name + ": ";
  sd_bus_message* call = nullptr;
  int r = sd_bus_message_new_method_call(bus_, &call, method.service, method.path, method.interface,
                                         method.name);
  // A name nobody owns is an answer ("not running"), not a reason to start anything.
  if (r >= 0) r = sd_bus_message_set_auto_start(call, 0);
  if (r < 0) {
    sd_bus_message_unref(call);
    Close();
    return Status::Unavailable(what + std::strerror(-r));
  }
  sd_bus_error error = SD_BUS_ERROR_NULL;
  sd_bus_message* reply = nullptr;
  r = sd_bus_call(bus_, call, 0, &error, &reply);
  sd_bus_message_unref(call);
  Result<uint64_t> answer = Status::Unavailable(what + Describe(error, r));
  if (r >= 0) {
    uint64_t wide = 0;
    uint32_t narrow = 0;
    int truth = 0;
    const char signature[] = {type, '\0'};
    void* into = type == 't'   ? static_cast<void*>(&wide)
                 : type == 'u' ? static_cast<void*>(&narrow)
                               : static_cast<void*>(&truth);
    r = sd_bus_message_read(reply, signature, into);
    if (r > 0) {
      answer = type == 't' ? wide : type == 'u' ? narrow : static_cast<uint64_t>(truth != 0);
    } else {
      answer = Status::Unavailable(what + "the answer is not of type '" + signature + "'");
    }
  }
  sd_bus_message_unref(reply);
  sd_bus_error_free(&error);
  // A connection that broke is made again at the next call (the session bus restarted).
  if (!answer.ok() && !sd_bus_is_open(bus_)) Close();
  return answer;
}

}  // namespace heartbeat::agent

#else

namespace heartbeat::agent {

SessionBus::~SessionBus() = default;
void SessionBus::Close() { bus_ = nullptr; }
Status SessionBus::Connect() { return Status::Unavailable("built without sd-bus"); }
Result<uint64_t> SessionBus::Call(const BusMethod&, char) { return Connect(); }

}  // namespace heartbeat::agent

#endif
