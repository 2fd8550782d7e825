#include "presence_reads.h"

#include <boost/test/unit_test.hpp>

#include "test_support.h"

namespace heartbeat {
namespace {

using testing::OpenedStore;
using testing::RecordBeat;

BOOST_AUTO_TEST_SUITE(presence_reads)

BOOST_AUTO_TEST_CASE(requests_that_arrived_together_share_one_read) {
  testing::TempDir dir;
  auto reader = OpenedStore(dir.File("hb.db"));
  auto writer = OpenedStore(dir.File("hb.db"));  // another process: heartbeat.fcgi
  Store& r = *reader;
  Store& w = *writer;
  PresenceReads reads;
  auto newest_active = [&reads](Store& store) {
    return reads.Read(store).value().newest_active_ms.value_or(-1);
  };
  // Before the first batch (CGI, tests) every read is a read of its own.
  BOOST_TEST(newest_active(r) == -1);
  BOOST_REQUIRE(RecordBeat(w, "a", DeviceState::kActive, 1000).ok());
  BOOST_TEST(newest_active(r) == 1000);

  reads.StartBatch();
  BOOST_TEST(newest_active(r) == 1000);
  BOOST_REQUIRE(RecordBeat(w, "a", DeviceState::kActive, 2000).ok());
  // The same batch: the read made for it stands (those requests were waiting before the write).
  BOOST_TEST(newest_active(r) == 1000);
  reads.StartBatch();
  BOOST_TEST(newest_active(r) == 2000);
}

BOOST_AUTO_TEST_CASE(another_database_in_the_same_batch_is_read_on_its_own) {
  testing::TempDir dir;
  auto first = OpenedStore(dir.File("first.db"));
  auto second = OpenedStore(dir.File("second.db"));
  BOOST_REQUIRE(RecordBeat(*first, "a", DeviceState::kActive, 1000).ok());
  BOOST_REQUIRE(RecordBeat(*second, "a", DeviceState::kActive, 5000).ok());
  PresenceReads reads;
  reads.StartBatch();
  BOOST_TEST(reads.Read(*first).value().newest_active_ms.value_or(-1) == 1000);
  BOOST_TEST(reads.Read(*second).value().newest_active_ms.value_or(-1) == 5000);
  BOOST_TEST(reads.Read(*first).value().newest_active_ms.value_or(-1) == 1000);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
