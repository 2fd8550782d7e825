// What a peer on a program's socket sends: the bytes judged for a whole FastCGI request. The
// judgement must never read past them, and adding bytes never makes a whole request partial.
#include <cstddef>
#include <cstdint>

#include "fastcgi_framing.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using heartbeat::Arrival;
  Arrival whole = heartbeat::RequestArrival(data, size);
  for (size_t prefix = 0; prefix < size; prefix += 1 + prefix / 4) {
    Arrival part = heartbeat::RequestArrival(data, prefix);
    if (part == Arrival::kWhole && whole != Arrival::kWhole) __builtin_trap();
  }
  return 0;
}
