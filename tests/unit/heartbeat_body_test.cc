#include "heartbeat_body.h"

#include "test_support.h"

namespace heartbeat {
namespace {

constexpr int64_t kNow = 1'800'000'000'000;

BOOST_AUTO_TEST_SUITE(heartbeat_body)

BOOST_AUTO_TEST_CASE(device_names) {
  BOOST_TEST(IsValidDeviceName("macbook"));
  BOOST_TEST(IsValidDeviceName("Mac-Book_Pro.2"));
  BOOST_TEST(IsValidDeviceName(std::string(64, 'a')));
  BOOST_TEST(!IsValidDeviceName(std::string(65, 'a')));
  BOOST_TEST(!IsValidDeviceName(""));
  for (const char* bad : {"mac book", "mac/book", "mäc", "a\nb", "<script>", "a\"b"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!IsValidDeviceName(bad)); }
  }
}

BOOST_AUTO_TEST_CASE(valid_bodies) {
  struct Case {
    const char* body;
    const char* device;
    DeviceState state;
  } const cases[] = {
      {"{}", "default", DeviceState::kActive},
      {"{\"device\":\"macbook\"}", "macbook", DeviceState::kActive},
      {"{\"state\":\"idle\"}", "default", DeviceState::kIdle},
      {" {\"device\": \"mac\", \"state\": \"offline\", \"extra\": [1, {\"x\": null}]} \n", "mac",
       DeviceState::kOffline},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.body) {
      auto parsed = ParseHeartbeatBody(c.body, kNow);
      BOOST_REQUIRE(parsed.ok());
      BOOST_TEST(parsed->device == c.device);
      BOOST_TEST((parsed->state == c.state));
    }
  }
}

