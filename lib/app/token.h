// Token hashing and comparison (libsodium): the server only ever holds SHA-256 hashes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace heartbeat {

using Sha256 = std::array<uint8_t, 32>;

// Must be called once before the other functions (initialises libsodium). False if the
// system's random source is unusable.
bool InitCrypto();

Sha256 HashToken(std::string_view token);
std::string ToHex(const Sha256& digest);

// Parses exactly 64 hex digits, either case.
bool ParseSha256Hex(std::string_view hex, Sha256* out);

// Compares the hash of `token` with `expected` in time independent of where they differ.
bool TokenMatches(std::string_view token, const Sha256& expected);

// A fresh random token: 32 bytes (256 bits) from the system's CSPRNG, as URL-safe base64.
std::string NewToken();

}  // namespace heartbeat
