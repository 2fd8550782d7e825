#include "text_field.h"

#include <cstdint>

#include "utf8.h"

namespace heartbeat {
namespace {

bool IsControl(uint32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// U+FDD0–U+FDEF and the last two code points of every plane: never text, and U+FFFE/U+FFFF
// are not XML characters (an SVG holding one is not well-formed).
bool IsNoncharacter(uint32_t c) { return (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE; }

// Embeddings, overrides and isolates: they reorder the text around them on the page (a note
// that reads backwards, a label that flips the badge's other text).
bool IsBidiControl(uint32_t c) {
  return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

// Code points that draw nothing (Unicode's Default_Ignorable_Code_Point, and the blank
// fillers): a text of only these would look empty.
bool IsInvisible(uint32_t c) {
  return c == 0x00AD || c == 0x034F || c == 0x061C || c == 0x115F || c == 0x1160 || c == 0x17B4 ||
         c == 0x17B5 || (c >= 0x180B && c <= 0x180F) || (c >= 0x200B && c <= 0x200F) ||
         (c >= 0x2060 && c <= 0x206F) || c == 0x2800 || c == 0x3164 ||
         (c >= 0xFE00 && c <= 0xFE0F) || c == 0xFEFF || c == 0xFFA0 ||
         (c >= 0xFFF0 && c <= 0xFFF8) || (c >= 0x1BCA0 && c <= 0x1BCA3) ||
         (c >= 0x1D173 && c <= 0x1D17A) || (c >= 0xE0000 && c <= 0xE0FFF);
}

// Unicode White_Space, without the control characters (refused before trimming).
bool IsWhiteSpace(uint32_t c) {
  return c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

}  // namespace

Result<std::string> CleanTextField(std::string_view text, size_t max_code_points,
                                   std::string_view what) {
  // One pass: the byte range from the first to the end of the last non-space code point.
  size_t begin = std::string_view::npos;
  size_t end = 0;
  size_t count = 0;         // code points from `begin` to the current position
  size_t count_at_end = 0;  // code points from `begin` to `end`
  bool visible = false;
  uint32_t c;
  for (size_t pos = 0; pos < text.size();) {
    size_t start = pos;
    if (!NextCodePoint(text, &pos, &c)) {
      return Status::Invalid(std::string(what) + " is not valid UTF-8");
    }
    if (IsControl(c)) return Status::Invalid(std::string(what) + " holds a control character");
    if (IsNoncharacter(c)) return Status::Invalid(std::string(what) + " holds a noncharacter");
    if (IsBidiControl(c)) {
      return Status::Invalid(std::string(what) + " holds a bidirectional control");
    }
    if (!IsWhiteSpace(c) && !IsInvisible(c)) visible = true;
    if (begin == std::string_view::npos) {
      if (IsWhiteSpace(c)) continue;
      begin = start;
    }
    ++count;
    if (!IsWhiteSpace(c)) {
      end = pos;
      count_at_end = count;
    }
  }
  if (begin == std::string_view::npos) return Status::Invalid(std::string(what) + " is empty");
  if (!visible) return Status::Invalid(std::string(what) + " has no visible character");
  if (count_at_end > max_code_points) {
    return Status::Invalid(std::string(what) + " is longer than " +
                           std::to_string(max_code_points) + " characters");
  }
  return std::string(text.substr(begin, end - begin));
}

std::string TerminalText(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  uint32_t c;
  for (size_t pos = 0; pos < text.size();) {
    size_t start = pos;
    if (!NextCodePoint(text, &pos, &c)) {
      out += '?';
      pos = start + 1;
    } else if (IsControl(c) || IsBidiControl(c)) {
      out += '?';
    } else {
      out.append(text, start, pos - start);
    }
  }
  return out;
}

}  // namespace heartbeat
