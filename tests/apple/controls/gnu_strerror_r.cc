// Control: the GNU strerror_r returns char*; macOS has only the POSIX one, which returns int. It
// must not build for a Mac.
#include <cstring>

const char* Describe(int error, char* buffer, std::size_t size) {
  return strerror_r(error, buffer, size);
}
