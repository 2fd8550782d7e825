// The user's session bus, for the idle sources that ask the desktop (idle_gnome.cc,
// idle_freedesktop.cc). Built with libsystemd's sd-bus (HEARTBEAT_WITH_LOGIND).
#pragma once

#include <cstdint>

#include "result.h"

struct sd_bus;

namespace heartbeat::agent {

// One method on the bus, called without arguments.
struct BusMethod {
  const char* service;
  const char* path;
  const char* interface;
  const char* name;
};

class SessionBus {
 public:
  SessionBus() = default;
  SessionBus(const SessionBus&) = delete;
  SessionBus& operator=(const SessionBus&) = delete;
  ~SessionBus();

  // Calls `method` and reads its one answer of D-Bus type `type`: 't' or 'u' (a number) or 'b'
  // (0 or 1). Connects on first use ($DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus), and
  // again after the bus went away. Never starts a service that is not running. Unavailable,
  // with the bus's own words, when there is no answer within a second: the same words each
  // time for the same failure, so that the agent warns once.
  Result<uint64_t> Call(const BusMethod& method, char type);

 private:
  Status Connect();
  void Close();
  sd_bus* bus_ = nullptr;
};

}  // namespace heartbeat::agent
