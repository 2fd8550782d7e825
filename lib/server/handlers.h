// The two endpoints as plain functions from a request to a response (docs/protocol.md).
#pragma once

#include "http.h"
#include "services.h"

namespace heartbeat {

// heartbeat.fcgi: authenticated POST of a device's state. Checks run in the order of
// docs/protocol.md: 405, (503 config/storage), 413, the token (401, or 429 for a locked-out
// address), 415, 400; a 200 means the heartbeat is committed.
Response HandleHeartbeat(const Request& request, Services& services);

// status.fcgi: public GET/HEAD/OPTIONS of online/away/offline as JSON, SVG or shields.io JSON.
Response HandleStatus(const Request& request, Services& services);

// Seconds a client is asked to wait after a 503.
constexpr int kUnavailableRetryAfterSeconds = 30;

// The error code and client-facing message for a config that could not be loaded. The message
// names the file but not its folder; the full path goes to the log.
struct ConfigProblem {
  const char* code;
  std::string message;
};
ConfigProblem DescribeConfigProblem(const Status& status, const std::string& config_path);

}  // namespace heartbeat
