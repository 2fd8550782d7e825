#include "listen_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "key_value.h"

namespace heartbeat {
namespace {

constexpr int kBacklog = 512;

Status SocketError(const std::string& what) {
  return Status::Unavailable(what + ": " + std::strerror(errno));
}

}  // namespace

Result<ListenAddress> ParseListenAddress(const std::string& text) {
  ListenAddress address;
  if (text.find('/') != std::string::npos) {
    if (text.size() >= sizeof(sockaddr_un::sun_path)) {
      return Status::Invalid("socket path too long: " + text);
    }
    address.is_unix = true;
    address.path = text;
    return address;
  }
  size_t colon = text.rfind(':');
  long long port = 0;
  if (colon == std::string::npos || !ParseIntInRange(text.substr(colon + 1), 1, 65535, &port)) {
    return Status::Invalid("expected a socket path (with a /) or host:port, got '" + text + "'");
  }
  address.host = text.substr(0, colon);
  address.port = static_cast<int>(port);
  in_addr ignored;
  if (!address.host.empty() && inet_pton(AF_INET, address.host.c_str(), &ignored) != 1) {
    return Status::Invalid("host must be a numeric IPv4 address: '" + address.host + "'");
  }
  return address;
}

bool IsLoopbackHost(const std::string& host) {
  in_addr address{};
  return !host.empty() && inet_pton(AF_INET, host.c_str(), &address) == 1 &&
         (ntohl(address.s_addr) >> 24) == 127;
}

bool ListenAllowed(const ListenAddress& address, const char* web_servers) {
  return address.is_unix || IsLoopbackHost(address.host) || (web_servers && *web_servers);
}

bool IsListeningSocket(int fd) {
  int listening = 0;
  socklen_t size = sizeof listening;
  return getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &size) == 0 && listening != 0;
}

Result<UniqueFd> OpenListenSocket(const ListenAddress& address) {
  UniqueFd fd(socket(address.is_unix ? AF_UNIX : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  if (!fd.valid()) return SocketError("socket");
  const std::string name =
      address.is_unix ? address.path : address.host + ":" + std::to_string(address.port);
  if (address.is_unix) {
    struct stat st;
    if (lstat(address.path.c_str(), &st) == 0) {
      if (!S_ISSOCK(st.st_mode)) {
        return Status::Invalid(address.path + " exists and is not a socket; not replacing it");
      }
      if (unlink(address.path.c_str()) != 0) return SocketError("remove the old " + name);
    }
    sockaddr_un sa{};
    sa.sun_family = AF_UNIX;
    std::memcpy(sa.sun_path, address.path.c_str(), address.path.size() + 1);
    if (bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
      return SocketError("listen on " + name);
    }
    // The umask (077) would leave the socket to this user alone: the web server's user must
    // connect, and the socket's folder is what guards it.
    if (chmod(address.path.c_str(), 0666) != 0) return SocketError("chmod " + name);
  } else {
    int yes = 1;
    if (setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes) != 0) {
      return SocketError("SO_REUSEADDR on " + name);
    }
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(static_cast<uint16_t>(address.port));
    sa.sin_addr.s_addr = htonl(INADDR_ANY);
    if (!address.host.empty()) inet_pton(AF_INET, address.host.c_str(), &sa.sin_addr);
    if (bind(fd.get(), reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
      return SocketError("listen on " + name);
    }
  }
  if (listen(fd.get(), kBacklog) != 0) return SocketError("listen on " + name);
  return fd;
}

}  // namespace heartbeat
