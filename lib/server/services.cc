#include "services.h"

#include <climits>
#include <cstdlib>

#include "key_value.h"
#include "log.h"
#include "path_name.h"

namespace heartbeat {
namespace {

// The entry for `path`, made room for: at kMaxCachedFiles entries, the least recently used
// other one is dropped first.
template <typename Entry>
Entry& CachedEntry(std::map<std::string, Entry>& entries, const std::string& path, uint64_t* uses) {
  auto found = entries.find(path);
  if (found == entries.end()) {
    if (entries.size() >= kMaxCachedFiles) {
      auto oldest = entries.begin();
      for (auto it = entries.begin(); it != entries.end(); ++it) {
        if (it->second.used < oldest->second.used) oldest = it;
      }
      entries.erase(oldest);
    }
    found = entries.emplace(path, Entry{}).first;
  }
  found->second.used = ++*uses;
  return found->second;
}

// `path` with symbolic links and `..` resolved, also when the file itself does not exist (its
// folder is resolved); empty when even the folder cannot be.
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

bool MayRead(const std::string& path, Services& services) {
  ConfigPolicy& policy = services.config_policy;
  if (policy.param_trusted || path == services.fallback_config_path) return true;
  std::string resolved = ResolvedPath(path);
  if (resolved.empty()) return false;
  if (!policy.resolved_fallback)
    policy.resolved_fallback = ResolvedPath(services.fallback_config_path);
  if (resolved == *policy.resolved_fallback) return true;
  for (const std::string& dir : policy.allowed_dirs) {
    if (resolved.compare(0, dir.size(), dir) == 0) return true;
  }
  return false;
}

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
         a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

}  // namespace

const Result<ServerConfig>& ConfigCache::Get(const std::string& path) {
  Entry& entry = CachedEntry(entries_, path, &uses_);
  int64_t now = clock_.NowMs();
  bool checked_recently = now >= entry.checked_ms && now - entry.checked_ms < kRecheckIntervalMs;
  if (entry.loaded && checked_recently) return entry.config;
  entry.checked_ms = now;

  struct stat identity;
  bool exists = stat(path.c_str(), &identity) == 0;
  bool unchanged =
      exists ? entry.have_identity && SameFile(identity, entry.identity) : !entry.have_identity;
  if (entry.loaded && unchanged) return entry.config;
  Load(path, &entry, exists ? &identity : nullptr);
  return entry.config;
}

void ConfigCache::Load(const std::string& path, Entry* entry, const struct stat* identity) {
  entry->loaded = true;
  entry->have_identity = identity != nullptr;
  if (identity) entry->identity = *identity;
  auto text = ReadWholeFile(path);
  if (!text.ok()) {
    entry->config = text.status();
  } else {
    entry->config = ParseServerConfig(text.value(), DirName(path), BaseName(path));
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
  if (!MayRead(path, services)) {
    static const Result<ServerConfig> kRefused(
        Status::Refused("the request names a config outside the allowed folders"));
    // Once per process: a peer that keeps asking must not fill the log.
    static bool logged = false;
    if (!logged)
      LogLine(
          "refused a config named by a request (not the start-up config nor in a --config-dir): " +
          path);
    logged = true;
    return kRefused;
  }
  return services.configs.Get(path);
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
