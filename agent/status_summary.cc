#include "status_summary.h"

#include <time.h>

#include <cstdio>

#include "note_request.h"
#include "text_field.h"
#include "time_zone.h"

namespace heartbeat::agent {
namespace {

// A strict reader of just enough JSON for the status answer: objects, arrays, strings with every
// escape (\u pairs included), numbers, true, false, null. Values it does not need are skipped.
class JsonReader {
 public:
  explicit JsonReader(const std::string& text) : text_(text) {}

  Status ReadStatus(StatusFields* fields) {
    Status status = ReadObject(0, [&](const std::string& key) -> Status {
      if (key == "state") return ReadString(&fields->state);
      if (key == "timezone") return ReadString(&fields->timezone);
      if (key == "note") return ReadNote(fields);
      return SkipValue(1);
    });
    if (!status.ok()) return status;
    SkipBlanks();
    return pos_ == text_.size() ? Status::Ok() : Bad("text after the object");
  }

 private:
  static constexpr int kMaxDepth = 16;

  Status Bad(const std::string& what) const {
    return Status::Invalid("status answer is not the expected JSON: " + what + " at byte " +
                           std::to_string(pos_));
  }

  void SkipBlanks() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Take(char c) {
    SkipBlanks();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool TakeWord(const char* word) {
    SkipBlanks();
    const std::string w = word;
    if (text_.compare(pos_, w.size(), w) != 0) return false;
    pos_ += w.size();
    return true;
  }

  template <typename OnMember>
  Status ReadObject(int depth, OnMember on_member) {
    if (depth > kMaxDepth) return Bad("too deep");
    if (!Take('{')) return Bad("expected an object");
    if (Take('}')) return Status::Ok();
    do {
      std::string key;
      SkipBlanks();
      if (Status s = ReadString(&key); !s.ok()) return s;
      if (!Take(':')) return Bad("expected ':'");
      if (Status s = on_member(key); !s.ok()) return s;
    } while (Take(','));
    return Take('}') ? Status::Ok() : Bad("expected '}'");
  }

  Status ReadNote(StatusFields* fields) {
    if (TakeWord("null")) return Status::Ok();
    fields->note_text = "";
    return ReadObject(1, [&](const std::string& key) -> Status {
      if (key == "text") return ReadString(&*fields->note_text);
      if (key == "until") return ReadString(&fields->note_until);
      if (key == "busy") {
        if (TakeWord("true")) return fields->note_busy = true, Status::Ok();
        if (TakeWord("false")) return fields->note_busy = false, Status::Ok();
        return Bad("busy is not a boolean");
      }
      return SkipValue(2);
    });
  }

  static void AppendUtf8(uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      *out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      *out += static_cast<char>(0xC0 | (cp >> 6));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      *out += static_cast<char>(0xE0 | (cp >> 12));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      *out += static_cast<char>(0xF0 | (cp >> 18));
      *out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      *out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      *out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  bool ReadHex4(uint32_t* out) {
    if (text_.size() - pos_ < 4) return false;
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        value |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return false;
      }
    }
    *out = value;
    return true;
  }

  Status ReadString(std::string* out) {
    out->clear();
    if (!Take('"')) return Bad("expected a string");
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '"') return Status::Ok();
      if (static_cast<unsigned char>(c) < 0x20) return Bad("control character in a string");
      if (c != '\\') {
        *out += c;
        continue;
      }
      if (pos_ >= text_.size()) break;
      char escape = text_[pos_++];
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          *out += escape;
          break;
        case 'b':
          *out += '\b';
          break;
        case 'f':
          *out += '\f';
          break;
        case 'n':
          *out += '\n';
          break;
        case 'r':
          *out += '\r';
          break;
        case 't':
          *out += '\t';
          break;
        case 'u': {
          uint32_t cp;
          if (!ReadHex4(&cp)) return Bad("bad \\u escape");
          if (cp >= 0xD800 && cp <= 0xDBFF) {  // a high surrogate needs its low half
            uint32_t low;
            if (text_.compare(pos_, 2, "\\u") != 0 || (pos_ += 2, !ReadHex4(&low)) ||
                low < 0xDC00 || low > 0xDFFF) {
              return Bad("lone surrogate");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Bad("lone surrogate");
          }
          AppendUtf8(cp, out);
          break;
        }
        default:
          return Bad("bad escape");
      }
    }
    return Bad("unterminated string");
  }

