#include "activity_body.h"

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <string_view>

#include "text_field.h"

namespace heartbeat {
namespace {

// Unknown fields are refused here, unlike at the top of the body: what is shown on a public
// page is exactly what the contract names, so that a typo or a new agent's extra field never
// passes unnoticed.
Status OnlyFields(const nlohmann::json& json, std::initializer_list<std::string_view> allowed,
                  const char* message) {
  for (const auto& field : json.items()) {
    bool known = field.key() == "kind";
    for (std::string_view name : allowed) known = known || field.key() == name;
    if (!known) return Status::Invalid(message);
  }
  return Status::Ok();
}

// The text of `name`: a string that CleanTextField accepts; "" when the field is absent and not
// `required`. `empty_is_none`: "" is taken as absent (the artist's 0 code points).
Result<std::string> TextOf(const nlohmann::json& json, const char* name, size_t max_code_points,
                           bool required, bool empty_is_none = false) {
  const std::string what = std::string("activity.") + name;
  auto field = json.find(name);
  if (field == json.end()) {
    if (required) return Status::Invalid(what + " is missing");
    return std::string();
  }
  if (!field->is_string()) return Status::Invalid(what + " must be a string");
  const std::string& text = field->get_ref<const std::string&>();
  if (empty_is_none && text.empty()) return std::string();
  return CleanTextField(text, max_code_points, what);
}

}  // namespace

Result<Activity> ParseActivity(const nlohmann::json& json) {
  if (!json.is_object()) return Status::Invalid("activity must be an object or null");
  auto kind_field = json.find("kind");
  if (kind_field == json.end() || !kind_field->is_string()) {
    return Status::Invalid("activity.kind must be a string");
  }
  auto kind = ParseActivityKind(kind_field->get_ref<const std::string&>());
  if (!kind) return Status::Invalid("activity.kind must be listening, coding or call");

  Activity activity;
  activity.kind = *kind;
  Status fields = Status::Ok();
  switch (*kind) {
    case ActivityKind::kListening: {
      fields = OnlyFields(json, {"title", "artist", "app"},
                          "activity of kind listening takes only title, artist and app");
      if (!fields.ok()) return fields;
      auto title = TextOf(json, "title", kMaxActivityTitleCodePoints, true);
      if (!title.ok()) return title.status();
      auto artist = TextOf(json, "artist", kMaxActivityArtistCodePoints, false, true);
      if (!artist.ok()) return artist.status();
      auto app = TextOf(json, "app", kMaxActivityAppCodePoints, true);
      if (!app.ok()) return app.status();
      activity.title = std::move(title).value();
      activity.artist = std::move(artist).value();
      activity.app = std::move(app).value();
      break;
    }
    case ActivityKind::kCoding: {
      fields = OnlyFields(json, {"app"}, "activity of kind coding takes only app");
      if (!fields.ok()) return fields;
      auto app = TextOf(json, "app", kMaxActivityAppCodePoints, false);
      if (!app.ok()) return app.status();
      activity.app = std::move(app).value();
      break;
    }
    case ActivityKind::kCall:
      fields = OnlyFields(json, {}, "activity of kind call takes no other field");
      if (!fields.ok()) return fields;
      break;
  }
  return activity;
}

}  // namespace heartbeat
