// The query string, If-None-Match, Origin and listen addresses.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "cors.h"
#include "http_cache.h"
#include "listen_socket.h"
#include "query.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)heartbeat::QueryParameter(text, "format");
  (void)heartbeat::PercentDecode(text);
  (void)heartbeat::IfNoneMatchMatches(text, "\"0123456789abcdef\"");
  heartbeat::Response response;
  heartbeat::AddCorsHeaders({"https://a.example", "https://b.example"}, text, &response);
  (void)heartbeat::ParseListenAddress(std::string(text));
  return 0;
}
