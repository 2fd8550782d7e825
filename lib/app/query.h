// The query string of a request.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "result.h"

namespace heartbeat {

// Decodes %XX escapes and `+` (a space in a query). Invalid on a bad or truncated escape.
Result<std::string> PercentDecode(std::string_view text);

// The decoded value of the first `name=value` pair named `name`, nullopt when absent.
// Invalid if any pair of the query has a bad escape.
Result<std::optional<std::string>> QueryParameter(std::string_view query, std::string_view name);

}  // namespace heartbeat
