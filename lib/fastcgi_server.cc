#include "fastcgi_server.h"

#include <arpa/inet.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "cgi_request.h"
#include "clock.h"
#include "log.h"

namespace heartbeat {
namespace {

// Beyond this many open connections new ones wait in the listen backlog. It also keeps every
// descriptor far below FD_SETSIZE, which libfcgi's lingering close relies on.
constexpr size_t kMaxConnections = 256;

// A request is read with blocking reads once epoll says it has begun, as libfcgi reads. A
// peer that goes quiet in the middle of one holds every other connection up for at most this
// long, then is dropped. Web servers pass a request whole, so this never cuts one of theirs.
constexpr time_t kStallSeconds = 2;

// How long accepting pauses after accept() fails for want of descriptors or memory.
constexpr int kAcceptPauseMs = 1000;

volatile sig_atomic_t g_stop_requested = 0;

void OnStopSignal(int) { g_stop_requested = 1; }

// The stop signals stay blocked except inside epoll_pwait(): a signal can neither slip in between
// the check of g_stop_requested and the wait, nor interrupt a request half-served. Returns
// the mask to wait with.
sigset_t InstallSignalHandlers() {
  struct sigaction stop {};
  stop.sa_handler = OnStopSignal;
  sigemptyset(&stop.sa_mask);
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  for (int signal_number : {SIGTERM, SIGINT, SIGUSR1}) {
    sigaction(signal_number, &stop, nullptr);
    sigaddset(&stop_signals, signal_number);
  }
  signal(SIGPIPE, SIG_IGN);  // a client gone mid-answer is not our death
  sigset_t wait_mask;
  sigprocmask(SIG_BLOCK, &stop_signals, &wait_mask);
  for (int signal_number : {SIGTERM, SIGINT, SIGUSR1}) sigdelset(&wait_mask, signal_number);
  return wait_mask;
}

bool IsUnixSocket(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  return getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
         address.ss_family == AF_UNIX;
}

// FCGI_WEB_SERVER_ADDRS: the comma-separated IPv4 addresses allowed to connect over TCP, as
// libfcgi's own accept honours it. Empty: any.
std::vector<in_addr_t> AllowedWebServers() {
  std::vector<in_addr_t> allowed;
  const char* list = getenv("FCGI_WEB_SERVER_ADDRS");
  while (list && *list) {
    const char* comma = std::strchr(list, ',');
    std::string item(list, comma ? static_cast<size_t>(comma - list) : std::strlen(list));
    in_addr address{};
    if (inet_pton(AF_INET, item.c_str(), &address) == 1) allowed.push_back(address.s_addr);
    list = comma ? comma + 1 : nullptr;
  }
  return allowed;
}

bool PeerAllowed(const sockaddr_storage& peer, const std::vector<in_addr_t>& allowed) {
  if (allowed.empty() || peer.ss_family != AF_INET) return true;
  in_addr_t address = reinterpret_cast<const sockaddr_in&>(peer).sin_addr.s_addr;
  for (in_addr_t ok : allowed) {
    if (ok == address) return true;
  }
  return false;
}

// One connection from the web server, with libfcgi's state for it. The request never
// accepts by itself (no listening socket): when the web server closes the connection,
// FCGX_Accept_r fails instead of blocking in accept().
class Connection {
 public:
  explicit Connection(int fd) {
    FCGX_InitRequest(&fcgi_, -1, 0);
    fcgi_.ipcFd = fd;
  }
  // Only ever destroyed between requests: no answer can be lost, so no lingering close
  // (which would wait up to 2 s per connection for the web server to close its end).
  ~Connection() {
    fcgi_.detached = 1;
    FCGX_Free(&fcgi_, 1);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Reads one request, answers it, and returns whether the connection stays open.
  bool ServeOneRequest(Handler handle, Services& services, bool unix_socket, std::string* out) {
    // FCGX_Accept_r first finishes the previous request, closing the connection unless it is
    // to be kept: it must be kept, it is the one to read from.
    fcgi_.keepConnection = 1;
    if (FCGX_Accept_r(&fcgi_) < 0) return false;  // closed by the web server, or garbage
    Request request = RequestFromVariables(fcgi_.envp);
    if (ExpectsBody(request)) {
      size_t wanted = BodyBytesWanted(request);
      request.body.resize(wanted);
      int got = FCGX_GetStr(&request.body[0], static_cast<int>(wanted), fcgi_.in);
      request.body.resize(got > 0 ? static_cast<size_t>(got) : 0);
      FinishBody(&request);
    }
    out->clear();
    AppendCgiResponse(handle(request, services), out);
    FCGX_PutStr(out->data(), static_cast<int>(out->size()), fcgi_.out);
    // libfcgi ends a connection with a lingering close: half-close, then wait for the web
    // server to close its end, so that unread request data cannot turn into a TCP reset that
    // loses the answer. A unix socket has no resets: when the body was read to its end,
    // close at once and save two system calls.
    fcgi_.detached = unix_socket && BodyReadToEnd(request);
    FCGX_Finish_r(&fcgi_);
    return fcgi_.ipcFd >= 0;  // libfcgi keeps it when the web server asked (FCGI_KEEP_CONN)
  }

 private:
  FCGX_Request fcgi_;
};

class ConnectionLoop {
 public:
  ConnectionLoop(Handler handle, Services& services, int listen_fd)
      : handle_(handle), services_(services), listen_fd_(listen_fd),
        unix_socket_(IsUnixSocket(listen_fd)), allowed_(AllowedWebServers()),
        epoll_fd_(epoll_create1(EPOLL_CLOEXEC)) {}
  ~ConnectionLoop() {
    connections_.clear();
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }
  ConnectionLoop(const ConnectionLoop&) = delete;
  ConnectionLoop& operator=(const ConnectionLoop&) = delete;

