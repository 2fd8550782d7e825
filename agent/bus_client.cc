// D-Bus through sd-bus: one connection, kept, and made again after the bus went away.
#include "bus_client.h"

#ifdef HEARTBEAT_WITH_LOGIND
#include <systemd/sd-bus.h>

#include <cstdlib>
#include <cstring>
#include <string>

namespace heartbeat::agent {
namespace {

// A desktop or logind that does not answer must not hold up the agent's loop
// (check_interval >= 1 s).
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

// Reads one value of type 't', 'u' or 'b' where the message stands.
Result<uint64_t> ReadNumber(sd_bus_message* reply, char type, const std::string& what) {
  uint64_t wide = 0;
  uint32_t narrow = 0;
  int truth = 0;
  const char signature[] = {type, '\0'};
  void* into = type == 't'   ? static_cast<void*>(&wide)
               : type == 'u' ? static_cast<void*>(&narrow)
                             : static_cast<void*>(&truth);
  if (sd_bus_message_read(reply, signature, into) <= 0) {
    return Status::Unavailable(what + "the answer is not of type '" + signature + "'");
  }
  return type == 't' ? wide : type == 'u' ? narrow : static_cast<uint64_t>(truth != 0);
}

}  // namespace

BusClient::~BusClient() { Close(); }

void BusClient::Close() {
  sd_bus_flush_close_unref(bus_);
  bus_ = nullptr;
}

Status BusClient::Connect() {
  int r = kind_ == BusKind::kSession ? sd_bus_open_user(&bus_) : sd_bus_open_system(&bus_);
  if (r < 0) {
    bus_ = nullptr;
    return Status::Unavailable(
        std::string(kind_ == BusKind::kSession ? "no session bus: " : "no system bus: ") +
        std::strerror(-r));
  }
  sd_bus_set_method_call_timeout(bus_, kCallTimeoutUs);
  return Status::Ok();
}

Status BusClient::Connected() { return bus_ ? Status::Ok() : Connect(); }

Result<sd_bus_message*> BusClient::Send(sd_bus_message* call, const std::string& what) {
  sd_bus_error error = SD_BUS_ERROR_NULL;
  sd_bus_message* reply = nullptr;
  int r = sd_bus_call(bus_, call, 0, &error, &reply);
  sd_bus_message_unref(call);
  Result<sd_bus_message*> answer = reply;
  if (r < 0) answer = Status::Unavailable(what + Describe(error, r));
  sd_bus_error_free(&error);
  // A connection that broke is made again at the next call (the bus restarted).
  if (r < 0 && !sd_bus_is_open(bus_)) Close();
  return answer;
}

namespace {

// A new call of `member`; a name nobody owns is an answer ("not running"), not a reason to
// start anything.
int NewCall(sd_bus* bus, sd_bus_message** call, const char* service, const char* path,
            const char* interface, const char* member) {
  int r = sd_bus_message_new_method_call(bus, call, service, path, interface, member);
  if (r >= 0) r = sd_bus_message_set_auto_start(*call, 0);
  return r;
}

}  // namespace

Result<sd_bus_message*> BusClient::Ask(const BusMethod& method,
                                       std::initializer_list<const char*> strings,
                                       const std::string& what) {
  Status connected = Connected();
  if (!connected.ok()) return connected;
  sd_bus_message* call = nullptr;
  int r = NewCall(bus_, &call, method.service, method.path, method.interface, method.name);
  for (const char* text : strings) {
    if (r >= 0) r = sd_bus_message_append(call, "s", text);
  }
  if (r < 0) {
    sd_bus_message_unref(call);
    Close();
    return Status::Unavailable(what + std::strerror(-r));
  }
  return Send(call, what);
}

Result<uint64_t> BusClient::Call(const BusMethod& method, char type) {
  const std::string what = std::string(method.service) + " " + method.name + ": ";
  auto reply = Ask(method, {}, what);
  if (!reply.ok()) return reply.status();
  auto number = ReadNumber(reply.value(), type, what);
  sd_bus_message_unref(reply.value());
  return number;
}

Result<std::string> BusClient::CallForPath(const BusMethod& method, const std::string& argument) {
  const std::string what = std::string(method.service) + " " + method.name + ": ";
  auto reply = Ask(method, {argument.c_str()}, what);
  if (!reply.ok()) return reply.status();
  const char* path = nullptr;
  Result<std::string> answer = Status::Unavailable(what + "the answer is not an object path");
  if (sd_bus_message_read(reply.value(), "o", &path) > 0 && path) answer = std::string(path);
  sd_bus_message_unref(reply.value());
  return answer;
}

Result<uint64_t> BusClient::Property(const char* service, const std::string& path,
                                     const char* interface, const char* property, char type) {
  const std::string what = std::string(service) + " " + property + ": ";
  const char contents[] = {type, '\0'};
  auto reply = GetProperty(service, path, interface, property, contents, what);
  if (!reply.ok()) return reply.status();
  auto answer = ReadNumber(reply.value(), type, what);
  sd_bus_message_unref(reply.value());
  return answer;
}

Result<sd_bus_message*> BusClient::GetProperty(const std::string& service, const std::string& path,
                                               const char* interface, const char* property,
                                               const char* contents, const std::string& what) {
  const BusMethod get = {service.c_str(), path.c_str(), "org.freedesktop.DBus.Properties", "Get"};
  auto reply = Ask(get, {interface, property}, what);
  if (!reply.ok()) return reply.status();
  if (sd_bus_message_enter_container(reply.value(), 'v', contents) <= 0) {
    sd_bus_message_unref(reply.value());
    return Status::Unavailable(what + "the answer is not of type '" + contents + "'");
  }
  return reply;
}

Result<std::vector<std::string>> BusClient::ListNames() {
  const BusMethod list = {"org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                          "ListNames"};
  const std::string what = "org.freedesktop.DBus ListNames: ";
  auto reply = Ask(list, {}, what);
  if (!reply.ok()) return reply.status();
  char** names = nullptr;
  Result<std::vector<std::string>> answer = Status::Unavailable(what + "the answer is not 'as'");
  if (sd_bus_message_read_strv(reply.value(), &names) >= 0) {
    std::vector<std::string> copy;
    for (char** name = names; name && *name; ++name) {
      copy.emplace_back(*name);
      free(*name);
    }
    free(names);
    answer = std::move(copy);
  }
  sd_bus_message_unref(reply.value());
  return answer;
}

Result<std::string> BusClient::StringProperty(const std::string& service, const std::string& path,
                                              const char* interface, const char* property) {
  const std::string what = service + " " + property + ": ";
  auto reply = GetProperty(service, path, interface, property, "s", what);
  if (!reply.ok()) return reply.status();
  const char* text = nullptr;
  Result<std::string> answer = Status::Unavailable(what + "the answer is not of type 's'");
  if (sd_bus_message_read(reply.value(), "s", &text) > 0 && text) answer = std::string(text);
  sd_bus_message_unref(reply.value());
  return answer;
}

Result<std::map<std::string, std::vector<std::string>>> BusClient::StringsProperty(
    const std::string& service, const std::string& path, const char* interface,
    const char* property) {
  const std::string what = service + " " + property + ": ";
  auto reply = GetProperty(service, path, interface, property, "a{sv}", what);
  if (!reply.ok()) return reply.status();
  sd_bus_message* m = reply.value();
  std::map<std::string, std::vector<std::string>> entries;
  bool ok = sd_bus_message_enter_container(m, 'a', "{sv}") > 0;
  while (ok && sd_bus_message_enter_container(m, 'e', "sv") > 0) {
    const char* key = nullptr;
    char type = 0;
    const char* contents = nullptr;
    ok = sd_bus_message_read(m, "s", &key) > 0 &&
         sd_bus_message_peek_type(m, &type, &contents) > 0 && contents;
    if (ok && (std::strcmp(contents, "s") == 0 || std::strcmp(contents, "as") == 0)) {
      ok = sd_bus_message_enter_container(m, 'v', contents) > 0;
      std::vector<std::string>& values = entries[key];
      if (ok && contents[0] == 's') {
        const char* text = nullptr;
        ok = sd_bus_message_read(m, "s", &text) > 0 && text;
        if (ok) values.emplace_back(text);
      } else if (ok) {
        char** texts = nullptr;
        ok = sd_bus_message_read_strv(m, &texts) >= 0;
        for (char** text = texts; text && *text; ++text) {
          values.emplace_back(*text);
          free(*text);
        }
        free(texts);
      }
      ok = ok && sd_bus_message_exit_container(m) >= 0;
    } else if (ok) {
      ok = sd_bus_message_skip(m, "v") >= 0;
    }
    ok = ok && sd_bus_message_exit_container(m) >= 0;
  }
  sd_bus_message_unref(m);
  if (!ok) return Status::Unavailable(what + "the answer is not a{sv} as expected");
  return entries;
}

}  // namespace heartbeat::agent

#else

namespace heartbeat::agent {

BusClient::~BusClient() = default;
void BusClient::Close() { bus_ = nullptr; }
Status BusClient::Connect() {
  return Status::Unavailable(kind_ == BusKind::kSession ? "no session bus: built without sd-bus"
                                                        : "no system bus: built without sd-bus");
}
Status BusClient::Connected() { return Connect(); }
Result<uint64_t> BusClient::Call(const BusMethod&, char) { return Connect(); }
Result<std::string> BusClient::CallForPath(const BusMethod&, const std::string&) {
  return Connect();
}
Result<uint64_t> BusClient::Property(const char*, const std::string&, const char*, const char*,
                                     char) {
  return Connect();
}
Result<std::vector<std::string>> BusClient::ListNames() { return Connect(); }
Result<std::string> BusClient::StringProperty(const std::string&, const std::string&, const char*,
                                              const char*) {
  return Connect();
}
Result<std::map<std::string, std::vector<std::string>>> BusClient::StringsProperty(
    const std::string&, const std::string&, const char*, const char*) {
  return Connect();
}
Result<sd_bus_message*> BusClient::GetProperty(const std::string&, const std::string&, const char*,
                                               const char*, const char*, const std::string&) {
  return Connect();
}
Result<sd_bus_message*> BusClient::Send(sd_bus_message*, const std::string&) { return Connect(); }
Result<sd_bus_message*> BusClient::Ask(const BusMethod&, std::initializer_list<const char*>,
                                       const std::string&) {
  return Connect();
}

}  // namespace heartbeat::agent

#endif
