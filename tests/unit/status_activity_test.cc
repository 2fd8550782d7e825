// What the owner is doing through both handlers: checked always, kept and shown only with
// `activity = on`, shown only while online and from a device active now.
#include <sqlite3.h>

#include <algorithm>
#include <vector>

#include "store.h"
#include "test_support.h"
#include "token.h"

namespace heartbeat {
namespace {

using testing::Header;
using testing::ServerFixture;

constexpr const char* kListening =
    "{\"kind\":\"listening\",\"title\":\"Reckoner\",\"artist\":\"Radiohead\",\"app\":\"Spotify\"}";
constexpr const char* kCoding = "{\"kind\":\"coding\",\"app\":\"Xcode\"}";
constexpr const char* kCall = "{\"kind\":\"call\"}";
constexpr const char* kOnline = "{\"isOnline\":true,\"state\":\"online\"}";

std::string Body(const std::string& device, const std::string& activity,
                 const std::string& state = "active") {
  std::string body = "{\"device\":\"" + device + "\",\"state\":\"" + state + "\"";
  if (!activity.empty()) body += ",\"activity\":" + activity;
  return body + "}";
}

std::string OnlineWith(const std::string& activity) {
  return "{\"isOnline\":true,\"state\":\"online\",\"activity\":" + activity + "}";
}

// The number of devices rows with a stored activity.
int StoredActivities(const ServerFixture& server) {
  sqlite3* db = nullptr;
  BOOST_REQUIRE(sqlite3_open(server.dir.File("heartbeat.db").c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  BOOST_REQUIRE(sqlite3_prepare_v2(db,
                                   "SELECT count(*) FROM devices WHERE activity_kind IS NOT NULL"
                                   " OR activity_title IS NOT NULL OR activity_artist IS NOT NULL"
                                   " OR activity_app IS NOT NULL",
                                   -1, &statement, nullptr) == SQLITE_OK);
  BOOST_REQUIRE(sqlite3_step(statement) == SQLITE_ROW);
  int count = sqlite3_column_int(statement, 0);
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return count;
}

BOOST_AUTO_TEST_SUITE(status_activity)

BOOST_AUTO_TEST_CASE(off_by_default_checked_and_dropped) {
  ServerFixture server;
  BOOST_REQUIRE(server.Heartbeat(Body("mac", kListening)).status == 200);
  BOOST_TEST(server.Status().body == kOnline);
  BOOST_TEST(StoredActivities(server) == 0);
  Response bad = server.Heartbeat(Body("mac", "{\"kind\":\"gaming\"}"));
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(bad.body ==
             "{\"error\":\"bad_request\",\"message\":\"activity.kind must be listening, coding or "
             "call\"}");
}

BOOST_AUTO_TEST_CASE(on_each_kind_is_shown_and_a_heartbeat_without_one_ends_it) {
  ServerFixture server("activity = on\n");
  for (const char* activity : {kListening, kCoding, kCall, "{\"kind\":\"coding\"}"}) {
    BOOST_TEST_CONTEXT(activity) {
      BOOST_REQUIRE(server.Heartbeat(Body("mac", activity)).status == 200);
      BOOST_TEST(server.Status().body == OnlineWith(activity));
    }
  }
  BOOST_REQUIRE(server
                    .Heartbeat(Body("mac",
                                    "{\"kind\":\"listening\",\"title\":\"<b>\",\"artist\":\"\","
                                    "\"app\":\"M\"}"))
                    .status == 200);
  BOOST_TEST(server.Status().body ==
             OnlineWith("{\"kind\":\"listening\",\"title\":\"\\u003cb\\u003e\",\"app\":\"M\"}"));
  BOOST_REQUIRE(server.Heartbeat(Body("mac", "")).status == 200);
  BOOST_TEST(server.Status().body == kOnline);
  BOOST_TEST(StoredActivities(server) == 0);
  BOOST_REQUIRE(server.Heartbeat(Body("mac", kCall)).status == 200);
  BOOST_REQUIRE(server.Heartbeat(Body("mac", "null")).status == 200);
  BOOST_TEST(server.Status().body == kOnline);
}

BOOST_AUTO_TEST_CASE(absent_unless_online_and_never_on_the_badge_or_shields) {
  ServerFixture server("activity = on\n");
  BOOST_REQUIRE(server.Heartbeat(Body("mac", kListening, "idle")).status == 200);
  BOOST_TEST(server.Status().body == "{\"isOnline\":false,\"state\":\"away\"}");
  BOOST_TEST(StoredActivities(server) == 0);  // an idle device is doing nothing
  BOOST_REQUIRE(server.Heartbeat(Body("mac", kListening)).status == 200);
  for (const char* query : {"format=svg", "format=shields", "format=svg&theme=dark"}) {
    BOOST_TEST_CONTEXT(query) {
      Response response = server.Status(query);
      BOOST_TEST(response.status == 200);
      BOOST_TEST(response.body.find("Reckoner") == std::string::npos);
      BOOST_TEST(response.body.find("listening") == std::string::npos);
    }
  }
  server.clock.Advance(180'000);  // the window has ended
  BOOST_TEST(server.Status().body == "{\"isOnline\":false,\"state\":\"offline\"}");
  server.clock.Advance(-180'000);
  BOOST_REQUIRE(server.Heartbeat(Body("mac", kListening, "offline")).status == 200);
  BOOST_TEST(server.Status().body == "{\"isOnline\":false,\"state\":\"offline\"}");
}

BOOST_AUTO_TEST_CASE(the_newest_of_the_devices_active_now) {
  ServerFixture server("activity = on\n");
  BOOST_REQUIRE(server.Heartbeat(Body("laptop", kListening)).status == 200);
  server.clock.Advance(1'000);
  BOOST_REQUIRE(server.Heartbeat(Body("desktop", kCoding)).status == 200);
  BOOST_TEST(server.Status().body == OnlineWith(kCoding));
  server.clock.Advance(1'000);
  BOOST_REQUIRE(server.Heartbeat(Body("phone", "")).status == 200);  // has none: not chosen
  BOOST_TEST(server.Status().body == OnlineWith(kCoding));
  BOOST_REQUIRE(server.Heartbeat(Body("desktop", kCoding, "idle")).status == 200);
  BOOST_TEST(server.Status().body == OnlineWith(kListening));
  // The laptop's window ends 180 s after its heartbeat; the phone keeps the owner online.
  server.clock.Advance(177'999);
  Response last = server.Status();
  BOOST_TEST(last.body == OnlineWith(kListening));
  BOOST_TEST(Header(last, "Cache-Control") == "public, max-age=0");  // its 1 ms left
  server.clock.Advance(1);
  BOOST_TEST(server.Status().body == kOnline);
  BOOST_TEST(Header(server.Status(), "Cache-Control") == "public, max-age=2");
}

BOOST_AUTO_TEST_CASE(a_heartbeat_from_the_future_counts_as_just_sent) {
  ServerFixture server("activity = on\n");
  BOOST_REQUIRE(server.Heartbeat(Body("mac", kCall)).status == 200);
  server.clock.Advance(-60'000);  // the clock stepped back
  Response response = server.Status();
  BOOST_TEST(response.body == OnlineWith(kCall));
  BOOST_TEST(Header(response, "Cache-Control") == "public, max-age=60");
}

BOOST_AUTO_TEST_CASE(the_etag_changes_with_the_activity) {
  ServerFixture server("activity = on\n");
  std::vector<std::string> tags;
  for (const char* activity : {"", kListening, kCoding, kCall}) {
    BOOST_REQUIRE(server.Heartbeat(Body("mac", activity)).status == 200);
    tags.push_back(Header(server.Status(), "ETag"));
  }
  std::sort(tags.begin(), tags.end());
  BOOST_TEST((std::unique(tags.begin(), tags.end()) == tags.end()));
}

BOOST_AUTO_TEST_CASE(turning_it_off_hides_at_once_and_the_next_heartbeat_forgets_all) {
  ServerFixture server("activity = on\n");
  BOOST_REQUIRE(server.Heartbeat(Body("a", kListening)).status == 200);
  BOOST_REQUIRE(server.Heartbeat(Body("b", kCoding)).status == 200);
  BOOST_TEST(StoredActivities(server) == 2);
  server.RewriteConfig("token_sha256 = " + ToHex(HashToken(testing::kTestToken)) +
                       "\nactivity = off\n");
  BOOST_TEST(server.Status().body == kOnline);
  BOOST_REQUIRE(server.Heartbeat(Body("c", kCall)).status == 200);
  BOOST_TEST(StoredActivities(server) == 0);  // also the other devices' rows
}

BOOST_AUTO_TEST_CASE(a_bad_value_is_config_invalid) {
  for (const char* value : {"yes", "ON", "1", "true"}) {
    BOOST_TEST_CONTEXT(value) {
      ServerFixture server(std::string("activity = ") + value + "\n");
      Response status = server.Status();
      BOOST_TEST(status.status == 503);
      BOOST_TEST(status.body.find("config_invalid") != std::string::npos);
      BOOST_TEST(status.body.find("activity: expected off or on") != std::string::npos);
      BOOST_TEST(server.Heartbeat("{}").status == 503);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
