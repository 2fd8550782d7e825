// The SQLite file both programs share (docs/protocol.md, "Storage"): WAL, a busy timeout, a
// versioned schema, statements prepared once per connection.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "result.h"
#include "storage.h"
#include "wal_header.h"

struct sqlite3;
struct sqlite3_stmt;

namespace heartbeat {

struct DatabaseCloser {
  void operator()(sqlite3* db) const;
};
using Database = std::unique_ptr<sqlite3, DatabaseCloser>;
struct StatementDeleter {
  void operator()(sqlite3_stmt* statement) const;
};
using Statement = std::unique_ptr<sqlite3_stmt, StatementDeleter>;

// For a program whose one thread is the only user of SQLite, before its first connection:
// no mutexes and no memory statistics, which a status read would otherwise pay for on every
// lock and allocation.
void ConfigureSqliteForOneThread();

class Store final : public Storage {
 public:
  // The schema version this program writes; older files are migrated on open.
  static constexpr int kSchemaVersion = 5;

  // Opens (creating it if missing) the database at `path` and migrates its schema.
  // Unavailable, with SQLite's reason, if the file cannot be opened, read or written.
  static Result<std::unique_ptr<Store>> Open(const std::string& path);
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // One SELECT over all devices (see PresenceFacts); the status path shares it among requests
  // that arrived together (presence_reads.h). While the file's WAL header shows no commit
  // since the last SELECT (wal_header.h), for at most kPresenceReuseMs, that SELECT's facts
  // are given again without a transaction. The first read of a connection looks at no
  // header: a CGI process reads once.
  Result<PresenceFacts> ReadPresence() override;
  static constexpr int64_t kPresenceReuseMs = 1000;
  // How many presence SELECTs this connection has run.
  uint64_t presence_selects() const { return presence_selects_; }

  // Records a device's heartbeat; returns once SQLite has committed it to the WAL, so
  // it survives the death of any process (not a power loss: synchronous=NORMAL).
  // The device's row (with its activity), the note change and the active minute (with the
  // pruning of old ones) in one transaction; a note whose `until` is not after
  // at_ms is deleted (kKeep), so an expired note does not outlive the next heartbeat.
  Status RecordHeartbeat(const HeartbeatWrite& write) override;

  // The hours from `since_hour_s` on (UTC seconds, a multiple of 3600), oldest first.
  Result<std::vector<ActiveHour>> ReadActiveHours(int64_t since_hour_s) override;

  // The failures recorded for `address` (an AddressKey), zero when none.
  Result<AuthFailures> ReadAuthFailures(std::string_view address) override;
  // Counts one wrong token for `address` at `now_ms`, unless it is locked out, in one
  // transaction: parallel processes cannot count past the limit. Prunes spans that have
  // ended and keeps at most kMaxTrackedAddresses addresses. Returns the failures as they
  // stood before this one: locked out (LockoutRemainingMs > 0) means nothing was counted.
  Result<AuthFailures> CountAuthFailure(std::string_view address, int64_t now_ms) override;

  // False once the file at the path is gone or is another file than the one opened
  // (deleted, or replaced by a rename): the caller should open it again.
  bool StillAtPath() const;

  const std::string& path() const override { return path_; }

 private:
  Store(std::string path, Database db);
  // The statement in `slot`, prepared on first use and kept for the life of the connection
  // (a CGI process prepares only what its one request needs); nullptr if SQLite refused it.
  sqlite3_stmt* Prepared(Statement* slot, const char* sql);
  Status Fail(const char* what);
  Result<PresenceFacts> SelectPresence();
  // Runs `work` (returning a Status) between BEGIN IMMEDIATE and COMMIT, or ROLLBACK if it fails.
  template <typename Work>
  Status InTransaction(const char* what, Work work);
  Status RecordHeartbeatInTransaction(const HeartbeatWrite& write);
  Status WriteNote(const HeartbeatWrite& write);
  Status WriteHistory(const HeartbeatWrite& write);
  Status ForgetActivities();
  Result<AuthFailures> CountAuthFailureInTransaction(std::string_view address, int64_t now_ms);

  std::string path_;
  // Declared before the statements, so destroyed after them: SQLite closes a connection only
  // once its statements are finalized.
  Database db_;
  dev_t device_ = 0;
  ino_t inode_ = 0;
  // The last presence SELECT: the WAL header seen just before it (what it read is at least as
  // new), its facts and when it ran (MonotonicMs).
  WalHeader wal_header_;
  std::optional<WalHeader::Bytes> selected_header_;
  PresenceFacts selected_facts_;
  int64_t selected_at_ms_ = 0;
  uint64_t presence_selects_ = 0;
  Statement read_presence_;
  Statement upsert_device_;
  Statement forget_activities_;
  Statement set_note_;
  Statement clear_note_;
  Statement drop_expired_note_;
  Statement mark_active_minute_;
  Statement prune_active_minutes_;
  Statement read_active_minutes_;
  Statement read_failures_;
  Statement record_failure_;
  Statement prune_failures_;
  Statement cap_failures_;
  Statement begin_;
  Statement commit_;
  Statement rollback_;
};

}  // namespace heartbeat
