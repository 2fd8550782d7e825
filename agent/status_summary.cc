#include "status_summary.h"

#include <time.h>

#include <cstdio>

#include "json_reader.h"
#include "note_request.h"
#include "text_field.h"
#include "time_zone.h"

namespace heartbeat::agent {
namespace {

using Kind = JsonValue::Kind;

Status NotStatus(const std::string& what) {
  return Status::Invalid("status answer is not the expected JSON: " + what);
}

// The string member `name` of `object` into `*out`; absent is fine, another kind is not.
Status ReadString(const JsonValue& object, const char* name, std::string* out) {
  const JsonValue* member = object.Find(name);
  if (!member) return Status::Ok();
  if (member->kind != Kind::kString) return NotStatus(std::string(name) + " is not a string");
  *out = member->text;
  return Status::Ok();
}

// The note: null (or absent) for none, else an object with text, until and busy.
Status ReadNote(const JsonValue& status, StatusFields* fields) {
  const JsonValue* note = status.Find("note");
  if (!note || note->kind == Kind::kNull) return Status::Ok();
  if (note->kind != Kind::kObject) return NotStatus("note is not an object");
  fields->note_text = "";
  if (Status s = ReadString(*note, "text", &*fields->note_text); !s.ok()) return s;
  if (Status s = ReadString(*note, "until", &fields->note_until); !s.ok()) return s;
  if (const JsonValue* busy = note->Find("busy")) {
    if (busy->kind != Kind::kBoolean) return NotStatus("busy is not a boolean");
    fields->note_busy = busy->boolean;
  }
  return Status::Ok();
}

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
  auto status = ReadJson(json);
  if (!status.ok()) return NotStatus(status.status().message());
  if (status->kind != Kind::kObject) return NotStatus("not an object");
  StatusFields fields;
  for (Status s : {ReadString(status.value(), "state", &fields.state),
                   ReadString(status.value(), "timezone", &fields.timezone),
                   ReadNote(status.value(), &fields)}) {
    if (!s.ok()) return s;
  }
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
