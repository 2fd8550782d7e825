#include "store.h"

#include <sqlite3.h>
#include <sys/stat.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "clock.h"

namespace heartbeat {
namespace {

constexpr int kBusyTimeoutMs = 5000;

// Each entry takes the schema from version (index) to version (index + 1).
const char* const kMigrations[] = {
    // 0 -> 1: one row per device with its latest heartbeat; failed tokens per address.
    "CREATE TABLE devices ("
    "  name TEXT PRIMARY KEY,"
    "  state TEXT NOT NULL CHECK (state IN ('active', 'idle', 'offline')),"
    "  at_ms INTEGER NOT NULL,"
    "  last_active_ms INTEGER"
    ") WITHOUT ROWID;"
    "CREATE TABLE auth_failures ("
    "  address TEXT PRIMARY KEY,"
    "  first_ms INTEGER NOT NULL,"
    "  count INTEGER NOT NULL"
    ") WITHOUT ROWID;"
    "CREATE INDEX auth_failures_by_first ON auth_failures (first_ms);",
    // 1 -> 2: IPv6 addresses are counted by their /64 (AddressKey): the old keys are
    // forgotten (they last ten minutes at most). The file shrinks again (incremental
    // auto_vacuum, see EnsureIncrementalVacuum).
    "DELETE FROM auth_failures;",
    // 2 -> 3: the owner's note (one row at most); per UTC hour, the minutes that had an
    // `active` heartbeat (bit m set: minute m), kept only while history_days asks for them.
    "CREATE TABLE note ("
    "  id INTEGER PRIMARY KEY CHECK (id = 1),"
    "  text TEXT NOT NULL,"
    "  busy INTEGER NOT NULL CHECK (busy IN (0, 1)),"
    "  until_ms INTEGER"
    ");"
    "CREATE TABLE active_minutes ("
    "  hour_s INTEGER PRIMARY KEY,"
    "  minutes INTEGER NOT NULL"
    ") WITHOUT ROWID;",
    // 3 -> 4: what each device is doing, as its latest heartbeat stated it (NULL: nothing, or
    // the config's `activity` is off).
    "ALTER TABLE devices ADD COLUMN activity_kind TEXT"
    "  CHECK (activity_kind IN ('listening', 'coding', 'call'));"
    "ALTER TABLE devices ADD COLUMN activity_title TEXT;"
    "ALTER TABLE devices ADD COLUMN activity_artist TEXT;"
    "ALTER TABLE devices ADD COLUMN activity_app TEXT;",
    // 4 -> 5: the activity a status answer shows, found by an index in its order: without
    // it, each read sorted the devices in a temporary table of its own (a few hundred KiB
    // allocated and freed per status request).
    "CREATE INDEX devices_doing ON devices"
    "  (at_ms DESC, name, activity_kind, activity_title, activity_artist, activity_app)"
    "  WHERE state = 'active' AND activity_kind IS NOT NULL;",
};
constexpr int kMigrationCount = sizeof kMigrations / sizeof kMigrations[0];
static_assert(kMigrationCount == Store::kSchemaVersion, "one migration per schema version");

// Everything a status answer needs, in one statement of three parts, each row told apart by
// its first column: (0) the newest heartbeat among devices whose latest state is active / idle
// and the last activity; (1) the note, if any; (2) the newest activity of an active device,
// with its time. That activity is the newest by time, the first name on a tie, so that the
// answer is stable: the first entry of the devices_doing index, never a sort. Rows of a
// compound rather than columns of one row, because SQLite materializes a row subquery in FROM
// (or a CTE) into a temporary table, the very cost the index is there to avoid, and a scalar
// subquery per column opens a cursor each (nine in all, where this opens four).
constexpr const char* kReadPresenceSql =
    "SELECT 0, max(CASE WHEN state = 'active' THEN at_ms END),"
    "       max(CASE WHEN state = 'idle' THEN at_ms END), max(last_active_ms),"
    "       NULL, NULL, NULL, NULL"
    " FROM devices"
    " UNION ALL SELECT 1, until_ms, busy, NULL, text, NULL, NULL, NULL FROM note"
    " UNION ALL SELECT * FROM (SELECT 2, at_ms, NULL, NULL,"
    "                                 activity_kind, activity_title, activity_artist, activity_app"
    "   FROM devices WHERE state = 'active' AND activity_kind IS NOT NULL"
    "   ORDER BY at_ms DESC, name LIMIT 1)";

constexpr const char* kSetNoteSql =
    "INSERT INTO note (id, text, busy, until_ms) VALUES (1, ?1, ?2, ?3)"
    " ON CONFLICT (id) DO UPDATE SET text = excluded.text, busy = excluded.busy,"
    "   until_ms = excluded.until_ms";
constexpr const char* kClearNoteSql = "DELETE FROM note";
constexpr const char* kMarkActiveMinuteSql =
    "INSERT INTO active_minutes (hour_s, minutes) VALUES (?1, ?2)"
    " ON CONFLICT (hour_s) DO UPDATE SET minutes = minutes | excluded.minutes";
constexpr const char* kPruneActiveMinutesSql = "DELETE FROM active_minutes WHERE hour_s < ?1";
constexpr const char* kReadActiveMinutesSql =
    "SELECT hour_s, minutes FROM active_minutes WHERE hour_s >= ?1 ORDER BY hour_s";

// A note whose time has passed leaves the file with the next heartbeat.
constexpr const char* kDropExpiredNoteSql = "DELETE FROM note WHERE until_ms <= ?1";

// Each heartbeat states its device's activity: NULLs end the one stored before.
constexpr const char* kUpsertDeviceSql =
    "INSERT INTO devices (name, state, at_ms, last_active_ms,"
    "                     activity_kind, activity_title, activity_artist, activity_app)"
    " VALUES (?1, ?2, ?3, CASE WHEN ?2 = 'active' THEN ?3 END, ?4, ?5, ?6, ?7)"
    " ON CONFLICT (name) DO UPDATE SET state = excluded.state, at_ms = excluded.at_ms,"
    "   last_active_ms = coalesce(excluded.last_active_ms, devices.last_active_ms),"
    "   activity_kind = excluded.activity_kind, activity_title = excluded.activity_title,"
    "   activity_artist = excluded.activity_artist, activity_app = excluded.activity_app";

// While `activity` is off nothing of it stays in the file, also what other devices sent while
// it was on. The WHERE makes it a read when there is nothing to forget.
constexpr const char* kForgetActivitiesSql =
    "UPDATE devices SET activity_kind = NULL, activity_title = NULL, activity_artist = NULL,"
    "   activity_app = NULL WHERE activity_kind IS NOT NULL";

constexpr const char* kReadFailuresSql =
    "SELECT first_ms, count FROM auth_failures WHERE address = ?1";

// A failure after the span of the first one has ended starts a new span.
constexpr const char* kRecordFailureSql =
    "INSERT INTO auth_failures (address, first_ms, count) VALUES (?1, ?2, 1)"
    " ON CONFLICT (address) DO UPDATE SET"
    "   count = CASE WHEN first_ms <= ?2 - ?3 THEN 1 ELSE count + 1 END,"
    "   first_ms = CASE WHEN first_ms <= ?2 - ?3 THEN ?2 ELSE first_ms END";

constexpr const char* kPruneFailuresSql = "DELETE FROM auth_failures WHERE first_ms <= ?1 - ?2";

// Beyond ?1 addresses, the ones whose spans began first are forgotten.
constexpr const char* kCapFailuresSql =
    "DELETE FROM auth_failures WHERE address IN (SELECT address FROM auth_failures"
    " ORDER BY first_ms LIMIT max(0, (SELECT count(*) FROM auth_failures) - ?1))";

// The write lock first, so that the read and the update of a count are not split by
// another process's.
constexpr const char* kBeginSql = "BEGIN IMMEDIATE";
constexpr const char* kCommitSql = "COMMIT";
constexpr const char* kRollbackSql = "ROLLBACK";
// Pages freed by deleted rows go back to the file system (at most the table's size).
constexpr const char* kIncrementalVacuumSql = "PRAGMA incremental_vacuum";
constexpr int kAutoVacuumIncremental = 2;

// A value bound to a statement's parameter, by its type: text without a copy (it outlives the
// step), no value as NULL.
int BindOne(sqlite3_stmt* statement, int index, int64_t value) {
  return sqlite3_bind_int64(statement, index, value);
}
int BindOne(sqlite3_stmt* statement, int index, int value) {
  return sqlite3_bind_int(statement, index, value);
}
int BindOne(sqlite3_stmt* statement, int index, std::string_view text) {
  return sqlite3_bind_text(statement, index, text.data(), static_cast<int>(text.size()),
                           SQLITE_STATIC);
}
int BindOne(sqlite3_stmt* statement, int index, std::optional<int64_t> value) {
  return value ? BindOne(statement, index, *value) : sqlite3_bind_null(statement, index);
}
int BindOne(sqlite3_stmt* statement, int index, std::optional<std::string_view> text) {
  return text ? BindOne(statement, index, *text) : sqlite3_bind_null(statement, index);
}

// A text column of an activity: none for "" (a field the kind has not, or an absent one).
std::optional<std::string_view> ActivityText(const Activity* activity,
                                             std::string Activity::*field) {
  if (!activity || (activity->*field).empty()) return std::nullopt;
  return std::string_view(activity->*field);
}

std::string TextColumn(sqlite3_stmt* statement, int i) {
  const unsigned char* text = sqlite3_column_text(statement, i);
  return text ? std::string(reinterpret_cast<const char*>(text),
                            static_cast<size_t>(sqlite3_column_bytes(statement, i)))
              : std::string();
}

// Binds ?1, ?2, ... in order; false as soon as SQLite refuses one (then nothing is stepped).
template <typename... Values>
bool Bind(sqlite3_stmt* statement, Values... values) {
  int index = 0;
  return ((BindOne(statement, ++index, values) == SQLITE_OK) && ...);
}

std::string Describe(sqlite3* db, const char* what) {
  return std::string(what) + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
}

// Runs SQL without results; Unavailable on failure.
Status Exec(sqlite3* db, const char* sql, const char* what) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
    return Status::Unavailable(Describe(db, what));
  }
  return Status::Ok();
}

