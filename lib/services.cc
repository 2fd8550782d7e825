#include "services.h"

#include "key_value.h"
#include "log.h"

namespace heartbeat {
namespace {

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
         a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

}  // namespace

const Result<ServerConfig>& ConfigCache::Get(const std::string& path) {
  Entry& entry = entries_[path];
  int64_t now = clock_.NowMs();
  bool checked_recently = now >= entry.checked_ms && now - entry.checked_ms < kRecheckIntervalMs;
  if (entry.loaded && checked_recently) return entry.config;
  entry.checked_ms = now;

  struct stat identity;
  bool exists = stat(path.c_str(), &identity) == 0;
  bool unchanged = exists ? entry.have_identity && SameFile(identity, entry.identity)
                          : !entry.have_identity;
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
  Entry& entry = entries_[path];
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

std::string FallbackConfigPath(const char* env_value, const std::string& executable_dir) {
  if (env_value && *env_value) return env_value;
  return executable_dir + "/" + kDefaultConfigName;
}

}  // namespace heartbeat
