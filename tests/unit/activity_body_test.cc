// The heartbeat's `activity` field: every kind, every bad shape, lengths in code points and the
// text rules (docs/protocol.md, "What the owner is doing").
#include "heartbeat_body.h"
#include "test_support.h"

namespace heartbeat {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;

Result<HeartbeatBody> WithActivity(const std::string& activity_json) {
  return ParseHeartbeatBody("{\"activity\":" + activity_json + "}", kNow);
}

// `count` copies of `unit` (a JSON string's inside).
std::string Repeated(const std::string& unit, size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i) text += unit;
  return text;
}

std::string Listening(const std::string& title, const std::string& app = "Spotify") {
  return "{\"kind\":\"listening\",\"title\":\"" + title + "\",\"app\":\"" + app + "\"}";
}
std::string Coding(const std::string& app) {
  return "{\"kind\":\"coding\",\"app\":\"" + app + "\"}";
}

BOOST_AUTO_TEST_SUITE(activity_body)

BOOST_AUTO_TEST_CASE(absent_or_null_is_nothing) {
  BOOST_TEST(!ParseHeartbeatBody("{}", kNow)->activity.has_value());
  BOOST_TEST(!WithActivity("null")->activity.has_value());
}

BOOST_AUTO_TEST_CASE(each_kind_with_its_fields_trimmed) {
  auto listening = WithActivity(
      "{\"kind\":\"listening\",\"title\":\" Reckoner \",\"artist\":\"Radiohead\",\"app\":"
      "\"Spotify\\u3000\"}");
  BOOST_REQUIRE(listening.ok());
  BOOST_TEST((listening->activity ==
              Activity{ActivityKind::kListening, "Reckoner", "Radiohead", "Spotify"}));
  auto no_artist = WithActivity(Listening("Nude", "Music"));
  BOOST_REQUIRE(no_artist.ok());
  BOOST_TEST((no_artist->activity == Activity{ActivityKind::kListening, "Nude", "", "Music"}));
  auto empty_artist =
      WithActivity("{\"kind\":\"listening\",\"title\":\"a\",\"artist\":\"\",\"app\":\"b\"}");
  BOOST_REQUIRE(empty_artist.ok());
  BOOST_TEST(empty_artist->activity->artist.empty());

  BOOST_TEST((WithActivity(Coding("Xcode"))->activity ==
              Activity{ActivityKind::kCoding, "", "", "Xcode"}));
  BOOST_TEST((WithActivity("{\"kind\":\"coding\"}")->activity ==
              Activity{ActivityKind::kCoding, "", "", ""}));
  BOOST_TEST(
      (WithActivity("{\"kind\":\"call\"}")->activity == Activity{ActivityKind::kCall, "", "", ""}));
}

BOOST_AUTO_TEST_CASE(lengths_are_code_points_after_trimming) {
  // U+1F3B5 is four bytes; 100 of them are 100 code points.
  const std::string note = "\xF0\x9F\x8E\xB5";
  BOOST_TEST(WithActivity(Listening(Repeated(note, 100))).ok());
  BOOST_TEST(!WithActivity(Listening(Repeated(note, 101))).ok());
  BOOST_TEST(WithActivity(Listening("  " + Repeated("x", 100) + "  ")).ok());
  BOOST_TEST(WithActivity(Coding(Repeated("\xC3\xA9", 32))).ok());  // é, two bytes
  BOOST_TEST(!WithActivity(Coding(Repeated("\xC3\xA9", 33))).ok());
  BOOST_TEST(WithActivity(Listening("t", Repeated("a", 32))).ok());
  BOOST_TEST(!WithActivity(Listening("t", Repeated("a", 33))).ok());
  const std::string artist_100 = "{\"kind\":\"listening\",\"title\":\"t\",\"artist\":\"" +
                                 Repeated("\\u00e9", 100) + "\",\"app\":\"a\"}";
  BOOST_TEST(WithActivity(artist_100).ok());
  const std::string artist_101 = "{\"kind\":\"listening\",\"title\":\"t\",\"artist\":\"" +
                                 Repeated("y", 101) + "\",\"app\":\"a\"}";
  BOOST_TEST(!WithActivity(artist_101).ok());
}

