#include "text_field.h"

#include <cstdint>
#include <string>

#include "test_support.h"

namespace heartbeat {
namespace {

BOOST_AUTO_TEST_SUITE(text_field)

BOOST_AUTO_TEST_CASE(counts_code_points_of_valid_utf8_only) {
  // Each text is exactly as long as its limit: one code point less refuses it.
  const std::pair<const char*, size_t> good[] = {
      {"abc", 3},
      {"\xc3\xa9t\xc3\xa9", 3},  // été
      {"\xe2\x82\xac", 1},       // €
      {"\xf0\x9f\x8f\x96", 1},   // U+1F3D6
      {"\xf4\x8f\xbf\xbd", 1},   // U+10FFFD, the last that is not a noncharacter
  };
  for (const auto& [text, length] : good) {
    BOOST_TEST_CONTEXT(text) {
      auto cleaned = CleanTextField(text, length, "t");
      BOOST_TEST((cleaned.ok() && cleaned.value() == text));
      BOOST_TEST(!CleanTextField(text, length - 1, "t").ok());
    }
  }
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
    BOOST_TEST_CONTEXT(text) {
      BOOST_TEST(CleanTextField(text, 100, "t").status().message() == "t is not valid UTF-8");
    }
  }
}

BOOST_AUTO_TEST_CASE(clean_trims_white_space_and_counts_what_is_left) {
  BOOST_TEST(CleanTextField("  hi  ", 2, "t").value() == "hi");
  BOOST_TEST(CleanTextField("\xe3\x80\x80h i\xc2\xa0", 3, "t").value() == "h i");  // U+3000, U+00A0
  BOOST_TEST(CleanTextField("a  b", 4, "t").value() == "a  b");  // inner spaces stay
  BOOST_TEST(CleanTextField(" \xe2\x82\xac\xe2\x82\xac ", 2, "t").value() ==
             "\xe2\x82\xac\xe2\x82\xac");
  BOOST_TEST(CleanTextField("abc", 2, "t").status().message() == "t is longer than 2 characters");
  BOOST_TEST(CleanTextField("   ", 2, "t").status().message() == "t is empty");
  BOOST_TEST(CleanTextField("", 2, "t").status().message() == "t is empty");
  BOOST_TEST(CleanTextField("a\tb", 9, "t").status().message() == "t holds a control character");
  BOOST_TEST(CleanTextField(" \r", 9, "t").status().message() == "t holds a control character");
  BOOST_TEST(CleanTextField("a\xc2\x9b", 9, "t").status().message() ==
             "t holds a control character");
  BOOST_TEST(CleanTextField("a\xff", 9, "t").status().message() == "t is not valid UTF-8");
  // Markup characters are text like any other: escaping is the writer's job.
  BOOST_TEST(CleanTextField("<b>&amp;</b>", 12, "t").value() == "<b>&amp;</b>");
}

std::string Utf8(uint32_t c) {
  std::string out;
  if (c < 0x80) {
    out += static_cast<char>(c);
  } else if (c < 0x800) {
    out += static_cast<char>(0xC0 | (c >> 6));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (c >> 18));
    out += static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

// What the rule refuses wherever a code point stands, written from the rule's words.
bool RefusedAnywhere(uint32_t c) {
  bool control = c <= 0x1F || (c >= 0x7F && c <= 0x9F);
  bool noncharacter =
      (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFF) == 0xFFFE || (c & 0xFFFF) == 0xFFFF;
  bool bidi = (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
  return control || noncharacter || bidi;
}

// XML 1.0's Char production: what an SVG may hold.
bool IsXmlChar(uint32_t c) {
  return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) ||
         (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);
}

BOOST_AUTO_TEST_CASE(every_code_point_between_visible_ones_follows_the_rule) {
  size_t accepted = 0;
  for (uint32_t c = 0; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;  // not encodable in valid UTF-8
    std::string text = "a" + Utf8(c) + "b";
    auto cleaned = CleanTextField(text, 3, "t");
    if (cleaned.ok() == RefusedAnywhere(c)) {
      BOOST_ERROR("U+" << std::hex << c << (cleaned.ok() ? " accepted" : " refused"));
      continue;
    }
    if (!cleaned.ok()) continue;
    ++accepted;
    // Whatever is accepted can stand in an XML document as it is (after escaping & < > " ').
    if (!IsXmlChar(c)) BOOST_ERROR("U+" << std::hex << c << " is no XML character");
    if (cleaned.value() != text) BOOST_ERROR("U+" << std::hex << c << " changed the text");
  }
  BOOST_TEST(accepted > 1000000u);
}

BOOST_AUTO_TEST_CASE(a_text_needs_a_visible_character) {
  // Each alone, and several together: nothing a visitor could see.
  const uint32_t invisible[] = {0x200B, 0x200C, 0x200D, 0x2060,  0xFEFF, 0x00AD,
                                0x034F, 0x180E, 0xFE0F, 0xE0041, 0x3164, 0x2800};
  std::string all;
  for (uint32_t c : invisible) {
    BOOST_TEST_CONTEXT(std::hex << c) {
      BOOST_TEST(CleanTextField(Utf8(c), 9, "t").status().message() ==
                 "t has no visible character");
      BOOST_TEST(CleanTextField(" " + Utf8(c) + " ", 9, "t").ok() == false);
      BOOST_TEST(CleanTextField(Utf8(c) + "x", 9, "t").ok());  // beside a visible one: fine
    }
    all += Utf8(c);
  }
  BOOST_TEST(!CleanTextField(all, 140, "t").ok());
  // Bidirectional controls and noncharacters are named.
  BOOST_TEST(CleanTextField("a\xe2\x80\xae"
                            "b",
                            9, "t")
                 .status()
                 .message() == "t holds a bidirectional control");
  BOOST_TEST(CleanTextField("a\xef\xbf\xbe"
                            "b",
                            9, "t")
                 .status()
                 .message() == "t holds a noncharacter");
  // Length is counted in code points: 140 four-byte ones are 140.
  std::string long_text;
  for (int i = 0; i < 140; ++i) long_text += Utf8(0x1F3D6);
  BOOST_TEST(CleanTextField(long_text, 140, "t").ok());
  BOOST_TEST(!CleanTextField(long_text + Utf8(0x1F3D6), 140, "t").ok());
}

BOOST_AUTO_TEST_CASE(terminal_text_keeps_no_control_bidi_or_stray_byte) {
  BOOST_TEST(TerminalText("caf\xc3\xa9 \xe2\x82\xac <ok>") == "caf\xc3\xa9 \xe2\x82\xac <ok>");
  BOOST_TEST(TerminalText("\x1b]0;PWNED\x07\x1b[2J") == "?]0;PWNED??[2J");
  BOOST_TEST(TerminalText("a\xc2\x9b"
                          "31m") == "a?31m");  // C1 CSI as UTF-8
  BOOST_TEST(TerminalText("a\x9b"
                          "31m") == "a?31m");  // ... and as a lone byte
  BOOST_TEST(TerminalText("a\xe2\x80\xae"
                          "b") == "a?b");                          // U+202E
  BOOST_TEST(TerminalText("\xe2\x81\xa6x\xe2\x81\xa9") == "?x?");  // U+2066, U+2069
  BOOST_TEST(TerminalText("\xed\xa0\x80") == "???");               // a surrogate: three bytes
  // Over every code point: what remains holds no C0, DEL, C1 or bidi control.
  for (uint32_t c = 0; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    bool unsafe = c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
                  (c >= 0x2066 && c <= 0x2069);
    std::string out = TerminalText(Utf8(c));
    if ((out == "?") != unsafe && c != '?') BOOST_ERROR("U+" << std::hex << c);
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat
