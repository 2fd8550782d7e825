#include "fastcgi_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/socket.h>
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
#include "fastcgi_reader.h"
#include "fastcgi_records.h"
#include "log.h"
#include "unique_fd.h"

namespace heartbeat {
namespace {

// At most this many connections are open at once; at the limit, the one idle the longest is
// closed to make room for a new one (docs/protocol.md, "Connections").
constexpr size_t kMaxConnections = 256;

// The deadlines of docs/protocol.md, "Slow clients". A request's params must be whole within
// kArrivingMs of its first byte; each part of its body within kBodyPartMs of the one before,
// the whole within kBodyWholeMs of the first byte; answers must be taken within kAnswerMs.
constexpr int64_t kArrivingMs = 2000;
constexpr int64_t kBodyPartMs = 5000;
constexpr int64_t kBodyWholeMs = 30000;
constexpr int64_t kAnswerMs = 2000;
// A connection that has never sent a byte: web servers send a request as soon as they connect.
constexpr int64_t kSilentMs = 5000;
// After a stop, what is still arriving has this long (the program exits within 5 s).
constexpr int64_t kStopGraceMs = 4000;
// What the web server still sends after an answer on a connection that is then closed, read
// and dropped for at most this long (a close with unread bytes would reset the answer).
constexpr int64_t kDrainMs = 2000;

// One read takes at most this much; a connection's answers waiting past kOutputHighWater stop
// its reading until the web server has taken them.
constexpr size_t kReadBytes = 64 * 1024;
constexpr size_t kOutputHighWater = 64 * 1024;

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

// One connection from the web server: its reader, the answers not yet written, and the times
// its deadlines count from.
struct Connection {
  Connection(int descriptor, int64_t now) : fd(descriptor), idle_since_ms(now) {}

  UniqueFd fd;
  FastCgiReader reader;
  std::string out;  // answers not yet written, from out_sent on
  size_t out_sent = 0;
  // The events the loop waits for on it.
  uint32_t events = 0;
  // Since when it has had nothing to do (accepted, or its last request answered): the one
  // idle the longest is closed first. Never a byte yet: it has the silent deadline.
  int64_t idle_since_ms;
  bool heard_from = false;
  // When the request now arriving began, and when its body last grew (0: none arriving).
  int64_t arriving_since_ms = 0;
  int64_t body_part_ms = 0;
  // Since when its answers have waited on it (0: none waits).
  int64_t stalled_since_ms = 0;
  // Its last answer is written and it is to close; while draining, what comes is dropped.
  bool closing = false;
  bool peer_closed = false;  // the web server has closed its end (or the connection failed)
  int64_t draining_since_ms = 0;

  bool HasOutput() const { return out_sent < out.size(); }
  // Nothing arriving, nothing to write: it may be closed without losing anything.
  bool Idle() const {
    return reader.phase() == FastCgiReader::Phase::kIdle && !HasOutput() && !closing;
  }
};

class ConnectionLoop {
 public:
  ConnectionLoop(RequestHandler& handler, int listen_fd)
      : handler_(handler),
        listen_fd_(listen_fd),
        allowed_(AllowedWebServers()),
        epoll_fd_(epoll_create1(EPOLL_CLOEXEC)),
        read_buffer_(kReadBytes) {}
  ~ConnectionLoop() {
    connections_.clear();
    if (epoll_fd_ >= 0) close(epoll_fd_);
  }
  ConnectionLoop(const ConnectionLoop&) = delete;
  ConnectionLoop& operator=(const ConnectionLoop&) = delete;

  int Run(const sigset_t& wait_mask) {
    // A listening socket shared with other processes (spawn-fcgi -F N, --processes) may have
    // been emptied by one of them after epoll said it was ready: accept must not block then.
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
      if (!WaitAndServe(&wait_mask)) return 1;
    }
    FinishArrivingRequests();
    return 0;
  }

