// The one reader of a FastCGI connection (docs/protocol.md, "The FastCGI wire"): bytes as they
// arrive go in, whole requests (their params and body) come out, and the records the protocol
// asks for in reply (GET_VALUES_RESULT, UNKNOWN_TYPE, END_REQUEST for a request refused or
// aborted) are written by it. One request at a time (FCGI_MPXS_CONNS is 0). It never waits and
// never touches a socket: the connection loop feeds it and keeps the time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fastcgi_records.h"
#include "http.h"

namespace heartbeat {

// Every bound on what one peer can make the reader keep or do. A request past one of them is
// not a web server's: its connection is closed.
struct FastCgiLimits {
  // The params of one request, all records together (nginx's headers are at most 32 KiB by
  // default, Apache's 8 KiB a line).
  size_t max_params_bytes = 64 * 1024;
  fastcgi::PairLimits pair;
  // Records of one request, from its BEGIN_REQUEST to the end of its body.
  size_t max_records = 16384;
  // The body bytes kept; the rest of a longer body is read and dropped (the handler answers
  // 413 from what was kept, one byte past its limit).
  size_t kept_body_bytes = kMaxBodyBytes + 1;
  // What GET_VALUES_RESULT answers.
  unsigned max_connections = 256;
};

// A request that has arrived whole.
struct FastCgiRequest {
  uint16_t id = 0;
  bool keep_connection = false;          // FCGI_KEEP_CONN: the connection is to stay open after it
  std::string params;                    // the name-value pairs as sent
  std::vector<fastcgi::PairSpan> pairs;  // where each of them lies in `params`
  std::string body;                      // the first FastCgiLimits::kept_body_bytes of the body
  bool body_cut = false;                 // more body followed what is kept, and was dropped
};

class FastCgiReader {
 public:
  explicit FastCgiReader(const FastCgiLimits& limits = FastCgiLimits()) : limits_(limits) {}

  // Where the connection is, for its deadlines.
  enum class Phase {
    kIdle,      // between requests, no byte of a next one waiting
    kArriving,  // a request's first records (or a management record) have begun to arrive
    kBody,      // a request's params are whole, its body is arriving
  };
  Phase phase() const;

  // Bytes read from the connection, taken in order.
  void Append(const char* data, size_t size);

  enum class Event {
    kNeedMore,   // every whole record is read: wait for more bytes
    kRequest,    // request() has arrived whole; the caller answers it before asking again
    kOutput,     // *out has grown past a few records: write it before asking again
    kClose,      // the peer's connection is to end once *out is written (a request refused or
                 // aborted without FCGI_KEEP_CONN)
    kMalformed,  // not FastCGI, or past a limit: close the connection
  };
  // Reads the records that have arrived, up to the next event, appending replies to *out.
  Event Next(std::string* out);

  // After kRequest: the request, which the reader no longer needs (it may be moved from).
  FastCgiRequest& request() { return request_; }

  // Bytes appended and not yet read as records.
  size_t buffered() const { return buffer_.size() - consumed_; }

 private:
  Event Record(const fastcgi::Header& header, std::string_view content, std::string* out);
  Event Management(const fastcgi::Header& header, std::string_view content, std::string* out);
  Event Begin(const fastcgi::Header& header, std::string_view content, std::string* out);

  FastCgiLimits limits_;
  std::string buffer_;
  size_t consumed_ = 0;  // of buffer_, read as records
  // The request open on the connection, if any.
  bool open_ = false;
  bool params_done_ = false;
  size_t records_ = 0;
  FastCgiRequest request_;
};

}  // namespace heartbeat
