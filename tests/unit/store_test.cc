#include "store.h"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.h"

namespace heartbeat {
namespace {

using testing::RecordBeat;

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

// One `active` heartbeat of `device` that states `activity`, with `activity = on`.
Status RecordActivity(Store& store, std::string_view device, int64_t at_ms,
                      const Activity& activity) {
  HeartbeatWrite write;
  write.device = device;
  write.at_ms = at_ms;
  write.activity = &activity;
  write.activity_shown = true;
  return store.RecordHeartbeat(write);
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
  BOOST_REQUIRE(RecordBeat(s, "a", DeviceState::kActive, 1000).ok());
  BOOST_REQUIRE(RecordBeat(s, "b", DeviceState::kIdle, 2000).ok());
  BOOST_REQUIRE(RecordBeat(s, "a", DeviceState::kOffline, 3000).ok());
  PresenceFacts facts = s.ReadPresence().value();
  BOOST_TEST(!facts.newest_active_ms.has_value());
  BOOST_TEST(facts.newest_idle_ms.value() == 2000);
  BOOST_TEST(facts.last_active_ms.value() == 1000);
  BOOST_REQUIRE(RecordBeat(s, "b", DeviceState::kActive, 4000).ok());
  facts = s.ReadPresence().value();
  BOOST_TEST(facts.newest_active_ms.value() == 4000);
  BOOST_TEST(!facts.newest_idle_ms.has_value());
  BOOST_TEST(facts.last_active_ms.value() == 4000);
}

BOOST_AUTO_TEST_CASE(refuses_a_newer_schema_and_garbage) {
  testing::TempDir dir;
  {
    auto store = Store::Open(dir.File("hb.db"));
    BOOST_REQUIRE(store.ok());
  }
  sqlite3* db = nullptr;
  BOOST_REQUIRE(sqlite3_open(dir.File("hb.db").c_str(), &db) == SQLITE_OK);
  BOOST_REQUIRE(sqlite3_exec(db, "PRAGMA user_version = 99", nullptr, nullptr, nullptr) ==
                SQLITE_OK);
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
  BOOST_TEST(s.CountAuthFailure("a", 1000).value().count == 0);  // as it stood before
  BOOST_TEST(s.CountAuthFailure("a", 2000).value().count == 1);
  BOOST_REQUIRE(s.CountAuthFailure("b", 3000).ok());
  AuthFailures a = s.ReadAuthFailures("a").value();
  BOOST_TEST(a.first_ms == 1000);
  BOOST_TEST(a.count == 2);
  BOOST_TEST(s.ReadAuthFailures("nobody").value().count == 0);
  // Ten minutes after a's first failure its span has ended: a failure from c prunes it.
  BOOST_REQUIRE(s.CountAuthFailure("c", 601'000).ok());
  BOOST_TEST(s.ReadAuthFailures("a").value().count == 0);
  BOOST_TEST(s.ReadAuthFailures("b").value().count == 1);
  BOOST_TEST(QueryText(dir.File("hb.db"), "SELECT count(*) FROM auth_failures") == "2");
}

BOOST_AUTO_TEST_CASE(a_locked_out_address_is_not_counted_further) {
  testing::TempDir dir;
  auto store = Store::Open(dir.File("hb.db"));
  BOOST_REQUIRE(store.ok());
  for (int i = 0; i < kMaxAuthFailures + 5; ++i)
    BOOST_REQUIRE(store.value()->CountAuthFailure("a", 1000 + i).ok());
  AuthFailures a = store.value()->ReadAuthFailures("a").value();
  BOOST_TEST(a.count == kMaxAuthFailures);
  BOOST_TEST(a.first_ms == 1000);
}

BOOST_AUTO_TEST_CASE(parallel_processes_never_count_past_the_limit) {
  // Four processes with their own connections race to count failures of one address; each
  // reports how many of its calls were counted (not locked out). Exactly ten in all.
  testing::TempDir dir;
  BOOST_REQUIRE(Store::Open(dir.File("hb.db")).ok());
  constexpr int kProcesses = 4;
  int pipes[kProcesses][2];
  pid_t children[kProcesses];
  for (int p = 0; p < kProcesses; ++p) {
    BOOST_REQUIRE(pipe(pipes[p]) == 0);
    children[p] = fork();
    BOOST_REQUIRE(children[p] >= 0);
    if (children[p] == 0) {
      auto store = Store::Open(dir.File("hb.db"));
      unsigned char counted = 0;
      for (int i = 0; store.ok() && i < kMaxAuthFailures; ++i) {
        auto before = store.value()->CountAuthFailure("203.0.113.9", 5000);
        if (before.ok() && LockoutRemainingMs(before.value(), 5000) == 0) ++counted;
      }
      ssize_t written = write(pipes[p][1], &counted, 1);
      _exit(store.ok() && written == 1 ? 0 : 1);
    }
    close(pipes[p][1]);
  }
  int total = 0;
  for (int p = 0; p < kProcesses; ++p) {
    unsigned char counted = 0;
    BOOST_TEST(read(pipes[p][0], &counted, 1) == 1);
    close(pipes[p][0]);
    int status = 0;
    BOOST_TEST(waitpid(children[p], &status, 0) == children[p]);
    BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
    total += counted;
  }
  BOOST_TEST(total == kMaxAuthFailures);
  BOOST_TEST(QueryText(dir.File("hb.db"), "SELECT count FROM auth_failures") ==
             std::to_string(kMaxAuthFailures));
}

BOOST_AUTO_TEST_CASE(at_most_ten_thousand_addresses_are_kept_oldest_first_out) {
  testing::TempDir dir;
  auto store = Store::Open(dir.File("hb.db"));
  BOOST_REQUIRE(store.ok());
  const int extra = 50;
  for (int i = 0; i < kMaxTrackedAddresses + extra; ++i) {
    BOOST_REQUIRE(store.value()->CountAuthFailure("addr-" + std::to_string(i), 1000 + i).ok());
  }
  BOOST_TEST(QueryText(dir.File("hb.db"), "SELECT count(*) FROM auth_failures") ==
             std::to_string(kMaxTrackedAddresses));
  BOOST_TEST(store.value()->ReadAuthFailures("addr-0").value().count == 0);
  BOOST_TEST(store.value()->ReadAuthFailures("addr-" + std::to_string(extra - 1)).value().count ==
             0);
  BOOST_TEST(store.value()->ReadAuthFailures("addr-" + std::to_string(extra)).value().count == 1);
}

BOOST_AUTO_TEST_CASE(a_version_1_file_is_migrated_to_incremental_auto_vacuum) {
  testing::TempDir dir;
  const std::string path = dir.File("old.db");
  sqlite3* db = nullptr;
  BOOST_REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const char* kVersion1 =
      "CREATE TABLE devices (name TEXT PRIMARY KEY, state TEXT NOT NULL, at_ms INTEGER NOT NULL,"
      " last_active_ms INTEGER) WITHOUT ROWID;"
      "CREATE TABLE auth_failures (address TEXT PRIMARY KEY, first_ms INTEGER NOT NULL,"
      " count INTEGER NOT NULL) WITHOUT ROWID;"
      "CREATE INDEX auth_failures_by_first ON auth_failures (first_ms);"
      "INSERT INTO devices VALUES ('mac', 'active', 5, 5);"
      "INSERT INTO auth_failures VALUES ('2001:db8::1', 1, 3);"
      "PRAGMA user_version = 1;";
  BOOST_REQUIRE(sqlite3_exec(db, kVersion1, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
  BOOST_REQUIRE(QueryText(path, "PRAGMA auto_vacuum") == "0");

  BOOST_REQUIRE(Store::Open(path).ok());
  BOOST_TEST(QueryText(path, "PRAGMA user_version") == std::to_string(Store::kSchemaVersion));
  BOOST_TEST(QueryText(path, "PRAGMA auto_vacuum") == "2");  // incremental
  BOOST_TEST(QueryText(path, "SELECT name FROM devices") == "mac");
  BOOST_TEST(QueryText(path, "SELECT count(*) FROM auth_failures") == "0");
}

// What versions 4 and 5 added to the devices table taken away again, and the version set to
// `more_sql` run after it: a file as an older program left it.
void UndoVersions4And5(const std::string& path, const char* more_sql) {
  sqlite3* db = nullptr;
  BOOST_REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  const std::string sql = std::string(
                              "DROP INDEX devices_doing;"
                              "ALTER TABLE devices DROP COLUMN activity_kind;"
                              "ALTER TABLE devices DROP COLUMN activity_title;"
                              "ALTER TABLE devices DROP COLUMN activity_artist;"
                              "ALTER TABLE devices DROP COLUMN activity_app;") +
                          more_sql;
  int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr);
  sqlite3_close(db);
  BOOST_REQUIRE(rc == SQLITE_OK);
}

BOOST_AUTO_TEST_CASE(a_version_2_file_keeps_its_devices_and_gains_the_note_and_history) {
  testing::TempDir dir;
  const std::string path = dir.File("v2.db");
  {
    auto store = Store::Open(path);
    BOOST_REQUIRE(store.ok());
    BOOST_REQUIRE(RecordBeat(*store.value(), "mac", DeviceState::kActive, 5).ok());
  }
  UndoVersions4And5(path, "DROP TABLE note; DROP TABLE active_minutes; PRAGMA user_version = 2;");

  auto store = Store::Open(path);
  BOOST_REQUIRE(store.ok());
  BOOST_TEST(QueryText(path, "PRAGMA user_version") == std::to_string(Store::kSchemaVersion));
  BOOST_TEST(QueryText(path, "SELECT name FROM devices") == "mac");
  HeartbeatWrite write;
  write.device = "mac";
  write.at_ms = 10;
  write.note_change = NoteChange::kSet;
  write.note = Note{"hello", true, 20};
  BOOST_REQUIRE(store.value()->RecordHeartbeat(write).ok());
  BOOST_TEST((store.value()->ReadPresence().value().note == write.note));
}

BOOST_AUTO_TEST_CASE(a_version_3_file_keeps_its_devices_and_gains_their_activities) {
  testing::TempDir dir;
  const std::string path = dir.File("v3.db");
  {
    auto store = Store::Open(path);
    BOOST_REQUIRE(store.ok());
    BOOST_REQUIRE(RecordBeat(*store.value(), "mac", DeviceState::kActive, 5).ok());
  }
  UndoVersions4And5(path, "PRAGMA user_version = 3;");
  BOOST_REQUIRE(QueryText(path, "SELECT count(*) FROM pragma_table_info('devices')") == "4");

  auto store = Store::Open(path);
  BOOST_REQUIRE(store.ok());
  BOOST_TEST(QueryText(path, "PRAGMA user_version") == std::to_string(Store::kSchemaVersion));
  BOOST_TEST(QueryText(path, "SELECT name || at_ms FROM devices") == "mac5");
  BOOST_TEST(!store.value()->ReadPresence().value().activity.has_value());
  const Activity call{ActivityKind::kCall, "", "", ""};
  BOOST_REQUIRE(RecordActivity(*store.value(), "mac", 10, call).ok());
  BOOST_TEST((store.value()->ReadPresence().value().activity == call));
  // A value the schema does not know is refused by the file itself.
  sqlite3* db = nullptr;
  BOOST_REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  BOOST_TEST(sqlite3_exec(db, "UPDATE devices SET activity_kind = 'gaming'", nullptr, nullptr,
                          nullptr) != SQLITE_OK);
  sqlite3_close(db);
}

BOOST_AUTO_TEST_CASE(a_version_4_file_gains_the_index_of_the_shown_activity) {
  testing::TempDir dir;
  const std::string path = dir.File("v4.db");
  BOOST_REQUIRE(Store::Open(path).ok());
  sqlite3* db = nullptr;
  BOOST_REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  int rc = sqlite3_exec(db, "DROP INDEX devices_doing; PRAGMA user_version = 4;", nullptr, nullptr,
                        nullptr);
  sqlite3_close(db);
  BOOST_REQUIRE(rc == SQLITE_OK);

  BOOST_REQUIRE(Store::Open(path).ok());
  BOOST_TEST(QueryText(path, "PRAGMA user_version") == std::to_string(Store::kSchemaVersion));
  BOOST_TEST(QueryText(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'devices_doing'") ==
             "1");
}

// Two devices active at the same millisecond: the first name's activity, every time.
BOOST_AUTO_TEST_CASE(the_shown_activity_on_a_tie_is_the_first_names) {
  testing::TempDir dir;
  auto store = Store::Open(dir.File("hb.db"));
  BOOST_REQUIRE(store.ok());
  const Activity coding{ActivityKind::kCoding, "", "", "Xcode"};
  const Activity call{ActivityKind::kCall, "", "", ""};
  BOOST_REQUIRE(RecordActivity(*store.value(), "zed", 1000, coding).ok());
  BOOST_REQUIRE(RecordActivity(*store.value(), "abe", 1000, call).ok());
  auto facts = store.value()->ReadPresence();
  BOOST_REQUIRE(facts.ok());
  BOOST_TEST((facts.value().activity == call));
  BOOST_TEST(facts.value().activity_at_ms == 1000);
}

// The status path's one read sorts nothing in a temporary table: that table's pages were a
// few hundred KiB allocated and freed again on every status request.
BOOST_AUTO_TEST_CASE(a_presence_read_allocates_no_temporary_table) {
  testing::TempDir dir;
  auto store = Store::Open(dir.File("hb.db"));
  BOOST_REQUIRE(store.ok());
  const Activity call{ActivityKind::kCall, "", "", ""};
  for (const char* device : {"laptop", "desktop", "phone"}) {
    BOOST_REQUIRE(RecordActivity(*store.value(), device, 1000, call).ok());
  }
  BOOST_REQUIRE(store.value()->ReadPresence().ok());  // the statement prepared, the pages cached
  // A commit since, so that the next read is a SELECT (store.h).
  BOOST_REQUIRE(RecordActivity(*store.value(), "phone", 2000, call).ok());
  const uint64_t selects = store.value()->presence_selects();
  sqlite3_int64 used = 0, highest = 0;
  BOOST_REQUIRE(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &used, &highest, 1) == SQLITE_OK);
  BOOST_REQUIRE(store.value()->ReadPresence().ok());
  BOOST_REQUIRE(sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &used, &highest, 0) == SQLITE_OK);
  BOOST_TEST(store.value()->presence_selects() == selects + 1);
  BOOST_TEST(highest - used < 16 * 1024, "the read's peak is " << highest - used << " bytes");
}

BOOST_AUTO_TEST_CASE(one_note_set_kept_cleared_and_dropped_once_expired) {
  testing::TempDir dir;
  auto store = Store::Open(dir.File("hb.db"));
  BOOST_REQUIRE(store.ok());
  Store& s = *store.value();
  BOOST_TEST(!s.ReadPresence().value().note.has_value());

  HeartbeatWrite write;
  write.device = "mac";
  write.at_ms = 1000;
  write.note_change = NoteChange::kSet;
  write.note = Note{"first", false, std::nullopt};
  BOOST_REQUIRE(s.RecordHeartbeat(write).ok());
  write.device = "desktop";  // one note per owner: another device replaces it
  write.note = Note{"second", true, 5000};
  BOOST_REQUIRE(s.RecordHeartbeat(write).ok());
  BOOST_TEST(QueryText(dir.File("hb.db"), "SELECT count(*) FROM note") == "1");
  BOOST_TEST((s.ReadPresence().value().note == Note{"second", true, 5000}));

  BOOST_REQUIRE(RecordBeat(s, "mac", DeviceState::kIdle, 4999).ok());  // kKeep
  BOOST_TEST(s.ReadPresence().value().note.has_value());
  BOOST_REQUIRE(RecordBeat(s, "mac", DeviceState::kIdle, 5000).ok());  // its end: gone
  BOOST_TEST(!s.ReadPresence().value().note.has_value());
  BOOST_TEST(QueryText(dir.File("hb.db"), "SELECT count(*) FROM note") == "0");

  write.note = Note{"third", false, std::nullopt};
  BOOST_REQUIRE(s.RecordHeartbeat(write).ok());
  write.note_change = NoteChange::kClear;
  BOOST_REQUIRE(s.RecordHeartbeat(write).ok());
  BOOST_TEST(!s.ReadPresence().value().note.has_value());
}

BOOST_AUTO_TEST_CASE(active_minutes_are_distinct_and_pruned_in_the_same_write) {
  testing::TempDir dir;
  const std::string path = dir.File("hb.db");
  auto store = Store::Open(path);
  BOOST_REQUIRE(store.ok());
  Store& s = *store.value();
  const int64_t hour = 1'800'000'000 - 1'800'000'000 % 3600;  // a UTC hour, in seconds
  auto beat = [&](int64_t at_s, DeviceState state, int days) {
    HeartbeatWrite write;
    write.device = "mac";
    write.state = state;
    write.at_ms = at_s * 1000 + 999;
    write.history_days = days;
    BOOST_REQUIRE(s.RecordHeartbeat(write).ok());
  };
  beat(hour + 5, DeviceState::kActive, 2);
  beat(hour + 59, DeviceState::kActive, 2);    // the same minute 0: counted once
  beat(hour + 61, DeviceState::kActive, 2);    // minute 1
  beat(hour + 3599, DeviceState::kActive, 2);  // minute 59
  beat(hour + 120, DeviceState::kIdle, 2);     // not active: not a minute
  auto rows = s.ReadActiveHours(0);
  BOOST_REQUIRE(rows.ok());
  BOOST_REQUIRE(rows.value().size() == 1u);
  BOOST_TEST(rows.value()[0].hour_s == hour);
  BOOST_TEST(rows.value()[0].minutes == ((uint64_t{1} << 59) | 0b11));

  beat(hour + 2 * 86400, DeviceState::kActive, 2);  // the first hour is still in the window
  BOOST_TEST(s.ReadActiveHours(0).value().size() == 2u);
  beat(hour + 2 * 86400 + 3600, DeviceState::kIdle, 2);  // now it is not: gone, by any write
  BOOST_TEST(s.ReadActiveHours(0).value().size() == 1u);
  BOOST_TEST(s.ReadActiveHours(0).value()[0].hour_s == hour + 2 * 86400);
  BOOST_TEST(Store::OldestKeptHour(hour + 2 * 86400 + 3600, 2) == hour + 3600);

  beat(hour + 3 * 86400, DeviceState::kActive, 0);  // history_days 0: nothing kept at all
  BOOST_TEST(QueryText(path, "SELECT count(*) FROM active_minutes") == "0");
}

BOOST_AUTO_TEST_CASE(the_file_shrinks_when_failed_tokens_are_pruned) {
  testing::TempDir dir;
  const std::string path = dir.File("hb.db");
  auto store = Store::Open(path);
  BOOST_REQUIRE(store.ok());
  BOOST_TEST(QueryText(path, "PRAGMA auto_vacuum") == "2");
  for (int i = 0; i < 3000; ++i) {
    BOOST_REQUIRE(store.value()
                      ->CountAuthFailure("address-with-a-long-name-" + std::to_string(i), 1000)
                      .ok());
  }
  const int full = std::stoi(QueryText(path, "PRAGMA page_count"));
  // Past the span, one more failure prunes every old row and gives pages back.
  for (int i = 0; i < 20; ++i) {
    BOOST_REQUIRE(store.value()
                      ->CountAuthFailure("late-" + std::to_string(i), 1000 + kAuthFailureSpanMs + i)
                      .ok());
  }
  BOOST_TEST(std::stoi(QueryText(path, "PRAGMA page_count")) < full / 2,
             "pages: " << QueryText(path, "PRAGMA page_count") << " of " << full);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
