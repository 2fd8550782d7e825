#include "store.h"

#include <sqlite3.h>

#include "test_support.h"

namespace heartbeat {
namespace {

std::string QueryText(const std::string& path, const char* sql) {
  sqlite3* db = nullptr;
  BOOST_REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  BOOST_REQUIRE(sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) == SQLITE_OK);
  std::string text;
  if (sqlite3_step(statement) == SQLITE_ROW) {
    const unsigned char* value = sqlite3_column_text(statement, 0);
    text = value ? reinterpret_cast<const char*>(value) : "";
  }
  sqlite3_finalize(statement);
  sqlite3_close(db);
  return text;
}

BOOST_AUTO_TEST_SUITE(store)

BOOST_AUTO_TEST_CASE(creates_a_versioned_wal_database) {
  testing::TempDir dir;
  auto store = Store::Open(dir.File("hb.db"));
  BOOST_REQUIRE(store.ok());
  BOOST_TEST(QueryText(dir.File("hb.db"), "PRAGMA journal_mode") == "wal");
  BOOST_TEST(QueryText(dir.File("hb.db"), "PRAGMA user_version") ==
             std::to_string(Store::kSchemaVersion));
  // Opening again (a second process) migrates nothing and works.
  BOOST_TEST(Store::Open(dir.File("hb.db")).ok());
}

BOOST_AUTO_TEST_CASE(keeps_each_devices_latest_state_and_last_activity) {
  testing::TempDir dir;
  auto store = Store::Open(dir.File("hb.db"));
  BOOST_REQUIRE(store.ok());
  Store& s = *store.value();
  BOOST_TEST(!s.ReadPresence().value().newest_active_ms.has_value());
  BOOST_REQUIRE(s.RecordHeartbeat("a", DeviceState::kActive, 1000).ok());
  BOOST_REQUIRE(s.RecordHeartbeat("b", DeviceState::kIdle, 2000).ok());
  BOOST_REQUIRE(s.RecordHeartbeat("a", DeviceState::kOffline, 3000).ok());
  PresenceFacts facts = s.ReadPresence().value();
  BOOST_TEST(!facts.newest_active_ms.has_value());
  BOOST_TEST(facts.newest_idle_ms.value() == 2000);
  BOOST_TEST(facts.last_active_ms.value() == 1000);
  BOOST_REQUIRE(s.RecordHeartbeat("b", DeviceState::kActive, 4000).ok());
  facts = s.ReadPresence().value();
  BOOST_TEST(facts.newest_active_ms.value() == 4000);
  BOOST_TEST(!facts.newest_idle_ms.has_value());
  BOOST_TEST(facts.last_active_ms.value() == 4000);
}

BOOST_AUTO_TEST_CASE(requests_that_arrived_together_share_one_presence_read) {
  testing::TempDir dir;
  auto reader = Store::Open(dir.File("hb.db"));
  auto writer = Store::Open(dir.File("hb.db"));  // another process: heartbeat.fcgi
  BOOST_REQUIRE(reader.ok());
  BOOST_REQUIRE(writer.ok());
  Store& r = *reader.value();
  Store& w = *writer.value();
  auto newest_active = [&r](uint64_t arrival) {
    return r.ReadPresence(arrival).value().newest_active_ms.value_or(-1);
  };
  BOOST_TEST(newest_active(7) == -1);
  BOOST_REQUIRE(w.RecordHeartbeat("a", DeviceState::kActive, 1000).ok());
  // Same arrival: the read made for it stands (those requests were waiting before the write).
  BOOST_TEST(newest_active(7) == -1);
  // A later arrival, and a read of its own (0), see the write.
  BOOST_TEST(newest_active(8) == 1000);
  BOOST_REQUIRE(w.RecordHeartbeat("a", DeviceState::kActive, 2000).ok());
  BOOST_TEST(newest_active(0) == 2000);
  BOOST_TEST(newest_active(0) == 2000);
  // After a read of its own, arrival 8 is not taken for the one read before.
  BOOST_REQUIRE(w.RecordHeartbeat("a", DeviceState::kActive, 3000).ok());
  BOOST_TEST(newest_active(8) == 3000);
}

BOOST_AUTO_TEST_CASE(refuses_a_newer_schema_and_garbage) {
  testing::TempDir dir;
  {
    auto store = Store::Open(dir.File("hb.db"));
    BOOST_REQUIRE(store.ok());
  }
  sqlite3* db = nullptr;
  BOOST_REQUIRE(sqlite3_open(dir.File("hb.db").c_str(), &db) == SQLITE_OK);
  BOOST_REQUIRE(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  auto newer = Store::Open(dir.File("hb.db"));
  BOOST_TEST(!newer.ok());
  BOOST_TEST(newer.status().message().find("newer than this program") != std::string::npos);

  testing::WriteFile(dir.File("garbage.db"), std::string(8192, 'g'));
  auto garbage = Store::Open(dir.File("garbage.db"));
  BOOST_TEST(!garbage.ok());
  BOOST_TEST(garbage.status().code() == Status::Code::kUnavailable);
}

BOOST_AUTO_TEST_CASE(auth_failures_count_within_a_span_and_prune_old_ones) {
  testing::TempDir dir;
  auto store = Store::Open(dir.File("hb.db"));
  BOOST_REQUIRE(store.ok());
  Store& s = *store.value();
  BOOST_REQUIRE(s.RecordAuthFailure("a", 1000).ok());
  BOOST_REQUIRE(s.RecordAuthFailure("a", 2000).ok());
  BOOST_REQUIRE(s.RecordAuthFailure("b", 3000).ok());
  AuthFailures a = s.ReadAuthFailures("a").value();
  BOOST_TEST(a.first_ms == 1000);
  BOOST_TEST(a.count == 2);
  BOOST_TEST(s.ReadAuthFailures("nobody").value().count == 0);
  // Ten minutes after a's first failure its span has ended: a failure from c prunes it.
  BOOST_REQUIRE(s.RecordAuthFailure("c", 601'000).ok());
  BOOST_TEST(s.ReadAuthFailures("a").value().count == 0);
  BOOST_TEST(s.ReadAuthFailures("b").value().count == 1);
  BOOST_TEST(QueryText(dir.File("hb.db"), "SELECT count(*) FROM auth_failures") == "2");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
