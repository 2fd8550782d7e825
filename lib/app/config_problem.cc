#include "config_problem.h"

#include "path_name.h"

namespace heartbeat {

ConfigProblem DescribeConfigProblem(const Status& status, const std::string& config_path) {
  const std::string name = BaseName(config_path);
  switch (status.code()) {
    case Status::Code::kNotFound:
      return {"config_missing", "config file " + name + " not found"};
    case Status::Code::kRefused:
      return {"config_refused", "config file " + name + " is not one this program may read"};
    case Status::Code::kInvalid:
      return {"config_invalid", status.message()};
    default:
      return {"config_unreadable", "config file " + name + " cannot be read"};
  }
}

}  // namespace heartbeat
