// FastCGI 1.0 on the wire (the specification's sections 3 and 8): the 8-byte record header,
// name-value pairs with 1- or 4-byte lengths, and the records an application writes. Bytes in,
// values out and back; nothing here touches a socket (fastcgi_reader.h keeps the state).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace heartbeat {
namespace fastcgi {

constexpr size_t kHeaderBytes = 8;
constexpr unsigned char kVersion = 1;
constexpr size_t kMaxContentBytes = 65535;

// Record types.
constexpr unsigned char kBeginRequest = 1;
constexpr unsigned char kAbortRequest = 2;
constexpr unsigned char kEndRequest = 3;
constexpr unsigned char kParams = 4;
constexpr unsigned char kStdin = 5;
constexpr unsigned char kStdout = 6;
constexpr unsigned char kStderr = 7;
constexpr unsigned char kData = 8;
constexpr unsigned char kGetValues = 9;
constexpr unsigned char kGetValuesResult = 10;
constexpr unsigned char kUnknownType = 11;

// The one role this program plays, and the flag of BEGIN_REQUEST's body.
constexpr uint16_t kResponder = 1;
constexpr unsigned char kKeepConn = 1;
constexpr size_t kBeginBodyBytes = 8;

// END_REQUEST's protocol status.
constexpr unsigned char kRequestComplete = 0;
constexpr unsigned char kCantMpxConn = 1;
constexpr unsigned char kOverloaded = 2;
constexpr unsigned char kUnknownRole = 3;

struct Header {
  unsigned char version = 0;
  unsigned char type = 0;
  uint16_t request_id = 0;
  uint16_t content_length = 0;
  unsigned char padding_length = 0;
  // The whole record: header, content and padding.
  size_t RecordBytes() const { return kHeaderBytes + content_length + padding_length; }
};

// Reads the header at `bytes`, which must hold kHeaderBytes.
Header ParseHeader(const unsigned char* bytes);

// The lengths a name-value pair may have; a longer one is refused, never allocated.
struct PairLimits {
  size_t max_name_bytes = 1024;
  size_t max_value_bytes = 65535;
};

enum class PairResult {
  kPair,       // *name and *value are the next pair, *data advanced past it
  kEnd,        // *data is empty
  kMalformed,  // a length runs past the data, or is over the limits
};

// The next pair of a name-value stream (section 3.4: each length is one byte below 128, else
// four bytes with the top bit set), as views into *data.
PairResult NextPair(std::string_view* data, const PairLimits& limits, std::string_view* name,
                    std::string_view* value);

// Where a pair lies in the stream it was read from: offsets, which stay true in a copy of it.
struct PairSpan {
  uint32_t name_at = 0;
  uint32_t name_bytes = 0;
  uint32_t value_at = 0;
  uint32_t value_bytes = 0;
  std::string_view Name(std::string_view stream) const {
    return stream.substr(name_at, name_bytes);
  }
  std::string_view Value(std::string_view stream) const {
    return stream.substr(value_at, value_bytes);
  }
};

// Every pair of `data` (under 4 GiB), in order, into *pairs (emptied first, its room kept).
// False unless `data` is a whole stream of pairs within `limits`.
bool ReadPairs(std::string_view data, const PairLimits& limits, std::vector<PairSpan>* pairs);

// The encoding NextPair reads, appended to *out.
void AppendPair(std::string_view name, std::string_view value, std::string* out);

// One record with `content` (at most kMaxContentBytes), padded to a multiple of 8 bytes.
void AppendRecord(unsigned char type, uint16_t request_id, std::string_view content,
                  std::string* out);

// A stream (STDOUT, STDERR): `data` cut into records of at most kMaxContentBytes, then the
// empty record that ends it.
void AppendStream(unsigned char type, uint16_t request_id, std::string_view data, std::string* out);

// The same stream, its data written straight into *out rather than copied from elsewhere:
// OpenStream leaves room for the first record's header and returns where it begins; once the
// data is appended after it, CloseStream frames it, byte for byte as AppendStream would.
size_t OpenStream(std::string* out);
void CloseStream(unsigned char type, uint16_t request_id, size_t opened_at, std::string* out);

void AppendEndRequest(uint16_t request_id, uint32_t app_status, unsigned char protocol_status,
                      std::string* out);

// The answer to a management record of a type this program does not know.
void AppendUnknownType(unsigned char type, std::string* out);

}  // namespace fastcgi
}  // namespace heartbeat
