#include "services.h"

#include <cerrno>
#include <climits>
#include <cstdlib>

#include "key_value.h"
#include "log.h"
#include "open_resolved.h"
#include "path_name.h"

namespace heartbeat {
namespace {

// The entry for `key`, made room for: at kMaxCachedFiles entries, the least recently used
// other one is dropped first.
template <typename Key, typename Entry>
Entry& CachedEntry(std::map<Key, Entry>& entries, const Key& key, uint64_t* uses) {
  auto found = entries.find(key);
  if (found == entries.end()) {
    if (entries.size() >= kMaxCachedFiles) {
      auto oldest = entries.begin();
      for (auto it = entries.begin(); it != entries.end(); ++it) {
        if (it->second.used < oldest->second.used) oldest = it;
      }
      entries.erase(oldest);
    }
    found = entries.emplace(key, Entry{}).first;
  }
  found->second.used = ++*uses;
  return found->second;
}

// What the policy makes of the path a request names: trusted as it is (no realpath per
// request), another spelling of the start-up config, a file in a --config-dir once resolved,
// or refused.
enum class Verdict { kTrusted, kStartUp, kInConfigDir, kRefused };

Verdict Check(const std::string& path, Services& services, std::string* resolved) {
  ConfigPolicy& policy = services.config_policy;
  if (policy.param_trusted || path == services.fallback_config_path) return Verdict::kTrusted;
  // Resolved once: the file opened afterwards is the one at this path, never the one a link
  // names by the time it is opened.
  *resolved = ResolvedPath(path);
  if (resolved->empty()) return Verdict::kRefused;
  if (!policy.resolved_fallback)
    policy.resolved_fallback = ResolvedPath(services.fallback_config_path);
  if (*resolved == *policy.resolved_fallback) return Verdict::kStartUp;
  for (const std::string& dir : policy.allowed_dirs) {
    if (resolved->compare(0, dir.size(), dir) == 0) return Verdict::kInConfigDir;
  }
  return Verdict::kRefused;
}

constexpr int64_t kRefusalLogIntervalMs = 60 * 1000;

void LogRefusal(const std::string& path, Services& services) {
  ConfigPolicy& policy = services.config_policy;
  int64_t now = services.clock.NowMs();
  if (policy.refusal_logged_ms >= 0 && now >= policy.refusal_logged_ms &&
      now - policy.refusal_logged_ms < kRefusalLogIntervalMs) {
    ++policy.refusals_not_logged;
    return;
  }
  std::string line =
      "refused a config named by a request (not the start-up config nor in a --config-dir): " +
      path;
  if (policy.refusals_not_logged > 0) {
    line += " (and " + std::to_string(policy.refusals_not_logged) + " more since the last line)";
  }
  LogLine(line);
  policy.refusal_logged_ms = now;
  policy.refusals_not_logged = 0;
}

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
         a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

}  // namespace

std::string ResolvedPath(const std::string& path) {
  char resolved[PATH_MAX];
  if (realpath(path.c_str(), resolved)) return resolved;
  std::string base = BaseName(path);
  if (base.empty() || base == "." || base == ".." || !realpath(DirName(path).c_str(), resolved)) {
    return std::string();
  }
  std::string dir = resolved;
  return dir + (dir.size() > 1 ? "/" : "") + base;
}

const Result<ServerConfig>& ConfigCache::Lookup(const std::string& path, bool resolved) {
  Entry& entry = CachedEntry(entries_, Key(resolved, path), &uses_);
  int64_t now = clock_.NowMs();
  bool checked_recently = now >= entry.checked_ms && now - entry.checked_ms < kRecheckIntervalMs;
  if (entry.loaded && checked_recently) return entry.config;
  entry.checked_ms = now;

  // Only a look for change: what is read is the file Load opens, and the identity kept is
  // that open file's.
  struct stat identity;
  bool exists = (resolved ? lstat(path.c_str(), &identity) : stat(path.c_str(), &identity)) == 0;
  bool unchanged =
      exists ? entry.have_identity && SameFile(identity, entry.identity) : !entry.have_identity;
  if (entry.loaded && unchanged) return entry.config;
  Load(path, resolved, &entry);
  return entry.config;
}

void ConfigCache::Load(const std::string& path, bool resolved, Entry* entry) {
  entry->loaded = true;
  entry->have_identity = false;
  // The file is opened at its resolved path without following a link again, and a relative
  // `database` is taken from that file's folder, never from the folder of a link to it.
  std::string file = resolved ? path : ResolvedPath(path);
  UniqueFd fd = file.empty() ? UniqueFd() : OpenResolved(file);
  if (!fd.valid()) {
    if (file.empty()) errno = ENOENT;
    entry->config = OpenFailure(path);
  } else {
    entry->have_identity = fstat(fd.get(), &entry->identity) == 0;
    auto text = ReadOpenFile(fd.get(), path);
    if (!text.ok()) {
      entry->config = text.status();
    } else {
      entry->config = ParseServerConfig(text.value(), DirName(file), BaseName(path));
    }
  }
  if (!entry->config.ok()) LogLine("config " + path + ": " + entry->config.status().message());
}

Result<Store*> StoreCache::Get(const std::string& path) {
  Entry& entry = CachedEntry(entries_, path, &uses_);
  int64_t now = clock_.NowMs();
  if (entry.store && (now - entry.checked_ms >= kRecheckIntervalMs || now < entry.checked_ms)) {
    entry.checked_ms = now;
    if (!entry.store->StillAtPath()) {
      LogLine("database " + path + " was deleted or replaced; opening it again");
      entry.store.reset();
    }
  }
  if (!entry.store) {
    auto opened = Store::Open(path);
    if (!opened.ok()) {
      LogLine("database " + path + ": " + opened.status().message());
      return opened.status();
    }
    entry.store = std::move(opened).value();
    entry.checked_ms = now;
  }
  return entry.store.get();
}

void StoreCache::Discard(const std::string& path) { entries_.erase(path); }

const std::string& ConfigPathFor(const Request& request, const Services& services) {
  return request.config_param.empty() ? services.fallback_config_path : request.config_param;
}

const Result<ServerConfig>& ConfigFor(const Request& request, Services& services) {
  const std::string& path = ConfigPathFor(request, services);
  std::string resolved;
  switch (Check(path, services, &resolved)) {
    case Verdict::kTrusted:
      return services.configs.Get(path);
    case Verdict::kStartUp:
      // The start-up config itself, by its own path: the file the request's path led to at
      // the check is never opened, so no link swapped since can bring in another.
      return services.configs.Get(services.fallback_config_path);
    case Verdict::kInConfigDir:
      return services.configs.GetResolved(resolved);
    case Verdict::kRefused:
      break;
  }
  static const Result<ServerConfig> kRefused(
      Status::Refused("the request names a config outside the allowed folders"));
  LogRefusal(path, services);
  return kRefused;
}

Result<std::string> ResolveConfigDir(const std::string& dir) {
  char resolved[PATH_MAX];
  struct stat st;
  if (!realpath(dir.c_str(), resolved) || stat(resolved, &st) != 0 || !S_ISDIR(st.st_mode)) {
    return Status::Invalid("--config-dir " + dir + ": no such folder");
  }
  std::string result = resolved;
  if (result.back() != '/') result += '/';
  return result;
}

std::vector<std::string> ConfigPlaces(const std::string& executable_dir,
                                      const std::string& home_dir) {
  std::vector<std::string> places{executable_dir + "/" + kDefaultConfigName};
  if (!home_dir.empty())
    places.push_back(home_dir + (home_dir.back() == '/' ? "" : "/") + kHomeConfigPath);
  return places;
}

std::string FallbackConfigPath(const char* env_value, const std::string& executable_dir,
                               const std::string& home_dir) {
  if (env_value && *env_value) return env_value;
  const std::vector<std::string> places = ConfigPlaces(executable_dir, home_dir);
  for (const std::string& place : places) {
    // lstat: a dangling symbolic link still counts as there, so that its error is the one
    // reported rather than a silent move to the next place.
    struct stat st;
    if (lstat(place.c_str(), &st) == 0) return place;
  }
  return places.front();
}

}  // namespace heartbeat