Result<int> ReadIntPragma(sqlite3* db, const char* sql, const char* what);

Result<int> ReadUserVersion(sqlite3* db) {
  return ReadIntPragma(db, "PRAGMA user_version", "read schema version");
}

Result<int> ReadIntPragma(sqlite3* db, const char* sql, const char* what) {
  sqlite3_stmt* raw = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &raw, nullptr) != SQLITE_OK) {
    return Status::Unavailable(Describe(db, what));
  }
  Statement statement(raw);
  if (sqlite3_step(raw) != SQLITE_ROW) return Status::Unavailable(Describe(db, what));
  return sqlite3_column_int(raw, 0);
}

// Rows that come and go (failed tokens) must not leave the file at its largest size. A new
// file gets incremental auto_vacuum before its first table; an older one is rebuilt once with
// it (VACUUM, outside any transaction).
Status EnsureIncrementalVacuum(sqlite3* db) {
  auto mode = ReadIntPragma(db, "PRAGMA auto_vacuum", "read auto_vacuum");
  if (!mode.ok()) return mode.status();
  if (mode.value() == kAutoVacuumIncremental) return Status::Ok();
  Status status = Exec(db, "PRAGMA auto_vacuum = INCREMENTAL", "set auto_vacuum");
  if (!status.ok()) return status;
  mode = ReadIntPragma(db, "PRAGMA auto_vacuum", "read auto_vacuum");
  if (!mode.ok()) return mode.status();
  return mode.value() == kAutoVacuumIncremental ? Status::Ok()
                                                : Exec(db, "VACUUM", "vacuum database");
}

