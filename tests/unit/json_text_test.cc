#include "json_text.h"

#include <boost/test/unit_test.hpp>

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(json_text)

BOOST_AUTO_TEST_CASE(json_strings_are_escaped) {
  BOOST_TEST(JsonString("a\"b\\c\n\x01") == "\"a\\\"b\\\\c\\n\\u0001\"");
}

BOOST_AUTO_TEST_CASE(json_strings_hold_no_markup_and_no_script_line_end) {
  BOOST_TEST(JsonString("</script><b a='1'>&amp;") ==
             "\"\\u003c/script\\u003e\\u003cb a='1'\\u003e\\u0026amp;\"");
  BOOST_TEST(JsonString("a\xe2\x80\xa8"
                        "b\xe2\x80\xa9"
                        "c") == "\"a\\u2028b\\u2029c\"");
  BOOST_TEST(JsonString("\x7f\x1f") == "\"\\u007f\\u001f\"");
  // Other non-ASCII text stays UTF-8; a cut-off sequence is not read past the end.
  BOOST_TEST(JsonString("\xe2\x82\xac") == "\"\xe2\x82\xac\"");
  BOOST_TEST(JsonString("\xe2\x80") == "\"\xe2\x80\"");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
