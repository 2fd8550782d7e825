// The note through both handlers: set by a heartbeat, shown by status while it stands.
#include "test_support.h"

namespace heartbeat {
namespace {

using testing::Header;
using testing::ServerFixture;

std::string NoteBody(const std::string& note_json, const std::string& state = "active") {
  return "{\"state\":\"" + state + "\",\"note\":" + note_json + "}";
}

BOOST_AUTO_TEST_SUITE(status_note)

BOOST_AUTO_TEST_CASE(a_note_shows_until_cleared_and_a_heartbeat_without_one_keeps_it) {
  ServerFixture server;
  BOOST_REQUIRE(server.Heartbeat(NoteBody("{\"text\":\" In a meeting \",\"busy\":true}")).status ==
                200);
  BOOST_TEST(server.Status().body ==
             "{\"isOnline\":true,\"state\":\"online\","
             "\"note\":{\"text\":\"In a meeting\",\"busy\":true}}");
  BOOST_REQUIRE(server.Heartbeat("{\"device\":\"other\",\"state\":\"idle\"}").status == 200);
  BOOST_REQUIRE(server.Heartbeat("").status == 200);
  BOOST_TEST(server.Status().body.find("\"note\":{\"text\":\"In a meeting\"") != std::string::npos);
  BOOST_REQUIRE(server.Heartbeat(NoteBody("null", "idle")).status == 200);
  BOOST_TEST(server.Status().body.find("note") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(until_is_shown_in_utc_and_ends_the_note_and_the_cache) {
  ServerFixture server("online_window = 600\noffline_max_age = 300\n");
  const int64_t until = 1'800'000'045'500;  // 2027-01-15T08:00:45.5Z
  server.clock.Set(1'800'000'000'000);
  BOOST_REQUIRE(
      server.Heartbeat(NoteBody("{\"text\":\"back soon\",\"until\":" + std::to_string(until) + "}"))
          .status == 200);
  Response shown = server.Status();
  BOOST_TEST(shown.body ==
             "{\"isOnline\":true,\"state\":\"online\",\"note\":{\"text\":"
             "\"back soon\",\"busy\":false,\"until\":\"2027-01-15T08:00:45Z\"}}");
  BOOST_TEST(Header(shown, "Cache-Control") == "public, max-age=45");  // not the online 60
  server.clock.Advance(45'000);
  BOOST_TEST(Header(server.Status(), "Cache-Control") == "public, max-age=0");
  BOOST_TEST(server.Status("format=svg").status == 200);
  server.clock.Advance(500);  // its end: gone, with no heartbeat needed
  Response after = server.Status();
  BOOST_TEST(after.body == "{\"isOnline\":true,\"state\":\"online\"}");
  BOOST_TEST(Header(after, "Cache-Control") == "public, max-age=60");
}

BOOST_AUTO_TEST_CASE(the_etag_changes_with_the_note) {
  ServerFixture server;
  BOOST_REQUIRE(server.Heartbeat("{}").status == 200);
  std::string before = Header(server.Status(), "ETag");
  BOOST_REQUIRE(server.Heartbeat(NoteBody("{\"text\":\"a\"}")).status == 200);
  std::string with_a = Header(server.Status(), "ETag");
  BOOST_REQUIRE(server.Heartbeat(NoteBody("{\"text\":\"a\",\"busy\":true}")).status == 200);
  std::string busy = Header(server.Status(), "ETag");
  BOOST_TEST(before != with_a);
  BOOST_TEST(with_a != busy);
  Request conditional;
  conditional.method = "GET";
  conditional.if_none_match = with_a;
  BOOST_TEST(server.Send(conditional).status == 200);
}

BOOST_AUTO_TEST_CASE(a_bad_note_is_400_and_changes_nothing) {
  ServerFixture server;
  BOOST_REQUIRE(server.Heartbeat(NoteBody("{\"text\":\"kept\"}")).status == 200);
  const std::string bad[] = {
      NoteBody("{\"text\":\"\"}"),
      NoteBody("{\"text\":\"" + std::string(141, 'x') + "\"}"),
      NoteBody("{\"text\":\"a\\u0007\"}"),
      NoteBody("{\"text\":\"a\",\"until\":" + std::to_string(server.clock.NowMs()) + "}"),
      NoteBody("{\"text\":\"a\",\"busy\":\"yes\"}"),
      NoteBody("\"just text\""),
  };
  for (const std::string& body : bad) {
    BOOST_TEST_CONTEXT(body) {
      Response response = server.Heartbeat(body);
      BOOST_TEST(response.status == 400);
      BOOST_TEST(response.body.find("\"error\":\"bad_request\"") != std::string::npos);
    }
  }
  BOOST_TEST(server.Status().body.find("\"text\":\"kept\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_byte_of_a_note_becomes_markup_or_a_header) {
  ServerFixture server;
  // Everything a note may hold that means something to HTML, JavaScript or HTTP.
  const std::string text = "</script><img src=x onerror=alert(1)>&amp;\\\"'\\u2028\\u2029\\r\\n";
  Response refused = server.Heartbeat(NoteBody("{\"text\":\"" + text + "\"}"));
  BOOST_TEST(refused.status == 400);  // CR LF are control characters
  // U+2028 and U+2029 inside the text (at its ends they are trimmed as white space).
  const std::string allowed = "</script><img src=x onerror=alert(1)>&amp;\\\"'\\u2028\\u2029.";
  BOOST_REQUIRE(server.Heartbeat(NoteBody("{\"text\":\"" + allowed + "\"}")).status == 200);
  for (const char* format : {"", "format=svg", "format=shields"}) {
    BOOST_TEST_CONTEXT(format) {
      Response response = server.Status(format);
      for (const char* raw : {"<", ">", "&", "\xe2\x80\xa8", "\xe2\x80\xa9", "\r", "\n"}) {
        if (std::string(format).empty()) BOOST_TEST(response.body.find(raw) == std::string::npos);
      }
      for (const auto& header : response.Headers()) {
        BOOST_TEST(header.second.find("script") == std::string::npos);
        BOOST_TEST(header.second.find("onerror") == std::string::npos);
      }
      // The badge and shields never carry the note at all.
      if (!std::string(format).empty())
        BOOST_TEST(response.body.find("onerror") == std::string::npos);
    }
  }
  BOOST_TEST(server.Status().body ==
             "{\"isOnline\":true,\"state\":\"online\",\"note\":{\"text\":"
             "\"\\u003c/script\\u003e\\u003cimg src=x onerror=alert(1)\\u003e\\u0026amp;\\\"'"
             "\\u2028\\u2029.\",\"busy\":false}}");
}

BOOST_AUTO_TEST_CASE(the_timezone_is_passed_through_and_a_bad_one_is_config_invalid) {
  ServerFixture server("last_seen = exact\ntimezone = Europe/Berlin\n");
  BOOST_REQUIRE(server.Heartbeat(NoteBody("{\"text\":\"hi\"}")).status == 200);
  BOOST_TEST(server.Status().body.find(",\"timezone\":\"Europe/Berlin\",\"note\":") !=
             std::string::npos);
  ServerFixture plain;
  BOOST_TEST(plain.Status().body.find("timezone") == std::string::npos);  // nothing new by default

  ServerFixture bad("timezone = Europe/Nowhere\n");
  Response response = bad.Status();
  BOOST_TEST(response.status == 503);
  BOOST_TEST(response.body.find("\"error\":\"config_invalid\"") != std::string::npos);
  BOOST_TEST(response.body.find("line 2: timezone") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
