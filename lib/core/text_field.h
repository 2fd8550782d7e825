// Short text that the owner or a visitor supplies and that ends up on a public page: the note
// of a heartbeat and the badge's label (docs/protocol.md, "The presence card").
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "result.h"

namespace heartbeat {

// `text` checked and trimmed: valid UTF-8 (shortest form, no surrogates, at most U+10FFFF)
// without control characters (U+0000–U+001F, U+007F–U+009F), noncharacters (U+FDD0–U+FDEF,
// U+xFFFE, U+xFFFF) or bidirectional controls (U+202A–U+202E, U+2066–U+2069); white space
// (Unicode White_Space) cut from both ends, then 1 to `max_code_points` code points, at least
// one of them visible (not white space, a zero-width character, U+FEFF or another code point
// that draws nothing). Invalid with a message that starts with `what`.
Result<std::string> CleanTextField(std::string_view text, size_t max_code_points,
                                   std::string_view what);

// `text` as it may reach a terminal: every control character (C0, DEL, C1), bidirectional
// control and byte that is not valid UTF-8 becomes '?', so that text from a server can neither
// send an escape sequence (a lone 0x9B byte is CSI to some terminals) nor reorder the line.
std::string TerminalText(std::string_view text);

}  // namespace heartbeat
