#include "json_text.h"

#include <cstdio>

#include "utf8.h"

namespace heartbeat {

std::string JsonString(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      // Never markup, even pasted raw into an HTML page or a <script>.
      case '<':
        out += "\\u003c";
        break;
      case '>':
        out += "\\u003e";
        break;
      case '&':
        out += "\\u0026";
        break;
      default: {
        uint32_t cp = 0;
        size_t next = i;
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char escaped[8];
          std::snprintf(escaped, sizeof escaped, "\\u%04x", static_cast<unsigned char>(c));
          out += escaped;
        } else if (static_cast<unsigned char>(c) >= 0x80 && NextCodePoint(text, &next, &cp) &&
                   (cp == 0x2028 || cp == 0x2029)) {
          // U+2028 and U+2029 end a line in JavaScript before ES2019.
          out += cp == 0x2028 ? "\\u2028" : "\\u2029";
          i = next - 1;
        } else {
          out += c;
        }
      }
    }
  }
  out += '"';
  return out;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace heartbeat
