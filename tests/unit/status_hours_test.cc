// ?format=hours and ?format=hours.svg through both handlers.
#include "test_support.h"

namespace heartbeat {
namespace {

using testing::Header;
using testing::ServerFixture;

BOOST_AUTO_TEST_SUITE(status_hours)

BOOST_AUTO_TEST_CASE(both_are_404_while_history_days_is_0_and_nothing_is_kept) {
  ServerFixture server;
  BOOST_REQUIRE(server.Heartbeat("{}").status == 200);
  for (const char* query : {"format=hours", "format=hours.svg"}) {
    BOOST_TEST_CONTEXT(query) {
      Response response = server.Status(query);
      BOOST_TEST(response.status == 404);
      BOOST_TEST(response.body.find("\"error\":\"not_found\"") != std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_CASE(hours_json_in_the_configured_zone) {
  ServerFixture server("history_days = 30\ntimezone = Asia/Tokyo\n");
  server.clock.Set(1'800'000'000'000);  // Friday 2027-01-15 08:00 UTC, 17:00 in Tokyo
  for (int minute = 0; minute < 5; ++minute) {
    BOOST_REQUIRE(server.Heartbeat("{}").status == 200);
    server.clock.Advance(60'000);
  }
  Response response = server.Status("format=hours");
  BOOST_TEST(response.status == 200);
  BOOST_TEST(Header(response, "Content-Type") == kJsonContentType);
  BOOST_TEST(Header(response, "Cache-Control") == "public, max-age=300");
  std::string friday = "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,0,0,0,0,0]";
  std::string empty = "[0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0]";
  BOOST_TEST(response.body == "{\"timezone\":\"Asia/Tokyo\",\"days\":1,\"hours\":[" + empty + "," +
                                  empty + "," + empty + "," + empty + "," + friday + "," + empty +
                                  "," + empty + "]}");
  // An ETag and 304 as for every status answer.
  Request conditional;
  conditional.method = "GET";
  conditional.query = "format=hours";
  conditional.if_none_match = Header(response, "ETag");
  BOOST_TEST(server.Send(conditional).status == 304);
}

BOOST_AUTO_TEST_CASE(utc_when_no_zone_and_svg_with_the_badge_policy) {
  ServerFixture server("history_days = 7\nallow_origin = https://me.example\n");
  BOOST_REQUIRE(server.Heartbeat("{}").status == 200);
  BOOST_TEST(server.Status("format=hours").body.find("{\"timezone\":\"UTC\",\"days\":1,") == 0u);
  Request request;
  request.method = "GET";
  request.query = "format=hours.svg&theme=dark";
  request.origin = "https://me.example";
  Response svg = server.Send(request);
  BOOST_TEST(svg.status == 200);
  BOOST_TEST(Header(svg, "Content-Type") == "image/svg+xml");
  BOOST_TEST(Header(svg, "Content-Security-Policy") == "default-src 'none'; style-src 'unsafe-inline'");
  BOOST_TEST(Header(svg, "Access-Control-Allow-Origin") == "https://me.example");
  BOOST_TEST(svg.body.find("<title id=\"t\">Usual hours (UTC)</title>") != std::string::npos);
  BOOST_TEST(svg.body.find("<desc id=\"d\">Not enough data for usual hours yet; from 1 day") != std::string::npos);
  BOOST_TEST(svg.body.find("@media") == std::string::npos);  // dark, not auto
  BOOST_TEST(server.Status("format=hours.svg").body.find("@media (prefers-color-scheme:dark)") !=
             std::string::npos);
  BOOST_TEST(server.Status("format=hours.svg&theme=pink").status == 400);
}

BOOST_AUTO_TEST_CASE(a_bad_history_days_is_config_invalid) {
  for (const char* value : {"367", "-1", "1.5", "a week"}) {
    BOOST_TEST_CONTEXT(value) {
      ServerFixture server(std::string("history_days = ") + value + "\n");
      Response response = server.Status("format=hours");
      BOOST_TEST(response.status == 503);
      BOOST_TEST(response.body.find("line 2: history_days: expected whole days from 0 to 366") !=
                 std::string::npos);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
