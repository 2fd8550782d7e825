// What the handlers need from the database and the config files, as interfaces: the store
// layer (lib/store: SQLite and the caches) implements them, so that the handlers build and
// are read without it, and nothing here depends on how a heartbeat is kept
// (docs/architecture.md).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "activity.h"
#include "device_state.h"
#include "note.h"
#include "presence.h"
#include "rate_limit.h"
#include "result.h"
#include "server_config.h"
#include "usual_hours.h"

namespace heartbeat {

// One heartbeat as the store records it.
struct HeartbeatWrite {
  std::string_view device;
  DeviceState state = DeviceState::kActive;
  int64_t at_ms = 0;
  NoteChange note_change = NoteChange::kKeep;
  Note note;  // when note_change is kSet
  // The config's history_days: an `active` heartbeat marks its minute when above 0; rows
  // older than that many days are deleted (all of them at 0).
  int history_days = 0;
  // What the device is doing (null: nothing), stored only while `activity_shown` (the config's
  // `activity = on`); while off, every device's stored activity is forgotten.
  const Activity* activity = nullptr;
  bool activity_shown = false;
};

// One database, open (lib/store/store.h is the SQLite file).
class Storage {
 public:
  virtual ~Storage() = default;

  // One read over all devices (see PresenceFacts); the status path shares it among requests
  // that arrived together (presence_reads.h).
  virtual Result<PresenceFacts> ReadPresence() = 0;
  // Records a device's heartbeat; returns once it is durable (a 200 promises that).
  virtual Status RecordHeartbeat(const HeartbeatWrite& write) = 0;
  // The hours from `since_hour_s` on (UTC seconds, a multiple of 3600), oldest first.
  virtual Result<std::vector<ActiveHour>> ReadActiveHours(int64_t since_hour_s) = 0;
  // The failures recorded for `address` (an AddressKey), zero when none.
  virtual Result<AuthFailures> ReadAuthFailures(std::string_view address) = 0;
  // Counts one wrong token for `address` at `now_ms` unless it is locked out, atomically
  // among processes; returns the failures as they stood before this one.
  virtual Result<AuthFailures> CountAuthFailure(std::string_view address, int64_t now_ms) = 0;
  // The database's path, which with the object's address names what a read came from.
  virtual const std::string& path() const = 0;

  // The first UTC hour kept for `history_days` at `now_s`: the one holding now - days x 24 h.
  static int64_t OldestKeptHour(int64_t now_s, int history_days);
};

// The open Storage for a database path (lib/store/caches.h keeps them open across requests).
class StorageSource {
 public:
  virtual ~StorageSource() = default;
  // The storage for `path`, opening it if needed. Failures are logged.
  virtual Result<Storage*> Get(const std::string& path) = 0;
  // Drops the storage after an error, so that the next request opens it afresh.
  virtual void Discard(const std::string& path) = 0;
};

// The parsed config for a path (lib/store/caches.h reads it again only when the file changed).
class ConfigSource {
 public:
  virtual ~ConfigSource() = default;
  // The config at `path`, a path the caller trusts: symbolic links in it are resolved when
  // the file is (re)read. A missing file is NotFound, an unreadable one Unavailable, an
  // invalid one Invalid.
  virtual const Result<ServerConfig>& Get(const std::string& path) = 0;
  // The same for a path already resolved and checked (ResolvedPath): opened as it is,
  // following no symbolic link.
  virtual const Result<ServerConfig>& GetResolved(const std::string& resolved) = 0;
};

}  // namespace heartbeat
