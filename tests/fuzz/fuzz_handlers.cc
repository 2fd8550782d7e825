// Both handlers on a Request made of fuzz bytes, against a real config and SQLite file.
// Fields are separated by '\n': method, query, path info, Authorization, Content-Type,
// If-None-Match, Origin, Content-Length, then the body.
#include <expat.h>
#include <stdlib.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "caches.h"
#include "heartbeat_handler.h"
#include "key_value.h"
#include "status_handler.h"
#include "token.h"

namespace {

struct World {
  World() {
    char pattern[] = "/tmp/heartbeat-fuzz-XXXXXX";
    dir = mkdtemp(pattern);
    heartbeat::InitCrypto();
    std::ofstream(dir + "/heartbeat.conf")
        << "token_sha256 = " << heartbeat::ToHex(heartbeat::HashToken("fuzz-token"))
        << "\nallow_origin = https://a.example\nlast_seen = exact\n"
        << "history_days = 366\ntimezone = Europe/Berlin\nactivity = on\n";
    services.fallback_config_path = dir + "/heartbeat.conf";
  }
  ~World() { std::filesystem::remove_all(dir); }
  std::string dir;
  heartbeat::SystemClock clock;
  heartbeat::ConfigCache configs{clock};
  heartbeat::StoreCache stores{clock};
  heartbeat::Services services{configs, stores, clock};
};

// Whether `body` is a well-formed XML document, by expat (a parser of its own, not ours).
bool IsWellFormedXml(const std::string& body) {
  XML_Parser parser = XML_ParserCreate("UTF-8");
  bool ok = XML_Parse(parser, body.data(), static_cast<int>(body.size()), 1) == XML_STATUS_OK;
  XML_ParserFree(parser);
  return ok;
}

// The names the handlers write headers under.
bool IsOurHeaderName(std::string_view name) {
  for (std::string_view ours :
       {"Access-Control-Allow-Methods", "Access-Control-Allow-Origin", "Access-Control-Max-Age",
        "Allow", "Cache-Control", "Content-Security-Policy", "Content-Type", "ETag", "Retry-After",
        "Vary", "WWW-Authenticate", "X-Content-Type-Options"}) {
    if (name == ours) return true;
  }
  return false;
}

std::string_view NextField(std::string_view* rest) {
  size_t end = rest->find('\n');
  std::string_view field = rest->substr(0, end);
  rest->remove_prefix(end == std::string_view::npos ? rest->size() : end + 1);
  return field;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World world;
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  heartbeat::Request request;
  request.method = std::string(NextField(&rest));
  request.query = std::string(NextField(&rest));
  request.path_info = std::string(NextField(&rest));
  request.authorization = std::string(NextField(&rest));
  request.content_type = std::string(NextField(&rest));
  request.if_none_match = std::string(NextField(&rest));
  request.origin = std::string(NextField(&rest));
  long long length = -1;
  std::string_view length_text = NextField(&rest);
  if (!length_text.empty() && !heartbeat::ParseIntInRange(length_text, 0, 1LL << 40, &length))
    length = -2;
  request.content_length = length;
  request.body = std::string(rest.substr(0, heartbeat::kMaxBodyBytes + 1));
  request.body_truncated = rest.size() > heartbeat::kMaxBodyBytes + 1;
  request.remote_addr = "192.0.2.1";

  for (auto handle : {heartbeat::HandleStatus, heartbeat::HandleHeartbeat}) {
    heartbeat::Response response = handle(request, world.services);
    // Every answer is a known status with a JSON or SVG body, never an online 5xx.
    if (response.status < 200 || response.status > 503) __builtin_trap();
    if (response.FindHeader("X-Content-Type-Options") == std::nullopt) __builtin_trap();
    if (response.status >= 500 && response.body.find("\"isOnline\":true") != std::string::npos)
      __builtin_trap();
    // No byte of a request (a note, a label) ever becomes markup or a header of its own.
    if (response.body.find("<script") != std::string::npos) __builtin_trap();
    // Every SVG answered 200 is well-formed XML, whatever the label.
    const std::optional<std::string_view> type = response.FindHeader("Content-Type");
    if (response.status == 200 && type && type->find("svg") != std::string::npos &&
        !IsWellFormedXml(response.body))
      __builtin_trap();
    // Every JSON answer parses as JSON; the badge and shields never tell the activity.
    const bool json = type && type->find("json") != std::string::npos;
    if (json && !response.body.empty() && !nlohmann::json::accept(response.body)) __builtin_trap();
    const bool badge = (type && type->find("svg") != std::string::npos) ||
                       response.body.find("\"schemaVersion\"") != std::string::npos;
    // (A ?label= is escaped, so `"kind":` can only be an activity's.)
    if (badge && response.body.find("\"kind\":") != std::string::npos) __builtin_trap();
    // A refusal is never kept by a cache.
    if (response.status >= 400 && response.FindHeader("Cache-Control") == std::nullopt)
      __builtin_trap();
    // Each header line is one the handlers write: a value that carried a line break would
    // show as a line of another name, or a lone CR or LF left in a value.
    for (const auto& [name, value] : response.Headers()) {
      if (!IsOurHeaderName(name)) __builtin_trap();
      if (value.find_first_of("\r\n") != std::string_view::npos) __builtin_trap();
    }
  }
  return 0;
}
