// Text made safe to place inside JSON and XML documents that we write by hand.
#pragma once

#include <string>
#include <string_view>

namespace heartbeat {

// Quotes and escapes a string for JSON. `<`, `>`, `&`, DEL, U+2028 and U+2029 are \u escapes too,
// so that the text is inert inside HTML and a <script>, whatever the page does with it.
std::string JsonString(std::string_view text);

// Escapes text for XML content and attribute values (& < > " ').
std::string XmlEscape(std::string_view text);

}  // namespace heartbeat