Status Migrate(sqlite3* db) {
  auto version = ReadUserVersion(db);
  if (!version.ok()) return version.status();
  if (version.value() == Store::kSchemaVersion) return Status::Ok();

  // IMMEDIATE takes the write lock first, so two programs starting on a new file at once
  // cannot both migrate it: the second waits, then sees the new version.
  Status status = Exec(db, "BEGIN IMMEDIATE", "start migration");
  if (!status.ok()) return status;
  version = ReadUserVersion(db);
  if (version.ok() && version.value() > Store::kSchemaVersion) {
    (void)Exec(db, "ROLLBACK", "roll back migration");
    return Status::Unavailable("database schema version " + std::to_string(version.value()) +
                               " is newer than this program's " +
                               std::to_string(Store::kSchemaVersion));
  }
  for (int v = version.ok() ? version.value() : kMigrationCount; v < kMigrationCount; ++v) {
    status = Exec(db, kMigrations[v], "migrate schema");
    if (!status.ok()) break;
  }
  if (status.ok() && version.ok()) {
    std::string set_version = "PRAGMA user_version = " + std::to_string(Store::kSchemaVersion);
    status = Exec(db, set_version.c_str(), "set schema version");
  }
  if (!version.ok()) status = version.status();
  if (!status.ok()) {
    (void)Exec(db, "ROLLBACK", "roll back migration");
    return status;
  }
  return Exec(db, "COMMIT", "commit migration");
}

}  // namespace

