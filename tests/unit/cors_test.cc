#include "cors.h"

#include <boost/test/unit_test.hpp>

#include "test_support.h"

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(cors)

BOOST_AUTO_TEST_CASE(cors_any_origin_or_a_list) {
  Response any;
  AddCorsHeaders({}, "https://x.example", &any);
  BOOST_TEST(testing::Header(any, "Access-Control-Allow-Origin") == "*");
  BOOST_TEST(!any.FindHeader("Vary"));

  std::vector<std::string> list = {"https://a.example", "https://b.example"};
  Response listed, other, none;
  AddCorsHeaders(list, "https://b.example", &listed);
  AddCorsHeaders(list, "https://evil.example", &other);
  AddCorsHeaders(list, "", &none);
  BOOST_TEST(testing::Header(listed, "Access-Control-Allow-Origin") == "https://b.example");
  BOOST_TEST(testing::Header(listed, "Vary") == "Origin");
  BOOST_TEST(!other.FindHeader("Access-Control-Allow-Origin"));
  BOOST_TEST(testing::Header(other, "Vary") == "Origin");
  BOOST_TEST(!none.FindHeader("Access-Control-Allow-Origin"));
  BOOST_TEST(testing::Header(none, "Vary") == "Origin");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
