// Log lines on stderr, which the web server puts in its error log (or launchd and systemd in
// the agent's). Never pass a token here: the agent redacts its own before calling.
#pragma once

#include <string_view>

namespace heartbeat {

// The prefix of every line, e.g. "status.fcgi".
void SetLogProgramName(std::string_view name);
// With `on`, each line starts with the UTC time, "2026-11-28T13:40:05Z ", for a log that has no
// stamps of its own (the agent's file under launchd); the servers' error logs stamp their lines.
void SetLogTimestamps(bool on);
// Writes "[<UTC time> ]<program>: <message>\n" to stderr in one write.
void LogLine(std::string_view message);

}  // namespace heartbeat
