#include "fastcgi_server.h"

#include <arpa/inet.h>
#include <fcgiapp.h>
#include <fcntl.h>
#include <linux/sockios.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
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
#include <unordered_set>
#include <vector>

#include "cgi_request.h"
#include "cgi_response.h"
#include "clock.h"
#include "fastcgi_framing.h"
#include "log.h"

namespace heartbeat {
namespace {

// Beyond this many open connections new ones wait in the listen backlog. It also keeps every
// descriptor far below FD_SETSIZE, which libfcgi's lingering close relies on.
constexpr size_t kMaxConnections = 256;

// A request must arrive whole within this time of its first byte, and a connection whose
// answers are not taken must take them within it, or the connection is dropped. Web servers
// pass a request whole and read answers at once, so this never cuts one of theirs.
constexpr int64_t kDeadlineMs = 2000;

// libfcgi is handed a request only once it is all there (RequestArrival), so its reads never
// wait. Its blocking writes could: an answer is written only while the connection's send
// buffer has this much room (answers are far smaller). The socket timeouts are a last guard.
constexpr int kAnswerRoomBytes = 64 * 1024;
constexpr time_t kSocketTimeoutSeconds = 2;

// How much of a waiting request is looked at; a request that does not fit is not one of a
// web server's (nginx's headers are at most 32 KiB by default) and is dropped.
constexpr size_t kPeekBytes = 64 * 1024 + 4096 + 64;

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

  int fd() const { return fcgi_.ipcFd; }

  // When the request now arriving began (0: none is arriving), and since when the answers
  // have not been taken (0: they are being taken).
  int64_t arriving_since_ms = 0;
  int64_t stalled_since_ms = 0;
  // Since when the rest of a body is being read and dropped (0: it is not).
  int64_t draining_since_ms = 0;

  // When the connection is to be dropped unless what it waits for happens first; 0: never.
  int64_t DeadlineMs() const {
    int64_t deadline = 0;
    for (int64_t since : {arriving_since_ms, stalled_since_ms, draining_since_ms}) {
      if (since != 0 && (deadline == 0 || since + kDeadlineMs < deadline))
        deadline = since + kDeadlineMs;
    }
    return deadline;
  }
  // The events the loop waits for on this connection.
  uint32_t events = 0;
  // The socket's send buffer (SO_SNDBUF), read once.
  int send_buffer_bytes = 0;

  enum class After { kKeep, kClose, kDrain };

  // Reads one request, answers it, and says what becomes of the connection: kept for the
  // next request (the web server asked, FCGI_KEEP_CONN), closed, or drained: the answer is
  // whole but part of the body was never read (a heartbeat reads at most 4 KiB of one), so
  // this end is shut and what the web server still sends is read and dropped until it
  // closes, never interleaved with a next request.
  After ServeOneRequest(RequestHandler& handler, bool unix_socket, std::string* out) {
    // FCGX_Accept_r first finishes the previous request, closing the connection unless it is
    // to be kept: it must be kept, it is the one to read from.
    fcgi_.keepConnection = 1;
    if (FCGX_Accept_r(&fcgi_) < 0) return After::kClose;  // closed by the web server, or garbage
    Request request = RequestFromVariables(fcgi_.envp);
    if (ExpectsBody(request)) {
      size_t wanted = BodyBytesWanted(request);
      request.body.resize(wanted);
      int got = FCGX_GetStr(&request.body[0], static_cast<int>(wanted), fcgi_.in);
      request.body.resize(got > 0 ? static_cast<size_t>(got) : 0);
      FinishBody(&request);
    }
    out->clear();
    AppendCgiResponse(handler.Handle(request), out);
    FCGX_PutStr(out->data(), static_cast<int>(out->size()), fcgi_.out);
    const bool rest_unread = !BodyReadToEnd(request);
    if (rest_unread) fcgi_.keepConnection = 1;  // for the drain, whatever the web server asked
    // Closing a connection whose data was all read needs no lingering (a half-close, then a
    // wait for the other end): with a unix socket, close at once and save two system calls.
    fcgi_.detached = unix_socket && !rest_unread;
    FCGX_Finish_r(&fcgi_);
    if (fcgi_.ipcFd < 0) return After::kClose;
    if (!rest_unread) return After::kKeep;
    if (shutdown(fcgi_.ipcFd, SHUT_WR) != 0) return After::kClose;
    return After::kDrain;
  }

