#include "status_format.h"

#include <time.h>

#include <cstdio>

#include "http.h"
#include "iso_time.h"
#include "json_text.h"
#include "utf8.h"

namespace heartbeat {
namespace {

struct BadgeLook {
  const char* message;
  const char* light_color;    // fill of the right half of the SVG badge, light theme
  const char* dark_color;     // the same, dark theme
  const char* shields_color;  // a shields.io colour name
};

BadgeLook LookOf(Presence presence) {
  switch (presence) {
    case Presence::kOnline:
      return {"online", "#1a7f37", "#238636", "brightgreen"};
    case Presence::kAway:
      return {"away", "#9a6700", "#9e6a03", "yellow"};
    case Presence::kOffline:
      return {"offline", "#6e7781", "#484f58", "lightgrey"};
  }
  return {"offline", "#6e7781", "#484f58", "lightgrey"};
}

constexpr BadgeLook kUnknownLook = {"unknown", "#6e7681", "#3d444d", "lightgrey"};
constexpr const char* kLightLabelColor = "#555";
constexpr const char* kDarkLabelColor = "#30363d";

// Verdana 11px: about 7 px a character in short Latin words, 12 for the wide scripts (a code
// point of three or four bytes: CJK, emoji).
int TextWidth(std::string_view text) {
  int width = 10;
  uint32_t c = 0;
  for (size_t pos = 0; pos < text.size();) {
    if (!NextCodePoint(text, &pos, &c)) c = static_cast<unsigned char>(text[pos++]);  // as Latin-1
    width += c < 0x800 ? 7 : 12;  // one or two bytes, or three or four
  }
  return width;
}

std::string BadgeStyle(const BadgeLook& look, Theme theme) {
  auto palette = [&](bool dark) {
    return std::string(".l{fill:") + (dark ? kDarkLabelColor : kLightLabelColor) +
           "}.m{fill:" + (dark ? look.dark_color : look.light_color) + "}";
  };
  std::string style = "<style>" + palette(theme == Theme::kDark);
  if (theme == Theme::kAuto) style += "@media (prefers-color-scheme:dark){" + palette(true) + "}";
  return style + "</style>";
}

// `label` is already trimmed and at most 32 characters; it is XML-escaped here.
std::string Badge(const BadgeLook& look, std::string_view label, Theme theme) {
  const std::string text = XmlEscape(label);
  const int label_width = TextWidth(label);
  const int message_width = TextWidth(look.message);
  const std::string width = std::to_string(label_width + message_width);
  const std::string name = text + ": " + look.message;
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + width +
         "\" height=\"20\" role=\"img\" aria-label=\"" + name + "\"><title>" + name + "</title>" +
         BadgeStyle(look, theme) + "<rect class=\"l\" width=\"" + width +
         "\" height=\"20\" rx=\"3\"/><rect class=\"m\" x=\"" + std::to_string(label_width) +
         "\" width=\"" + std::to_string(message_width) +
         "\" height=\"20\" rx=\"3\"/><rect class=\"m\" x=\"" + std::to_string(label_width) +
         "\" width=\"4\" height=\"20\"/>"
         "<g fill=\"#fff\" text-anchor=\"middle\" font-family=\"Verdana,DejaVu Sans,sans-serif\" "
         "font-size=\"11\"><text x=\"" +
         std::to_string(label_width / 2) + "\" y=\"14\">" + text + "</text><text x=\"" +
         std::to_string(label_width + message_width / 2) + "\" y=\"14\">" + look.message +
         "</text></g></svg>";
}

std::string Shields(const BadgeLook& look, std::string_view label, bool is_error) {
  std::string body = "{\"schemaVersion\":1,\"label\":" + JsonString(label) + ",\"message\":\"";
  body += look.message;
  body += "\",\"color\":\"";
  body += look.shields_color;
  body += is_error ? "\",\"isError\":true}" : "\"}";
  return body;
}

// {"kind":…} with each text the kind has and the heartbeat gave, JSON-escaped like the note's.
std::string ActivityJson(const Activity& activity) {
  std::string json = std::string("{\"kind\":\"") + ActivityKindName(activity.kind) + '"';
  auto add = [&json](const char* name, const std::string& text) {
    if (!text.empty()) json += std::string(",\"") + name + "\":" + JsonString(text);
  };
  add("title", activity.title);
  add("artist", activity.artist);
  add("app", activity.app);
  return json + '}';
}

}  // namespace

std::optional<StatusFormat> ParseStatusFormat(std::string_view text) {
  if (text == "json") return StatusFormat::kJson;
  if (text == "svg") return StatusFormat::kSvg;
  if (text == "shields") return StatusFormat::kShields;
  if (text == "hours") return StatusFormat::kHours;
  if (text == "hours.svg") return StatusFormat::kHoursSvg;
  return std::nullopt;
}

const char* StatusContentType(StatusFormat format) {
  return format == StatusFormat::kSvg || format == StatusFormat::kHoursSvg ? "image/svg+xml"
                                                                           : kJsonContentType;
}

std::string FormatLastSeen(int64_t at_ms, LastSeenPolicy policy) {
  if (policy == LastSeenPolicy::kMinute) at_ms -= (at_ms % 60000 + 60000) % 60000;
  return IsoUtc(at_ms);
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
      body +=
          ",\"until\":\"" + FormatLastSeen(*details.note->until_ms, LastSeenPolicy::kExact) + "\"";
    }
    body += '}';
  }
  if (details.activity) body += ",\"activity\":" + ActivityJson(*details.activity);
  body += '}';
  return body;
}

std::string StatusBadgeSvg(Presence presence, std::string_view label, Theme theme) {
  return Badge(LookOf(presence), label, theme);
}
std::string UnknownBadgeSvg() { return Badge(kUnknownLook, kDefaultBadgeLabel, Theme::kAuto); }
std::string StatusShieldsJson(Presence presence, std::string_view label) {
  return Shields(LookOf(presence), label, false);
}
std::string UnknownShieldsJson() { return Shields(kUnknownLook, kDefaultBadgeLabel, true); }

}  // namespace heartbeat
