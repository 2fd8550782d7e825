// The programs' FastCGI reader against libfcgi, the reference implementation, on the same bytes:
// requests generated from the fuzzer's input (a begin record, params split into records at any
// byte with 1- and 4-byte lengths, a body likewise, padding of any length, records of other ids
// in between, a second BEGIN_REQUEST refused) that libfcgi reads without crashing: no
// management records, one responder request. Whenever libfcgi's FCGX_Accept_r yields a request from
// a socketpair, the reader must yield the same: id, keep-connection flag, every parameter in order,
// the body.
#include <fcgiapp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "fastcgi_reader.h"
#include "fastcgi_records.h"

namespace {

using namespace heartbeat::fastcgi;

// The fuzzer's bytes as a source of choices; zeros once they run out.
class Choices {
 public:
  Choices(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  unsigned Byte() { return at_ < size_ ? data_[at_++] : 0; }
  unsigned Below(unsigned n) { return n ? (Byte() | Byte() << 8) % n : 0; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t at_ = 0;
};

void Record(unsigned char type, uint16_t id, const std::string& content, unsigned padding,
            std::string* out) {
  const char header[8] = {1,
                          static_cast<char>(type),
                          static_cast<char>(id >> 8),
                          static_cast<char>(id & 0xff),
                          static_cast<char>(content.size() >> 8),
                          static_cast<char>(content.size() & 0xff),
                          static_cast<char>(padding),
                          0};
  out->append(header, 8);
  out->append(content);
  out->append(padding, static_cast<char>(padding));
}

// Now and then, a record that both must pass over: another id's stream record, or its begin
// record while one is open (refused with CANT_MPX_CONN).
void MaybeNoise(Choices& choices, uint16_t id, bool open, std::string* out) {
  const unsigned what = choices.Byte() % 8;
  const uint16_t other = static_cast<uint16_t>(id + 1 + choices.Below(5));
  // Never empty: after an empty record of another id libfcgi also skips the content of the
  // next record of its own (its skip flag is cleared only by content skipped).
  if (what == 1) Record(kParams, other, std::string(1 + choices.Below(40), 'n'), 0, out);
  if (what == 2) Record(kStdin, other, std::string(1 + choices.Below(40), 's'), 3, out);
  if (what == 3 && open) Record(kBeginRequest, other, std::string("\0\1\0\0\0\0\0\0", 8), 0, out);
}

// A stream (params or body) cut into records at chosen lengths, then its empty record.
void Stream(Choices& choices, unsigned char type, uint16_t id, const std::string& data,
            std::string* out) {
  size_t at = 0;
  while (at < data.size()) {
    size_t n = 1 + choices.Below(choices.Byte() % 4 == 0 ? 65535 : 300);
    if (n > data.size() - at) n = data.size() - at;
    Record(type, id, data.substr(at, n), choices.Byte(), out);
    at += n;
    MaybeNoise(choices, id, true, out);
  }
  // Unpadded: libfcgi does not skip the padding of a stream's empty record either (the params'
  // end with padding loses the body).
  Record(type, id, "", 0, out);
}

void Length(size_t length, bool long_form, std::string* out) {
  if (length < 128 && !long_form) {
    out->push_back(static_cast<char>(length));
    return;
  }
  out->push_back(static_cast<char>(0x80 | (length >> 24)));
  out->push_back(static_cast<char>(length >> 16));
  out->push_back(static_cast<char>(length >> 8));
  out->push_back(static_cast<char>(length));
}

struct Generated {
  std::string bytes;
  uint16_t id = 0;
  bool keep = false;
  std::vector<std::string> params;  // NAME=value
  std::string body;
};

Generated Generate(Choices& choices) {
  Generated g;
  g.id = static_cast<uint16_t>(1 + choices.Below(300));
  g.keep = choices.Byte() & 1;
  MaybeNoise(choices, g.id, false, &g.bytes);
  // No padding after the begin record: libfcgi does not skip it (it reads the padding as the
  // next header and loses the params), where the reader skips it as on any record (unit test
  // fastcgi_reader/padding_of_every_length_is_skipped).
  Record(kBeginRequest, g.id, std::string{0, 1, static_cast<char>(g.keep ? 1 : 0), 0, 0, 0, 0, 0},
         0, &g.bytes);
  std::string pairs;
  for (unsigned i = 0, n = choices.Below(12); i < n; ++i) {
    std::string name(1 + choices.Below(20), 'A');
    for (char& c : name) c = "ABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789"[choices.Below(37)];
    std::string value(choices.Byte() % 5 == 0 ? choices.Below(3000) : choices.Below(40), 'v');
    for (char& c : value) c = static_cast<char>(1 + choices.Below(255));  // no NUL: C strings
    Length(name.size(), choices.Byte() % 7 == 0, &pairs);
    Length(value.size(), choices.Byte() % 7 == 0, &pairs);
    pairs += name + value;
    g.params.push_back(name + "=" + value);
  }
  Stream(choices, kParams, g.id, pairs, &g.bytes);
  g.body.resize(choices.Byte() % 3 == 0 ? choices.Below(9000) : choices.Below(64));
  for (char& c : g.body) c = static_cast<char>(choices.Byte());
  Stream(choices, kStdin, g.id, g.body, &g.bytes);
  return g;
}

// What libfcgi makes of the bytes; false if it yields no request.
bool LibFcgiReads(const std::string& bytes, std::vector<std::string>* params, std::string* body,
                  int* id, bool* keep) {
  int pair[2];
  if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) != 0) __builtin_trap();
  if (write(pair[0], bytes.data(), bytes.size()) != static_cast<ssize_t>(bytes.size())) {
    __builtin_trap();
  }
  shutdown(pair[0], SHUT_WR);
  FCGX_Request request;
  FCGX_InitRequest(&request, -1, 0);
  request.ipcFd = pair[1];
  // FCGX_Accept_r first finishes the request before, closing its connection unless kept.
  request.keepConnection = 1;
  const bool ok = FCGX_Accept_r(&request) == 0;
  if (ok) {
    for (char** env = request.envp; *env; ++env) params->push_back(*env);
    char buffer[4096];
    for (int n; (n = FCGX_GetStr(buffer, sizeof buffer, request.in)) > 0;) body->append(buffer, n);
    *id = request.requestId;
    *keep = request.keepConnection != 0;
  }
  request.detached = 1;  // no lingering close
  FCGX_Free(&request, 1);
  close(pair[0]);
  return ok;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bool initialised = FCGX_Init() == 0;
  if (!initialised) __builtin_trap();
  Choices choices(data, size);
  const Generated g = Generate(choices);

