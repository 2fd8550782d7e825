// What a peer on a program's socket sends, read by the FastCGI reader: it must never crash,
// read out of bounds or keep more than its limits, and the same bytes must give the same
// requests and replies however they are split into reads.
#include <cstddef>
#include <cstdint>
#include <string>

#include "fastcgi_reader.h"

namespace {

// Everything the reader gave, in order: each request and each reply, and how it ended.
std::string Transcript(const uint8_t* data, size_t size, size_t step) {
  heartbeat::FastCgiReader reader;
  std::string transcript, out;
  for (size_t at = 0; at < size || at == 0; at += step) {
    const size_t n = size - at < step ? size - at : step;
    reader.Append(reinterpret_cast<const char*>(data) + at, n);
    for (;;) {
      auto event = reader.Next(&out);
      if (event == heartbeat::FastCgiReader::Event::kNeedMore) break;
      transcript += out;
      out.clear();
      // When output is full enough to stop depends on the reads, not on the bytes.
      if (event == heartbeat::FastCgiReader::Event::kOutput) continue;
      transcript += "|" + std::to_string(static_cast<int>(event)) + "|";
      if (event == heartbeat::FastCgiReader::Event::kRequest) {
        const auto& request = reader.request();
        if (request.body.size() > heartbeat::kMaxBodyBytes + 1) __builtin_trap();
        if (request.params.size() > heartbeat::FastCgiLimits().max_params_bytes) __builtin_trap();
        transcript += std::to_string(request.id) + request.params + "|" + request.body + "|" +
                      (request.body_cut ? "cut" : "") + (request.keep_connection ? "keep" : "");
      }
      if (event == heartbeat::FastCgiReader::Event::kMalformed ||
          event == heartbeat::FastCgiReader::Event::kClose) {
        return transcript;
      }
    }
    if (size == 0) break;
  }
  return transcript + out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string whole = Transcript(data, size, size ? size : 1);
  const size_t step = size ? 1 + data[0] % 97 : 1;
  if (Transcript(data, size, step) != whole) __builtin_trap();
  return 0;
}
