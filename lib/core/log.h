// Log lines on stderr, which the web server puts in its error log. Never pass a token here.
#pragma once

#include <string_view>

namespace heartbeat {

// The prefix of every line, e.g. "status.fcgi".
void SetLogProgramName(std::string_view name);
// Writes "<program>: <message>\n" to stderr in one write.
void LogLine(std::string_view message);

}  // namespace heartbeat