 private:
  // One wait and what it found: accepts, reads and answers, and drops connections past their
  // deadline. False if the listener failed.
  bool WaitAndServe(const sigset_t* wait_mask) {
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
      } else {
        Step(connection, events[i].events, now);
      }
    }
    DropLateConnections(now);
    if (accept_waiting && !stopping_) AcceptWaiting(now);
    if (stopping_) DropIdleConnections();
    SetAccepting(!stopping_ && !AcceptPaused() &&
                 (connections_.size() < kMaxConnections || IdlestConnection() != nullptr));
    return true;
  }

  // What an event on a connection leads to; the connection is dropped when it is done.
  void Step(Connection* connection, uint32_t events, int64_t now) {
    if (!Serve(connection, events, now)) {
      Drop(connection);
      return;
    }
    NoteDeadline(connection);
  }

  // Reads what has come, answers each request that is whole, writes what the socket takes.
  // False when the connection is to be closed.
  bool Serve(Connection* c, uint32_t events, int64_t now) {
    if (c->draining_since_ms != 0) return Drain(c);
    if ((events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) && !c->HasOutput() &&
        !c->peer_closed) {
      ssize_t n = recv(c->fd.get(), read_buffer_.data(), read_buffer_.size(), MSG_DONTWAIT);
      if (n > 0) {
        c->reader.Append(read_buffer_.data(), static_cast<size_t>(n));
        c->heard_from = true;
        c->idle_since_ms = now;
        if (c->reader.phase() == FastCgiReader::Phase::kBody) c->body_part_ms = now;
      } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
        c->peer_closed = true;  // what came before the end is still answered, if whole
      }
    }
    // Answers are written as they are made; the reader goes on while the socket takes them.
    for (;;) {
      const Answered answered = Answer(c);
      if (answered == Answered::kMalformed || !Flush(c, now)) return false;
      if (answered == Answered::kAll || c->HasOutput() || c->closing) break;
    }
    if (c->HasOutput()) return SetEvents(c, EPOLLOUT);  // nothing is read until they are taken
    if (c->closing) return Close(c, now);
    if (c->peer_closed) return false;
    NoteArrival(c, now);
    return SetEvents(c, EPOLLIN | EPOLLRDHUP);
  }

  enum class Answered {
    kAll,        // every whole request that has come is answered
    kOutput,     // enough output waits: write it, then go on
    kMalformed,  // not FastCGI: close
  };

  // Runs the reader over what has come: each whole request is handed to the handler and its
  // answer framed, until the reader wants more bytes or enough output waits.
  Answered Answer(Connection* c) {
    while (!c->closing) {
      if (c->out.size() - c->out_sent >= kOutputHighWater) return Answered::kOutput;
      switch (c->reader.Next(&c->out)) {
        case FastCgiReader::Event::kNeedMore:
          return Answered::kAll;
        case FastCgiReader::Event::kOutput:
          return Answered::kOutput;
        case FastCgiReader::Event::kMalformed:
          return Answered::kMalformed;
        case FastCgiReader::Event::kClose:
          c->closing = true;
          break;
        case FastCgiReader::Event::kRequest:
          Handle(c);
          break;
      }
    }
    return Answered::kAll;
  }

  void Handle(Connection* c) {
    FastCgiRequest& wire = c->reader.request();
    RequestBuilder builder;
    for (const fastcgi::PairSpan& pair : wire.pairs) {
      builder.Add(pair.Name(wire.params), pair.Value(wire.params));
    }
    Request& request = builder.request();
    if (ExpectsBody(request)) {
      request.body = std::move(wire.body);
      // As CGI reads it: the announced length, no more.
      if (request.content_length >= 0 &&
          request.body.size() > static_cast<size_t>(request.content_length)) {
        request.body.resize(static_cast<size_t>(request.content_length));
      }
      FinishBody(&request);
    }
    const Response response = handler_.Handle(request);
    if (c->out_sent == c->out.size()) {
      c->out.clear();
      c->out_sent = 0;
    }
    const size_t stream = fastcgi::OpenStream(&c->out);
    AppendCgiResponse(response, &c->out);
    fastcgi::CloseStream(fastcgi::kStdout, wire.id, stream, &c->out);
    fastcgi::AppendEndRequest(wire.id, 0, fastcgi::kRequestComplete, &c->out);
    if (!wire.keep_connection) c->closing = true;
    c->arriving_since_ms = 0;  // a next request's deadlines count from its own first byte
    c->body_part_ms = 0;
  }

  // Writes what the socket takes. False if the connection failed.
  bool Flush(Connection* c, int64_t now) {
    const size_t before = c->out_sent;
    while (c->HasOutput()) {
      ssize_t n = send(c->fd.get(), c->out.data() + c->out_sent, c->out.size() - c->out_sent,
                       MSG_DONTWAIT | MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        return false;
      }
      c->out_sent += static_cast<size_t>(n);
    }
    if (!c->HasOutput()) {
      c->out.clear();
      c->out_sent = 0;
      c->stalled_since_ms = 0;
    } else if (c->out_sent != before || c->stalled_since_ms == 0) {
      c->stalled_since_ms = now;  // the web server takes them, if slowly
    }
    return true;
  }

  // The connection's last answer is written. With bytes of the web server's still to come,
  // closing now could reset that answer: this end is shut, and the rest read and dropped.
  bool Close(Connection* c, int64_t now) {
    if (c->reader.buffered() == 0) {
      char byte;
      ssize_t n = recv(c->fd.get(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
      if (n <= 0) return false;  // nothing waits (or the peer is gone): close at once
    }
    if (shutdown(c->fd.get(), SHUT_WR) != 0) return false;
    c->draining_since_ms = now;
    return SetEvents(c, EPOLLIN | EPOLLRDHUP);
  }

  // Reads and drops what has come; false once the web server has closed its end.
  bool Drain(Connection* c) {
    ssize_t n = recv(c->fd.get(), read_buffer_.data(), read_buffer_.size(), MSG_DONTWAIT);
    if (n == 0) return false;
    if (n < 0) return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR;
    return true;
  }

  // Keeps the times the deadlines count from in step with what the reader is at.
  static void NoteArrival(Connection* c, int64_t now) {
    switch (c->reader.phase()) {
      case FastCgiReader::Phase::kIdle:
        c->arriving_since_ms = 0;
        c->body_part_ms = 0;
        break;
      case FastCgiReader::Phase::kArriving:
        if (c->arriving_since_ms == 0) c->arriving_since_ms = now;
        c->body_part_ms = 0;
        break;
      case FastCgiReader::Phase::kBody:
        if (c->arriving_since_ms == 0) c->arriving_since_ms = now;
        if (c->body_part_ms == 0) c->body_part_ms = now;
        break;
    }
  }

  // When the connection is dropped unless what it waits for happens first; 0: never.
  int64_t DeadlineMs(const Connection& c) const {
    int64_t deadline = 0;
    auto earliest = [&deadline](int64_t at) {
      if (deadline == 0 || at < deadline) deadline = at;
    };
    if (c.draining_since_ms != 0) earliest(c.draining_since_ms + kDrainMs);
    if (c.stalled_since_ms != 0) earliest(c.stalled_since_ms + kAnswerMs);
    if (c.body_part_ms != 0) {
      earliest(c.body_part_ms + kBodyPartMs);
      earliest(c.arriving_since_ms + kBodyWholeMs);
    } else if (c.arriving_since_ms != 0) {
      earliest(c.arriving_since_ms + kArrivingMs);
    }
    if (!c.heard_from && c.Idle()) earliest(c.idle_since_ms + kSilentMs);
    if (stopping_ && deadline != 0 && deadline > stop_deadline_ms_) deadline = stop_deadline_ms_;
    return deadline;
  }

  // After a stop: requests that have begun to arrive, also on connections still waiting to
  // be accepted, are finished (within their deadlines, and the stop's); idle connections are
  // closed at once, and each other one once its last answer is written.
  void FinishArrivingRequests() {
    const int64_t now = MonotonicMs();
    stopping_ = true;
    stop_deadline_ms_ = now + kStopGraceMs;
    AcceptAll(now);
    for (auto it = connections_.begin(); it != connections_.end();) {
      Connection* connection = it->first;
      ++it;                                                    // Step may drop this one
      if (connection->Idle()) Step(connection, EPOLLIN, now);  // what has come meanwhile
    }
    DropIdleConnections();
    SetAccepting(false);
    while (!connections_.empty()) {
      if (!WaitAndServe(nullptr)) return;
    }
  }

  void DropIdleConnections() {
    for (auto it = connections_.begin(); it != connections_.end();) {
      Connection* connection = it->first;
      ++it;
      if (connection->Idle()) Drop(connection);
    }
  }

  // Keeps `timed_` to the connections that have a deadline, so that a wake looks only at
  // those (a web server's kept connections almost never have one), not at every connection.
  void NoteDeadline(Connection* connection) {
    if (DeadlineMs(*connection) != 0) {
      timed_.insert(connection);
    } else {
      timed_.erase(connection);
    }
  }

  // The wait until the nearest deadline; -1: none.
  int WaitTimeoutMs() const {
    int64_t nearest = AcceptPaused() ? resume_accepting_ms_ : 0;
    for (const Connection* connection : timed_) {
      int64_t deadline = DeadlineMs(*connection);
      if (deadline != 0 && (nearest == 0 || deadline < nearest)) nearest = deadline;
    }
    if (stopping_ && (nearest == 0 || stop_deadline_ms_ < nearest)) nearest = stop_deadline_ms_;
    if (nearest == 0) return -1;
    int64_t wait = nearest - MonotonicMs();
    return wait < 1 ? 1 : static_cast<int>(wait);
  }

  void DropLateConnections(int64_t now) {
    for (auto it = timed_.begin(); it != timed_.end();) {
      Connection* connection = *it;
      ++it;  // Drop erases this one
      const int64_t deadline = DeadlineMs(*connection);
      if (deadline != 0 && now >= deadline) Drop(connection);
    }
    if (stopping_ && now >= stop_deadline_ms_) {
      while (!connections_.empty()) Drop(connections_.begin()->first);
    }
  }

  void Drop(Connection* connection) {
    timed_.erase(connection);
    connections_.erase(connection);  // its descriptor is closed: epoll forgets it
    resume_accepting_ms_ = 0;        // and one is free again
  }

  // The idle connection that has been idle the longest, closed to make room; null if none.
  Connection* IdlestConnection() const {
    Connection* idlest = nullptr;
    for (const auto& entry : connections_) {
      Connection* connection = entry.first;
      if (connection->Idle() && (!idlest || connection->idle_since_ms < idlest->idle_since_ms)) {
        idlest = connection;
      }
    }
    return idlest;
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
    if (epoll_ctl(epoll_fd_, op, connection->fd.get(), &event) != 0) {
      LogLine(std::string("epoll_ctl failed: ") + std::strerror(errno));
      return false;
    }
    connection->events = events;
    return true;
  }

  // With no room for another connection (every one busy), the listening socket is left out of
  // the wait, so that new connections queue in its backlog.
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

  // Accepts what waits, closing the connection idle the longest for each one past the limit.
  void AcceptWaiting(int64_t now) {
    for (;;) {
      Connection* make_room = nullptr;
      if (connections_.size() >= kMaxConnections) {
        make_room = IdlestConnection();
        if (!make_room) return;  // every one is busy: the rest wait in the backlog
      }
      if (!AcceptOne(now)) return;
      if (make_room) Drop(make_room);
    }
  }

  // After a stop, every connection that waits, whatever the limit: one may carry a request.
  void AcceptAll(int64_t now) {
    while (AcceptOne(now)) {
    }
  }

  // False when none waits, or accept failed.
  bool AcceptOne(int64_t now) {
    for (;;) {
      sockaddr_storage peer{};
      socklen_t length = sizeof peer;
      int fd = accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &length,
                       SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd < 0) {
        if (errno == EINTR || errno == ECONNABORTED) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) {
          // Out of descriptors (EMFILE) or memory: the listener stays ready, so waiting on it
          // again at once would spin. Stop accepting until a connection closes or a second
          // has passed; the web server's connections wait in the backlog meanwhile.
          LogLine(std::string("accept failed, pausing: ") + std::strerror(errno));
          resume_accepting_ms_ = MonotonicMs() + kAcceptPauseMs;
        }
        return false;
      }
      if (!PeerAllowed(peer, allowed_)) {
        close(fd);
        continue;
      }
      auto connection = std::make_unique<Connection>(fd, now);
      Connection* key = connection.get();
      if (!SetEvents(key, EPOLLIN | EPOLLRDHUP)) continue;  // closed with the Connection
      connections_.emplace(key, std::move(connection));
      NoteDeadline(key);
      return true;
    }
  }

  RequestHandler& handler_;
  int listen_fd_;
  std::vector<in_addr_t> allowed_;
  int epoll_fd_;
  bool accepting_ = true;
  bool stopping_ = false;
  int64_t stop_deadline_ms_ = 0;
  // After an accept failure other than "none waiting": when to try again. 0: not paused.
  int64_t resume_accepting_ms_ = 0;
  std::unordered_map<Connection*, std::unique_ptr<Connection>> connections_;
  std::unordered_set<Connection*> timed_;  // those of connections_ with a deadline
  std::vector<char> read_buffer_;          // every read goes here first
};

}  // namespace

int ServeFastCgi(RequestHandler& handler, int listen_fd) {
  sigset_t wait_mask = InstallSignalHandlers();
  ConnectionLoop loop(handler, listen_fd);
  return loop.Run(wait_mask);
}

}  // namespace heartbeat
