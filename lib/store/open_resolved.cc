#include "open_resolved.h"

#include <fcntl.h>

#include <cerrno>

namespace heartbeat {
namespace {

// O_PATH opens a folder that may be searched but not listed (a shared host's 0711 home).
#ifdef O_PATH
constexpr int kFolderFlags = O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
#else
constexpr int kFolderFlags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
#endif

}  // namespace

UniqueFd OpenResolved(const std::string& resolved) {
  if (resolved.empty() || resolved[0] != '/') {
    errno = EINVAL;
    return UniqueFd();
  }
  UniqueFd folder(open("/", kFolderFlags));
  size_t start = 1;
  while (folder.valid()) {
    size_t slash = resolved.find('/', start);
    std::string part = resolved.substr(start, slash == std::string::npos ? slash : slash - start);
    if (part == "." || part == "..") {
      errno = EINVAL;
      return UniqueFd();
    }
    if (slash == std::string::npos) {
      if (part.empty()) {
        errno = EISDIR;
        return UniqueFd();
      }
      return UniqueFd(
          openat(folder.get(), part.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    }
    if (!part.empty()) folder = UniqueFd(openat(folder.get(), part.c_str(), kFolderFlags));
    start = slash + 1;
  }
  return UniqueFd();
}

}  // namespace heartbeat
