// The query string (with the card's label, theme and format), If-None-Match, Origin and
// listen addresses.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "badge_theme.h"
#include "cors.h"
#include "http.h"
#include "http_cache.h"
#include "json_text.h"
#include "listen_socket.h"
#include "query.h"
#include "status_format.h"
#include "text_field.h"

namespace {

// A label that passed is escaped into text that holds no markup of its own.
void CheckLabel(const std::string& label) {
  auto cleaned = heartbeat::CleanTextField(label, heartbeat::kMaxLabelCodePoints, "label");
  if (!cleaned.ok()) return;
  std::string svg = heartbeat::StatusBadgeSvg(heartbeat::Presence::kOnline, cleaned.value(),
                                              heartbeat::Theme::kAuto);
  std::string xml = heartbeat::XmlEscape(cleaned.value());
  for (char c : xml) {
    if (c == '<' || c == '>' || c == '"' || c == '\'') __builtin_trap();
  }
  if (svg.find(xml) == std::string::npos) __builtin_trap();
  std::string shields = heartbeat::StatusShieldsJson(heartbeat::Presence::kAway, cleaned.value());
  if (shields.find('<') != std::string::npos || shields.find('\n') != std::string::npos)
    __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto format = heartbeat::QueryParameter(text, "format"); format.ok() && format.value()) {
    (void)heartbeat::ParseStatusFormat(*format.value());
  }
  if (auto theme = heartbeat::QueryParameter(text, "theme"); theme.ok() && theme.value()) {
    (void)heartbeat::ParseTheme(*theme.value());
  }
  if (auto label = heartbeat::QueryParameter(text, "label"); label.ok() && label.value()) {
    CheckLabel(*label.value());
  }
  CheckLabel(std::string(text));
  (void)heartbeat::PercentDecode(text);
  (void)heartbeat::IfNoneMatchMatches(text, "\"0123456789abcdef\"");
  heartbeat::Response response;
  heartbeat::AddCorsHeaders({"https://a.example", "https://b.example"}, text, &response);
  (void)heartbeat::ParseListenAddress(std::string(text));
  return 0;
}