  Status SkipValue(int depth) {
    if (depth > kMaxDepth) return Bad("too deep");
    SkipBlanks();
    if (pos_ >= text_.size()) return Bad("expected a value");
    char c = text_[pos_];
    if (c == '{')
      return ReadObject(depth, [&](const std::string&) { return SkipValue(depth + 1); });
    if (c == '[') {
      ++pos_;
      if (Take(']')) return Status::Ok();
      do {
        if (Status s = SkipValue(depth + 1); !s.ok()) return s;
      } while (Take(','));
      return Take(']') ? Status::Ok() : Bad("expected ']'");
    }
    if (c == '"') {
      std::string ignored;
      return ReadString(&ignored);
    }
    if (TakeWord("true") || TakeWord("false") || TakeWord("null")) return Status::Ok();
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (std::string("+-.eE0123456789").find(text_[pos_]) != std::string::npos)) {
      ++pos_;
    }
    return pos_ > start ? Status::Ok() : Bad("expected a value");
  }

  const std::string& text_;
  size_t pos_ = 0;
};

// "2026-12-02 18:14" in `zone` (which must be known here).
std::string LocalMinute(const std::string& zone, int64_t utc_s, std::string* offset) {
  ZoneClock clock(zone);
  struct tm local = clock.Local(utc_s);
  char text[32];
  strftime(text, sizeof text, "%Y-%m-%d %H:%M", &local);
  if (offset) {
    long minutes = local.tm_gmtoff / 60;
    char sign = minutes < 0 ? '-' : '+';
    if (minutes < 0) minutes = -minutes;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "UTC%c%02ld:%02ld", sign, minutes / 60, minutes % 60);
    *offset = buffer;
  }
  return text;
}

}  // namespace

Result<StatusFields> ParseStatusFields(const std::string& json) {
  StatusFields fields;
  JsonReader reader(json);
  Status status = reader.ReadStatus(&fields);
  if (!status.ok()) return status;
  return fields;
}

std::string StatusSummary(const StatusFields& fields, int64_t now_s) {
  // The zone comes from the server: only a name this machine's zoneinfo has is used.
  const bool zone_known = !fields.timezone.empty() && CheckTimeZone(fields.timezone).ok();
  std::string out;
  if (fields.note_text) {
    std::string details;
    if (fields.note_busy) details = "busy";
    if (!fields.note_until.empty()) {
      std::string until = fields.note_until;
      auto until_ms = ParseNoteTimeMs(fields.note_until);
      if (zone_known && until_ms.ok() && fields.note_until.back() == 'Z') {
        until =
            LocalMinute(fields.timezone, until_ms.value() / 1000, nullptr) + " " + fields.timezone;
      }
      details += (details.empty() ? "until " : ", until ") + TerminalText(until);
    }
    out += "note: " + TerminalText(*fields.note_text) +
           (details.empty() ? "" : " (" + details + ")") + "\n";
  }
  if (!fields.timezone.empty()) {
    if (zone_known) {
      std::string offset;
      std::string now = LocalMinute(fields.timezone, now_s, &offset);
      out += "local time: " + now + " " + fields.timezone + " (" + offset + ")\n";
    } else {
      out += "local time: " + TerminalText(fields.timezone) +
             " (not a time zone this computer knows)\n";
    }
  }
  return out;
}

}  // namespace heartbeat::agent
