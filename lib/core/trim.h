// Cutting blanks from the ends of a piece of text: config lines, HTTP header values, media types.
#pragma once

#include <string_view>

namespace heartbeat {

// `text` without the characters of `blanks` at either end; by default spaces and tabs, which are
// HTTP's optional white space and what a config line may be padded with.
inline std::string_view Trim(std::string_view text, std::string_view blanks = " \t") {
  size_t first = text.find_first_not_of(blanks);
  if (first == std::string_view::npos) return {};
  return text.substr(first, text.find_last_not_of(blanks) - first + 1);
}

}  // namespace heartbeat
