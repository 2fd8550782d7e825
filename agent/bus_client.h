// A D-Bus client for the idle sources that ask the desktop (idle_gnome.cc, idle_freedesktop.cc,
// on the session bus) and logind (idle_logind.cc, on the system bus). Built with libsystemd's
// sd-bus (HEARTBEAT_WITH_LOGIND).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <map>
#include <string>
#include <vector>

#include "result.h"

struct sd_bus;
struct sd_bus_message;

namespace heartbeat::agent {

// One method on the bus.
struct BusMethod {
  const char* service;
  const char* path;
  const char* interface;
  const char* name;
};

enum class BusKind {
  kSession,  // $DBUS_SESSION_BUS_ADDRESS, else $XDG_RUNTIME_DIR/bus
  kSystem,   // $DBUS_SYSTEM_BUS_ADDRESS, else the standard socket
};

// Every call connects on first use, and again after the bus went away; never starts a service
// that is not running; is Unavailable, with the bus's own words (control characters made '?'),
// when there is no answer within a second: the same words each time for the same failure, so
// that the agent warns once.
class BusClient {
 public:
  explicit BusClient(BusKind kind) : kind_(kind) {}
  BusClient(const BusClient&) = delete;
  BusClient& operator=(const BusClient&) = delete;
  ~BusClient();

  // Calls `method` without arguments and reads its one answer of D-Bus type `type`: 't' or 'u'
  // (a number) or 'b' (0 or 1).
  Result<uint64_t> Call(const BusMethod& method, char type);

  // Calls `method` with one string and reads the object path it answers.
  Result<std::string> CallForPath(const BusMethod& method, const std::string& argument);

  // Reads a property of type `type` ('t', 'u' or 'b') of `path`, through
  // org.freedesktop.DBus.Properties.Get.
  Result<uint64_t> Property(const char* service, const std::string& path, const char* interface,
                            const char* property, char type);

  // The names on the bus (org.freedesktop.DBus.ListNames), in the bus's order.
  Result<std::vector<std::string>> ListNames();

  // A property of type 's' of `path` on `service`.
  Result<std::string> StringProperty(const std::string& service, const std::string& path,
                                     const char* interface, const char* property);

  // The entries of an 'a{sv}' property whose values are a string ('s', one element) or strings
  // ('as'); entries of other types are left out.
  Result<std::map<std::string, std::vector<std::string>>> StringsProperty(
      const std::string& service, const std::string& path, const char* interface,
      const char* property);

 private:
  Status Connect();
  Status Connected();  // Ok at once when connected, else Connect()
  void Close();
  // Sends `call` (and frees it); the reply, or the failure described with `what`.
  Result<sd_bus_message*> Send(sd_bus_message* call, const std::string& what);
  // Calls `method` with `strings` as its arguments (each of type 's'); the reply, which the
  // caller frees, or the failure described with `what`.
  Result<sd_bus_message*> Ask(const BusMethod& method, std::initializer_list<const char*> strings,
                              const std::string& what);
  // Properties.Get of `property`, the reply entered into its variant of type `contents`; the
  // caller frees the reply.
  Result<sd_bus_message*> GetProperty(const std::string& service, const std::string& path,
                                      const char* interface, const char* property,
                                      const char* contents, const std::string& what);
  BusKind kind_;
  sd_bus* bus_ = nullptr;
};

}  // namespace heartbeat::agent
