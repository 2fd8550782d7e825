// The parts of a file path, taken apart as text (no file is looked at).
#pragma once

#include <string>

namespace heartbeat {

// The folder part of a path ("." when there is none, "/" for a file at the root).
std::string DirName(const std::string& path);
// The last part of a path.
std::string BaseName(const std::string& path);

}  // namespace heartbeat
