#include "log.h"

#include <unistd.h>

#include <string>

#include "clock.h"
#include "iso_time.h"

namespace heartbeat {
namespace {
std::string& ProgramName() {
  static std::string name = "heartbeat";
  return name;
}
bool& WithTimestamps() {
  static bool on = false;
  return on;
}
}  // namespace

void SetLogProgramName(std::string_view name) { ProgramName() = std::string(name); }

void SetLogTimestamps(bool on) { WithTimestamps() = on; }

void LogLine(std::string_view message) {
  std::string line = WithTimestamps() ? IsoUtc(SystemClock().NowMs()) + " " : std::string();
  line += ProgramName() + ": " + std::string(message) + "\n";
  // One write, so lines from concurrent processes do not interleave.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace heartbeat
