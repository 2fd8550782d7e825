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

BOOST_AUTO_TEST_CASE(headers_are_kept_and_written_in_the_order_added) {
  Response response;
  response.status = 503;
  response.AddHeader("Vary", "Origin");
  response.AddHeader("Retry-After", "30");
  response.AddHeader("Vary", "Accept");
  response.AddHeader("X-Empty", "");
  BOOST_TEST(response.header_lines() ==
             "Vary: Origin\r\nRetry-After: 30\r\nVary: Accept\r\nX-Empty: \r\n");
  // The first of a name; a name that is only the start of another is not it.
  BOOST_TEST(response.FindHeader("Vary").value() == "Origin");
  BOOST_TEST(response.FindHeader("X-Empty").value() == "");
  BOOST_TEST(!response.FindHeader("Retry"));
  BOOST_TEST(!response.FindHeader("Retry-After: 30"));
  const auto headers = response.Headers();
  BOOST_TEST_REQUIRE(headers.size() == 4u);
  BOOST_TEST(headers[2].first == "Vary");
  BOOST_TEST(headers[2].second == "Accept");
  BOOST_TEST(SerializeResponse(response) == "Status: 503 Service Unavailable\r\n" +
                                                response.header_lines() +
                                                "Content-Length: 0\r\n\r\n");
  BOOST_TEST(Response().Headers().empty());
}

BOOST_AUTO_TEST_CASE(a_long_body_is_written_whole_after_its_length) {
  Response response;
  response.body.assign(100000, 'x');
  std::string out = "kept";
  AppendCgiResponse(response, &out);
  BOOST_TEST(out == "keptStatus: 200 OK\r\nContent-Length: 100000\r\n\r\n" + response.body);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
