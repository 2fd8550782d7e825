#include "heartbeat_body.h"

#include "test_support.h"

namespace heartbeat {
namespace {

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
      auto parsed = ParseHeartbeatBody(c.body);
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
      auto parsed = ParseHeartbeatBody(c.body);
      BOOST_TEST(!parsed.ok());
      BOOST_TEST(parsed.status().message() == c.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(deeply_nested_input_is_rejected_or_ignored_without_crashing) {
  std::string deep(2000, '[');
  BOOST_TEST(!ParseHeartbeatBody(deep).ok());
  std::string nested = "{\"x\":" + std::string(2000, '[') + std::string(2000, ']') + "}";
  BOOST_TEST(ParseHeartbeatBody(nested).ok());
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
