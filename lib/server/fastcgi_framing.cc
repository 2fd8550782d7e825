#include "fastcgi_framing.h"

#include <cstdint>

#include "http.h"

namespace heartbeat {
namespace {

// FastCGI 1.0: an 8-byte header (version, type, request id, content length, padding
// length, reserved) before each record's content and padding.
constexpr size_t kHeaderBytes = 8;
constexpr unsigned char kVersion = 1;
constexpr unsigned char kBeginRequest = 1;
constexpr unsigned char kParams = 4;
constexpr unsigned char kStdin = 5;
constexpr unsigned char kMaxRecordType = 11;

}  // namespace

Arrival RequestArrival(const unsigned char* data, size_t size, size_t* stale_bytes) {
  *stale_bytes = 0;
  bool begun = false;
  bool params_done = false;
  uint16_t request_id = 0;
  size_t body_bytes = 0;
  size_t at = 0;
  while (size - at >= kHeaderBytes) {
    const unsigned char* header = data + at;
    if (header[0] != kVersion || header[1] == 0 || header[1] > kMaxRecordType) {
      return Arrival::kMalformed;
    }
    const unsigned char type = header[1];
    const uint16_t id = static_cast<uint16_t>(header[2] << 8 | header[3]);
    const size_t content = static_cast<size_t>(header[4] << 8 | header[5]);
    const size_t record = kHeaderBytes + content + header[6];
    if (size - at < record) return Arrival::kPartial;
    at += record;
    if (!begun && !(type == kBeginRequest && id != 0)) *stale_bytes = at;
    if (type == kBeginRequest && id != 0) {
      begun = true;
      params_done = false;
      request_id = id;
      body_bytes = 0;
    } else if (!begun || id != request_id) {
      continue;  // management records, and the end of an earlier request
    } else if (type == kParams && content == 0) {
      params_done = true;
    } else if (type == kStdin && params_done) {
      if (content == 0) return Arrival::kWhole;
      body_bytes += content;
      if (body_bytes > kMaxBodyBytes) return Arrival::kWhole;
    }
  }
  return Arrival::kPartial;
}

}  // namespace heartbeat
