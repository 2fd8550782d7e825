#include "json_reader.h"

#include "hex.h"
#include "json_text.h"
#include "key_value.h"
#include "utf8.h"

namespace heartbeat {
namespace {

class Reader {
 public:
  Reader(std::string_view text, const JsonLimits& limits) : text_(text), limits_(limits) {}

  Result<JsonValue> Document() {
    if (text_.size() > limits_.max_bytes)
      return Bad("larger than " + std::to_string(limits_.max_bytes) + " bytes");
    JsonValue value;
    if (Status s = Value(0, &value); !s.ok()) return s;
    SkipBlanks();
    if (pos_ != text_.size()) return Bad("text after the value");
    return value;
  }

 private:
  Status Bad(const std::string& what) const {
    return Status::Invalid("not JSON: " + what + " at byte " + std::to_string(pos_));
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return AtEnd() ? '\0' : text_[pos_]; }

  void SkipBlanks() {
    while (!AtEnd() && (Peek() == ' ' || Peek() == '\t' || Peek() == '\n' || Peek() == '\r')) {
      ++pos_;
    }
  }

  // Skips blanks, then takes `c` if it comes next.
  bool Take(char c) {
    SkipBlanks();
    if (AtEnd() || Peek() != c) return false;
    ++pos_;
    return true;
  }

  bool TakeWord(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }

  Status Value(int depth, JsonValue* out) {
    SkipBlanks();
    switch (Peek()) {
      case '{':
        return Object(depth + 1, out);
      case '[':
        return Array(depth + 1, out);
      case '"':
        out->kind = JsonValue::Kind::kString;
        return String(&out->text);
      case 't':
      case 'f':
        out->kind = JsonValue::Kind::kBoolean;
        out->boolean = Peek() == 't';
        return TakeWord(out->boolean ? "true" : "false") ? Status::Ok() : Bad("expected a value");
      case 'n':
        return TakeWord("null") ? Status::Ok() : Bad("expected a value");
      default:
        out->kind = JsonValue::Kind::kNumber;
        return Number(&out->text);
    }
  }

  // Past the '[' or '{' of a value `depth` deep, when the limit allows it.
  Status Open(int depth, JsonValue::Kind kind, JsonValue* out) {
    if (depth > limits_.max_depth) return Bad("nested deeper than " + std::to_string(depth - 1));
    out->kind = kind;
    ++pos_;
    return Status::Ok();
  }

  Status Object(int depth, JsonValue* out) {
    if (Status s = Open(depth, JsonValue::Kind::kObject, out); !s.ok()) return s;
    if (Take('}')) return Status::Ok();
    do {
      std::string name;
      SkipBlanks();
      if (Peek() != '"') return Bad("expected a member name");
      if (Status s = String(&name); !s.ok()) return s;
      if (out->Find(name)) return Bad("the name \"" + name + "\" twice");
      if (!Take(':')) return Bad("expected ':'");
      JsonValue member;
      if (Status s = Value(depth, &member); !s.ok()) return s;
      out->members.emplace_back(std::move(name), std::move(member));
    } while (Take(','));
    return Take('}') ? Status::Ok() : Bad("expected ',' or '}'");
  }

  Status Array(int depth, JsonValue* out) {
    if (Status s = Open(depth, JsonValue::Kind::kArray, out); !s.ok()) return s;
    if (Take(']')) return Status::Ok();
    do {
      out->items.emplace_back();
      if (Status s = Value(depth, &out->items.back()); !s.ok()) return s;
    } while (Take(','));
    return Take(']') ? Status::Ok() : Bad("expected ',' or ']'");
  }

  // -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
  Status Number(std::string* out) {
    const size_t start = pos_;
    auto digits = [&] {
      size_t from = pos_;
      while (Peek() >= '0' && Peek() <= '9') ++pos_;
      return pos_ - from;
    };
    TakeWord("-");
    const size_t first = pos_;
    const size_t whole = digits();
    if (whole == 0) return Bad("expected a value");
    if (whole > 1 && text_[first] == '0') return Bad("a number with a leading zero");
    if (TakeWord(".") && digits() == 0) return Bad("no digit after '.'");
    if (Peek() == 'e' || Peek() == 'E') {
      ++pos_;
      if (!TakeWord("+")) TakeWord("-");
      if (digits() == 0) return Bad("no digit in the exponent");
    }
    *out = std::string(text_.substr(start, pos_ - start));
    return Status::Ok();
  }

  // Four hex digits of a \u escape.
  bool Hex4(uint32_t* out) {
    if (text_.size() - pos_ < 4) return false;
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      int digit = HexDigitValue(text_[pos_++]);
      if (digit < 0) return false;
      value = (value << 4) | static_cast<uint32_t>(digit);
    }
    *out = value;
    return true;
  }

