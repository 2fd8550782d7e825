#include "token.h"

#include <sodium.h>

#include "hex.h"

namespace heartbeat {

bool InitCrypto() { return sodium_init() >= 0; }

Sha256 HashToken(std::string_view token) {
  Sha256 digest;
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  return digest;
}

std::string ToHex(const Sha256& digest) {
  char hex[2 * 32 + 1];
  sodium_bin2hex(hex, sizeof hex, digest.data(), digest.size());
  return hex;
}

bool ParseSha256Hex(std::string_view hex, Sha256* out) {
  if (hex.size() != 64) return false;
  for (char c : hex) {
    if (HexDigitValue(c) < 0) return false;
  }
  size_t written = 0;
  return sodium_hex2bin(out->data(), out->size(), hex.data(), hex.size(), nullptr, &written,
                        nullptr) == 0 &&
         written == out->size();
}

bool TokenMatches(std::string_view token, const Sha256& expected) {
  Sha256 actual = HashToken(token);
  return sodium_memcmp(actual.data(), expected.data(), actual.size()) == 0;
}

std::string NewToken() {
  unsigned char bytes[32];
  randombytes_buf(bytes, sizeof bytes);
  char text[sodium_base64_ENCODED_LEN(sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];
  sodium_bin2base64(text, sizeof text, bytes, sizeof bytes,
                    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  sodium_memzero(bytes, sizeof bytes);
  return text;
}

}  // namespace heartbeat
