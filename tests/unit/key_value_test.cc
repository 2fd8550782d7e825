#include "key_value.h"

#include "test_support.h"

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(key_value)

BOOST_AUTO_TEST_CASE(parses_keys_values_comments_and_blanks) {
  auto lines =
      ParseKeyValueText("# comment\n\n  a = 1\nb_2=two words  \r\n  # x = y\nc =\n", "t.conf");
  BOOST_REQUIRE(lines.ok());
  BOOST_REQUIRE_EQUAL(lines->size(), 3u);
  BOOST_TEST(lines.value()[0].key == "a");
  BOOST_TEST(lines.value()[0].value == "1");
  BOOST_TEST(lines.value()[0].line == 3);
  BOOST_TEST(lines.value()[1].key == "b_2");
  BOOST_TEST(lines.value()[1].value == "two words");
  BOOST_TEST(lines.value()[2].key == "c");
  BOOST_TEST(lines.value()[2].value == "");
}

BOOST_AUTO_TEST_CASE(rejects_malformed_lines_naming_source_and_line) {
  struct Case {
    const char* text;
    const char* expected;
  } const cases[] = {
      {"a = 1\nno equals sign\n", "t.conf line 2: expected `key = value`"},
      {" = value\n", "t.conf line 1: missing key"},
      {"Bad-Key = 1\n", "t.conf line 1: malformed key 'Bad-Key'"},
      {"a = 1\na = 2\n", "t.conf line 2: key 'a' repeats line 1"},
  };
  for (const Case& c : cases) {
    auto lines = ParseKeyValueText(c.text, "t.conf");
    BOOST_TEST_CONTEXT(c.text) {
      BOOST_TEST(!lines.ok());
      BOOST_TEST(lines.status().message() == c.expected);
    }
  }
  auto with_nul = ParseKeyValueText(std::string_view("a = 1\0", 6), "t.conf");
  BOOST_TEST(!with_nul.ok());
  BOOST_TEST(with_nul.status().message() == "t.conf line 1: contains a NUL byte");
}

BOOST_AUTO_TEST_CASE(parses_whole_numbers_in_range_only) {
  long long out = -1;
  BOOST_TEST(ParseIntInRange("180", 1, 86400, &out));
  BOOST_TEST(out == 180);
  BOOST_TEST(ParseIntInRange("1", 1, 86400, &out));
  BOOST_TEST(ParseIntInRange("86400", 1, 86400, &out));
  for (const char* bad :
       {"0", "86401", "-1", "+5", " 5", "5s", "", "1e3", "999999999999999999999"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!ParseIntInRange(bad, 1, 86400, &out)); }
  }
}

BOOST_AUTO_TEST_CASE(reads_whole_files_and_tells_missing_from_unreadable) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("f"), "hello\n");
  auto text = ReadWholeFile(dir.File("f"));
  BOOST_REQUIRE(text.ok());
  BOOST_TEST(text.value() == "hello\n");
  BOOST_TEST(ReadWholeFile(dir.File("missing")).status().code() == Status::Code::kNotFound);
  BOOST_TEST(ReadWholeFile(dir.path()).status().code() == Status::Code::kUnavailable);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