  int Run(const sigset_t& wait_mask) {
    // A listening socket shared with other processes (spawn-fcgi -F N) may have been
    // emptied by one of them after epoll said it was ready: accept must not block then.
    fcntl(listen_fd_, F_SETFL, fcntl(listen_fd_, F_GETFL) | O_NONBLOCK);
    if (epoll_fd_ < 0 || !Watch(listen_fd_, nullptr)) {
      LogLine(std::string("epoll failed: ") + std::strerror(errno));
      return 1;
    }
    epoll_event events[64];
    while (!g_stop_requested) {
      int timeout_ms = AcceptPaused() ? kAcceptPauseMs : -1;
      int ready = epoll_pwait(epoll_fd_, events, 64, timeout_ms, &wait_mask);
      if (ready < 0) {
        if (errno == EINTR) continue;
        LogLine(std::string("epoll failed: ") + std::strerror(errno));
        return 1;
      }
      ++services_.arrival;  // the requests waiting now
      // One request from each connection that has something to say, so that no connection
      // waits behind another for more than one request.
      bool accept_waiting = false;
      for (int i = 0; i < ready; ++i) {
        auto* connection = static_cast<Connection*>(events[i].data.ptr);
        if (!connection) {
          if (events[i].events & EPOLLERR) {
            LogLine("the listening socket failed");
            return 1;
          }
          accept_waiting = true;
        } else if (!connection->ServeOneRequest(handle_, services_, unix_socket_, &out_)) {
          connections_.erase(connection);  // its descriptor is closed: epoll forgets it
          resume_accepting_ms_ = 0;        // and one is free again
        }
      }
      if (accept_waiting) AcceptWaiting();
      SetAccepting(!AcceptPaused() && connections_.size() < kMaxConnections);
    }
    return 0;
  }

 private:
  bool AcceptPaused() const {
    return resume_accepting_ms_ != 0 && MonotonicMs() < resume_accepting_ms_;
  }

  bool Watch(int fd, Connection* connection) {
    epoll_event event{};
    event.events = EPOLLIN;
    event.data.ptr = connection;  // null: the listening socket
    return epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &event) == 0;
  }

  // At the connection limit the listening socket is left out of the wait, so that new
  // connections queue in its backlog.
  void SetAccepting(bool accepting) {
    if (accepting == accepting_) return;
    epoll_event event{};
    event.events = accepting ? static_cast<uint32_t>(EPOLLIN) : 0u;
    epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listen_fd_, &event);
    accepting_ = accepting;
  }

  void AcceptWaiting() {
    while (connections_.size() < kMaxConnections) {
      sockaddr_storage peer{};
      socklen_t length = sizeof peer;
      int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &length, SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED) {
          // Out of descriptors (EMFILE) or memory: the listener stays ready, so waiting on it
          // again at once would spin. Stop accepting until a connection closes or a second
          // has passed; the web server's connections wait in the backlog meanwhile.
          LogLine(std::string("accept failed, pausing: ") + std::strerror(errno));
          resume_accepting_ms_ = MonotonicMs() + kAcceptPauseMs;
        }
        return;
      }
      if (!PeerAllowed(peer, allowed_)) {
        close(fd);
        continue;
      }
      timeval stall{kStallSeconds, 0};
      setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &stall, sizeof stall);
      auto connection = std::make_unique<Connection>(fd);
      if (!Watch(fd, connection.get())) continue;  // closed by the Connection
      Connection* key = connection.get();
      connections_.emplace(key, std::move(connection));
    }
  }

  Handler handle_;
  Services& services_;
  int listen_fd_;
  bool unix_socket_;
  std::vector<in_addr_t> allowed_;
  int epoll_fd_;
  bool accepting_ = true;
  // After an accept failure other than "none waiting": when to try again. 0: not paused.
  int64_t resume_accepting_ms_ = 0;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  std::string out_;  // reused for every answer
};

}  // namespace

int ServeFastCgi(Handler handle, Services& services, int listen_fd) {
  sigset_t wait_mask = InstallSignalHandlers();
  ConnectionLoop loop(handle, services, listen_fd);
  return loop.Run(wait_mask);
}

}  // namespace heartbeat
