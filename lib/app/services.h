// What the handlers need from the process: the config for a request, the store it names, the
// clock. The configs and the stores come from the caches of lib/store (caches.h), seen here
// only through their interfaces (storage.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "clock.h"
#include "http.h"
#include "presence_reads.h"
#include "result.h"
#include "server_config.h"
#include "storage.h"

namespace heartbeat {

// The name of the config file looked for beside the executable.
constexpr const char* kDefaultConfigName = "heartbeat.conf";
// Where a config is looked for in the home folder of the account the program runs as: the
// one place outside the document root that needs no environment variable, as under suEXEC,
// which passes none of its own to a CGI program.
constexpr const char* kHomeConfigPath = "heartbeat-data/heartbeat.conf";

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

// Made from the three things a process has one of; the rest is set by name where needed.
struct Services {
  Services(ConfigSource& config_source, StorageSource& storage_source, const Clock& process_clock)
      : configs(config_source), stores(storage_source), clock(process_clock) {}

  ConfigSource& configs;
  StorageSource& stores;
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
