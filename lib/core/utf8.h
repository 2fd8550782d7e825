// UTF-8, decoded and encoded in one place: the text checks, the JSON reader, the badge's widths.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace heartbeat {

// Decodes the code point at `*pos` (< text.size()) and moves past it; false on a malformed
// sequence (not the shortest form, a surrogate, above U+10FFFF, cut short), `*pos` unmoved.
bool NextCodePoint(std::string_view text, size_t* pos, uint32_t* out);

// Appends `code_point` (at most U+10FFFF, not a surrogate) as UTF-8.
void AppendUtf8(uint32_t code_point, std::string* out);

// True for a byte that continues a sequence (10xxxxxx) rather than starting a code point.
inline bool IsUtf8Continuation(unsigned char byte) { return (byte & 0xC0) == 0x80; }

}  // namespace heartbeat
