// The socket of `--listen ADDR` (docs/protocol.md, "Programs"): a unix socket path when ADDR has a
// `/`, else host:port with a numeric IPv4 host (no name lookup, which a static binary must avoid).
#pragma once

#include <string>

#include "result.h"
#include "unique_fd.h"

namespace heartbeat {

struct ListenAddress {
  bool is_unix = false;
  std::string path;  // unix socket
  std::string host;  // TCP: numeric IPv4, empty for all addresses
  int port = 0;
};

Result<ListenAddress> ParseListenAddress(const std::string& text);

// Whether a numeric IPv4 host is in 127.0.0.0/8 (empty, all addresses, is not).
bool IsLoopbackHost(const std::string& host);

// False for a TCP address off loopback unless `web_servers` (FCGI_WEB_SERVER_ADDRS, honoured
// on accept) names the web servers allowed to connect: a peer must never be anyone by accident.
bool ListenAllowed(const ListenAddress& address, const char* web_servers);

// Whether `fd` is a listening socket: what a FastCGI process manager (mod_fcgid, spawn-fcgi)
// hands over on descriptor 0; under CGI it is a pipe or a file.
bool IsListeningSocket(int fd);

// Binds and listens. A unix socket path that exists and is not a socket is refused (it is
// never deleted); a stale socket file is replaced. The socket file is made connectable by
// every local user (mode 0666): guard it with the permissions of its folder.
Result<UniqueFd> OpenListenSocket(const ListenAddress& address);

}  // namespace heartbeat
