// Text built without an allocation for each piece. An answer is made of many small pieces (a
// status line, a handful of headers, numbers); building each as a std::string of its own
// would cost an allocation apiece on every request.
#pragma once

#include <charconv>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace heartbeat {

// Appends the pieces to *out, growing it once at most.
inline void AppendAll(std::string* out, std::initializer_list<std::string_view> pieces) {
  size_t size = 0;
  for (std::string_view piece : pieces) size += piece.size();
  const size_t start = out->size();
  out->resize(start + size);
  char* at = out->data() + start;
  for (std::string_view piece : pieces) at += piece.copy(at, piece.size());
}

// Up to N bytes of text held in place, for text whose bound is known: a number, an ETag. What
// would go past N is left out (callers size N so that nothing ever is).
template <size_t N>
class ShortText {
 public:
  ShortText() = default;
  ShortText(std::initializer_list<std::string_view> pieces) {
    for (std::string_view piece : pieces) Append(piece);
  }
  void Append(std::string_view piece) { size_ += piece.copy(data_ + size_, N - size_); }
  std::string_view view() const { return {data_, size_}; }

 private:
  char data_[N];
  size_t size_ = 0;
};

// `n` in decimal: 20 digits hold every uint64_t.
inline ShortText<20> Decimal(uint64_t n) {
  char digits[20];
  const char* end = std::to_chars(digits, digits + sizeof digits, n).ptr;
  return ShortText<20>{std::string_view(digits, static_cast<size_t>(end - digits))};
}

}  // namespace heartbeat