void ConfigureSqliteForOneThread() {
  sqlite3_config(SQLITE_CONFIG_SINGLETHREAD);
  sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

void DatabaseCloser::operator()(sqlite3* db) const { sqlite3_close(db); }

void StatementDeleter::operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }

Store::Store(std::string path, Database db) : path_(std::move(path)), db_(std::move(db)) {}

Result<std::unique_ptr<Store>> Store::Open(const std::string& path) {
  sqlite3* opened = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &opened, flags, nullptr);
  // Also a failed open gives a handle (for its message), which must be closed.
  std::unique_ptr<Store> store(new Store(path, Database(opened)));
  sqlite3* db = opened;
  if (rc != SQLITE_OK) return Status::Unavailable(Describe(db, "open database"));
  if (sqlite3_busy_timeout(db, kBusyTimeoutMs) != SQLITE_OK ||
      sqlite3_extended_result_codes(db, 1) != SQLITE_OK) {
    return Status::Unavailable(Describe(db, "configure the connection"));
  }

  // Before anything writes the file's header: a new file takes the mode as it is made.
  Status status = EnsureIncrementalVacuum(db);
  // WAL lets status readers run while a heartbeat writes. NORMAL syncs at checkpoints only:
  // a committed transaction is in the WAL file, which outlives any process that dies.
  if (status.ok()) status = Exec(db, "PRAGMA journal_mode = WAL", "enable WAL");
  if (status.ok()) status = Exec(db, "PRAGMA synchronous = NORMAL", "set synchronous");
  // After a checkpoint the WAL is cut back to this size, so that a burst of writes (a flood
  // of wrong tokens) does not leave it large.
  if (status.ok())
    status = Exec(db, "PRAGMA journal_size_limit = 1048576", "set journal size limit");
  if (status.ok()) status = Migrate(db);
  if (!status.ok()) return status;
  // The last connection to close would checkpoint the WAL into the database and truncate it:
  // work that a one-request CGI process should not pay for every time. Writers still
  // checkpoint automatically as the WAL grows.
  if (sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr) != SQLITE_OK) {
    return Status::Unavailable(Describe(db, "configure checkpoints on close"));
  }

  struct stat st;
  if (stat(path.c_str(), &st) != 0)
    return Status::Unavailable("open database: " + path + " vanished");
  // SQLite names the -shm after the database's full path, links resolved, as it gives it here.
  if (const char* full_path = sqlite3_db_filename(db, "main"); full_path && *full_path) {
    store->wal_header_ = WalHeader(std::string(full_path) + "-shm");
  }
  store->device_ = st.st_dev;
  store->inode_ = st.st_ino;
  return store;
}

