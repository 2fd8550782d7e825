// Control: preadv() came with macOS 11; the oldest Mac the agent is built for (x86_64, 10.15)
// lacks it, so Apple's availability error must refuse the call.
#include <sys/uio.h>

ssize_t ReadAt(int fd, const struct iovec* parts, int count, off_t at) {
  return preadv(fd, parts, count, at);
}
