// The two shapes of the usual-hours answer (?format=hours and ?format=hours.svg).
#pragma once

#include <string>
#include <string_view>

#include "badge_theme.h"
#include "usual_hours.h"

namespace heartbeat {

// {"timezone":…,"days":N,"hours":[[24 shares] x 7, Monday first][,"usually":…]}; shares have
// at most two decimals. An empty timezone is "UTC".
std::string HoursJson(const UsualHours& hours, std::string_view timezone);

// A 7 x 24 heatmap, Monday at the top, hour 0 at the left, with <title> and <desc>.
std::string HoursSvg(const UsualHours& hours, std::string_view timezone, Theme theme);

}  // namespace heartbeat
