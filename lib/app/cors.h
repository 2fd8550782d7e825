// CORS for the status endpoint (docs/protocol.md, "status.fcgi"). The heartbeat endpoint sends
// none.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "http.h"

namespace heartbeat {

// With no list (`*`): Access-Control-Allow-Origin: *. With a list: Vary: Origin always, and the
// request's origin echoed only when it is in the list.
void AddCorsHeaders(const std::vector<std::string>& allow_origins, std::string_view origin,
                    Response* response);

// Seconds a browser may keep a preflight answer.
constexpr int kPreflightMaxAgeSeconds = 86400;

}  // namespace heartbeat
