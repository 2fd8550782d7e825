#include "hours_format.h"

#include <cstdio>

#include "http.h"
#include "json_text.h"

namespace heartbeat {
namespace {

constexpr const char* kDayNames[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr int kCell = 14;
constexpr int kStep = 16;
constexpr int kLeft = 34;
constexpr int kTop = 18;

std::string ZoneName(std::string_view timezone) {
  return timezone.empty() ? "UTC" : std::string(timezone);
}

// 0, 1, 0.5, 0.33: two decimals at most, no trailing zeros.
std::string Share(double share) {
  char text[16];
  std::snprintf(text, sizeof text, "%.2f", share);
  std::string out = text;
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

// The palette as CSS classes: the page's background, text, an empty cell.
std::string Style(Theme theme) {
  constexpr const char* kLight =
      ".bg{fill:#fff}.tx{fill:#57606a}.c0{fill:#ebedf0}.c1{fill:#2ea043}";
  constexpr const char* kDark =
      ".bg{fill:#0d1117}.tx{fill:#8b949e}.c0{fill:#161b22}.c1{fill:#3fb950}";
  std::string style = "<style>";
  if (theme == Theme::kDark) {
    style += kDark;
  } else {
    style += kLight;
    if (theme == Theme::kAuto)
      style += std::string("@media (prefers-color-scheme:dark){") + kDark + "}";
  }
  return style + "</style>";
}

}  // namespace

std::string HoursJson(const UsualHours& hours, std::string_view timezone) {
  std::string body = "{\"timezone\":" + JsonString(ZoneName(timezone)) +
                     ",\"days\":" + std::to_string(hours.days) + ",\"hours\":[";
  for (int d = 0; d < 7; ++d) {
    body += d ? ",[" : "[";
    for (int h = 0; h < 24; ++h) {
      if (h) body += ',';
      body += Share(hours.share[d][h]);
    }
    body += ']';
  }
  body += ']';
  if (!hours.usually.empty()) body += ",\"usually\":" + JsonString(hours.usually);
  return body + "}";
}

std::string HoursSvg(const UsualHours& hours, std::string_view timezone, Theme theme) {
  const std::string zone = XmlEscape(ZoneName(timezone));
  const int width = kLeft + 24 * kStep;
  const int height = kTop + 7 * kStep;
  std::string title = "Usual hours (" + zone + ")";
  std::string desc = hours.usually.empty() ? std::string("Not enough data for usual hours yet")
                                           : "Usually online " + XmlEscape(hours.usually);
  desc += "; from " + std::to_string(hours.days) + (hours.days == 1 ? " day" : " days") +
          " of data, local time " + zone +
          ". Rows Monday to Sunday, columns hours 0 to 23; the darker a cell, the more of "
          "those days the owner was active in that hour.";
  std::string svg =
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + std::to_string(width) +
      "\" height=\"" + std::to_string(height) +
      "\" role=\"img\" aria-labelledby=\"t d\"><title id=\"t\">" + title +
      "</title><desc id=\"d\">" + desc + "</desc>" + Style(theme) +
      "<rect class=\"bg\" width=\"100%\" height=\"100%\"/>"
      "<g class=\"tx\" font-family=\"Verdana,DejaVu Sans,sans-serif\" font-size=\"10\">";
  for (int h = 0; h < 24; h += 6) {
    svg += "<text x=\"" + std::to_string(kLeft + h * kStep) + "\" y=\"12\">" + std::to_string(h) +
           "</text>";
  }
  for (int d = 0; d < 7; ++d) {
    svg += "<text x=\"0\" y=\"" + std::to_string(kTop + d * kStep + 11) + "\">" + kDayNames[d] +
           "</text>";
  }
  svg += "</g>";
  for (int d = 0; d < 7; ++d) {
    for (int h = 0; h < 24; ++h) {
      std::string xy = "x=\"" + std::to_string(kLeft + h * kStep) + "\" y=\"" +
                       std::to_string(kTop + d * kStep) + "\" width=\"" + std::to_string(kCell) +
                       "\" height=\"" + std::to_string(kCell) + "\" rx=\"2\"";
      svg += "<rect class=\"c0\" " + xy + "/>";
      if (hours.share[d][h] > 0) {
        svg += "<rect class=\"c1\" " + xy + " fill-opacity=\"" + Share(hours.share[d][h]) + "\"/>";
      }
    }
  }
  return svg + "</svg>";
}

}  // namespace heartbeat