sqlite3_stmt* Store::Prepared(Statement* slot, const char* sql) {
  if (!*slot) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v3(db_.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &raw, nullptr) !=
        SQLITE_OK) {
      return nullptr;
    }
    slot->reset(raw);
  }
  return slot->get();
}

Status Store::Fail(const char* what) { return Status::Unavailable(Describe(db_.get(), what)); }

template <typename Work>
Status Store::InTransaction(const char* what, Work work) {
  sqlite3_stmt* begin = Prepared(&begin_, kBeginSql);
  sqlite3_stmt* commit = Prepared(&commit_, kCommitSql);
  sqlite3_stmt* rollback = Prepared(&rollback_, kRollbackSql);
  if (!begin || !commit || !rollback) return Fail("prepare statement");
  int rc = sqlite3_step(begin);
  sqlite3_reset(begin);
  if (rc != SQLITE_DONE) return Fail(what);
  Status done = work();
  sqlite3_stmt* end = done.ok() ? commit : rollback;
  rc = sqlite3_step(end);
  sqlite3_reset(end);
  if (rc == SQLITE_DONE) return done;
  Status failed = done.ok() ? Fail(what) : done;
  if (end == commit) {
    (void)sqlite3_step(rollback);
    sqlite3_reset(rollback);
  }
  return failed;
}

bool Store::StillAtPath() const {
  struct stat st;
  return stat(path_.c_str(), &st) == 0 && st.st_dev == device_ && st.st_ino == inode_;
}

Result<PresenceFacts> Store::ReadPresence() {
  // Not before a first SELECT: a CGI process, whose one request reads once, opens no -shm
  // of its own.
  const std::optional<WalHeader::Bytes> header =
      presence_selects_ > 0 ? wal_header_.Now() : std::nullopt;
  const int64_t now_ms = MonotonicMs();
  if (header && header == selected_header_ && now_ms - selected_at_ms_ < kPresenceReuseMs) {
    return selected_facts_;
  }
  auto facts = SelectPresence();
  if (!facts.ok()) {
    selected_header_.reset();
    return facts;
  }
  selected_header_ = header;
  selected_facts_ = facts.value();
  selected_at_ms_ = now_ms;
  return facts;
}

Result<PresenceFacts> Store::SelectPresence() {
  ++presence_selects_;
  sqlite3_stmt* statement = Prepared(&read_presence_, kReadPresenceSql);
  if (!statement) return Fail("prepare statement");
  auto column = [statement](int i) -> std::optional<int64_t> {
    if (sqlite3_column_type(statement, i) == SQLITE_NULL) return std::nullopt;
    return sqlite3_column_int64(statement, i);
  };
  PresenceFacts facts;
  // Each part that has a row fills its facts; one without (no note, no activity) leaves them
  // empty, as an empty devices table leaves the aggregates NULL.
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    switch (sqlite3_column_int(statement, 0)) {
      case 0:
        facts.newest_active_ms = column(1);
        facts.newest_idle_ms = column(2);
        facts.last_active_ms = column(3);
        break;
      case 1: {
        Note note;
        note.text = TextColumn(statement, 4);
        note.busy = sqlite3_column_int(statement, 2) != 0;
        note.until_ms = column(1);
        facts.note = std::move(note);
        break;
      }
      case 2:
        if (auto kind = ParseActivityKind(TextColumn(statement, 4))) {
          Activity activity;
          activity.kind = *kind;
          activity.title = TextColumn(statement, 5);
          activity.artist = TextColumn(statement, 6);
          activity.app = TextColumn(statement, 7);
          facts.activity = std::move(activity);
          facts.activity_at_ms = sqlite3_column_int64(statement, 1);
        }
        break;
    }
  }
  sqlite3_reset(statement);
  if (rc != SQLITE_DONE) return Fail("read presence");
  return facts;
}

