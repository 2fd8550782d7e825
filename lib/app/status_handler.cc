#include "status_handler.h"

#include <algorithm>

#include "config_problem.h"
#include "cors.h"
#include "hours_format.h"
#include "http_cache.h"
#include "json_text.h"
#include "log.h"
#include "query.h"
#include "status_format.h"
#include "text_field.h"
#include "time_zone.h"
#include "usual_hours.h"

namespace heartbeat {
namespace {

constexpr const char* kAllowedMethods = "GET, HEAD, OPTIONS";
constexpr const char* kBadgePathInfo = "/badge.svg";
constexpr const char* kBadgeSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'";
// The usual hours change slowly: a cache may keep them five minutes.
constexpr int64_t kHoursMaxAgeSeconds = 300;

// How the answer looks, from the query: ?theme= for the SVGs, ?label= for the badge and
// shields. A bad value is 400 whatever the format, so that a typo shows at once.
struct ViewOptions {
  Theme theme = Theme::kAuto;
  std::string label = kDefaultBadgeLabel;
};

Result<ViewOptions> RequestedView(const Request& request) {
  ViewOptions view;
  auto theme = QueryParameter(request.query, "theme");
  if (!theme.ok()) return theme.status();
  if (theme.value()) {
    auto parsed = ParseTheme(*theme.value());
    if (!parsed) return Status::Invalid("unknown theme; use light, dark or auto");
    view.theme = *parsed;
  }
  auto label = QueryParameter(request.query, "label");
  if (!label.ok()) return label.status();
  if (label.value()) {
    auto cleaned = CleanTextField(*label.value(), kMaxLabelCodePoints, "label");
    if (!cleaned.ok()) return cleaned.status();
    view.label = std::move(cleaned).value();
  }
  return view;
}

// Which representation the request asks for: ?format= wins over the /badge.svg path.
Result<StatusFormat> RequestedFormat(const Request& request) {
  auto format = QueryParameter(request.query, "format");
  if (!format.ok()) return format.status();
  if (format.value()) {
    auto parsed = ParseStatusFormat(*format.value());
    if (!parsed)
      return Status::Invalid("unknown format; use json, svg, shields, hours or hours.svg");
    return *parsed;
  }
  if (request.path_info == kBadgePathInfo) return StatusFormat::kSvg;
  if (!request.path_info.empty() && request.path_info != "/") {
    return Status::NotFound("no such resource; the badge is at /badge.svg");
  }
  return StatusFormat::kJson;
}

Response WithBody(int status, StatusFormat format, std::string body) {
  Response response;
  response.status = status;
  response.AddHeader("Content-Type", StatusContentType(format));
  AddCommonHeaders(&response);
  if (format == StatusFormat::kSvg || format == StatusFormat::kHoursSvg) {
    response.AddHeader("Content-Security-Policy", kBadgeSecurityPolicy);
  }
  response.body = std::move(body);
  return response;
}

// A 503 in the requested format: never cached, with a Retry-After.
Response Unavailable(StatusFormat format, std::string_view code, std::string_view message) {
  std::string body;
  switch (format) {
    case StatusFormat::kJson:
      body = "{\"isOnline\":false,\"error\":" + JsonString(code) +
             ",\"message\":" + JsonString(message) + "}";
      break;
    case StatusFormat::kHours:
      body = "{\"error\":" + JsonString(code) + ",\"message\":" + JsonString(message) + "}";
      break;
    case StatusFormat::kSvg:
    case StatusFormat::kHoursSvg:
      body = UnknownBadgeSvg();
      break;
    case StatusFormat::kShields:
      body = UnknownShieldsJson();
      break;
  }
  Response response = WithBody(503, format, std::move(body));
  MakeUnavailable(&response);
  return response;
}

// The presence in the badge, shields or JSON format (the hours formats go to HoursAnswer).
std::string Representation(StatusFormat format, Presence presence, const StatusDetails& details,
                           const ViewOptions& view) {
  if (format == StatusFormat::kSvg) return StatusBadgeSvg(presence, view.label, view.theme);
  if (format == StatusFormat::kShields) return StatusShieldsJson(presence, view.label);
  return StatusJson(presence, details);
}

// 200 with the body, or 304 when If-None-Match holds its ETag; both with the same caching.
Response Cacheable(const Request& request, StatusFormat format, std::string body, int64_t max_age) {
  const auto etag = EntityTag(body);
  bool not_modified =
      !request.if_none_match.empty() && IfNoneMatchMatches(request.if_none_match, etag.view());
  Response response =
      not_modified ? WithBody(304, format, std::string()) : WithBody(200, format, std::move(body));
  response.AddHeader("Cache-Control", PublicMaxAge(max_age).view());
  response.AddHeader("ETag", etag.view());
  return response;
}

// ?format=hours and hours.svg: a read of their own, never the presence read.
Response HoursAnswer(const Request& request, Services& services, const ServerConfig& config,
                     Storage* store, StatusFormat format, const ViewOptions& view) {
  const int64_t now_s = services.clock.NowMs() / 1000;
  auto rows = store->ReadActiveHours(Storage::OldestKeptHour(now_s, config.history_days));
  if (!rows.ok()) {
    LogLine(rows.status().message());
    services.stores.Discard(config.database_path);
    return Unavailable(format, "storage_unavailable", "the database cannot be used");
  }
  UsualHours hours;
  {
    ZoneClock zone(config.timezone);
    hours = ComputeUsualHours(rows.value(), zone, now_s, config.history_days);
  }
  std::string body = format == StatusFormat::kHours ? HoursJson(hours, config.timezone)
                                                    : HoursSvg(hours, config.timezone, view.theme);
  return Cacheable(request, format, std::move(body), kHoursMaxAgeSeconds);
}

Response Answer(const Request& request, Services& services, const Result<ServerConfig>& loaded,
                StatusFormat format, const ViewOptions& view) {
  if (!loaded.ok()) {
    ConfigProblem problem =
        DescribeConfigProblem(loaded.status(), ConfigPathFor(request, services));
    return Unavailable(format, problem.code, problem.message);
  }
  const ServerConfig* config = &loaded.value();
  auto store = services.stores.Get(config->database_path);
  if (!store.ok()) {
    return Unavailable(format, "storage_unavailable", "the database cannot be used");
  }
  if (format == StatusFormat::kHours || format == StatusFormat::kHoursSvg) {
    if (config->history_days == 0) {
      return JsonError(404, "not_found", "usual hours are off (history_days = 0 in the config)");
    }
    return HoursAnswer(request, services, *config, store.value(), format, view);
  }
  const auto& facts = services.presence_reads.Read(*store.value());
  if (!facts.ok()) {
    LogLine(facts.status().message());
    services.stores.Discard(config->database_path);
    return Unavailable(format, "storage_unavailable", "the database cannot be used");
  }

  const int64_t now_ms = services.clock.NowMs();
  PresenceVerdict verdict = DecidePresence(facts.value(), now_ms, config->online_window_s);
  std::string last_seen;
  if (config->last_seen != LastSeenPolicy::kOff && facts->last_active_ms) {
    last_seen = FormatLastSeen(*facts->last_active_ms, config->last_seen);
  }

  StatusDetails details;
  details.last_seen = last_seen;
  details.timezone = config->timezone;
  const Note* note = facts->note && facts->note->StandsAt(now_ms) ? &*facts->note : nullptr;
  details.note = note;
  // The activity of a device that is active right now, only while the owner shows it.
  int64_t activity_remaining_ms = 0;
  if (config->activity_shown && verdict.presence == Presence::kOnline && facts->activity) {
    activity_remaining_ms =
        ActiveRemainingMs(facts->activity_at_ms, now_ms, config->online_window_s);
    if (activity_remaining_ms > 0) details.activity = &*facts->activity;
  }

  // The ETag is the body's hash, so it changes with the note too.
  std::string body = Representation(format, verdict.presence, details, view);
  int64_t max_age = verdict.presence == Presence::kOnline
                        ? OnlineMaxAgeSeconds(verdict.online_remaining_ms)
                        : config->offline_max_age_s;
  // No cache may show a note after its end.
  if (note && note->until_ms) max_age = std::min(max_age, (*note->until_ms - now_ms) / 1000);
  // Nor an activity after its device's window has ended (another device may keep it online).
  if (details.activity) max_age = std::min(max_age, activity_remaining_ms / 1000);
  return Cacheable(request, format, std::move(body), max_age);
}

}  // namespace

Response HandleStatus(const Request& request, Services& services) {
  const Result<ServerConfig>& loaded = ConfigFor(request, services);
  const ServerConfig* config = loaded.ok() ? &loaded.value() : nullptr;
  // Without a config we cannot know the origin list; `*` lets a page read the 503 itself.
  static const std::vector<std::string> kAnyOrigin;
  const std::vector<std::string>& origins = config ? config->allow_origins : kAnyOrigin;

  Response response;
  if (request.method == "OPTIONS") {
    response.status = 204;
    AddCommonHeaders(&response);
    response.AddHeader("Access-Control-Allow-Methods", kAllowedMethods);
    response.AddHeader("Access-Control-Max-Age", std::to_string(kPreflightMaxAgeSeconds));
  } else if (request.method != "GET" && request.method != "HEAD") {
    response = JsonError(405, "method_not_allowed", "use GET, HEAD or OPTIONS");
    response.AddHeader("Allow", kAllowedMethods);
  } else if (auto format = RequestedFormat(request); !format.ok()) {
    bool missing = format.status().code() == Status::Code::kNotFound;
    response = JsonError(missing ? 404 : 400, missing ? "not_found" : "bad_request",
                         format.status().message());
  } else if (auto view = RequestedView(request); !view.ok()) {
    response = JsonError(400, "bad_request", view.status().message());
  } else {
    response = Answer(request, services, loaded, format.value(), view.value());
  }
  // A refusal is never kept by a cache (Varnish keeps a 404 for two minutes by default); a
  // 503 already says no-store with its Retry-After.
  if (response.status >= 400 && !response.FindHeader("Cache-Control")) {
    response.AddHeader("Cache-Control", "no-store");
  }
  AddCorsHeaders(origins, request.origin, &response);
  response.omit_body = request.method == "HEAD";
  return response;
}

}  // namespace heartbeat
