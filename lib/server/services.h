// What the handlers need from the process: the config for a request, the store it names, the
// clock. Both caches live as long as the process, so a request normally costs no file read
// and no open: a config file is looked at (one stat) at most once a second and re-read only
// when it changed; the database is opened once and opened again only after an error or
// when the file at its path was deleted or replaced.
#pragma once

#include <sys/stat.h>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clock.h"
#include "http.h"
#include "presence_reads.h"
#include "result.h"
#include "server_config.h"
#include "store.h"

namespace heartbeat {

// How often a cached file is checked for change, at most.
constexpr int64_t kRecheckIntervalMs = 1000;

// How many configs and databases a process keeps open at once. A site has one of each; the
// bound keeps a peer that names many files from growing the process (the least recently
// used entry goes first).
constexpr size_t kMaxCachedFiles = 8;

// The name of the config file looked for beside the executable.
constexpr const char* kDefaultConfigName = "heartbeat.conf";
// Where a config is looked for in the home folder of the account the program runs as: the
// one place outside the document root that needs no environment variable, as under suEXEC,
// which passes none of its own to a CGI program.
constexpr const char* kHomeConfigPath = "heartbeat-data/heartbeat.conf";

class ConfigCache {
 public:
  explicit ConfigCache(const Clock& clock) : clock_(clock) {}

  // The parsed config at `path`, a path the caller trusts (the start-up config, or one the
  // web server names): symbolic links in it are resolved when the file is (re)read. A missing
  // file is NotFound, an unreadable one Unavailable, an invalid one Invalid; each failure is
  // logged once per change of the file.
  const Result<ServerConfig>& Get(const std::string& path) { return Lookup(path, false); }
  // The same for a path already resolved and checked (ResolvedPath): it is opened as it is,
  // following no symbolic link, so that a link put on the way after the check lets nothing
  // else in. Entries are keyed by that path, so every spelling of a file shares one.
  const Result<ServerConfig>& GetResolved(const std::string& resolved) {
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
  const Result<ServerConfig>& Lookup(const std::string& path, bool resolved);
  void Load(const std::string& path, bool resolved, Entry* entry);

  const Clock& clock_;
  std::map<Key, Entry> entries_;
  uint64_t uses_ = 0;
};

class StoreCache {
 public:
  explicit StoreCache(const Clock& clock) : clock_(clock) {}

  // The open store for `path`, opening it if needed. Failures are logged.
  Result<Store*> Get(const std::string& path);
  // Drops the store after an error, so that the next request opens it afresh.
  void Discard(const std::string& path);
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

// Who may choose the config (docs/protocol.md, "Who may choose the config"). Under a process
// manager or as CGI the web server is the only peer and its HEARTBEAT_CONFIG parameter is
// trusted. A program on a socket of its own (--listen) may be reached by others: it reads a
// config named by the parameter only if that is its start-up config or lies in one of
// `allowed_dirs`.
struct ConfigPolicy {
  bool param_trusted = true;
  // Folders given by --config-dir, symbolic links resolved, each ending in '/'.
  std::vector<std::string> allowed_dirs;
  // The start-up config's path resolved, on the first request that names another spelling of
  // a path: resolving it again for each such request would cost a realpath each time.
  std::optional<std::string> resolved_fallback;
  // Refusals are logged at most once a minute, with the number since the last line, so that a
  // peer that keeps asking cannot fill the log.
  int64_t refusal_logged_ms = -1;
  uint64_t refusals_not_logged = 0;
};

struct Services {
  ConfigCache& configs;
  StoreCache& stores;
  const Clock& clock;
  // Where the config is when the request does not say: FallbackConfigPath at start-up.
  std::string fallback_config_path;
  ConfigPolicy config_policy;
  // The presence read shared by requests that arrived together (the FastCGI loop marks them).
  PresenceReads presence_reads;
};

// The config path for one request: its HEARTBEAT_CONFIG parameter, else the fallback.
const std::string& ConfigPathFor(const Request& request, const Services& services);

// The config for one request: the one at ConfigPathFor, or Refused, without opening the
// file, when the policy does not let the request name it.
const Result<ServerConfig>& ConfigFor(const Request& request, Services& services);

// `path` with symbolic links and `..` resolved, also when the file itself does not exist (its
// folder is resolved); empty when even the folder cannot be.
std::string ResolvedPath(const std::string& path);

// A --config-dir argument as ConfigPolicy keeps it: resolved, ending in '/'. Invalid if the
// folder does not exist.
Result<std::string> ResolveConfigDir(const std::string& dir);

// The start-up config (docs/protocol.md, "Finding the config"): $HEARTBEAT_CONFIG if set and
// not empty; else heartbeat.conf in `executable_dir` if it exists; else
// heartbeat-data/heartbeat.conf in `home_dir` (the account's home, empty when unknown) if
// it exists; else heartbeat.conf in `executable_dir`, whose absence is then the error. No
// part of it comes from a request: every HTTP_* variable is a header a client chose.
std::string FallbackConfigPath(const char* env_value, const std::string& executable_dir,
                               const std::string& home_dir);

// The places FallbackConfigPath looks at without the environment, in its order.
std::vector<std::string> ConfigPlaces(const std::string& executable_dir,
                                      const std::string& home_dir);

}  // namespace heartbeat