  // The code point of a \u escape, a surrogate pair joined; `pos_` is past the 'u'.
  Status UnicodeEscape(uint32_t* out) {
    if (!Hex4(out)) return Bad("a \\u escape without four hex digits");
    if (*out >= 0xDC00 && *out <= 0xDFFF) return Bad("a lone low surrogate");
    if (*out < 0xD800 || *out > 0xDBFF) return Status::Ok();
    uint32_t low = 0;
    if (!TakeWord("\\u") || !Hex4(&low) || low < 0xDC00 || low > 0xDFFF) {
      return Bad("a high surrogate without its low half");
    }
    *out = 0x10000 + ((*out - 0xD800) << 10) + (low - 0xDC00);
    return Status::Ok();
  }

  Status Escape(std::string* out) {
    if (AtEnd()) return Bad("an unterminated string");
    const char c = text_[pos_++];
    static constexpr std::string_view kFrom = "\"\\/bfnrt", kTo = "\"\\/\b\f\n\r\t";
    if (size_t i = kFrom.find(c); i != std::string_view::npos) {
      *out += kTo[i];
      return Status::Ok();
    }
    if (c != 'u') return Bad("an unknown escape");
    uint32_t code_point = 0;
    if (Status s = UnicodeEscape(&code_point); !s.ok()) return s;
    AppendUtf8(code_point, out);
    return Status::Ok();
  }

  Status String(std::string* out) {
    out->clear();
    ++pos_;  // '"'
    while (!AtEnd()) {
      const size_t start = pos_;
      const unsigned char c = static_cast<unsigned char>(text_[pos_]);
      uint32_t code_point = 0;
      if (c == '"') {
        ++pos_;
        return Status::Ok();
      } else if (c == '\\') {
        ++pos_;
        if (Status s = Escape(out); !s.ok()) return s;
      } else if (c < 0x20) {
        return Bad("a control character in a string");
      } else if (!NextCodePoint(text_, &pos_, &code_point)) {
        return Bad("a byte that is not UTF-8");
      } else {
        out->append(text_.substr(start, pos_ - start));
      }
    }
    return Bad("an unterminated string");
  }

  std::string_view text_;
  const JsonLimits& limits_;
  size_t pos_ = 0;
};

void Write(const JsonValue& value, std::string* out) {
  switch (value.kind) {
    case JsonValue::Kind::kNull:
      *out += "null";
      break;
    case JsonValue::Kind::kBoolean:
      *out += value.boolean ? "true" : "false";
      break;
    case JsonValue::Kind::kNumber:
      *out += value.text;
      break;
    case JsonValue::Kind::kString:
      *out += JsonString(value.text);
      break;
    case JsonValue::Kind::kArray:
      *out += '[';
      for (size_t i = 0; i < value.items.size(); ++i) {
        if (i > 0) *out += ',';
        Write(value.items[i], out);
      }
      *out += ']';
      break;
    case JsonValue::Kind::kObject:
      *out += '{';
      for (size_t i = 0; i < value.members.size(); ++i) {
        if (i > 0) *out += ',';
        *out += JsonString(value.members[i].first) + ':';
        Write(value.members[i].second, out);
      }
      *out += '}';
      break;
  }
}

}  // namespace

const JsonValue* JsonValue::Find(std::string_view name) const {
  for (const auto& [member_name, member] : members) {
    if (member_name == name) return &member;
  }
  return nullptr;
}

const JsonValue* JsonValue::Find(std::string_view name, Kind wanted) const {
  const JsonValue* member = Find(name);
  return member && member->kind == wanted ? member : nullptr;
}

std::optional<long long> JsonValue::Integer(long long min, long long max) const {
  if (kind != Kind::kNumber) return std::nullopt;
  const bool negative = !text.empty() && text[0] == '-';
  long long magnitude = 0;
  // Only digits: ParseIntInRange refuses the '.', 'e' and 'E' of a fraction or an exponent.
  if (!ParseIntInRange(std::string_view(text).substr(negative ? 1 : 0), 0, 999'999'999'999'999'999,
                       &magnitude)) {
    return std::nullopt;
  }
  const long long value = negative ? -magnitude : magnitude;
  if (value < min || value > max) return std::nullopt;
  return value;
}

bool JsonValue::operator==(const JsonValue& other) const {
  return kind == other.kind && boolean == other.boolean && text == other.text &&
         items == other.items && members == other.members;
}

Result<JsonValue> ReadJson(std::string_view text, const JsonLimits& limits) {
  return Reader(text, limits).Document();
}

std::string WriteJson(const JsonValue& value) {
  std::string out;
  Write(value, &out);
  return out;
}

}  // namespace heartbeat
