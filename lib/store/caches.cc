#include "caches.h"

#include <cerrno>

#include "key_value.h"
#include "log.h"
#include "open_resolved.h"
#include "path_name.h"
#include "services.h"

namespace heartbeat {
namespace {

// The entry for `key`, made room for: at kMaxCachedFiles entries, the least recently used
// other one is dropped first.
template <typename Map, typename Wanted>
typename Map::mapped_type& CachedEntry(Map& entries, const Wanted& wanted, uint64_t* uses) {
  auto found = entries.find(wanted);
  if (found == entries.end()) {
    if (entries.size() >= kMaxCachedFiles) {
      auto oldest = entries.begin();
      for (auto it = entries.begin(); it != entries.end(); ++it) {
        if (it->second.used < oldest->second.used) oldest = it;
      }
      entries.erase(oldest);
    }
    found = entries.emplace(typename Map::key_type(wanted), typename Map::mapped_type{}).first;
  }
  found->second.used = ++*uses;
  return found->second;
}

bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec &&
         a.st_ctim.tv_sec == b.st_ctim.tv_sec && a.st_ctim.tv_nsec == b.st_ctim.tv_nsec;
}

}  // namespace

const Result<ServerConfig>& ConfigCache::Lookup(const std::string& path, bool resolved) {
  // Looked up by a view of the path: a request that finds its entry copies nothing.
  Entry& entry = CachedEntry(entries_, KeyView(resolved, path), &uses_);
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

Result<Storage*> StoreCache::Get(const std::string& path) {
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

}  // namespace heartbeat
