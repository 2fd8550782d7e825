#include "key_value.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "read_all.h"
#include "trim.h"
#include "unique_fd.h"

namespace heartbeat {
namespace {

// A file written on Windows ends its lines with CR LF.
constexpr std::string_view kLineBlanks = " \t\r";

bool IsKeyChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

std::string LineError(std::string_view source, int line, const std::string& what) {
  return std::string(source) + " line " + std::to_string(line) + ": " + what;
}

}  // namespace

Result<std::vector<KeyValueLine>> ParseKeyValueText(std::string_view text,
                                                    std::string_view source) {
  std::vector<KeyValueLine> lines;
  int number = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (raw.find('\0') != std::string_view::npos) {
      return Status::Invalid(LineError(source, number, "contains a NUL byte"));
    }
    std::string_view line = Trim(raw, kLineBlanks);
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return Status::Invalid(LineError(source, number, "expected `key = value`"));
    }
    std::string_view key = Trim(line.substr(0, eq), kLineBlanks);
    std::string_view value = Trim(line.substr(eq + 1), kLineBlanks);
    if (key.empty()) return Status::Invalid(LineError(source, number, "missing key"));
    for (char c : key) {
      if (!IsKeyChar(c)) {
        return Status::Invalid(
            LineError(source, number, "malformed key '" + std::string(key) + "'"));
      }
    }
    for (const KeyValueLine& seen : lines) {
      if (seen.key == key) {
        return Status::Invalid(
            LineError(source, number,
                      "key '" + std::string(key) + "' repeats line " + std::to_string(seen.line)));
      }
    }
    lines.push_back(KeyValueLine{std::string(key), std::string(value), number});
  }
  return lines;
}

Result<std::string> ReadWholeFile(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return OpenFailure(path);
  return ReadOpenFile(fd.get(), path);
}

Status OpenFailure(const std::string& path) {
  if (errno == ENOENT) return Status::NotFound(path + ": no such file");
  return Status::Unavailable(path + ": " + std::strerror(errno));
}

Result<std::string> ReadOpenFile(int fd, const std::string& path) {
  struct stat st;
  if (fstat(fd, &st) != 0) return Status::Unavailable(path + ": " + std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return Status::Unavailable(path + ": not a regular file");
  return ReadToEnd(fd, path, SIZE_MAX);
}

bool ParseIntInRange(std::string_view text, long long min, long long max, long long* out) {
  if (text.empty() || text.size() > 18) return false;
  long long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (value < min || value > max) return false;
  *out = value;
  return true;
}

}  // namespace heartbeat
