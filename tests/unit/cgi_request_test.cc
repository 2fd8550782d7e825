#include "cgi_request.h"

#include <boost/test/unit_test.hpp>

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(cgi_request)

BOOST_AUTO_TEST_CASE(requests_from_cgi_variables) {
  std::vector<std::string> texts = {"REQUEST_METHOD=POST",
                                    "HTTP_AUTHORIZATION=Bearer a=b",
                                    "NOEQUALS",
                                    "CONTENT_LENGTH=12",
                                    "QUERY_STRING=format=badge",
                                    "REQUEST_METHOD=GET",
                                    "HTTP_ORIGIN=",
                                    "REQUEST_METHODX=PUT",
                                    "HEARTBEAT_CONFIG=/etc/heartbeat.conf",
                                    "PATH_INFO=/badge.svg",
                                    "REMOTE_ADDR=192.0.2.1",
                                    "CONTENT_TYPE=application/json",
                                    "HTTP_IF_NONE_MATCH=\"x\""};
  std::vector<char*> variables;
  for (auto& text : texts) variables.push_back(text.data());
  variables.push_back(nullptr);
  Request request = RequestFromVariables(variables.data());
  BOOST_TEST(request.method == "POST");               // the first of a name given twice, as getenv
  BOOST_TEST(request.authorization == "Bearer a=b");  // split at the first '='
  BOOST_TEST(request.content_length == 12);
  BOOST_TEST(request.query == "format=badge");
  BOOST_TEST(request.origin == "");
  BOOST_TEST(request.config_param == "/etc/heartbeat.conf");
  BOOST_TEST(request.path_info == "/badge.svg");
  BOOST_TEST(request.remote_addr == "192.0.2.1");
  BOOST_TEST(request.content_type == "application/json");
  BOOST_TEST(request.if_none_match == "\"x\"");

  char* none[] = {nullptr};
  Request empty = RequestFromVariables(none);
  BOOST_TEST(empty.method == "");
  BOOST_TEST(empty.content_length == -1);
  std::string bad = "CONTENT_LENGTH=12abc";
  char* bad_length[] = {bad.data(), nullptr};
  BOOST_TEST(RequestFromVariables(bad_length).content_length == -2);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
