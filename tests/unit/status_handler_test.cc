// HandleStatus with a real config file, a real SQLite file and a fake clock.
#include <unistd.h>

#include "test_support.h"

namespace heartbeat {
namespace {

using testing::Header;
using testing::ServerFixture;

constexpr const char* kOffline = "{\"isOnline\":false,\"state\":\"offline\"}";
constexpr const char* kOnline = "{\"isOnline\":true,\"state\":\"online\"}";
constexpr const char* kAway = "{\"isOnline\":false,\"state\":\"away\"}";

BOOST_AUTO_TEST_SUITE(status_handler)

BOOST_AUTO_TEST_CASE(offline_online_away_and_explicit_offline) {
  ServerFixture server;
  Response first = server.Status();
  BOOST_TEST(first.status == 200);
  BOOST_TEST(first.body == kOffline);
  BOOST_TEST(Header(first, "Content-Type") == kJsonContentType);
  BOOST_TEST(Header(first, "X-Content-Type-Options") == "nosniff");

  BOOST_REQUIRE(server.Heartbeat("{\"device\":\"mac\"}").status == 200);
  BOOST_TEST(server.Status().body == kOnline);
  BOOST_REQUIRE(server.Heartbeat("{\"device\":\"mac\",\"state\":\"idle\"}").status == 200);
  BOOST_TEST(server.Status().body == kAway);  // a later idle replaces an earlier active
  BOOST_REQUIRE(server.Heartbeat("{\"device\":\"mac\",\"state\":\"offline\"}").status == 200);
  BOOST_TEST(server.Status().body == kOffline);  // at once, not at the end of the window
}

BOOST_AUTO_TEST_CASE(the_window_ends_presence_to_the_second) {
  ServerFixture server("online_window = 60\n");
  BOOST_REQUIRE(server.Heartbeat("{}").status == 200);
  server.clock.Advance(59'999);
  BOOST_TEST(server.Status().body == kOnline);
  server.clock.Advance(1);
  BOOST_TEST(server.Status().body == kOffline);
}

BOOST_AUTO_TEST_CASE(any_active_device_makes_online_and_idle_ones_away) {
  ServerFixture server;
  BOOST_REQUIRE(server.Heartbeat("{\"device\":\"laptop\",\"state\":\"idle\"}").status == 200);
  BOOST_REQUIRE(server.Heartbeat("{\"device\":\"desktop\"}").status == 200);
  BOOST_TEST(server.Status().body == kOnline);
  BOOST_REQUIRE(server.Heartbeat("{\"device\":\"desktop\",\"state\":\"offline\"}").status == 200);
  BOOST_TEST(server.Status().body == kAway);
  BOOST_REQUIRE(server.Heartbeat("{\"device\":\"laptop\",\"state\":\"offline\"}").status == 200);
  BOOST_TEST(server.Status().body == kOffline);
}

BOOST_AUTO_TEST_CASE(cache_control_follows_the_window) {
  ServerFixture server("online_window = 90\noffline_max_age = 45\n");
  BOOST_TEST(Header(server.Status(), "Cache-Control") == "public, max-age=45");
  BOOST_REQUIRE(server.Heartbeat("{}").status == 200);
  BOOST_TEST(Header(server.Status(), "Cache-Control") == "public, max-age=60");  // capped
  server.clock.Advance(50'500);  // 39.5 s left: rounded down
  BOOST_TEST(Header(server.Status(), "Cache-Control") == "public, max-age=39");
  BOOST_REQUIRE(server.Heartbeat("{\"state\":\"idle\"}").status == 200);
  BOOST_TEST(Header(server.Status(), "Cache-Control") == "public, max-age=45");  // away
}

BOOST_AUTO_TEST_CASE(etag_and_304) {
  ServerFixture server;
  Response full = server.Status();
  std::string etag = Header(full, "ETag");
  BOOST_TEST(!etag.empty());
  Request conditional;
  conditional.method = "GET";
  conditional.if_none_match = etag;
  Response not_modified = server.Send(conditional);
  BOOST_TEST(not_modified.status == 304);
  BOOST_TEST(not_modified.body.empty());
  BOOST_TEST(Header(not_modified, "ETag") == etag);
  BOOST_TEST(Header(not_modified, "Cache-Control") == Header(full, "Cache-Control"));

  BOOST_REQUIRE(server.Heartbeat("{}").status == 200);  // the answer changes, so does the tag
  Response changed = server.Send(conditional);
  BOOST_TEST(changed.status == 200);
  BOOST_TEST(changed.body == kOnline);
  BOOST_TEST(Header(changed, "ETag") != etag);
}

BOOST_AUTO_TEST_CASE(head_has_the_headers_of_get_and_no_body) {
  ServerFixture server;
  Response get = server.Status();
  Response head = server.Status("", "HEAD");
  BOOST_TEST(head.status == 200);
  BOOST_TEST(head.omit_body);
  BOOST_TEST(Header(head, "ETag") == Header(get, "ETag"));
  BOOST_TEST(Header(head, "Content-Type") == Header(get, "Content-Type"));
}

BOOST_AUTO_TEST_CASE(other_methods_get_405) {
  ServerFixture server;
  for (const char* method : {"POST", "PUT", "DELETE", "TRACE", "get"}) {
    Response response = server.Status("", method);
    BOOST_TEST(response.status == 405);
    BOOST_TEST(Header(response, "Allow") == "GET, HEAD, OPTIONS");
    BOOST_TEST(response.body.find("\"error\":\"method_not_allowed\"") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(preflight_answers_204) {
  ServerFixture server;
  Response response = server.Status("", "OPTIONS");
  BOOST_TEST(response.status == 204);
  BOOST_TEST(Header(response, "Access-Control-Allow-Methods") == "GET, HEAD, OPTIONS");
  BOOST_TEST(Header(response, "Access-Control-Max-Age") == "86400");
  BOOST_TEST(Header(response, "Access-Control-Allow-Origin") == "*");
}

BOOST_AUTO_TEST_CASE(cors_with_an_origin_list_on_every_kind_of_answer) {
  ServerFixture server("allow_origin = https://me.example https://www.me.example\n");
  for (const char* query : {"", "format=svg", "format=shields"}) {
    for (const char* method : {"GET", "OPTIONS"}) {
      Request request;
      request.method = method;
      request.query = query;
      request.origin = "https://www.me.example";
      Response allowed = server.Send(request);
      BOOST_TEST(Header(allowed, "Access-Control-Allow-Origin") == "https://www.me.example");
      BOOST_TEST(Header(allowed, "Vary") == "Origin");
      request.origin = "https://evil.example";
      Response refused = server.Send(request);
      BOOST_TEST(!refused.FindHeader("Access-Control-Allow-Origin"));
      BOOST_TEST(Header(refused, "Vary") == "Origin");
    }
  }
}

BOOST_AUTO_TEST_CASE(badge_and_shields_formats) {
  ServerFixture server;
  Request badge;
  badge.method = "GET";
  badge.path_info = "/badge.svg";
  Response offline = server.Send(badge);
  BOOST_TEST(offline.status == 200);
  BOOST_TEST(Header(offline, "Content-Type") == "image/svg+xml");
  BOOST_TEST(Header(offline, "Content-Security-Policy") ==
             "default-src 'none'; style-src 'unsafe-inline'");
  BOOST_TEST(offline.body.find("<svg") == 0u);
  BOOST_TEST(offline.body.find(">offline</text>") != std::string::npos);

  BOOST_REQUIRE(server.Heartbeat("{}").status == 200);
  Response online = server.Status("format=svg");
  BOOST_TEST(online.body.find(">online</text>") != std::string::npos);
  BOOST_TEST(online.body.find("<script") == std::string::npos);

  Response shields = server.Status("format=shields");
  BOOST_TEST(Header(shields, "Content-Type") == kJsonContentType);
  BOOST_TEST(shields.body ==
             "{\"schemaVersion\":1,\"label\":\"status\",\"message\":\"online\",\"color\":"
             "\"brightgreen\"}");
  BOOST_TEST(server.Status("format=json").body == kOnline);
}

BOOST_AUTO_TEST_CASE(unknown_format_bad_escape_and_unknown_path_are_client_errors) {
  ServerFixture server;
  Response unknown = server.Status("format=xml");
  BOOST_TEST(unknown.status == 400);
  BOOST_TEST(unknown.body.find("\"error\":\"bad_request\"") != std::string::npos);
  BOOST_TEST(server.Status("format=%zz").status == 400);
  Request other;
  other.method = "GET";
  other.path_info = "/heartbeat.db";
  Response missing = server.Send(other);
  BOOST_TEST(missing.status == 404);
  BOOST_TEST(missing.body.find("\"error\":\"not_found\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(last_seen_only_where_allowed) {
  ServerFixture off;
  BOOST_REQUIRE(off.Heartbeat("{}").status == 200);
  BOOST_TEST(off.Status().body == kOnline);

  ServerFixture exact("last_seen = exact\n");
  exact.clock.Set(1'795'873'205'123);           // 2026-11-28T13:40:05.123Z
  BOOST_TEST(exact.Status().body == kOffline);  // never active: absent, not null
  BOOST_REQUIRE(exact.Heartbeat("{}").status == 200);
  BOOST_TEST(exact.Status().body ==
             "{\"isOnline\":true,\"state\":\"online\",\"lastSeen\":\"2026-11-28T13:40:05Z\"}");
  exact.clock.Advance(5'000);
  BOOST_REQUIRE(exact.Heartbeat("{\"state\":\"offline\"}").status == 200);
  // Shown in every state, and it is the last *active* heartbeat's time.
  BOOST_TEST(exact.Status().body ==
             "{\"isOnline\":false,\"state\":\"offline\",\"lastSeen\":\"2026-11-28T13:40:05Z\"}");

  ServerFixture minute("last_seen = minute\n");
  minute.clock.Set(1'795'873'205'123);
  BOOST_REQUIRE(minute.Heartbeat("{}").status == 200);
  BOOST_TEST(minute.Status().body ==
             "{\"isOnline\":true,\"state\":\"online\",\"lastSeen\":\"2026-11-28T13:40:00Z\"}");
}

BOOST_AUTO_TEST_CASE(failures_are_503_never_cached_and_never_online) {
  ServerFixture server;
  BOOST_REQUIRE(server.Heartbeat("{}").status == 200);
  server.RewriteConfig("last_seen = sometimes\n");
  Response invalid = server.Status();
  BOOST_TEST(invalid.status == 503);
  BOOST_TEST(invalid.body.find("{\"isOnline\":false,\"error\":\"config_invalid\",\"message\":") ==
             0u);
  BOOST_TEST(Header(invalid, "Cache-Control") == "no-store");
  BOOST_TEST(Header(invalid, "Retry-After") == "30");
  BOOST_TEST(Header(invalid, "Access-Control-Allow-Origin") == "*");

  Response badge = server.Status("format=svg");
  BOOST_TEST(badge.status == 503);
  BOOST_TEST(Header(badge, "Content-Type") == "image/svg+xml");
  BOOST_TEST(badge.body.find(">unknown</text>") != std::string::npos);
  BOOST_TEST(badge.body.find("#6e7681") != std::string::npos);  // grey
  BOOST_TEST(server.Status("format=shields").status == 503);

  server.RewriteConfig("database = missing-folder/x.db\n");
  Response storage = server.Status();
  BOOST_TEST(storage.status == 503);
  BOOST_TEST(storage.body.find("\"error\":\"storage_unavailable\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(status_works_without_a_token) {
  ServerFixture server("", /*with_token=*/false);
  Response response = server.Status();
  BOOST_TEST(response.status == 200);
  BOOST_TEST(response.body == kOffline);
}

BOOST_AUTO_TEST_CASE(a_config_change_is_seen_within_a_second) {
  ServerFixture server;
  BOOST_TEST(Header(server.Status(), "Cache-Control") == "public, max-age=30");
  testing::WriteFile(server.dir.File("heartbeat.conf.new"), "offline_max_age = 7\n");
  BOOST_REQUIRE(rename(server.dir.File("heartbeat.conf.new").c_str(),
                       server.dir.File("heartbeat.conf").c_str()) == 0);
  server.clock.Advance(500);  // not looked at yet
  BOOST_TEST(Header(server.Status(), "Cache-Control") == "public, max-age=30");
  server.clock.Advance(500);
  BOOST_TEST(Header(server.Status(), "Cache-Control") == "public, max-age=7");
}

BOOST_AUTO_TEST_CASE(a_deleted_database_is_opened_again) {
  ServerFixture server;
  BOOST_REQUIRE(server.Heartbeat("{}").status == 200);
  BOOST_TEST(server.Status().body == kOnline);
  for (const char* suffix : {"", "-wal", "-shm"}) {
    unlink((server.dir.File("heartbeat.db") + suffix).c_str());
  }
  server.clock.Advance(kRecheckIntervalMs);
  BOOST_TEST(server.Status().body == kOffline);  // a new, empty database
  BOOST_REQUIRE(server.Heartbeat("{}").status == 200);
  BOOST_TEST(server.Status().body == kOnline);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
