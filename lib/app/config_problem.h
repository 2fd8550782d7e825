// What a visitor and the owner are told when the config cannot be used.
#pragma once

#include <string>

#include "result.h"

namespace heartbeat {

// The error code and client-facing message for a config that could not be loaded. The message
// names the file but not its folder; the full path goes to the log.
struct ConfigProblem {
  const char* code;
  std::string message;
};
ConfigProblem DescribeConfigProblem(const Status& status, const std::string& config_path);

}  // namespace heartbeat
