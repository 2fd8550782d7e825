#include "query.h"

#include <boost/test/unit_test.hpp>

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(query)

BOOST_AUTO_TEST_CASE(query_parameters) {
  auto format = QueryParameter("a=1&format=svg&format=json", "format");
  BOOST_REQUIRE(format.ok());
  BOOST_TEST(*format.value() == "svg");
  BOOST_TEST(*QueryParameter("form%61t=shi%65lds", "format").value() == "shields");
  BOOST_TEST(*QueryParameter("format=a+b%20c", "format").value() == "a b c");
  BOOST_TEST(*QueryParameter("format", "format").value() == "");
  BOOST_TEST(!QueryParameter("x=1&&y", "format").value().has_value());
  BOOST_TEST(!QueryParameter("", "format").value().has_value());
  for (const char* bad : {"format=%", "format=%4", "format=%zz", "x=%g0&format=json"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!QueryParameter(bad, "format").ok()); }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