BOOST_AUTO_TEST_CASE(text_rules_of_every_field) {
  // C0, DEL, C1, a noncharacter, bidirectional controls, nothing visible; each as a title, an
  // artist and an app.
  const std::string bad_texts[] = {"a\\u0000b", "a\\tb",     "a\\u001fb", "a\\u007fb", "a\\u0085b",
                                   "a\\u009fb", "a\\ufdd0b", "a\\uffffb", "a\\u202eb", "a\\u2066b",
                                   " ",         "\\u200b",   "\\ufeff",   ""};
  for (const std::string& text : bad_texts) {
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(!WithActivity(Listening(text)).ok());
      BOOST_TEST(!WithActivity(Listening("t", text)).ok());
      BOOST_TEST(!WithActivity(Coding(text)).ok());
      if (!text.empty()) {  // "" is the one artist that means none
        BOOST_TEST(!WithActivity("{\"kind\":\"listening\",\"title\":\"t\",\"artist\":\"" + text +
                                 "\",\"app\":\"a\"}")
                        .ok());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(bad_shapes_are_invalid_with_a_message) {
  struct Case {
    const char* activity;
    const char* message;
  } const cases[] = {
      {"\"call\"", "activity must be an object or null"},
      {"[]", "activity must be an object or null"},
      {"true", "activity must be an object or null"},
      {"0", "activity must be an object or null"},
      {"{}", "activity.kind must be a string"},
      {"{\"kind\":null}", "activity.kind must be a string"},
      {"{\"kind\":1}", "activity.kind must be a string"},
      {"{\"kind\":\"gaming\"}", "activity.kind must be listening, coding or call"},
      {"{\"kind\":\"Call\"}", "activity.kind must be listening, coding or call"},
      {"{\"kind\":\"\"}", "activity.kind must be listening, coding or call"},
      {"{\"kind\":\"call\",\"app\":\"Zoom\"}", "activity of kind call takes no other field"},
      {"{\"kind\":\"call\",\"busy\":true}", "activity of kind call takes no other field"},
      {"{\"kind\":\"coding\",\"title\":\"main.cc\"}", "activity of kind coding takes only app"},
      {"{\"kind\":\"coding\",\"app\":null}", "activity.app must be a string"},
      {"{\"kind\":\"coding\",\"app\":[\"Xcode\"]}", "activity.app must be a string"},
      {"{\"kind\":\"listening\",\"app\":\"Spotify\"}", "activity.title is missing"},
      {"{\"kind\":\"listening\",\"title\":\"t\"}", "activity.app is missing"},
      {"{\"kind\":\"listening\",\"title\":7,\"app\":\"a\"}", "activity.title must be a string"},
      {"{\"kind\":\"listening\",\"title\":\"t\",\"artist\":null,\"app\":\"a\"}",
       "activity.artist must be a string"},
      {"{\"kind\":\"listening\",\"title\":\"t\",\"app\":\"a\",\"album\":\"b\"}",
       "activity of kind listening takes only title, artist and app"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.activity) {
      auto parsed = WithActivity(c.activity);
      BOOST_REQUIRE(!parsed.ok());
      BOOST_TEST((parsed.status().code() == Status::Code::kInvalid));
      BOOST_TEST(parsed.status().message() == c.message);
    }
  }
  // The text rules name the field.
  BOOST_TEST(WithActivity(Listening("a\\u0007")).status().message().rfind("activity.title", 0) ==
             0);
}

BOOST_AUTO_TEST_CASE(the_other_fields_are_checked_as_before) {
  auto parsed = ParseHeartbeatBody(
      "{\"device\":\"mac\",\"state\":\"idle\",\"activity\":{\"kind\":\"call\"},\"x\":1}", kNow);
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST(parsed->device == "mac");
  BOOST_TEST((parsed->activity->kind == ActivityKind::kCall));
  BOOST_TEST(
      !ParseHeartbeatBody("{\"state\":\"away\",\"activity\":{\"kind\":\"call\"}}", kNow).ok());
}

BOOST_AUTO_TEST_CASE(kind_names_round_trip) {
  for (ActivityKind kind : {ActivityKind::kListening, ActivityKind::kCoding, ActivityKind::kCall}) {
    BOOST_TEST((ParseActivityKind(ActivityKindName(kind)) == kind));
  }
  BOOST_TEST(!ParseActivityKind("LISTENING").has_value());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