  std::vector<std::string> their_params;
  std::string their_body;
  int their_id = 0;
  bool their_keep = false;
  if (!LibFcgiReads(g.bytes, &their_params, &their_body, &their_id, &their_keep)) return 0;

  heartbeat::FastCgiReader reader;
  reader.Append(g.bytes.data(), g.bytes.size());
  std::string out;
  heartbeat::FastCgiReader::Event event;
  while ((event = reader.Next(&out)) == heartbeat::FastCgiReader::Event::kOutput) out.clear();
  if (event != heartbeat::FastCgiReader::Event::kRequest) __builtin_trap();
  const heartbeat::FastCgiRequest& ours = reader.request();
  if (ours.id != their_id || ours.keep_connection != their_keep) __builtin_trap();

  // libfcgi puts its FCGI_ROLE first; the rest are the params as sent, in order.
  std::vector<std::string> our_params = {"FCGI_ROLE=RESPONDER"};
  std::string_view pairs = ours.params, name, value;
  while (NextPair(&pairs, heartbeat::FastCgiLimits().pair, &name, &value) == PairResult::kPair) {
    our_params.push_back(std::string(name) + "=" + std::string(value));
  }
  if (our_params != their_params) __builtin_trap();
  const size_t kept = heartbeat::FastCgiLimits().kept_body_bytes;
  if (ours.body != their_body.substr(0, kept)) __builtin_trap();
  if (ours.body_cut != (their_body.size() > kept)) __builtin_trap();
  // And both read what was generated.
  if (their_body != g.body) __builtin_trap();
  return 0;
}
