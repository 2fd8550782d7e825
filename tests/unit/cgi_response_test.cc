#include "cgi_response.h"

#include <boost/test/unit_test.hpp>

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(cgi_response)

BOOST_AUTO_TEST_CASE(serialized_responses) {
  Response ok;
  ok.AddHeader("Content-Type", "application/json");
  ok.body = "{}";
  BOOST_TEST(SerializeResponse(ok) ==
             "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
  ok.omit_body = true;
  BOOST_TEST(SerializeResponse(ok) ==
             "Status: 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n");
  Response not_modified;
  not_modified.status = 304;
  not_modified.body = "ignored";
  BOOST_TEST(SerializeResponse(not_modified) == "Status: 304 Not Modified\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(responses_append_to_a_reused_buffer) {
  Response ok;
  ok.body = "{}";
  std::string out = "left over";
  out.clear();
  AppendCgiResponse(ok, &out);
  AppendCgiResponse(ok, &out);
  BOOST_TEST(out == SerializeResponse(ok) + SerializeResponse(ok));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
