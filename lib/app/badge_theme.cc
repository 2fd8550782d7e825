#include "badge_theme.h"

namespace heartbeat {

std::optional<Theme> ParseTheme(std::string_view text) {
  if (text == "light") return Theme::kLight;
  if (text == "dark") return Theme::kDark;
  if (text == "auto") return Theme::kAuto;
  return std::nullopt;
}

}  // namespace heartbeat
