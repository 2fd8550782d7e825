// The colours of the SVG answers (badge and hours heatmap): ?theme=light, dark or auto.
#pragma once

#include <optional>
#include <string_view>

namespace heartbeat {

// kAuto (the default) follows the viewer's prefers-color-scheme with an inline <style>.
enum class Theme { kLight, kDark, kAuto };

// "light", "dark" or "auto"; nullopt for anything else.
std::optional<Theme> ParseTheme(std::string_view text);

}  // namespace heartbeat
