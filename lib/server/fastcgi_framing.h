// Whether a FastCGI request has arrived whole, judged from the bytes waiting on its
// connection (read with MSG_PEEK, so that libfcgi still reads them). The programs hand a
// request to libfcgi only then: its reads never wait on a slow peer, and one peer cannot hold
// up the others (docs/protocol.md, "Slow clients").
#pragma once

#include <cstddef>

namespace heartbeat {

enum class Arrival {
  kPartial,    // more is to come: wait for it (within the deadline)
  kWhole,      // a request's begin record, its parameters to their end and its body to its
               // end (or past the 4 KiB that a heartbeat may have) are all there
  kMalformed,  // not FastCGI: drop the connection
};

// `data` holds the first `size` bytes waiting on a connection. `*stale_bytes` is set to the
// length of the whole records at its start that precede any begin record: the rest of an
// earlier request's body that was not read (a heartbeat reads at most 4 KiB of one) or a
// management record. Nothing will read them, so the caller discards them.
Arrival RequestArrival(const unsigned char* data, size_t size, size_t* stale_bytes);

}  // namespace heartbeat
