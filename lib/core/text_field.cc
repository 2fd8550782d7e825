#include "text_field.h"

#include <cstdint>

namespace heartbeat {
namespace {

constexpr size_t kNotUtf8 = std::string_view::npos;

// Decodes the code point at `*pos` and moves past it; false on a malformed sequence.
bool NextCodePoint(std::string_view text, size_t* pos, uint32_t* out) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  unsigned char lead = byte(*pos);
  size_t length;
  uint32_t value;
  uint32_t minimum;
  if (lead < 0x80) {
    *out = lead;
    *pos += 1;
    return true;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2, value = lead & 0x1F, minimum = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3, value = lead & 0x0F, minimum = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4, value = lead & 0x07, minimum = 0x10000;
  } else {
    return false;
  }
  if (text.size() - *pos < length) return false;
  for (size_t i = 1; i < length; ++i) {
    unsigned char next = byte(*pos + i);
    if ((next & 0xC0) != 0x80) return false;
    value = (value << 6) | (next & 0x3F);
  }
  if (value < minimum || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return false;
  *out = value;
  *pos += length;
  return true;
}

bool IsControl(uint32_t c) { return c < 0x20 || (c >= 0x7F && c <= 0x9F); }

// Unicode White_Space, without the control characters (refused before trimming).
bool IsWhiteSpace(uint32_t c) {
  return c == 0x20 || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}

}  // namespace

size_t CountCodePoints(std::string_view text) {
  size_t count = 0;
  uint32_t c;
  for (size_t pos = 0; pos < text.size(); ++count) {
    if (!NextCodePoint(text, &pos, &c)) return kNotUtf8;
  }
  return count;
}

Result<std::string> CleanTextField(std::string_view text, size_t max_code_points,
                                   std::string_view what) {
  // One pass: the byte range from the first to the end of the last non-space code point.
  size_t begin = std::string_view::npos;
  size_t end = 0;
  size_t count = 0;         // code points from `begin` to the current position
  size_t count_at_end = 0;  // code points from `begin` to `end`
  uint32_t c;
  for (size_t pos = 0; pos < text.size();) {
    size_t start = pos;
    if (!NextCodePoint(text, &pos, &c)) {
      return Status::Invalid(std::string(what) + " is not valid UTF-8");
    }
    if (IsControl(c)) return Status::Invalid(std::string(what) + " holds a control character");
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
  if (count_at_end > max_code_points) {
    return Status::Invalid(std::string(what) + " is longer than " +
                           std::to_string(max_code_points) + " characters");
  }
  return std::string(text.substr(begin, end - begin));
}

}  // namespace heartbeat