 private:
  FCGX_Request fcgi_;
};

class ConnectionLoop {
 public:
  ConnectionLoop(RequestHandler& handler, int listen_fd)
      : handler_(handler),
        listen_fd_(listen_fd),
        unix_socket_(IsUnixSocket(listen_fd)),
        allowed_(AllowedWebServers()),
        epoll_fd_(epoll_create1(EPOLL_CLOEXEC)),
        peek_(kPeekBytes) {}
  ~ConnectionLoop() {
    connections_.clear();
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }
  ConnectionLoop(const ConnectionLoop&) = delete;
  ConnectionLoop& operator=(const ConnectionLoop&) = delete;

  int Run(const sigset_t& wait_mask) {
    // A listening socket shared with other processes (spawn-fcgi -F N) may have been
    // emptied by one of them after epoll said it was ready: accept must not block then.
    int flags = fcntl(listen_fd_, F_GETFL);
    if (flags < 0 || fcntl(listen_fd_, F_SETFL, flags | O_NONBLOCK) != 0) {
      LogLine(std::string("cannot make the listening socket non-blocking: ") +
              std::strerror(errno));
      return 1;
    }
    epoll_event listener{};
    listener.events = EPOLLIN;
    listener.data.ptr = nullptr;  // null: the listening socket
    if (epoll_fd_ < 0 || epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &listener) != 0) {
      LogLine(std::string("epoll failed: ") + std::strerror(errno));
      return 1;
    }
    while (!g_stop_requested) {
      if (!WaitAndServe(&wait_mask, /*accepting=*/true)) return 1;
    }
    FinishArrivingRequests();
    return 0;
  }

 private:
  // One wait and what it found: accepts, serves one request from each connection that has a
  // whole one, and drops connections past their deadline. False if the listener failed.
  bool WaitAndServe(const sigset_t* wait_mask, bool accepting) {
    epoll_event events[64];
    int ready = epoll_pwait(epoll_fd_, events, 64, WaitTimeoutMs(), wait_mask);
    if (ready < 0) {
      if (errno == EINTR) return true;
      LogLine(std::string("epoll failed: ") + std::strerror(errno));
      return false;
    }
    handler_.StartBatch();  // the requests waiting now
    const int64_t now = MonotonicMs();
    bool accept_waiting = false;
    for (int i = 0; i < ready; ++i) {
      auto* connection = static_cast<Connection*>(events[i].data.ptr);
      if (!connection) {
        if (events[i].events & EPOLLERR) {
          LogLine("the listening socket failed");
          return false;
        }
        accept_waiting = true;
      } else if (!Serve(connection, events[i].events, now)) {
        Drop(connection);
      } else {
        NoteDeadline(connection);
      }
    }
    DropLateConnections(now);
    if (accepting && accept_waiting) AcceptWaiting();
    SetAccepting(accepting && !AcceptPaused() && connections_.size() < kMaxConnections);
    return true;
  }

