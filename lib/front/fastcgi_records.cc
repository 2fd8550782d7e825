#include "fastcgi_records.h"

namespace heartbeat {
namespace fastcgi {
namespace {

// A length of a pair: one byte below 128, else four with the top bit set. False if `data`
// ends first.
bool ReadLength(std::string_view* data, size_t* length) {
  if (data->empty()) return false;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data->data());
  if (bytes[0] < 0x80) {
    *length = bytes[0];
    data->remove_prefix(1);
    return true;
  }
  if (data->size() < 4) return false;
  *length = (static_cast<size_t>(bytes[0] & 0x7f) << 24) | (static_cast<size_t>(bytes[1]) << 16) |
            (static_cast<size_t>(bytes[2]) << 8) | bytes[3];
  data->remove_prefix(4);
  return true;
}

void AppendLength(size_t length, std::string* out) {
  if (length < 0x80) {
    out->push_back(static_cast<char>(length));
    return;
  }
  out->push_back(static_cast<char>(0x80 | ((length >> 24) & 0x7f)));
  out->push_back(static_cast<char>((length >> 16) & 0xff));
  out->push_back(static_cast<char>((length >> 8) & 0xff));
  out->push_back(static_cast<char>(length & 0xff));
}

void FillHeader(unsigned char type, uint16_t request_id, size_t content, size_t padding,
                char* header) {
  header[0] = static_cast<char>(kVersion);
  header[1] = static_cast<char>(type);
  header[2] = static_cast<char>(request_id >> 8);
  header[3] = static_cast<char>(request_id & 0xff);
  header[4] = static_cast<char>(content >> 8);
  header[5] = static_cast<char>(content & 0xff);
  header[6] = static_cast<char>(padding);
  header[7] = 0;
}

void AppendHeader(unsigned char type, uint16_t request_id, size_t content, size_t padding,
                  std::string* out) {
  char header[kHeaderBytes];
  FillHeader(type, request_id, content, padding, header);
  out->append(header, kHeaderBytes);
}

// The largest multiple of 8 a record holds: every record of a stream but the last needs no
// padding.
constexpr size_t kChunk = kMaxContentBytes & ~size_t{7};

}  // namespace

Header ParseHeader(const unsigned char* bytes) {
  Header header;
  header.version = bytes[0];
  header.type = bytes[1];
  header.request_id = static_cast<uint16_t>(bytes[2] << 8 | bytes[3]);
  header.content_length = static_cast<uint16_t>(bytes[4] << 8 | bytes[5]);
  header.padding_length = bytes[6];
  return header;
}

PairResult NextPair(std::string_view* data, const PairLimits& limits, std::string_view* name,
                    std::string_view* value) {
  if (data->empty()) return PairResult::kEnd;
  std::string_view rest = *data;
  size_t name_length = 0;
  size_t value_length = 0;
  if (!ReadLength(&rest, &name_length) || !ReadLength(&rest, &value_length)) {
    return PairResult::kMalformed;
  }
  if (name_length > limits.max_name_bytes || value_length > limits.max_value_bytes ||
      name_length + value_length > rest.size()) {
    return PairResult::kMalformed;
  }
  *name = rest.substr(0, name_length);
  *value = rest.substr(name_length, value_length);
  rest.remove_prefix(name_length + value_length);
  *data = rest;
  return PairResult::kPair;
}

bool ReadPairs(std::string_view data, const PairLimits& limits, std::vector<PairSpan>* pairs) {
  pairs->clear();
  const char* const start = data.data();
  std::string_view name, value;
  for (;;) {
    switch (NextPair(&data, limits, &name, &value)) {
      case PairResult::kPair:
        pairs->push_back(
            {static_cast<uint32_t>(name.data() - start), static_cast<uint32_t>(name.size()),
             static_cast<uint32_t>(value.data() - start), static_cast<uint32_t>(value.size())});
        continue;
      case PairResult::kEnd:
        return true;
      case PairResult::kMalformed:
        return false;
    }
  }
}

void AppendPair(std::string_view name, std::string_view value, std::string* out) {
  AppendLength(name.size(), out);
  AppendLength(value.size(), out);
  out->append(name);
  out->append(value);
}

void AppendRecord(unsigned char type, uint16_t request_id, std::string_view content,
                  std::string* out) {
  // Padding to 8 keeps the next header aligned for the reader (section 3.3's recommendation).
  const size_t padding = (8 - content.size() % 8) % 8;
  AppendHeader(type, request_id, content.size(), padding, out);
  out->append(content);
  out->append(padding, '\0');
}

void AppendStream(unsigned char type, uint16_t request_id, std::string_view data,
                  std::string* out) {
  out->reserve(out->size() + data.size() + (data.size() / kChunk + 3) * 16);
  while (!data.empty()) {
    const size_t n = data.size() < kChunk ? data.size() : kChunk;
    AppendRecord(type, request_id, data.substr(0, n), out);
    data.remove_prefix(n);
  }
  AppendRecord(type, request_id, {}, out);
}

size_t OpenStream(std::string* out) {
  const size_t opened_at = out->size();
  out->append(kHeaderBytes, '\0');
  return opened_at;
}

void CloseStream(unsigned char type, uint16_t request_id, size_t opened_at, std::string* out) {
  const size_t data = out->size() - opened_at - kHeaderBytes;
  if (data == 0 || data > kChunk) {
    // No data (a stream of only its end), or more than one record holds: framed as a copy.
    const std::string written = out->substr(opened_at + kHeaderBytes);
    out->resize(opened_at);
    AppendStream(type, request_id, written, out);
    return;
  }
  const size_t padding = (8 - data % 8) % 8;
  FillHeader(type, request_id, data, padding, &(*out)[opened_at]);
  out->append(padding, '\0');
  AppendRecord(type, request_id, {}, out);
}

void AppendEndRequest(uint16_t request_id, uint32_t app_status, unsigned char protocol_status,
                      std::string* out) {
  const char body[kBeginBodyBytes] = {static_cast<char>(app_status >> 24),
                                      static_cast<char>((app_status >> 16) & 0xff),
                                      static_cast<char>((app_status >> 8) & 0xff),
                                      static_cast<char>(app_status & 0xff),
                                      static_cast<char>(protocol_status),
                                      0,
                                      0,
                                      0};
  AppendRecord(kEndRequest, request_id, std::string_view(body, sizeof body), out);
}

void AppendUnknownType(unsigned char type, std::string* out) {
  const char body[8] = {static_cast<char>(type), 0, 0, 0, 0, 0, 0, 0};
  AppendRecord(kUnknownType, 0, std::string_view(body, sizeof body), out);
}

}  // namespace fastcgi
}  // namespace heartbeat
