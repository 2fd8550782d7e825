#include "account_home.h"

#include <vector>

#include "key_value.h"

namespace heartbeat {

std::string HomeFolderIn(std::string_view text, uid_t uid) {
  const std::string wanted = std::to_string(uid);
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    // name:password:uid:gid:gecos:home:shell
    std::vector<std::string_view> fields;
    size_t start = 0;
    for (size_t colon; (colon = line.find(':', start)) != std::string_view::npos;
         start = colon + 1) {
      fields.push_back(line.substr(start, colon - start));
    }
    fields.push_back(line.substr(start));
    if (fields.size() != 7 || fields[2] != wanted) continue;
    std::string_view home = fields[5];
    return !home.empty() && home.front() == '/' ? std::string(home) : std::string();
  }
  return std::string();
}

std::string HomeFolderOf(uid_t uid, const std::string& passwd_file) {
  auto text = ReadWholeFile(passwd_file);
  return text.ok() ? HomeFolderIn(text.value(), uid) : std::string();
}

}  // namespace heartbeat