  // What a connection's event means: a whole request is served, a partial one waited for,
  // answers not taken wait for room. Returns false when the connection is to be dropped.
  bool Serve(Connection* connection, uint32_t events, int64_t now) {
    if (connection->draining_since_ms != 0) return Drain(connection);
    // Answers not taken: wait for room, keeping the deadline of when they stopped.
    const int64_t stalled_since = connection->stalled_since_ms;
    if (stalled_since != 0) {
      if (!(events & EPOLLOUT)) return !(events & (EPOLLHUP | EPOLLERR));
      connection->stalled_since_ms = 0;
    }
    ssize_t waiting = recv(connection->fd(), peek_.data(), peek_.size(), MSG_PEEK | MSG_DONTWAIT);
    if (waiting == 0) return false;  // closed by the web server
    if (waiting < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    size_t stale = 0;
    Arrival arrival = RequestArrival(peek_.data(), static_cast<size_t>(waiting), &stale);
    if (arrival == Arrival::kMalformed) return false;
    if (stale > 0) {
      // The unread end of an earlier body (nginx goes on sending it after a 413): taken off
      // the socket here, so that it neither fills it nor counts as a request arriving. What
      // follows is looked at on the next wake (level-triggered).
      if (recv(connection->fd(), peek_.data(), stale, MSG_DONTWAIT) <= 0) return false;
      return SetEvents(connection, EPOLLIN | EPOLLRDHUP);
    }
    if (arrival == Arrival::kPartial) {
      if (static_cast<size_t>(waiting) == peek_.size() || (events & (EPOLLRDHUP | EPOLLHUP))) {
        return false;  // too large to be a web server's, or its sender has gone
      }
      if (connection->arriving_since_ms == 0) connection->arriving_since_ms = now;
      // Woken again only when more arrives, not for the bytes already seen.
      return SetEvents(connection, EPOLLIN | EPOLLRDHUP | EPOLLET);
    }
    if (!HasRoomForAnswer(*connection)) {
      connection->stalled_since_ms = stalled_since != 0 ? stalled_since : now;
      return SetEvents(connection, EPOLLOUT);
    }
    connection->arriving_since_ms = 0;
    switch (connection->ServeOneRequest(handler_, unix_socket_, &out_)) {
      case Connection::After::kClose:
        return false;
      case Connection::After::kDrain:
        connection->draining_since_ms = now;
        break;
      case Connection::After::kKeep:
        break;
    }
    return SetEvents(connection, EPOLLIN | EPOLLRDHUP);
  }

  // Reads and drops what has come; false once the web server has closed its end.
  bool Drain(Connection* connection) {
    ssize_t n = recv(connection->fd(), peek_.data(), peek_.size(), MSG_DONTWAIT);
    if (n == 0) return false;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    return true;
  }

  // Whether an answer can be written without waiting for the peer to read earlier ones.
  static bool HasRoomForAnswer(const Connection& connection) {
    int queued = 0;
    if (ioctl(connection.fd(), SIOCOUTQ, &queued) != 0) {
      return true;  // cannot tell: the socket's send timeout still bounds the write
    }
    return connection.send_buffer_bytes - queued >= kAnswerRoomBytes;
  }

  // After a stop: requests that had begun to arrive, also on connections still waiting to be
  // accepted, are finished (within their deadline); idle connections are closed at once.
  void FinishArrivingRequests() {
    AcceptWaiting();
    const int64_t now = MonotonicMs();
    for (auto it = connections_.begin(); it != connections_.end();) {
      Connection* connection = it->first;
      ++it;
      if (connection->stalled_since_ms != 0 || connection->draining_since_ms != 0) {
        Drop(connection);
        continue;
      }
      ssize_t waiting = recv(connection->fd(), peek_.data(), 1, MSG_PEEK | MSG_DONTWAIT);
      if (waiting > 0) {
        if (connection->arriving_since_ms == 0) connection->arriving_since_ms = now;
        NoteDeadline(connection);
        SetEvents(connection, EPOLLIN | EPOLLRDHUP);  // level: a whole request is served now
      } else if (connection->arriving_since_ms == 0) {
        Drop(connection);
      }
    }
    SetAccepting(false);
    while (!connections_.empty()) {
      if (!WaitAndServe(nullptr, /*accepting=*/false)) return;
      for (auto it = connections_.begin(); it != connections_.end();) {
        Connection* connection = it->first;
        ++it;
        if (connection->arriving_since_ms == 0) Drop(connection);  // served, or never began
      }
    }
  }

  // Keeps `timed_` to the connections that have a deadline, so that a wake looks only at
  // those (a web server's connections almost never have one), not at every connection.
  void NoteDeadline(Connection* connection) {
    if (connection->DeadlineMs() != 0) {
      timed_.insert(connection);
    } else {
      timed_.erase(connection);
    }
  }

  // The wait until the nearest deadline; -1: none.
  int WaitTimeoutMs() const {
    int64_t nearest = AcceptPaused() ? resume_accepting_ms_ : 0;
    for (const Connection* connection : timed_) {
      int64_t deadline = connection->DeadlineMs();
      if (nearest == 0 || deadline < nearest) nearest = deadline;
    }
    if (nearest == 0) return -1;
    int64_t wait = nearest - MonotonicMs();
    return wait < 1 ? 1 : static_cast<int>(wait);
  }

  void DropLateConnections(int64_t now) {
    for (auto it = timed_.begin(); it != timed_.end();) {
      Connection* connection = *it;
      ++it;  // Drop erases this one
      if (now >= connection->DeadlineMs()) Drop(connection);
    }
  }

  void Drop(Connection* connection) {
    timed_.erase(connection);
    connections_.erase(connection);  // its descriptor is closed: epoll forgets it
    resume_accepting_ms_ = 0;        // and one is free again
  }

  bool AcceptPaused() const {
    return resume_accepting_ms_ != 0 && MonotonicMs() < resume_accepting_ms_;
  }

  bool SetEvents(Connection* connection, uint32_t events) {
    if (connection->events == events) return true;
    epoll_event event{};
    event.events = events;
    event.data.ptr = connection;
    int op = connection->events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    if (epoll_ctl(epoll_fd_, op, connection->fd(), &event) != 0) {
      LogLine(std::string("epoll_ctl failed: ") + std::strerror(errno));
      return false;
    }
    connection->events = events;
    return true;
  }

  // At the connection limit the listening socket is left out of the wait, so that new
  // connections queue in its backlog.
  void SetAccepting(bool accepting) {
    if (accepting == accepting_) return;
    epoll_event event{};
    event.events = accepting ? static_cast<uint32_t>(EPOLLIN) : 0u;
    if (epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, listen_fd_, &event) != 0) {
      LogLine(std::string("epoll_ctl failed on the listening socket: ") + std::strerror(errno));
      return;
    }
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
      timeval limit{kSocketTimeoutSeconds, 0};
      if (setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit) != 0 ||
          setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit) != 0) {
        LogLine(std::string("cannot set socket timeouts: ") + std::strerror(errno));
        close(fd);
        continue;
      }
      int send_buffer = 0;
      socklen_t size = sizeof send_buffer;
      if (getsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_buffer, &size) != 0) {
        LogLine(std::string("cannot read the socket's buffer size: ") + std::strerror(errno));
        close(fd);
        continue;
      }
      auto connection = std::make_unique<Connection>(fd);
      connection->send_buffer_bytes = send_buffer;
      Connection* key = connection.get();
      if (!SetEvents(key, EPOLLIN | EPOLLRDHUP)) continue;  // closed by the Connection
      connections_.emplace(key, std::move(connection));
    }
  }

  RequestHandler& handler_;
  int listen_fd_;
  bool unix_socket_;
  std::vector<in_addr_t> allowed_;
  int epoll_fd_;
  bool accepting_ = true;
  // After an accept failure other than "none waiting": when to try again. 0: not paused.
  int64_t resume_accepting_ms_ = 0;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  std::unordered_set<Connection*> timed_;  // those of connections_ with a deadline
  std::vector<unsigned char> peek_;        // what is waiting on a connection, looked at
  std::string out_;                        // reused for every answer
};

}  // namespace

int ServeFastCgi(RequestHandler& handler, int listen_fd) {
  sigset_t wait_mask = InstallSignalHandlers();
  ConnectionLoop loop(handler, listen_fd);
  return loop.Run(wait_mask);
}

}  // namespace heartbeat
