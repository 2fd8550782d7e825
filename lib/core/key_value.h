// The `key = value` file format shared by the server config and the agent config.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "result.h"

namespace heartbeat {

struct KeyValueLine {
  std::string key;
  std::string value;
  int line = 0;  // 1-based line number, for error messages
};

// Parses `key = value` lines. Blank lines and lines whose first non-blank character is
// `#` are skipped; keys and values are trimmed of blanks; a value may be empty.
// A line without `=`, with an empty key, a key outside [a-z0-9_], or a NUL byte makes
// the whole text invalid: the Status names `source` and the line number.
// A key given twice is invalid too, so that an edit can never be silently overridden.
Result<std::vector<KeyValueLine>> ParseKeyValueText(std::string_view text, std::string_view source);

// Reads a whole file. NotFound if it does not exist, Unavailable if it cannot be read.
Result<std::string> ReadWholeFile(const std::string& path);
// What ReadWholeFile does once the file is open: `fd` must be a regular file; `path` names it
// in messages.
Result<std::string> ReadOpenFile(int fd, const std::string& path);
// The Status of an open of `path` that failed, from errno: NotFound or Unavailable.
Status OpenFailure(const std::string& path);

// Parses a whole number in [min, max]; false on anything else (signs, blanks, overflow).
bool ParseIntInRange(std::string_view text, long long min, long long max, long long* out);

}  // namespace heartbeat
