#include "fastcgi_reader.h"

namespace heartbeat {

using namespace fastcgi;

namespace {

// Past this much waiting output the reader stops, so that a peer that sends management
// records and reads no answers cannot grow it.
constexpr size_t kOutputHighWater = 64 * 1024;

// Below this much read and consumed, the buffer is not moved down.
constexpr size_t kCompactBytes = 64 * 1024;

}  // namespace

FastCgiReader::Phase FastCgiReader::phase() const {
  if (open_) return params_done_ ? Phase::kBody : Phase::kArriving;
  return buffered() == 0 ? Phase::kIdle : Phase::kArriving;
}

void FastCgiReader::Append(const char* data, size_t size) {
  if (consumed_ == buffer_.size()) {
    buffer_.clear();
    consumed_ = 0;
  } else if (consumed_ >= kCompactBytes) {
    buffer_.erase(0, consumed_);
    consumed_ = 0;
  }
  buffer_.append(data, size);
}

FastCgiReader::Event FastCgiReader::Next(std::string* out) {
  for (;;) {
    if (out->size() >= kOutputHighWater) return Event::kOutput;
    if (buffered() < kHeaderBytes) return Event::kNeedMore;
    const auto* at = reinterpret_cast<const unsigned char*>(buffer_.data() + consumed_);
    const Header header = ParseHeader(at);
    if (header.version != kVersion) return Event::kMalformed;
    if (buffered() < header.RecordBytes()) return Event::kNeedMore;
    const std::string_view content(reinterpret_cast<const char*>(at) + kHeaderBytes,
                                   header.content_length);
    consumed_ += header.RecordBytes();
    const Event event = Record(header, content, out);
    if (event != Event::kNeedMore) return event;
  }
}

// One whole record. kNeedMore: go on with the next.
FastCgiReader::Event FastCgiReader::Record(const Header& header, std::string_view content,
                                           std::string* out) {
  if (header.request_id == 0) return Management(header, content, out);
  if (open_ && ++records_ > limits_.max_records) return Event::kMalformed;
  if (header.type == kBeginRequest) return Begin(header, content, out);
  // Records of an id with no open request are ignored (what is left of a request already
  // answered, or refused), as are types an application is never sent (section 5).
  if (!open_ || header.request_id != request_.id) return Event::kNeedMore;
  switch (header.type) {
    case kAbortRequest:
      open_ = false;
      AppendEndRequest(request_.id, 0, kRequestComplete, out);
      return request_.keep_connection ? Event::kNeedMore : Event::kClose;
    case kParams:
      if (params_done_) return Event::kNeedMore;  // a stream already ended
      if (content.empty()) {
        if (!ReadPairs(request_.params, limits_.pair, &request_.pairs)) return Event::kMalformed;
        params_done_ = true;
        return Event::kNeedMore;
      }
      if (content.size() > limits_.max_params_bytes - request_.params.size()) {
        return Event::kMalformed;
      }
      request_.params.append(content);
      return Event::kNeedMore;
    case kStdin:
      if (!params_done_) return Event::kMalformed;  // the body comes after the params
      if (content.empty()) {
        open_ = false;
        return Event::kRequest;
      }
      {
        const size_t room = limits_.kept_body_bytes - request_.body.size();
        if (content.size() > room) request_.body_cut = true;
        request_.body.append(content.substr(0, room));
      }
      return Event::kNeedMore;
    default:
      return Event::kNeedMore;  // FCGI_DATA is a filter's; a responder has none
  }
}

FastCgiReader::Event FastCgiReader::Begin(const Header& header, std::string_view content,
                                          std::string* out) {
  if (content.size() != kBeginBodyBytes) return Event::kMalformed;
  if (open_) {
    // One request at a time: the open one goes on, this one is refused (section 5.1).
    if (header.request_id == request_.id) return Event::kMalformed;
    AppendEndRequest(header.request_id, 0, kCantMpxConn, out);
    return Event::kNeedMore;
  }
  const auto* body = reinterpret_cast<const unsigned char*>(content.data());
  const uint16_t role = static_cast<uint16_t>(body[0] << 8 | body[1]);
  const bool keep = (body[2] & kKeepConn) != 0;
  if (role != kResponder) {
    AppendEndRequest(header.request_id, 0, kUnknownRole, out);
    return keep ? Event::kNeedMore : Event::kClose;
  }
  open_ = true;
  params_done_ = false;
  records_ = 1;
  request_.id = header.request_id;
  request_.keep_connection = keep;
  request_.params.clear();
  request_.body.clear();
  request_.body_cut = false;
  return Event::kNeedMore;
}

// A record of id 0, wherever it comes: the connection stays usable (section 4).
FastCgiReader::Event FastCgiReader::Management(const Header& header, std::string_view content,
                                               std::string* out) {
  if (header.type != kGetValues) {
    AppendUnknownType(header.type, out);
    return Event::kNeedMore;
  }
  // Each name this program knows is answered once, however often it is asked; what follows
  // a malformed pair is not looked at.
  const std::string max_connections = std::to_string(limits_.max_connections);
  const std::pair<std::string_view, std::string_view> known[] = {
      {"FCGI_MAX_CONNS", max_connections},
      {"FCGI_MAX_REQS", max_connections},  // one request per connection
      {"FCGI_MPXS_CONNS", "0"},
  };
  bool asked[3] = {};
  std::string_view name, value;
  while (NextPair(&content, limits_.pair, &name, &value) == PairResult::kPair) {
    for (size_t i = 0; i < 3; ++i) {
      if (known[i].first == name) asked[i] = true;
    }
  }
  std::string pairs;
  for (size_t i = 0; i < 3; ++i) {
    if (asked[i]) AppendPair(known[i].first, known[i].second, &pairs);
  }
  AppendRecord(kGetValuesResult, 0, pairs, out);
  return Event::kNeedMore;
}

}  // namespace heartbeat