Status Store::RecordHeartbeat(const HeartbeatWrite& write) {
  return InTransaction("record heartbeat", [&] { return RecordHeartbeatInTransaction(write); });
}

Status Store::RecordHeartbeatInTransaction(const HeartbeatWrite& write) {
  sqlite3_stmt* statement = Prepared(&upsert_device_, kUpsertDeviceSql);
  if (!statement) return Fail("prepare statement");
  const Activity* activity = write.activity_shown ? write.activity : nullptr;
  const std::optional<std::string_view> kind =
      activity ? std::optional<std::string_view>(ActivityKindName(activity->kind)) : std::nullopt;
  if (!Bind(statement, write.device, std::string_view(DeviceStateName(write.state)), write.at_ms,
            kind, ActivityText(activity, &Activity::title),
            ActivityText(activity, &Activity::artist), ActivityText(activity, &Activity::app))) {
    return Fail("bind a heartbeat");
  }
  int rc = sqlite3_step(statement);
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  if (rc != SQLITE_DONE) return Fail("record heartbeat");
  Status status = write.activity_shown ? Status::Ok() : ForgetActivities();
  if (status.ok()) status = WriteNote(write);
  if (status.ok()) status = WriteHistory(write);
  return status;
}

Status Store::WriteHistory(const HeartbeatWrite& write) {
  const int64_t at_s = write.at_ms / 1000;
  if (write.state == DeviceState::kActive && write.history_days > 0) {
    sqlite3_stmt* mark = Prepared(&mark_active_minute_, kMarkActiveMinuteSql);
    if (!mark) return Fail("prepare statement");
    if (!Bind(mark, at_s - at_s % 3600, int64_t{1} << (at_s % 3600 / 60))) {
      return Fail("bind an active minute");
    }
    int rc = sqlite3_step(mark);
    sqlite3_reset(mark);
    if (rc != SQLITE_DONE) return Fail("record an active minute");
  }
  // With history_days 0 every row goes: turning the setting off forgets the history.
  sqlite3_stmt* prune = Prepared(&prune_active_minutes_, kPruneActiveMinutesSql);
  if (!prune) return Fail("prepare statement");
  if (!Bind(prune, OldestKeptHour(at_s, write.history_days))) return Fail("bind a pruning");
  int rc = sqlite3_step(prune);
  sqlite3_reset(prune);
  if (rc != SQLITE_DONE) return Fail("prune active minutes");
  return Status::Ok();
}

Status Store::ForgetActivities() {
  sqlite3_stmt* forget = Prepared(&forget_activities_, kForgetActivitiesSql);
  if (!forget) return Fail("prepare statement");
  int rc = sqlite3_step(forget);
  sqlite3_reset(forget);
  if (rc != SQLITE_DONE) return Fail("forget activities");
  return Status::Ok();
}

Result<std::vector<ActiveHour>> Store::ReadActiveHours(int64_t since_hour_s) {
  sqlite3_stmt* statement = Prepared(&read_active_minutes_, kReadActiveMinutesSql);
  if (!statement) return Fail("prepare statement");
  if (!Bind(statement, since_hour_s)) return Fail("bind an hour");
  std::vector<ActiveHour> hours;
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
    hours.push_back({sqlite3_column_int64(statement, 0),
                     static_cast<uint64_t>(sqlite3_column_int64(statement, 1))});
  }
  sqlite3_reset(statement);
  if (rc != SQLITE_DONE) return Fail("read active minutes");
  return hours;
}

