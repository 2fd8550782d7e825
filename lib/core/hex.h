// Hexadecimal digits, read in one place: \u escapes, %-escapes, token digests.
#pragma once

namespace heartbeat {

// 0 to 15 for a hex digit of either case, -1 for any other character.
inline int HexDigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace heartbeat
