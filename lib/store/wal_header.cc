#include "wal_header.h"

#include <fcntl.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

namespace heartbeat {
namespace {

// What the unix VFS writes in the first field (the wal-index format of SQLite 3.7.0, still
// the one of every later version) and the "initialised" flag at byte 12.
constexpr uint32_t kWalIndexVersion = 3007000;
constexpr size_t kIsInitOffset = 12;

}  // namespace

std::optional<WalHeader::Bytes> WalHeader::Now() {
  if (!fd_.valid()) {
    fd_.Reset(open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (!fd_.valid()) return std::nullopt;
  }
  // Both copies in one read. A writer writes the second copy, then the first; a reader that
  // finds them equal has a header that some commit wrote whole.
  std::array<Bytes, 2> copies;
  if (pread(fd_.get(), copies.data(), sizeof copies, 0) != static_cast<ssize_t>(sizeof copies)) {
    return std::nullopt;
  }
  if (copies[0] != copies[1]) return std::nullopt;
  uint32_t version;
  std::memcpy(&version, copies[0].data(), sizeof version);  // the machine's byte order
  if (version != kWalIndexVersion || copies[0][kIsInitOffset] != 1) return std::nullopt;
  return copies[0];
}

}  // namespace heartbeat
