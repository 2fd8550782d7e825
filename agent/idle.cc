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

IdleReading LogindReading(bool idle_hint, long long idle_since_us, bool locked_hint,
                          long long now_us) {
  IdleReading reading;
  reading.locked = locked_hint;
  if (idle_hint) {
    // Idle since a known moment, or since an unknown one (then: at least "very long").
    reading.idle_seconds = idle_since_us > 0 && idle_since_us <= now_us
                               ? static_cast<double>(now_us - idle_since_us) / 1e6
                               : 1e9;
  }
  return reading;
}

}  // namespace heartbeat::agent
