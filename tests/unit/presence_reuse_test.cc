// The presence read given again while the file shows no commit (store.h, wal_header.h): never
// a heartbeat missed that another connection or process has committed.
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <optional>

#include "store.h"
#include "test_support.h"
#include "wal_header.h"

namespace heartbeat {
namespace {

using testing::OpenedStore;
using testing::RecordBeat;

// The newest active heartbeat `store` reads now.
int64_t NewestActive(Store& store) {
  auto facts = store.ReadPresence();
  BOOST_REQUIRE(facts.ok());
  return facts.value().newest_active_ms.value_or(-1);
}

BOOST_AUTO_TEST_SUITE(presence_reuse)

BOOST_AUTO_TEST_CASE(an_unchanged_file_is_read_without_a_select) {
  testing::TempDir dir;
  auto reader = OpenedStore(dir.File("hb.db"));
  Store& r = *reader;
  BOOST_REQUIRE(RecordBeat(r, "mac", DeviceState::kActive, 1000).ok());
  // The first read looks at no header (a CGI process reads once); the second notes it.
  BOOST_TEST(NewestActive(r) == 1000);
  BOOST_TEST(NewestActive(r) == 1000);
  BOOST_TEST(r.presence_selects() == 2u);
  const uint64_t selects = r.presence_selects();
  for (int i = 0; i < 50; ++i) BOOST_TEST(NewestActive(r) == 1000);
  BOOST_TEST(r.presence_selects() == selects);
}

BOOST_AUTO_TEST_CASE(every_commit_of_another_connection_is_seen_by_the_next_read) {
  testing::TempDir dir;
  auto reader = OpenedStore(dir.File("hb.db"));
  auto writer = OpenedStore(dir.File("hb.db"));
  for (int64_t at = 1; at <= 300; ++at) {
    BOOST_REQUIRE(RecordBeat(*writer, "mac", DeviceState::kActive, at * 1000).ok());
    BOOST_TEST(NewestActive(*reader) == at * 1000);
    BOOST_TEST(NewestActive(*reader) == at * 1000);  // again: no commit between
  }
  // The reader's own commit too.
  BOOST_REQUIRE(RecordBeat(*reader, "mac", DeviceState::kActive, 999'000).ok());
  BOOST_TEST(NewestActive(*reader) == 999'000);
  // One SELECT per commit (and the first read's), not one per read.
  BOOST_TEST(reader->presence_selects() <= 303u);
}

// Another process commits and then says so, as heartbeat.fcgi answers 200 after its commit;
// the reader, told, reads at once. Past WAL checkpoints and restarts (about 1,500 commits of a
// few pages each fill the 1,000-page WAL more than once).
BOOST_AUTO_TEST_CASE(a_commit_another_process_acknowledged_is_never_missed) {
  testing::TempDir dir;
  OpenedStore(dir.File("hb.db"));  // made before the writer forks
  constexpr int kBeats = 1500;
  int committed[2], read_back[2];
  BOOST_REQUIRE(pipe(committed) == 0);
  BOOST_REQUIRE(pipe(read_back) == 0);
  const pid_t child = fork();
  BOOST_REQUIRE(child >= 0);
  if (child == 0) {
    auto writer = Store::Open(dir.File("hb.db"));  // no Boost.Test in the child
    bool ok = writer.ok();
    for (int32_t at = 1; ok && at <= kBeats; ++at) {
      ok = RecordBeat(*writer.value(), "mac", DeviceState::kActive, at).ok() &&
           write(committed[1], &at, sizeof at) == sizeof at &&
           read(read_back[0], &at, sizeof at) == sizeof at;
    }
    _exit(ok ? 0 : 1);
  }
  close(committed[1]);
  close(read_back[0]);
  auto reader = OpenedStore(dir.File("hb.db"));
  WalHeader header(dir.File("hb.db-shm"));
  int missed = 0, restarts = 0;
  std::optional<WalHeader::Bytes> last;
  int32_t at = 0;
  while (read(committed[0], &at, sizeof at) == sizeof at) {
    if (NewestActive(*reader) != at) ++missed;
    // A restarted WAL has new salts (bytes 32 to 39 of the header).
    auto now = header.Now();
    if (last && now && !std::equal(now->begin() + 32, now->begin() + 40, last->begin() + 32))
      ++restarts;
    if (now) last = now;
    BOOST_REQUIRE(write(read_back[1], &at, sizeof at) == sizeof at);
  }
  close(committed[0]);
  close(read_back[1]);
  int status = 0;
  BOOST_TEST(waitpid(child, &status, 0) == child);
  BOOST_TEST((WIFEXITED(status) && WEXITSTATUS(status) == 0));
  BOOST_TEST(at == kBeats);
  BOOST_TEST(missed == 0);
  BOOST_TEST(restarts > 0);
  BOOST_TEST(reader->presence_selects() >= static_cast<uint64_t>(kBeats));
}

BOOST_AUTO_TEST_CASE(a_reused_read_is_at_most_a_second_old) {
  testing::TempDir dir;
  auto store = OpenedStore(dir.File("hb.db"));
  BOOST_REQUIRE(RecordBeat(*store, "mac", DeviceState::kActive, 1000).ok());
  NewestActive(*store);
  NewestActive(*store);
  const uint64_t selects = store->presence_selects();
  NewestActive(*store);
  BOOST_TEST(store->presence_selects() == selects);  // reused, still within the second
  timespec pause{1, 50'000'000};
  nanosleep(&pause, nullptr);
  NewestActive(*store);
  BOOST_TEST(store->presence_selects() == selects + 1);
}

BOOST_AUTO_TEST_CASE(a_wal_header_is_told_only_when_whole_and_of_its_version) {
  testing::TempDir dir;
  BOOST_TEST(!WalHeader(dir.File("none-shm")).Now());
  BOOST_TEST(!WalHeader().Now());

  auto store = OpenedStore(dir.File("hb.db"));
  BOOST_REQUIRE(RecordBeat(*store, "mac", DeviceState::kActive, 1000).ok());
  WalHeader real(dir.File("hb.db-shm"));
  const auto before = real.Now();
  BOOST_REQUIRE(before.has_value());
  BOOST_TEST((real.Now() == before));
  BOOST_REQUIRE(RecordBeat(*store, "mac", DeviceState::kActive, 2000).ok());
  BOOST_TEST((real.Now() != before));

  // A copy of the real header, then spoiled one way at a time.
  std::string bytes(96, '\0');
  {
    std::ifstream shm(dir.File("hb.db-shm"), std::ios::binary);
    shm.read(bytes.data(), 96);
  }
  auto told = [&](const std::string& content) {
    std::ofstream(dir.File("fake-shm"), std::ios::binary | std::ios::trunc) << content;
    return WalHeader(dir.File("fake-shm")).Now().has_value();
  };
  BOOST_TEST(told(bytes));
  BOOST_TEST(!told(bytes.substr(0, 95)));  // short
  std::string torn = bytes;
  torn[8] ^= 1;  // the first copy's change counter, the second copy not yet
  BOOST_TEST(!told(torn));
  std::string other_version = bytes;
  other_version[0] ^= 1;
  other_version[48] ^= 1;
  BOOST_TEST(!told(other_version));
  std::string not_initialised = bytes;
  not_initialised[12] = not_initialised[60] = 0;
  BOOST_TEST(!told(not_initialised));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
