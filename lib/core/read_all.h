// Reading a descriptor to its end, in one place: files (config, token), a child's output.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>

#include "result.h"

namespace heartbeat {

// One read(2) of `fd` (retried on EINTR), appended to `*out` as far as `*out` stays within
// `keep_at_most` bytes (the rest is read and dropped): the bytes read, 0 at end of file, -1 with
// errno set on an error.
ssize_t AppendRead(int fd, std::string* out, size_t keep_at_most);

// Every byte of `fd` to its end. Unavailable ("`what`: error") on a read error, Invalid
// ("`what`: larger than `max_bytes` bytes") past `max_bytes`.
Result<std::string> ReadToEnd(int fd, const std::string& what, size_t max_bytes);

}  // namespace heartbeat
