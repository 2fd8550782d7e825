#include "status_format.h"

#include <time.h>

#include <cstdio>

#include "http.h"

namespace heartbeat {
namespace {

struct BadgeLook {
  const char* message;
  const char* svg_color;      // fill of the right half of the SVG badge
  const char* shields_color;  // a shields.io colour name
};

BadgeLook LookOf(Presence presence) {
  switch (presence) {
    case Presence::kOnline: return {"online", "#2ea043", "brightgreen"};
    case Presence::kAway: return {"away", "#bf8700", "yellow"};
    case Presence::kOffline: return {"offline", "#6e7781", "lightgrey"};
  }
  return {"offline", "#6e7781", "lightgrey"};
}

constexpr BadgeLook kUnknownLook = {"unknown", "#9f9f9f", "lightgrey"};
constexpr const char* kBadgeLabel = "status";

// Verdana 11px averages about 7 px a character in these short lowercase words.
int TextWidth(std::string_view text) { return static_cast<int>(text.size()) * 7 + 10; }

std::string Badge(const BadgeLook& look) {
  const int label_width = TextWidth(kBadgeLabel);
  const int message_width = TextWidth(look.message);
  const int width = label_width + message_width;
  char svg[1024];
  std::snprintf(
      svg, sizeof svg,
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"20\" role=\"img\" "
      "aria-label=\"%s: %s\"><title>%s: %s</title>"
      "<rect width=\"%d\" height=\"20\" rx=\"3\" fill=\"#555\"/>"
      "<rect x=\"%d\" width=\"%d\" height=\"20\" rx=\"3\" fill=\"%s\"/>"
      "<rect x=\"%d\" width=\"4\" height=\"20\" fill=\"%s\"/>"
      "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,DejaVu Sans,sans-serif\" "
      "font-size=\"11\"><text x=\"%d\" y=\"14\">%s</text><text x=\"%d\" y=\"14\">%s</text></g>"
      "</svg>",
      width, kBadgeLabel, look.message, kBadgeLabel, look.message, width, label_width,
      message_width, look.svg_color, label_width, look.svg_color, label_width / 2, kBadgeLabel,
      label_width + message_width / 2, look.message);
  return svg;
}

std::string Shields(const BadgeLook& look, bool is_error) {
  std::string body = "{\"schemaVersion\":1,\"label\":\"";
  body += kBadgeLabel;
  body += "\",\"message\":\"";
  body += look.message;
  body += "\",\"color\":\"";
  body += look.shields_color;
  body += is_error ? "\",\"isError\":true}" : "\"}";
  return body;
}

}  // namespace

std::optional<StatusFormat> ParseStatusFormat(std::string_view text) {
  if (text == "json") return StatusFormat::kJson;
  if (text == "svg") return StatusFormat::kSvg;
  if (text == "shields") return StatusFormat::kShields;
  return std::nullopt;
}

const char* StatusContentType(StatusFormat format) {
  return format == StatusFormat::kSvg ? "image/svg+xml" : kJsonContentType;
}

std::string FormatLastSeen(int64_t at_ms, LastSeenPolicy policy) {
  time_t seconds = static_cast<time_t>(at_ms / 1000);
  struct tm utc;
  gmtime_r(&seconds, &utc);
  if (policy == LastSeenPolicy::kMinute) utc.tm_sec = 0;
  char text[32];
  strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return text;
}

std::string StatusJson(Presence presence, const StatusDetails& details) {
  std::string body = presence == Presence::kOnline ? "{\"isOnline\":true,\"state\":\""
                                                   : "{\"isOnline\":false,\"state\":\"";
  body += PresenceName(presence);
  body += '"';
  if (!details.last_seen.empty()) {
    body += ",\"lastSeen\":\"";
    body += details.last_seen;
    body += '"';
  }
  if (!details.timezone.empty()) body += ",\"timezone\":" + JsonString(details.timezone);
  if (details.note) {
    // The text comes from the owner's machine: JsonString leaves no byte that could be markup.
    body += ",\"note\":{\"text\":" + JsonString(details.note->text);
    body += details.note->busy ? ",\"busy\":true" : ",\"busy\":false";
    if (details.note->until_ms) {
      body += ",\"until\":\"" + FormatLastSeen(*details.note->until_ms, LastSeenPolicy::kExact) + "\"";
    }
    body += '}';
  }
  body += '}';
  return body;
}

std::string StatusBadgeSvg(Presence presence) { return Badge(LookOf(presence)); }
std::string UnknownBadgeSvg() { return Badge(kUnknownLook); }
std::string StatusShieldsJson(Presence presence) { return Shields(LookOf(presence), false); }
std::string UnknownShieldsJson() { return Shields(kUnknownLook, true); }

}  // namespace heartbeat
