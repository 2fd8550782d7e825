#include "json_reader.h"

#include <boost/test/unit_test.hpp>
#include <string>

namespace heartbeat {
namespace {

using Kind = JsonValue::Kind;

JsonValue Read(const std::string& text) {
  auto read = ReadJson(text);
  BOOST_REQUIRE_MESSAGE(read.ok(), text + ": " + read.status().message());
  return std::move(read).value();
}

BOOST_AUTO_TEST_SUITE(json_reader)

BOOST_AUTO_TEST_CASE(every_kind_of_value) {
  BOOST_TEST((Read("null").kind == Kind::kNull));
  BOOST_TEST((Read(" true ").kind == Kind::kBoolean));
  BOOST_TEST(Read("true").boolean);
  BOOST_TEST(!Read("false").boolean);
  BOOST_TEST((Read("\"x\"").kind == Kind::kString));
  BOOST_TEST(Read("\"x\"").text == "x");
  for (const char* number : {"0", "-0", "12", "-3.25", "1e5", "1E+5", "2.5e-3", "-0.0e0"}) {
    BOOST_TEST_CONTEXT(number) {
      JsonValue value = Read(number);
      BOOST_TEST((value.kind == Kind::kNumber));
      BOOST_TEST(value.text == number);  // kept as written
    }
  }
  JsonValue array = Read("[1, \"two\", [], {}, null]");
  BOOST_TEST((array.kind == Kind::kArray));
  BOOST_REQUIRE(array.items.size() == 5u);
  BOOST_TEST(array.items[1].text == "two");
  BOOST_TEST((array.items[2].kind == Kind::kArray));
  BOOST_TEST((array.items[3].kind == Kind::kObject));
  JsonValue object = Read(" {\"a\" : {\"b\":[true]}, \"c\":\"d\"}\r\n\t");
  BOOST_TEST((object.kind == Kind::kObject));
  BOOST_REQUIRE(object.members.size() == 2u);
  BOOST_TEST(object.members[0].first == "a");  // in the order written
  BOOST_TEST(object.Find("a")->Find("b")->items[0].boolean);
}

BOOST_AUTO_TEST_CASE(typed_lookups) {
  JsonValue object =
      Read("{\"s\":\"v\",\"n\":-42,\"f\":1.5,\"e\":1e2,\"big\":12345678901234567890}");
  BOOST_REQUIRE(object.Find("s", Kind::kString));
  BOOST_TEST(object.Find("s", Kind::kString)->text == "v");
  BOOST_TEST(!object.Find("s", Kind::kNumber));
  BOOST_TEST(!object.Find("missing"));
  BOOST_TEST(!Read("[\"s\"]").Find("s"));  // not an object
  BOOST_TEST(object.Find("n")->Integer(-100, 100).value() == -42);
  BOOST_TEST(!object.Find("n")->Integer(0, 100));   // out of range
  BOOST_TEST(!object.Find("f")->Integer(0, 100));   // a fraction
  BOOST_TEST(!object.Find("e")->Integer(0, 1000));  // an exponent
  BOOST_TEST(!object.Find("big")->Integer(0, 9'000'000'000'000'000'000));
  BOOST_TEST(!object.Find("s")->Integer(0, 100));  // not a number
}

BOOST_AUTO_TEST_CASE(every_escape_and_surrogate_pairs) {
  BOOST_TEST(Read(R"("\" \\ \/ \b \f \n \r \t")").text == "\" \\ / \b \f \n \r \t");
  BOOST_TEST(Read(R"("\u0041\u00e9\u20AC")").text == "A\xc3\xa9\xe2\x82\xac");
  BOOST_TEST(Read(R"("\ud83d\ude00")").text == "\xf0\x9f\x98\x80");
  BOOST_TEST(Read(R"("\u0000")").text == std::string(1, '\0'));
  BOOST_TEST(Read("\"caf\xc3\xa9 \xf0\x9f\x98\x80\"").text == "caf\xc3\xa9 \xf0\x9f\x98\x80");
}

BOOST_AUTO_TEST_CASE(malformed_text_is_refused_with_where) {
  for (const char* bad : {"",
                          " ",
                          "nul",
                          "tru",
                          "True",
                          "NaN",
                          "Infinity",
                          "-",
                          "+1",
                          "01",
                          "-01",
                          "1.",
                          ".5",
                          "1e",
                          "1e+",
                          "0x10",
                          "[",
                          "[1,]",
                          "[,1]",
                          "[1 2]",
                          "{",
                          "{\"a\"}",
                          "{\"a\":}",
                          "{\"a\":1,}",
                          "{a:1}",
                          "{'a':1}",
                          "{\"a\":1 \"b\":2}",
                          "{1:2}",
                          "'x'",
                          "\"x",
                          "\"\\x\"",
                          "\"\\u12\"",
                          "\"\\u12G4\"",
                          "\"\\ud83d\"",
                          "\"\\ude00\"",
                          "\"\\ud83d\\u0041\"",
                          "\"a\nb\"",
                          "\"\x01\"",
                          "\"\xff\"",
                          "\"\xc0\xaf\"",
                          "\"\xed\xa0\x80\"",
                          "\"\xe2\x82\"",
                          "1 2",
                          "{} junk",
                          "[]]",
                          "\xef\xbb\xbf{}",
                          "/* c */ 1",
                          "{\"a\":1,\"a\":2}"}) {
    BOOST_TEST_CONTEXT(bad) {
      auto read = ReadJson(bad);
      BOOST_TEST(!read.ok());
      if (!read.ok()) {
        BOOST_TEST((read.status().code() == Status::Code::kInvalid));
        BOOST_TEST(read.status().message().find(" at byte ") != std::string::npos);
      }
    }
  }
  BOOST_TEST(ReadJson(std::string("[1]\0", 4)).status().message() ==
             "not JSON: text after the value at byte 3");
}

BOOST_AUTO_TEST_CASE(limits_on_depth_and_size) {
  JsonLimits limits;
  limits.max_depth = 3;
  BOOST_TEST(ReadJson("[[[1]]]", limits).ok());
  BOOST_TEST(!ReadJson("[[[[1]]]]", limits).ok());
  BOOST_TEST(!ReadJson("{\"a\":{\"b\":{\"c\":{}}}}", limits).ok());
  // The default depth holds against a flood of brackets (no stack overflow).
  BOOST_TEST(!ReadJson(std::string(100000, '[')).ok());
  BOOST_TEST(ReadJson(std::string(32, '[') + std::string(32, ']')).ok());
  BOOST_TEST(!ReadJson(std::string(33, '[') + std::string(33, ']')).ok());
  limits.max_bytes = 8;
  BOOST_TEST(ReadJson("\"123456\"", limits).ok());
  BOOST_TEST(ReadJson("\"1234567\"", limits).status().message().find("larger than 8 bytes") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(written_text_reads_back_the_same) {
  for (const char* text : {"null", "[true,false,-1.5e3]", "{\"a\":[{}],\"<b>\":\"\\u2028&\\n\"}",
                           "\"\\u0000\\u001f\\ud83d\\ude00\""}) {
    BOOST_TEST_CONTEXT(text) {
      JsonValue value = Read(text);
      BOOST_TEST((Read(WriteJson(value)) == value));
    }
  }
  BOOST_TEST(WriteJson(Read(" { \"a\" : [ 1 , null ] } ")) == "{\"a\":[1,null]}");
  BOOST_TEST((Read("[1]") != Read("[2]")));
  BOOST_TEST((Read("{\"a\":1}") != Read("{\"b\":1}")));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
