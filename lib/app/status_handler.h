// status.fcgi's endpoint as a plain function from a request to a response
// (docs/protocol.md, "status.fcgi").
#pragma once

#include "http.h"
#include "services.h"

namespace heartbeat {

// Public GET/HEAD/OPTIONS of online/away/offline as JSON, SVG or shields.io JSON, and the card's
// usual hours.
Response HandleStatus(const Request& request, Services& services);

}  // namespace heartbeat
