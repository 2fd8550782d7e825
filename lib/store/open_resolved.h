// Opening a file whose path was resolved earlier (realpath) without resolving it again: a
// symbolic link put anywhere on the path after the check makes the open fail instead of
// reaching another file.
#pragma once

#include <string>

#include "unique_fd.h"

namespace heartbeat {

// Opens the file at `resolved` (absolute, no `.`/`..` part) for reading, walking its folders
// one at a time from `/` and following no symbolic link, neither in a folder nor in the file
// itself. Invalid descriptor and errno set on failure (ELOOP or ENOTDIR for a link on the way,
// ENOENT for a missing file). The file is opened non-blocking, so that a FIFO cannot hold up
// the caller; the caller checks that it is a regular file.
UniqueFd OpenResolved(const std::string& resolved);

}  // namespace heartbeat
