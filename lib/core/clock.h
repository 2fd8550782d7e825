// The one place that reads the time, so that tests can set it.
#pragma once

#include <cstdint>
#include <optional>

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

// The system clock as read at the last Mark(), or read now before the first: for what needs
// the time only to the second, such as the caches' look for a changed file, and is asked for
// it on every request. The FastCGI loop marks it once a wake, however many requests it serves.
class MarkedClock final : public Clock {
 public:
  int64_t NowMs() const override { return marked_ms_ ? *marked_ms_ : system_.NowMs(); }
  void Mark() { marked_ms_ = system_.NowMs(); }

 private:
  SystemClock system_;
  std::optional<int64_t> marked_ms_;
};

// Milliseconds on a clock that never jumps (CLOCK_MONOTONIC): for timeouts and pauses, which a
// change of the wall clock must not stretch or cut.
int64_t MonotonicMs();

}  // namespace heartbeat
