#include "cors.h"

namespace heartbeat {

void AddCorsHeaders(const std::vector<std::string>& allow_origins, std::string_view origin,
                    Response* response) {
  if (allow_origins.empty()) {
    response->AddHeader("Access-Control-Allow-Origin", "*");
    return;
  }
  response->AddHeader("Vary", "Origin");
  for (const std::string& allowed : allow_origins) {
    if (allowed == origin) {
      response->AddHeader("Access-Control-Allow-Origin", allowed);
      return;
    }
  }
}

}  // namespace heartbeat
