#include "note_request.h"

#include <time.h>

#include <algorithm>

#include "iso_time.h"
#include "json_text.h"
#include "key_value.h"
#include "text_field.h"

namespace heartbeat::agent {
namespace {

// Reads exactly `digits` decimal digits at `*pos`.
bool ReadDigits(const std::string& text, size_t* pos, int digits, int* out) {
  long long value = 0;
  if (text.size() - *pos < static_cast<size_t>(digits) ||
      !ParseIntInRange(std::string_view(text).substr(*pos, digits), 0, 9999, &value)) {
    return false;
  }
  *pos += digits;
  *out = static_cast<int>(value);
  return true;
}

bool ReadChar(const std::string& text, size_t* pos, char expected) {
  if (*pos >= text.size() || text[*pos] != expected) return false;
  ++*pos;
  return true;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Days from 1970-01-01 to a proleptic Gregorian date, counted in 400-year eras of 146097 days
// with the year starting in March, so that the leap day comes last.
int64_t DaysFromCivil(int year, int month, int day) {
  const int y = month <= 2 ? year - 1 : year;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int year_of_era = y - era * 400;
  const int day_of_year = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return static_cast<int64_t>(era) * 146097 + day_of_era - 719468;
}

Status BadTime(const std::string& text) {
  return Status::Invalid("--until '" + text +
                         "': expected YYYY-MM-DDTHH:MM[:SS], local time, or with Z or +HH:MM");
}

}  // namespace

Result<int64_t> ParseDurationMs(const std::string& text) {
  static const struct {
    char unit;
    int64_t ms;
  } kUnits[] = {{'d', 86'400'000}, {'h', 3'600'000}, {'m', 60'000}, {'s', 1000}};
  const Status bad = Status::Invalid("--for '" + text +
                                     "': expected a duration such as 90s, 30m, 2h, 1d or 1h30m");
  int64_t total = 0;
  size_t pos = 0, next_unit = 0;
  if (text.empty()) return bad;
  while (pos < text.size()) {
    const size_t digits_end = std::min(text.find_first_not_of("0123456789", pos), text.size());
    long long number = 0;
    // Nine digits at most: a billion days in ms still fits in 64 bits, with room to add.
    if (!ParseIntInRange(std::string_view(text).substr(pos, digits_end - pos), 0, 999'999'999,
                         &number) ||
        digits_end == text.size()) {
      return bad;
    }
    pos = digits_end;
    const char unit = text[pos++];
    while (next_unit < 4 && kUnits[next_unit].unit != unit) ++next_unit;
    if (next_unit == 4) return bad;  // unknown, repeated or out of order
    total += number * kUnits[next_unit++].ms;
  }
  if (total <= 0) return Status::Invalid("--for '" + text + "': must be more than 0");
  return total;
}

Result<int64_t> ParseNoteTimeMs(const std::string& text) {
  size_t pos = 0;
  int year, month, day, hour, minute, second = 0;
  if (!ReadDigits(text, &pos, 4, &year) || !ReadChar(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &month) || !ReadChar(text, &pos, '-') ||
      !ReadDigits(text, &pos, 2, &day) || !ReadChar(text, &pos, 'T') ||
      !ReadDigits(text, &pos, 2, &hour) || !ReadChar(text, &pos, ':') ||
      !ReadDigits(text, &pos, 2, &minute)) {
    return BadTime(text);
  }
  if (pos < text.size() && text[pos] == ':' && !(++pos, ReadDigits(text, &pos, 2, &second))) {
    return BadTime(text);
  }
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) ||
      hour > 23 || minute > 59 || second > 59) {
    return Status::Invalid("--until '" + text + "': no such date or time");
  }
  if (pos == text.size()) {
    // Local time of this machine, daylight saving decided by the C library for that date.
    struct tm local = {};
    local.tm_year = year - 1900;
    local.tm_mon = month - 1;
    local.tm_mday = day;
    local.tm_hour = hour;
    local.tm_min = minute;
    local.tm_sec = second;
    local.tm_isdst = -1;
    time_t at = mktime(&local);
    if (at == static_cast<time_t>(-1))
      return Status::Invalid("--until '" + text + "': out of range");
    return static_cast<int64_t>(at) * 1000;
  }
  int offset_s = 0;
  if (text[pos] == 'Z' && pos + 1 == text.size()) {
    offset_s = 0;
  } else if (text[pos] == '+' || text[pos] == '-') {
    const int sign = text[pos++] == '-' ? -1 : 1;
    int offset_h, offset_m;
    if (!ReadDigits(text, &pos, 2, &offset_h)) return BadTime(text);
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (!ReadDigits(text, &pos, 2, &offset_m) || pos != text.size() || offset_h > 23 ||
        offset_m > 59) {
      return BadTime(text);
    }
    offset_s = sign * (offset_h * 3600 + offset_m * 60);
  } else {
    return BadTime(text);
  }
  const int64_t utc_s =
      DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offset_s;
  return utc_s * 1000;
}

Result<NoteRequest> CheckNoteArgs(const NoteArgs& args, int64_t now_ms) {
  NoteRequest request;
  if (args.clear) {
    if (args.has_text || args.busy || !args.for_value.empty() || !args.until_value.empty()) {
      return Status::Invalid("note --clear takes no text, --for, --until or --busy");
    }
    request.clear = true;
    return request;
  }
  if (!args.has_text) return Status::Invalid("note needs a TEXT (quoted) or --clear");
  auto text = CleanTextField(args.text, kMaxNoteCodePoints, "the note");
  if (!text.ok()) return text.status();
  request.note.text = std::move(text).value();
  request.note.busy = args.busy;
  if (!args.for_value.empty() && !args.until_value.empty()) {
    return Status::Invalid("note takes --for or --until, not both");
  }
  if (!args.for_value.empty()) {
    auto duration = ParseDurationMs(args.for_value);
    if (!duration.ok()) return duration.status();
    request.note.until_ms = now_ms + duration.value();
  } else if (!args.until_value.empty()) {
    auto until = ParseNoteTimeMs(args.until_value);
    if (!until.ok()) return until.status();
    if (until.value() <= now_ms) {
      return Status::Invalid("--until '" + args.until_value + "' (" + IsoUtc(until.value()) +
                             ") is not in the future");
    }
    request.note.until_ms = until.value();
  }
  if (request.note.until_ms && *request.note.until_ms > kLatestNoteUntilMs) {
    return Status::Invalid("the note would stand past the year 9999");
  }
  return request;
}

std::string NoteJsonMember(const NoteRequest& request) {
  if (request.clear) return "\"note\":null";
  std::string json = "\"note\":{\"text\":" + JsonString(request.note.text);
  if (request.note.until_ms) json += ",\"until\":" + std::to_string(*request.note.until_ms);
  if (request.note.busy) json += ",\"busy\":true";
  return json + "}";
}

std::string DescribeNote(const NoteRequest& request) {
  if (request.clear) return "the note cleared";
  // The text has no control characters (CheckNoteArgs), so it cannot break the log line.
  std::string text = "the note \"" + request.note.text + "\"";
  std::string details;
  if (request.note.busy) details = "busy";
  if (request.note.until_ms)
    details += (details.empty() ? "until " : ", until ") + IsoUtc(*request.note.until_ms);
  return details.empty() ? text : text + " (" + details + ")";
}

}  // namespace heartbeat::agent
