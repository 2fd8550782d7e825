// A small strict JSON reader (RFC 8259) for what the agent reads from a server: the status answer
// and the error bodies. Text in, a value tree out, or an Invalid Status saying where it broke;
// no exceptions. Numbers are kept as written (the agent needs none as floating point).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "result.h"

namespace heartbeat {

struct JsonValue {
  enum class Kind { kNull, kBoolean, kNumber, kString, kArray, kObject };

  Kind kind = Kind::kNull;
  bool boolean = false;
  std::string text;              // a string's value (UTF-8), or a number's text as written
  std::vector<JsonValue> items;  // an array's
  std::vector<std::pair<std::string, JsonValue>> members;  // an object's, in order, names unique

  // An object's member `name`; nullptr when this is not an object or has no such member.
  const JsonValue* Find(std::string_view name) const;
  // The same, only when the member is of `kind`.
  const JsonValue* Find(std::string_view name, Kind kind) const;
  // A number without fraction or exponent, within [min, max].
  std::optional<long long> Integer(long long min, long long max) const;

  bool operator==(const JsonValue& other) const;
  bool operator!=(const JsonValue& other) const { return !(*this == other); }
};

struct JsonLimits {
  size_t max_bytes = 1024 * 1024;  // the whole text
  int max_depth = 32;              // arrays and objects inside each other
};

// Exactly one JSON value, optionally between white space. Refused (Invalid, with the byte
// offset): anything RFC 8259 does not allow (a byte order mark, trailing commas, single quotes,
// comments, leading zeros, "+1", NaN, a lone surrogate escape, a raw control character or a byte
// that is not UTF-8 in a string), an object with a name twice, text past `limits`.
Result<JsonValue> ReadJson(std::string_view text, const JsonLimits& limits = {});

// `value` as compact JSON text that ReadJson reads back to an equal value.
std::string WriteJson(const JsonValue& value);

}  // namespace heartbeat
