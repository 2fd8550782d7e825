// What a peer on a program's socket sends: the bytes judged for a whole FastCGI request. The
// judgement must never read past them, and adding bytes never makes a whole request partial.
#include <cstddef>
#include <cstdint>

#include "fastcgi_framing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using heartbeat::Arrival;
  size_t stale = 0;
  Arrival whole = heartbeat::RequestArrival(data, size, &stale);
  if (stale > size) __builtin_trap();
  for (size_t prefix = 0; prefix < size; prefix += 1 + prefix / 4) {
    size_t part_stale = 0;
    Arrival part = heartbeat::RequestArrival(data, prefix, &part_stale);
    if (part == Arrival::kWhole && whole != Arrival::kWhole) __builtin_trap();
    if (part_stale > stale && whole != Arrival::kMalformed) __builtin_trap();
  }
  return 0;
}
