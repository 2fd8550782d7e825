#include "listen_socket.h"

#include <boost/test/unit_test.hpp>

#include "key_value.h"
#include "test_support.h"

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(listen_socket)

BOOST_AUTO_TEST_CASE(listen_addresses) {
  auto unix_socket = ParseListenAddress("/run/heartbeat/status.sock");
  BOOST_REQUIRE(unix_socket.ok());
  BOOST_TEST(unix_socket->is_unix);
  auto tcp = ParseListenAddress("127.0.0.1:9000");
  BOOST_REQUIRE(tcp.ok());
  BOOST_TEST(!tcp->is_unix);
  BOOST_TEST(tcp->host == "127.0.0.1");
  BOOST_TEST(tcp->port == 9000);
  BOOST_TEST(ParseListenAddress(":9000").ok());
  for (const char* bad :
       {"9000", "localhost:9000", "127.0.0.1:0", "127.0.0.1:65536", "127.0.0.1:x"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!ParseListenAddress(bad).ok()); }
  }
}

BOOST_AUTO_TEST_CASE(listen_socket_never_replaces_a_regular_file) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("heartbeat.db"), "precious");
  auto address = ParseListenAddress(dir.File("heartbeat.db"));
  BOOST_REQUIRE(address.ok());
  BOOST_TEST(!OpenListenSocket(address.value()).ok());
  BOOST_TEST(ReadWholeFile(dir.File("heartbeat.db")).value() == "precious");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
