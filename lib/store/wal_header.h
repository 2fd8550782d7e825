// Whether a database in WAL mode may have changed, told without a transaction: from the
// wal-index header that SQLite's unix VFS keeps at the start of the `-shm` file (the layout is
// SQLite's "WAL-mode file format" document). Every commit writes a new header (its change
// counter, frame count and checksum change) before the commit returns, so before a heartbeat
// is acknowledged; a header that is the same as before a read means nothing was committed
// since. Reading it is one pread, where a read transaction costs two fcntl locks and the
// SELECT.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <utility>

#include "unique_fd.h"

namespace heartbeat {

class WalHeader {
 public:
  // The 48 bytes of one copy of the header.
  using Bytes = std::array<unsigned char, 48>;

  WalHeader() = default;  // of no file: every Now() is nullopt
  explicit WalHeader(std::string shm_path) : path_(std::move(shm_path)) {}

  // The header as it is now; nullopt when it cannot be told, and the caller must read: no
  // `-shm` file (yet), a short read, a header not initialised or of another version, or two
  // copies that differ (a commit is writing them; SQLite's own readers retry then).
  std::optional<Bytes> Now();

 private:
  std::string path_;
  UniqueFd fd_;  // opened on the first call that finds the file
};

}  // namespace heartbeat
