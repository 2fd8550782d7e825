// The caches of one process, behind the interfaces of lib/app/storage.h. Both live as long as
// the process, so a request normally costs no file read and no open: a config file is looked
// at (one stat) at most once a second and re-read only when it changed; the database is
// opened once and opened again only after an error or when the file at its path was deleted
// or replaced.
#pragma once

#include <sys/stat.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "clock.h"
#include "result.h"
#include "server_config.h"
#include "storage.h"
#include "store.h"

namespace heartbeat {

// How often a cached file is checked for change, at most.
constexpr int64_t kRecheckIntervalMs = 1000;

// How many configs and databases a process keeps open at once. A site has one of each; the
// bound keeps a peer that names many files from growing the process (the least recently
// used entry goes first).
constexpr size_t kMaxCachedFiles = 8;

class ConfigCache final : public ConfigSource {
 public:
  explicit ConfigCache(const Clock& clock) : clock_(clock) {}

  // The parsed config at `path`, a path the caller trusts (the start-up config, or one the
  // web server names): symbolic links in it are resolved when the file is (re)read. A missing
  // file is NotFound, an unreadable one Unavailable, an invalid one Invalid; each failure is
  // logged once per change of the file.
  const Result<ServerConfig>& Get(const std::string& path) override { return Lookup(path, false); }
  // The same for a path already resolved and checked (ResolvedPath): it is opened as it is,
  // following no symbolic link, so that a link put on the way after the check lets nothing
  // else in. Entries are keyed by that path, so every spelling of a file shares one.
  const Result<ServerConfig>& GetResolved(const std::string& resolved) override {
    return Lookup(resolved, true);
  }
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    Result<ServerConfig> config = Status::NotFound("not loaded");
    bool loaded = false;
    bool have_identity = false;
    struct stat identity {};
    int64_t checked_ms = 0;
    uint64_t used = 0;  // when it was last asked for, in Get calls
  };
  // A trusted path and a resolved one are kept apart even when spelled alike.
  using Key = std::pair<bool, std::string>;
  using KeyView = std::pair<bool, std::string_view>;
  struct KeyOrder {
    using is_transparent = void;
    template <typename A, typename B>
    bool operator()(const A& a, const B& b) const {
      return KeyView(a.first, a.second) < KeyView(b.first, b.second);
    }
  };
  const Result<ServerConfig>& Lookup(const std::string& path, bool resolved);
  void Load(const std::string& path, bool resolved, Entry* entry);

  const Clock& clock_;
  std::map<Key, Entry, KeyOrder> entries_;
  uint64_t uses_ = 0;
};

class StoreCache final : public StorageSource {
 public:
  explicit StoreCache(const Clock& clock) : clock_(clock) {}

  // The open store for `path`, opening it if needed. Failures are logged.
  Result<Storage*> Get(const std::string& path) override;
  // Drops the store after an error, so that the next request opens it afresh.
  void Discard(const std::string& path) override;
  size_t size() const { return entries_.size(); }

 private:
  struct Entry {
    std::unique_ptr<Store> store;
    int64_t checked_ms = 0;
    uint64_t used = 0;
  };
  const Clock& clock_;
  std::map<std::string, Entry> entries_;
  uint64_t uses_ = 0;
};

}  // namespace heartbeat
