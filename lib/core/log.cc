#include "log.h"

#include <unistd.h>

#include <string>

namespace heartbeat {
namespace {
std::string& ProgramName() {
  static std::string name = "heartbeat";
  return name;
}
}  // namespace

void SetLogProgramName(std::string_view name) { ProgramName() = std::string(name); }

void LogLine(std::string_view message) {
  // One write, so lines from concurrent processes do not interleave.
  std::string line = ProgramName() + ": " + std::string(message) + "\n";
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
}

}  // namespace heartbeat
