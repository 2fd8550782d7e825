// The `note` command's arguments (agent/README.md, "note"): the text, how long it stands and
// whether the owner is busy, checked here so that a bad one is a usage error before any post.
#pragma once

#include <cstdint>
#include <string>

#include "note.h"
#include "result.h"

namespace heartbeat::agent {

// What the command line said, still unchecked.
struct NoteArgs {
  bool has_text = false;
  std::string text;
  std::string for_value;    // --for DURATION, empty when not given
  std::string until_value;  // --until ISO-TIME, empty when not given
  bool busy = false;        // --busy
  bool clear = false;       // --clear
};

// What the post carries: `"note": null` when `clear`, else `note`.
struct NoteRequest {
  bool clear = false;
  Note note;
};

// Milliseconds of a duration such as 90s, 30m, 2h, 1d or 1h30m: whole numbers, each followed by
// d, h, m or s, each unit at most once and in that order; more than 0. Invalid otherwise.
Result<int64_t> ParseDurationMs(const std::string& text);

// Unix milliseconds of YYYY-MM-DDTHH:MM[:SS] in this machine's local time, or followed by Z or
// an offset (+HH:MM, -HHMM) for that instant. Invalid for anything else or a date that does not
// exist (2026-02-30).
Result<int64_t> ParseNoteTimeMs(const std::string& text);

// The checked request: the text as the server keeps it (trimmed, 1 to 140 code points, no
// control characters), `until` in the future at `now_ms` and not after the year 9999, --for and
// --until not both, --clear alone.
Result<NoteRequest> CheckNoteArgs(const NoteArgs& args, int64_t now_ms);

// `"note":{"text":…[,"until":…][,"busy":true]}` or `"note":null`, for the heartbeat body.
std::string NoteJsonMember(const NoteRequest& request);

// For the log line: `the note "…" (busy, until 2026-12-08T09:00:00Z)` or `the note cleared`.
std::string DescribeNote(const NoteRequest& request);

}  // namespace heartbeat::agent
