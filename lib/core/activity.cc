#include "activity.h"

namespace heartbeat {

std::optional<ActivityKind> ParseActivityKind(std::string_view text) {
  if (text == "listening") return ActivityKind::kListening;
  if (text == "coding") return ActivityKind::kCoding;
  if (text == "call") return ActivityKind::kCall;
  return std::nullopt;
}

const char* ActivityKindName(ActivityKind kind) {
  switch (kind) {
    case ActivityKind::kListening:
      return "listening";
    case ActivityKind::kCoding:
      return "coding";
    case ActivityKind::kCall:
      return "call";
  }
  return "call";
}

}  // namespace heartbeat
