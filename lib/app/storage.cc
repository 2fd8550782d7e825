#include "storage.h"

#include <cstdint>

namespace heartbeat {

int64_t Storage::OldestKeptHour(int64_t now_s, int history_days) {
  if (history_days <= 0) return INT64_MAX;
  int64_t start = now_s - int64_t{history_days} * 86400;
  return start - ((start % 3600) + 3600) % 3600;  // the hour that holds the window's start
}

}  // namespace heartbeat
