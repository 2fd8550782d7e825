// heartbeat.fcgi's endpoint as a plain function from a request to a response
// (docs/protocol.md, "heartbeat.fcgi").
#pragma once

#include "http.h"
#include "services.h"

namespace heartbeat {

// Authenticated POST of a device's state. Checks run in the documented order: 405,
// (503 config/storage), 413, the token (401, or 429 for a locked-out address), 415, 400; a 200
// means the heartbeat is committed.
Response HandleHeartbeat(const Request& request, Services& services);

}  // namespace heartbeat
