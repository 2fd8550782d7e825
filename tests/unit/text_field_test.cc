#include "text_field.h"

#include "test_support.h"

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(text_field)

BOOST_AUTO_TEST_CASE(code_points_of_valid_utf8_only) {
  BOOST_TEST(CountCodePoints("") == 0u);
  BOOST_TEST(CountCodePoints("abc") == 3u);
  BOOST_TEST(CountCodePoints("\xc3\xa9t\xc3\xa9") == 3u);        // été
  BOOST_TEST(CountCodePoints("\xe2\x82\xac") == 1u);             // €
  BOOST_TEST(CountCodePoints("\xf0\x9f\x8f\x96") == 1u);         // U+1F3D6
  BOOST_TEST(CountCodePoints("\xf4\x8f\xbf\xbf") == 1u);         // U+10FFFF
  const char* const bad[] = {
      "\x80",              // a lone continuation byte
      "\xc3",              // cut short
      "\xc0\xaf",          // overlong '/'
      "\xe0\x80\xaf",      // overlong, three bytes
      "\xed\xa0\x80",      // a surrogate
      "\xf4\x90\x80\x80",  // past U+10FFFF
      "\xff",
      "a\xe2\x82",
  };
  for (const char* text : bad) {
    BOOST_TEST_CONTEXT(text) { BOOST_TEST(CountCodePoints(text) == std::string_view::npos); }
  }
}

BOOST_AUTO_TEST_CASE(clean_trims_white_space_and_counts_what_is_left) {
  BOOST_TEST(CleanTextField("  hi  ", 2, "t").value() == "hi");
  BOOST_TEST(CleanTextField("\xe3\x80\x80h i\xc2\xa0", 3, "t").value() == "h i");  // U+3000, U+00A0
  BOOST_TEST(CleanTextField("a  b", 4, "t").value() == "a  b");  // inner spaces stay
  BOOST_TEST(CleanTextField(" \xe2\x82\xac\xe2\x82\xac ", 2, "t").value() == "\xe2\x82\xac\xe2\x82\xac");
  BOOST_TEST(CleanTextField("abc", 2, "t").status().message() == "t is longer than 2 characters");
  BOOST_TEST(CleanTextField("   ", 2, "t").status().message() == "t is empty");
  BOOST_TEST(CleanTextField("", 2, "t").status().message() == "t is empty");
  BOOST_TEST(CleanTextField("a\tb", 9, "t").status().message() == "t holds a control character");
  BOOST_TEST(CleanTextField(" \r", 9, "t").status().message() == "t holds a control character");
  BOOST_TEST(CleanTextField("a\xc2\x9b", 9, "t").status().message() == "t holds a control character");
  BOOST_TEST(CleanTextField("a\xff", 9, "t").status().message() == "t is not valid UTF-8");
  // Markup characters are text like any other: escaping is the writer's job.
  BOOST_TEST(CleanTextField("<b>&amp;</b>", 12, "t").value() == "<b>&amp;</b>");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