Status Store::WriteNote(const HeartbeatWrite& write) {
  sqlite3_stmt* statement = nullptr;
  switch (write.note_change) {
    case NoteChange::kKeep:
      statement = Prepared(&drop_expired_note_, kDropExpiredNoteSql);
      if (statement && !Bind(statement, write.at_ms)) return Fail("bind a note");
      break;
    case NoteChange::kClear:
      statement = Prepared(&clear_note_, kClearNoteSql);
      break;
    case NoteChange::kSet:
      statement = Prepared(&set_note_, kSetNoteSql);
      if (!statement) break;
      if (!Bind(statement, std::string_view(write.note.text), write.note.busy ? 1 : 0,
                write.note.until_ms)) {
        return Fail("bind a note");
      }
      break;
  }
  if (!statement) return Fail("prepare statement");
  int rc = sqlite3_step(statement);
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  if (rc != SQLITE_DONE) return Fail("write note");
  return Status::Ok();
}

Result<AuthFailures> Store::ReadAuthFailures(std::string_view address) {
  sqlite3_stmt* statement = Prepared(&read_failures_, kReadFailuresSql);
  if (!statement) return Fail("prepare statement");
  if (!Bind(statement, address)) return Fail("bind an address");
  AuthFailures failures;
  int rc = sqlite3_step(statement);
  if (rc == SQLITE_ROW) {
    failures.first_ms = sqlite3_column_int64(statement, 0);
    failures.count = sqlite3_column_int(statement, 1);
  }
  sqlite3_reset(statement);
  sqlite3_clear_bindings(statement);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE) return Fail("read failed tokens");
  return failures;
}

Result<AuthFailures> Store::CountAuthFailure(std::string_view address, int64_t now_ms) {
  Result<AuthFailures> counted = Status::Unavailable("not counted");
  Status status = InTransaction("count a failed token", [&] {
    counted = CountAuthFailureInTransaction(address, now_ms);
    return counted.ok() ? Status::Ok() : counted.status();
  });
  if (!status.ok()) return status;
  return counted;
}

Result<AuthFailures> Store::CountAuthFailureInTransaction(std::string_view address,
                                                          int64_t now_ms) {
  auto before = ReadAuthFailures(address);
  if (!before.ok() || LockoutRemainingMs(before.value(), now_ms) > 0) return before;

  sqlite3_stmt* prune = Prepared(&prune_failures_, kPruneFailuresSql);
  if (!prune) return Fail("prepare statement");
  if (!Bind(prune, now_ms, kAuthFailureSpanMs)) return Fail("bind a pruning");
  int rc = sqlite3_step(prune);
  sqlite3_reset(prune);
  if (rc != SQLITE_DONE) return Fail("prune failed tokens");
  const bool pruned = sqlite3_changes(db_.get()) > 0;

  sqlite3_stmt* record = Prepared(&record_failure_, kRecordFailureSql);
  if (!record) return Fail("prepare statement");
  if (!Bind(record, address, now_ms, kAuthFailureSpanMs)) return Fail("bind a failed token");
  rc = sqlite3_step(record);
  sqlite3_reset(record);
  sqlite3_clear_bindings(record);
  if (rc != SQLITE_DONE) return Fail("record failed token");

  bool capped = false;
  if (before->count == 0) {  // a new address: the table may have grown past its bound
    sqlite3_stmt* cap = Prepared(&cap_failures_, kCapFailuresSql);
    if (!cap) return Fail("prepare statement");
    if (!Bind(cap, kMaxTrackedAddresses)) return Fail("bind the address bound");
    rc = sqlite3_step(cap);
    sqlite3_reset(cap);
    if (rc != SQLITE_DONE) return Fail("cap failed tokens");
    capped = sqlite3_changes(db_.get()) > 0;
  }
  if (pruned || capped) {
    Status vacuumed = Exec(db_.get(), kIncrementalVacuumSql, "give back free pages");
    if (!vacuumed.ok()) return vacuumed;
  }
  return before;
}

}  // namespace heartbeat
