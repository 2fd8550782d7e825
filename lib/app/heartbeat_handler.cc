#include "heartbeat_handler.h"

#include <optional>

#include "config_problem.h"
#include "heartbeat_body.h"
#include "json_text.h"
#include "log.h"
#include "rate_limit.h"
#include "token.h"

namespace heartbeat {
namespace {

// Heartbeat answers are never cached by anyone.
Response Finish(Response response) {
  response.AddHeader("Cache-Control", "no-store");
  return response;
}

Response Error(int status, std::string_view code, std::string_view message) {
  return Finish(JsonError(status, code, message));
}

Response Unavailable(std::string_view code, std::string_view message) {
  Response response = JsonError(503, code, message);
  MakeUnavailable(&response);
  return response;
}

Response StorageUnavailable(Services& services, const std::string& database_path) {
  services.stores.Discard(database_path);
  return Unavailable("storage_unavailable",
                     "the database cannot be used; see the server's error log");
}

Response MethodNotAllowed() {
  Response response = JsonError(405, "method_not_allowed", "use POST");
  response.AddHeader("Allow", "POST");
  return Finish(std::move(response));
}

// A config that loaded and has a token; else the answer.
std::optional<Response> RefuseConfig(const Request& request, Services& services,
                                     const Result<ServerConfig>& config) {
  if (!config.ok()) {
    ConfigProblem problem =
        DescribeConfigProblem(config.status(), ConfigPathFor(request, services));
    return Unavailable(problem.code, problem.message);
  }
  if (!config->has_token) {
    return Unavailable("not_configured",
                       "no token_sha256 in the config: heartbeats are refused until one is set");
  }
  return std::nullopt;
}

// The token. Only a wrong Bearer token counts towards the lockout: a request without one
// is what any web page can make the owner's browser send, and must not lock the owner out.
// The right token is always accepted.
std::optional<Response> RefuseToken(const Request& request, Services& services,
                                    const ServerConfig& config, Storage& store, int64_t now_ms) {
  std::string_view token = BearerToken(request.authorization);
  if (!token.empty() && TokenMatches(token, config.token_sha256)) return std::nullopt;
  const std::string address = AddressKey(request.remote_addr);
  auto failures = store.ReadAuthFailures(address);
  if (failures.ok() && !token.empty() && LockoutRemainingMs(failures.value(), now_ms) == 0) {
    failures = store.CountAuthFailure(address, now_ms);
  }
  if (!failures.ok()) {
    LogLine(failures.status().message());
    return StorageUnavailable(services, config.database_path);
  }
  if (int64_t locked_ms = LockoutRemainingMs(failures.value(), now_ms); locked_ms > 0) {
    Response response = JsonError(429, "too_many_attempts",
                                  "too many wrong tokens from this address; try again later");
    response.AddHeader("Retry-After", std::to_string(LockoutRetryAfterSeconds(locked_ms)));
    return Finish(std::move(response));
  }
  Response response =
      JsonError(401, "unauthorized", token.empty() ? "missing bearer token" : "wrong token");
  response.AddHeader("WWW-Authenticate", "Bearer realm=\"heartbeat\"");
  return Finish(std::move(response));
}

// The body into `*heartbeat`: none (a bare "active" from the default device) or the JSON of
// docs/protocol.md, as long as its Content-Length says; else the 400 or 415.
std::optional<Response> RefuseBody(const Request& request, int64_t now_ms,
                                   HeartbeatBody* heartbeat) {
  if (!IsBlankBody(request.body)) {
    if (!IsJsonMediaType(request.content_type)) {
      return Error(415, "unsupported_media_type", "a body must be application/json");
    }
    auto parsed = ParseHeartbeatBody(request.body, now_ms);
    if (!parsed.ok()) return Error(400, "bad_request", parsed.status().message());
    *heartbeat = std::move(parsed).value();
  }
  if (request.content_length == -2) {
    return Error(400, "bad_request", "Content-Length is not a number");
  }
  if (request.content_length >= 0 &&
      request.body.size() != static_cast<size_t>(request.content_length)) {
    return Error(400, "bad_request", "the body is shorter than its Content-Length");
  }
  return std::nullopt;
}

// What the store records for `heartbeat` (which it points into) received at `now_ms`.
HeartbeatWrite WriteFor(HeartbeatBody& heartbeat, const ServerConfig& config, int64_t now_ms) {
  HeartbeatWrite write;
  write.device = heartbeat.device;
  write.state = heartbeat.state;
  write.at_ms = now_ms;
  write.note_change = heartbeat.note_change;
  write.note = std::move(heartbeat.note);
  write.history_days = config.history_days;
  // Only an active device is doing something; an idle or offline heartbeat ends its activity.
  if (heartbeat.state == DeviceState::kActive && heartbeat.activity) {
    write.activity = &*heartbeat.activity;
  }
  write.activity_shown = config.activity_shown;
  return write;
}

Response Accepted(const HeartbeatBody& heartbeat, int64_t now_ms) {
  Response response;
  response.AddHeader("Content-Type", kJsonContentType);
  AddCommonHeaders(&response);
  response.body = "{\"status\":\"OK\",\"device\":" + JsonString(heartbeat.device) +
                  ",\"state\":\"" + DeviceStateName(heartbeat.state) +
                  "\",\"at\":" + std::to_string(now_ms) + "}";
  return Finish(std::move(response));
}

}  // namespace

Response HandleHeartbeat(const Request& request, Services& services) {
  if (request.method != "POST") return MethodNotAllowed();
  const Result<ServerConfig>& config = ConfigFor(request, services);
  if (auto refused = RefuseConfig(request, services, config)) return std::move(*refused);
  auto store = services.stores.Get(config->database_path);
  if (!store.ok()) return StorageUnavailable(services, config->database_path);
  if (request.content_length > static_cast<long long>(kMaxBodyBytes) ||
      request.body.size() > kMaxBodyBytes || request.body_truncated) {
    return Error(413, "payload_too_large", "the body is over 4096 bytes");
  }
  const int64_t now_ms = services.clock.NowMs();
  if (auto refused = RefuseToken(request, services, config.value(), *store.value(), now_ms))
    return std::move(*refused);
  HeartbeatBody heartbeat;
  if (auto refused = RefuseBody(request, now_ms, &heartbeat)) return std::move(*refused);
  Status recorded = store.value()->RecordHeartbeat(WriteFor(heartbeat, config.value(), now_ms));
  if (!recorded.ok()) {
    LogLine(recorded.message());
    return StorageUnavailable(services, config->database_path);
  }
  return Accepted(heartbeat, now_ms);
}

}  // namespace heartbeat
