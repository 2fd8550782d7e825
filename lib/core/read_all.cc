#include "read_all.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>

namespace heartbeat {

ssize_t AppendRead(int fd, std::string* out, size_t keep_at_most) {
  char buffer[4096];
  ssize_t n;
  do {
    n = read(fd, buffer, sizeof buffer);
  } while (n < 0 && errno == EINTR);
  if (n > 0 && out->size() < keep_at_most) {
    out->append(buffer, std::min(static_cast<size_t>(n), keep_at_most - out->size()));
  }
  return n;
}

Result<std::string> ReadToEnd(int fd, const std::string& what, size_t max_bytes) {
  std::string content;
  const size_t keep = max_bytes + (max_bytes < SIZE_MAX ? 1 : 0);  // one more: the overflow seen
  for (;;) {
    ssize_t n = AppendRead(fd, &content, keep);
    if (n < 0) return Status::Unavailable(what + ": " + std::strerror(errno));
    if (content.size() > max_bytes) {
      return Status::Invalid(what + ": larger than " + std::to_string(max_bytes) + " bytes");
    }
    if (n == 0) return content;
  }
}

}  // namespace heartbeat