BOOST_AUTO_TEST_CASE(invalid_bodies) {
  struct Case {
    const char* body;
    const char* message;
  } const cases[] = {
      {"{", "body is not valid JSON"},
      {"{\"device\":\"mac\"} trailing", "body is not valid JSON"},
      {"\"\xff\"", "body is not valid JSON"},
      {"[]", "body must be a JSON object"},
      {"\"active\"", "body must be a JSON object"},
      {"null", "body must be a JSON object"},
      {"{\"device\":null}", "device must be a string"},
      {"{\"device\":42}", "device must be a string"},
      {"{\"device\":\"\"}", "device must be 1 to 64 of A-Z a-z 0-9 . _ -"},
      {"{\"device\":\"a b\"}", "device must be 1 to 64 of A-Z a-z 0-9 . _ -"},
      {"{\"state\":null}", "state must be a string"},
      {"{\"state\":true}", "state must be a string"},
      {"{\"state\":\"away\"}", "state must be active, idle or offline"},
      {"{\"state\":\"ACTIVE\"}", "state must be active, idle or offline"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.body) {
      auto parsed = ParseHeartbeatBody(c.body, kNow);
      BOOST_TEST(!parsed.ok());
      BOOST_TEST(parsed.status().message() == c.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_body_without_a_note_keeps_it_and_null_clears_it) {
  BOOST_TEST((ParseHeartbeatBody("{}", kNow)->note_change == NoteChange::kKeep));
  BOOST_TEST((ParseHeartbeatBody("{\"note\":null}", kNow)->note_change == NoteChange::kClear));
}

BOOST_AUTO_TEST_CASE(valid_notes_are_trimmed_and_keep_busy_and_until) {
  auto parsed = ParseHeartbeatBody(
      "{\"note\":{\"text\":\"  On holiday \\u00e0 Paris\\u3000\",\"busy\":true,"
      "\"until\":1800000000001,\"extra\":1}}", kNow);
  BOOST_REQUIRE(parsed.ok());
  BOOST_TEST((parsed->note_change == NoteChange::kSet));
  BOOST_TEST(parsed->note.text == "On holiday \u00e0 Paris");
  BOOST_TEST(parsed->note.busy);
  BOOST_TEST(parsed->note.until_ms.value() == 1'800'000'000'001);

  auto plain = ParseHeartbeatBody("{\"note\":{\"text\":\"x\"}}", kNow);
  BOOST_REQUIRE(plain.ok());
  BOOST_TEST(!plain->note.busy);
  BOOST_TEST(!plain->note.until_ms.has_value());
  // 140 characters of three bytes each is 420 bytes and still fine.
  std::string long_text;
  for (int i = 0; i < 140; ++i) long_text += "\u20ac";
  BOOST_TEST(ParseHeartbeatBody("{\"note\":{\"text\":\"" + long_text + "\"}}", kNow).ok());
}

BOOST_AUTO_TEST_CASE(invalid_notes) {
  std::string too_long = "{\"note\":{\"text\":\"" + std::string(141, 'a') + "\"}}";
  struct Case {
    std::string body;
    const char* message;
  } const cases[] = {
      {"{\"note\":\"text\"}", "note must be an object or null"},
      {"{\"note\":[]}", "note must be an object or null"},
      {"{\"note\":{}}", "note.text must be a string"},
      {"{\"note\":{\"text\":null}}", "note.text must be a string"},
      {"{\"note\":{\"text\":5}}", "note.text must be a string"},
      {"{\"note\":{\"text\":\"\"}}", "note.text is empty"},
      {"{\"note\":{\"text\":\" \\u00a0 \"}}", "note.text is empty"},
      {too_long, "note.text is longer than 140 characters"},
      {"{\"note\":{\"text\":\"a\\nb\"}}", "note.text holds a control character"},
      {"{\"note\":{\"text\":\"a\\u0000\"}}", "note.text holds a control character"},
      {"{\"note\":{\"text\":\"a\\u007f\"}}", "note.text holds a control character"},
      {"{\"note\":{\"text\":\"a\\u0085\"}}", "note.text holds a control character"},
      {"{\"note\":{\"text\":\"\\ud800\"}}", "body is not valid JSON"},  // a lone surrogate
      {"{\"note\":{\"text\":\"x\",\"busy\":1}}", "note.busy must be true or false"},
      {"{\"note\":{\"text\":\"x\",\"busy\":null}}", "note.busy must be true or false"},
      {"{\"note\":{\"text\":\"x\",\"until\":\"2030-01-01\"}}", "note.until must be whole unix milliseconds"},
      {"{\"note\":{\"text\":\"x\",\"until\":1.9e12}}", "note.until must be whole unix milliseconds"},
      {"{\"note\":{\"text\":\"x\",\"until\":null}}", "note.until must be whole unix milliseconds"},
      {"{\"note\":{\"text\":\"x\",\"until\":1800000000000}}", "note.until is not in the future"},
      {"{\"note\":{\"text\":\"x\",\"until\":-1}}", "note.until is not in the future"},
      {"{\"note\":{\"text\":\"x\",\"until\":253402300800000}}", "note.until is after the year 9999"},
      {"{\"note\":{\"text\":\"x\",\"until\":18446744073709551615}}", "note.until is after the year 9999"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.body) {
      auto parsed = ParseHeartbeatBody(c.body, kNow);
      BOOST_TEST(!parsed.ok());
      BOOST_TEST(parsed.status().message() == c.message);
    }
  }
  BOOST_TEST(ParseHeartbeatBody("{\"note\":{\"text\":\"x\",\"until\":253402300799999}}", kNow).ok());
}

BOOST_AUTO_TEST_CASE(deeply_nested_input_is_rejected_or_ignored_without_crashing) {
  std::string deep(2000, '[');
  BOOST_TEST(!ParseHeartbeatBody(deep, kNow).ok());
  std::string nested = "{\"x\":" + std::string(2000, '[') + std::string(2000, ']') + "}";
  BOOST_TEST(ParseHeartbeatBody(nested, kNow).ok());
}

BOOST_AUTO_TEST_CASE(blank_bodies) {
  BOOST_TEST(IsBlankBody(""));
  BOOST_TEST(IsBlankBody(" \r\n\t"));
  BOOST_TEST(!IsBlankBody(" {} "));
  BOOST_TEST(!IsBlankBody(std::string_view("\0", 1)));
}

BOOST_AUTO_TEST_CASE(json_media_types) {
  for (const char* ok : {"application/json", "Application/JSON", "application/json; charset=utf-8",
                         " application/json ;charset=UTF-8"}) {
    BOOST_TEST_CONTEXT(ok) { BOOST_TEST(IsJsonMediaType(ok)); }
  }
  for (const char* bad : {"", "text/plain", "application/jsonx", "application/x-www-form-urlencoded",
                          "application/json-patch+json", "json"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!IsJsonMediaType(bad)); }
  }
}

BOOST_AUTO_TEST_CASE(bearer_tokens) {
  BOOST_TEST(BearerToken("Bearer abc") == "abc");
  BOOST_TEST(BearerToken("bearer abc") == "abc");
  BOOST_TEST(BearerToken("BEARER   abc  ") == "abc");
  BOOST_TEST(BearerToken("Bearer") == "");
  BOOST_TEST(BearerToken("Bearer ") == "");
  BOOST_TEST(BearerToken("Basic YWJjOmRlZg==") == "");
  BOOST_TEST(BearerToken("Bearerabc") == "");
  BOOST_TEST(BearerToken("") == "");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
