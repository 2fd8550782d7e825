#include "idle.h"

#include <cstdlib>
#include <sstream>

namespace heartbeat::agent {
namespace {

class AlwaysActive final : public IdleSource {
 public:
  const char* name() const override { return "none"; }
  Result<IdleReading> Read() override { return IdleReading{}; }
};

}  // namespace

std::unique_ptr<IdleSource> MakeAlwaysActiveSource() { return std::make_unique<AlwaysActive>(); }

DeviceState DecideState(const Result<IdleReading>& reading, int idle_threshold_s) {
  if (!reading.ok() || reading->locked || reading->idle_seconds >= idle_threshold_s) {
    return DeviceState::kIdle;
  }
  return DeviceState::kActive;
}

Result<IdleReading> ParseIdleCommandOutput(std::string_view output) {
  std::string first_line(output.substr(0, output.find('\n')));
  std::istringstream words(first_line);
  std::string number, word, extra;
  words >> number >> word >> extra;
  if (number.empty() || !extra.empty() || (!word.empty() && word != "locked")) {
    return Status::Invalid("expected '<idle seconds> [locked]', got '" + first_line + "'");
  }
  // Digits with at most one decimal point: no signs, exponents, hex, inf or nan.
  bool seen_dot = false, seen_digit = false;
  for (char c : number) {
    if (c == '.' && !seen_dot) {
      seen_dot = true;
    } else if (c >= '0' && c <= '9') {
      seen_digit = true;
    } else {
      return Status::Invalid("idle seconds must be a number, got '" + number + "'");
    }
  }
  if (!seen_digit) return Status::Invalid("idle seconds must be a number, got '" + number + "'");
  IdleReading reading;
  reading.idle_seconds = std::strtod(number.c_str(), nullptr);
  reading.locked = word == "locked";
  return reading;
}

Result<IdleReading> ParseLoginctlOutput(std::string_view output, long long now_us) {
  std::string idle_hint, locked_hint;
  long long idle_since_us = -1;
  std::istringstream lines{std::string(output)};
  std::string line;
  while (std::getline(lines, line)) {
    size_t eq = line.find('=');
    if (eq == std::string::npos) continue;
    std::string key = line.substr(0, eq), value = line.substr(eq + 1);
    if (key == "IdleHint") idle_hint = value;
    if (key == "LockedHint") locked_hint = value;
    if (key == "IdleSinceHint" && !value.empty())
      idle_since_us = std::strtoll(value.c_str(), nullptr, 10);
  }
  if (idle_hint != "yes" && idle_hint != "no") return Status::Invalid("no IdleHint from loginctl");
  IdleReading reading;
  reading.locked = locked_hint == "yes";
  if (idle_hint == "yes") {
    // Idle since a known moment, or since an unknown one (then: at least "very long").
    reading.idle_seconds = idle_since_us > 0 && idle_since_us <= now_us
                               ? static_cast<double>(now_us - idle_since_us) / 1e6
                               : 1e9;
  }
  return reading;
}

}  // namespace heartbeat::agent
