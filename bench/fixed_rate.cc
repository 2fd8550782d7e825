// fixed_rate: an open-loop HTTP/1.1 load generator for `make bench`.
//
// wrk keeps every connection busy, so at saturation the latency it reports is mostly the queue
// it builds itself. This sends GET requests on a fixed schedule (RATE per second over
// CONNECTIONS kept connections) and times each from the moment it was due, not from when a
// connection became free: a stall of the server is counted in full for every request it held
// up, however many that is (no "coordinated omission"). The first half second warms the
// connections up and is not counted.
//
//   fixed_rate PORT PATH RATE CONNECTIONS SECONDS   (loopback)  ->  one line of JSON on stdout
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <deque>
#include <string>
#include <vector>

namespace {

constexpr uint64_t kNanos = 1'000'000'000;
constexpr uint64_t kWarmUpNanos = kNanos / 2;
// Requests still unanswered this long after the last one was due are reported as unfinished.
constexpr uint64_t kDrainNanos = 5 * kNanos;

uint64_t Now() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return uint64_t(t.tv_sec) * kNanos + uint64_t(t.tv_nsec);
}

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "fixed_rate: %s: %s\n", what, std::strerror(errno));
  std::exit(2);
}

int Connect(uint16_t port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) Fail("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) Fail("connect");
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// Finds `name` (lower case, with its colon) in the header block, case-insensitively.
size_t FindHeader(const std::string& buffer, size_t header_end, const char* name) {
  const size_t length = std::strlen(name);
  for (size_t line = buffer.find("\r\n"); line < header_end; line = buffer.find("\r\n", line + 2)) {
    if (line + 2 + length > header_end) break;
    if (strncasecmp(buffer.data() + line + 2, name, length) == 0) return line + 2 + length;
  }
  return std::string::npos;
}

// The length of the complete response at the front of `buffer`, or 0 while it is incomplete.
// Handles Content-Length and chunked bodies (nginx chunks a FastCGI answer that has no length).
size_t CompleteResponseLength(const std::string& buffer) {
  const size_t blank = buffer.find("\r\n\r\n");
  if (blank == std::string::npos) return 0;
  const size_t body = blank + 4;
  if (size_t at = FindHeader(buffer, blank, "content-length:"); at != std::string::npos) {
    const size_t end = body + std::strtoul(buffer.c_str() + at, nullptr, 10);
    return buffer.size() >= end ? end : 0;
  }
  if (FindHeader(buffer, blank, "transfer-encoding:") == std::string::npos) return body;
  for (size_t chunk = body;;) {
    const size_t line_end = buffer.find("\r\n", chunk);
    if (line_end == std::string::npos) return 0;
    const size_t size = std::strtoul(buffer.c_str() + chunk, nullptr, 16);
    const size_t next = line_end + 2 + size + 2;
    if (buffer.size() < next) return 0;
    if (size == 0) return next;  // no trailers: nginx sends none
    chunk = next;
  }
}

struct Connection {
  int fd = -1;
  uint64_t due = 0;  // when the request in flight was due; 0 when idle
  std::string received;
};

// Opens (or, after nginx ended it, reopens) a kept connection and watches it.
// nginx closes a client connection after `keepalive_requests` (1000) answers, as wrk also sees.
void Open(int poller, uint16_t port, Connection& connection) {
  if (connection.fd >= 0) close(connection.fd);
  connection.fd = Connect(port);
  connection.received.clear();
  epoll_event event{};
  event.events = EPOLLIN;
  event.data.ptr = &connection;
  epoll_ctl(poller, EPOLL_CTL_ADD, connection.fd, &event);
}

void Send(const std::string& request, const Connection& connection) {
  if (write(connection.fd, request.data(), request.size()) != ssize_t(request.size()))
    Fail("write");
}

struct Totals {
  std::vector<uint32_t> micros;  // latency of each counted request
  uint64_t errors = 0;           // counted answers other than 2xx and 3xx
};

// Returns whether the request counts (it was due after the warm-up).
bool Record(Totals& totals, uint64_t due, uint64_t counted_from, uint64_t now) {
  if (due < counted_from) return false;
  totals.micros.push_back(uint32_t(std::min<uint64_t>((now - due) / 1000, UINT32_MAX)));
  return true;
}

double Percentile(const std::vector<uint32_t>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const size_t index = std::min(sorted.size() - 1, size_t(fraction * double(sorted.size())));
  return sorted[index] / 1000.0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: fixed_rate PORT PATH RATE CONNECTIONS SECONDS\n");
    return 2;
  }
  const auto port = uint16_t(std::atoi(argv[1]));
  const std::string request = std::string("GET ") + argv[2] +
                              " HTTP/1.1\r\nHost: 127.0.0.1:" + argv[1] +
                              "\r\nAccept: application/json\r\n\r\n";
  const double rate = std::atof(argv[3]);
  const int connection_count = std::atoi(argv[4]);
  const double seconds = std::atof(argv[5]);
  if (rate <= 0 || connection_count <= 0 || seconds <= 0) {
    std::fprintf(stderr, "fixed_rate: RATE, CONNECTIONS and SECONDS must be positive\n");
    return 2;
  }

  const int poller = epoll_create1(EPOLL_CLOEXEC);
  std::vector<Connection> connections(static_cast<size_t>(connection_count));
  std::vector<Connection*> idle;
  for (Connection& connection : connections) {
    Open(poller, port, connection);
    idle.push_back(&connection);
  }

  const uint64_t start = Now();
  const uint64_t counted_from = start + kWarmUpNanos;
  const uint64_t stop_sending = counted_from + uint64_t(seconds * kNanos);
  const auto due_at = [&](uint64_t k) { return start + uint64_t(double(k) * kNanos / rate); };
  std::deque<uint64_t> waiting;  // due times of requests that found no idle connection
  uint64_t scheduled = 0, in_flight = 0;
  Totals totals;
  std::vector<epoll_event> events(static_cast<size_t>(connection_count));

  for (uint64_t now = Now();; now = Now()) {
    for (; due_at(scheduled) <= now && due_at(scheduled) < stop_sending; ++scheduled)
      waiting.push_back(due_at(scheduled));
    for (; !waiting.empty() && !idle.empty(); waiting.pop_front(), idle.pop_back(), ++in_flight) {
      idle.back()->due = waiting.front();
      Send(request, *idle.back());
    }
    const bool all_sent = due_at(scheduled) >= stop_sending && waiting.empty();
    if (all_sent && in_flight == 0) break;
    const uint64_t give_up = stop_sending + kDrainNanos;
    if (now >= give_up) break;

    const uint64_t wake = due_at(scheduled) < stop_sending ? due_at(scheduled) : give_up;
    const uint64_t wait = wake > now ? wake - now : 0;
    const timespec timeout{time_t(wait / kNanos), long(wait % kNanos)};
    const int ready = epoll_pwait2(poller, events.data(), int(events.size()), &timeout, nullptr);
    if (ready < 0 && errno != EINTR) Fail("epoll_pwait2");
    for (int i = 0; i < ready; ++i) {
      auto* connection = static_cast<Connection*>(events[size_t(i)].data.ptr);
      char chunk[16384];
      const ssize_t got = read(connection->fd, chunk, sizeof chunk);
      if (got <= 0) {  // closed by nginx: a request in flight is sent again, still due when it was
        Open(poller, port, *connection);
        if (connection->due != 0) Send(request, *connection);
        continue;
      }
      connection->received.append(chunk, size_t(got));
      const size_t length = CompleteResponseLength(connection->received);
      if (length == 0 || connection->due == 0) continue;
      const int status = std::atoi(connection->received.c_str() + 9);  // "HTTP/1.1 200"
      if (Record(totals, connection->due, counted_from, Now()) && (status < 200 || status >= 400))
        ++totals.errors;
      connection->received.erase(0, length);
      connection->due = 0;
      --in_flight;
      idle.push_back(connection);
    }
  }

  // Requests never answered count with the time they had waited when we gave up: a lower bound.
  const uint64_t answered = totals.micros.size();
  const uint64_t end = Now();
  for (const Connection& connection : connections)
    if (connection.due != 0) Record(totals, connection.due, counted_from, end);
  for (uint64_t due : waiting) Record(totals, due, counted_from, end);
  const uint64_t counted = totals.micros.size();
  std::sort(totals.micros.begin(), totals.micros.end());
  std::printf(
      "{\"rate\": %.0f, \"connections\": %d, \"counted\": %llu, \"unanswered\": %llu, "
      "\"errors\": %llu, \"p50\": %.3f, \"p90\": %.3f, \"p99\": %.3f, \"p999\": %.3f, "
      "\"max\": %.3f}\n",
      rate, connection_count, static_cast<unsigned long long>(counted),
      static_cast<unsigned long long>(counted - answered),
      static_cast<unsigned long long>(totals.errors), Percentile(totals.micros, 0.50),
      Percentile(totals.micros, 0.90), Percentile(totals.micros, 0.99),
      Percentile(totals.micros, 0.999), counted ? totals.micros.back() / 1000.0 : 0.0);
  return 0;
}
