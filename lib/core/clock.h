// The one place that reads the time, so that tests can set it.
#pragma once

#include <cstdint>

namespace heartbeat {

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch, from the server's own clock.
  virtual int64_t NowMs() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override;
};

// Milliseconds on a clock that never jumps (CLOCK_MONOTONIC): for timeouts and pauses, which a
// change of the wall clock must not stretch or cut.
int64_t MonotonicMs();

}  // namespace heartbeat
