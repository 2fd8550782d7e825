#include "fcgi_frontend.h"

#include <fcgiapp.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "key_value.h"
#include "listen_socket.h"
#include "log.h"

#ifndef HEARTBEAT_VERSION
#define HEARTBEAT_VERSION "unknown"
#endif

namespace heartbeat {
namespace {

volatile sig_atomic_t g_stop_requested = 0;

void OnStopSignal(int) {
  g_stop_requested = 1;
  FCGX_ShutdownPending();
}

// SIGTERM/SIGINT without SA_RESTART: a blocked accept() returns so that the loop can end,
// while a request in flight is finished first.
void InstallSignalHandlers() {
  struct sigaction stop {};
  stop.sa_handler = OnStopSignal;
  sigemptyset(&stop.sa_mask);
  sigaction(SIGTERM, &stop, nullptr);
  sigaction(SIGINT, &stop, nullptr);
  sigaction(SIGUSR1, &stop, nullptr);  // Apache's graceful stop of its children
  signal(SIGPIPE, SIG_IGN);            // a client gone mid-answer is not our death
}

std::string ExecutableDir(const char* argv0) {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n > 0) {
    path[n] = '\0';
    return DirName(path);
  }
  return DirName(argv0 ? argv0 : ".");
}

long long ParseContentLength(const char* value) {
  if (!value || !*value) return -1;
  long long length = 0;
  if (!ParseIntInRange(value, 0, (1LL << 53), &length)) return -2;
  return length;
}

// Fills a Request from CGI variables; `param` looks one up (environment or FastCGI params).
template <typename ParamFn>
Request RequestFromParams(ParamFn param) {
  auto get = [&](const char* name) {
    const char* value = param(name);
    return std::string(value ? value : "");
  };
  Request request;
  request.method = get("REQUEST_METHOD");
  request.query = get("QUERY_STRING");
  request.path_info = get("PATH_INFO");
  request.remote_addr = get("REMOTE_ADDR");
  request.authorization = get("HTTP_AUTHORIZATION");
  request.content_type = get("CONTENT_TYPE");
  request.if_none_match = get("HTTP_IF_NONE_MATCH");
  request.origin = get("HTTP_ORIGIN");
  request.config_param = get("HEARTBEAT_CONFIG");
  request.content_length = ParseContentLength(param("CONTENT_LENGTH"));
  return request;
}

// How many body bytes to read: what was announced, but never more than one past the limit,
// so that an oversized body is recognised without reading it all.
size_t BodyBytesWanted(const Request& request) {
  if (request.content_length >= 0) {
    return static_cast<size_t>(std::min<long long>(request.content_length, kMaxBodyBytes + 1));
  }
  return kMaxBodyBytes + 1;  // no usable length: read to the end of the stream
}

void FinishBody(Request* request) {
  if (request->body.size() > kMaxBodyBytes) {
    request->body.resize(kMaxBodyBytes);
    request->body_truncated = true;
  }
}

std::string StatusLine(int status) {
  return "Status: " + std::to_string(status) + " " + ReasonPhrase(status) + "\r\n";
}

int ServeCgi(const ServerProgram& program, Services& services) {
  Request request = RequestFromParams([](const char* name) { return getenv(name); });
  if (request.method == "POST" || request.content_length > 0) {
    size_t wanted = BodyBytesWanted(request);
    request.body.resize(wanted);
    size_t have = 0;
    while (have < wanted) {
      ssize_t n = read(STDIN_FILENO, &request.body[have], wanted - have);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      have += static_cast<size_t>(n);
    }
    request.body.resize(have);
    FinishBody(&request);
  }
  std::string out = SerializeResponse(program.handle(request, services));
  size_t written = 0;
  while (written < out.size()) {
    ssize_t n = write(STDOUT_FILENO, out.data() + written, out.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return 1;
    written += static_cast<size_t>(n);
  }
  return 0;
}

bool IsUnixSocket(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  return getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0 &&
         address.ss_family == AF_UNIX;
}

int ServeFastCgi(const ServerProgram& program, Services& services, int listen_fd) {
  // libfcgi ends each connection with a lingering close: half-close, then wait for the web
  // server to close its end, so that unread request data cannot turn into a TCP reset that
  // loses the answer. A unix socket has no resets: when the request body was read to its end,
  // close at once and save two system calls per request.
  const bool unix_socket = IsUnixSocket(listen_fd);
  FCGX_Request fcgi;
  if (FCGX_InitRequest(&fcgi, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0) {
    LogLine("cannot initialise the FastCGI request");
    return 1;
  }
  std::string out;
  while (!g_stop_requested) {
    if (FCGX_Accept_r(&fcgi) < 0) {
      if (g_stop_requested) break;
      if (errno == EINTR) continue;
      LogLine(std::string("accept failed: ") + std::strerror(errno));
      return 1;
    }
    Request request = RequestFromParams([&](const char* name) { return FCGX_GetParam(name, fcgi.envp); });
    if (request.method == "POST" || request.content_length > 0) {
      size_t wanted = BodyBytesWanted(request);
      request.body.resize(wanted);
      int got = FCGX_GetStr(&request.body[0], static_cast<int>(wanted), fcgi.in);
      request.body.resize(got > 0 ? static_cast<size_t>(got) : 0);
      FinishBody(&request);
    }
    out = SerializeResponse(program.handle(request, services));
    FCGX_PutStr(out.data(), static_cast<int>(out.size()), fcgi.out);
    bool body_read = request.content_length <= 0 ||
                     static_cast<long long>(request.body.size()) == request.content_length;
    if (unix_socket && body_read) fcgi.detached = 1;
    FCGX_Finish_r(&fcgi);
  }
  FCGX_Free(&fcgi, 1);
  return 0;
}

void PrintHelp(const ServerProgram& program) {
  std::printf(
      "%s %s: %s\n\n"
      "Usage:\n"
      "  %s                  serve FastCGI (socket on fd 0) or, if started as CGI, one request\n"
      "  %s --listen ADDR    serve FastCGI on ADDR: a unix socket path (with a /) or host:port\n"
      "  %s --help | --version\n\n"
      "The config is found through the HEARTBEAT_CONFIG request parameter, then the\n"
      "HEARTBEAT_CONFIG environment variable, then heartbeat.conf beside this program.\n",
      program.name, HEARTBEAT_VERSION, program.summary, program.name, program.name, program.name);
}

}  // namespace

std::string SerializeResponse(const Response& response) {
  std::string out = StatusLine(response.status);
  for (const auto& [name, value] : response.headers) {
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  bool has_body = response.status != 204 && response.status != 304;
  if (has_body) {
    out += "Content-Length: ";
    out += std::to_string(response.body.size());
    out += "\r\n";
  }
  out += "\r\n";
  if (has_body && !response.omit_body) out += response.body;
  return out;
}

int RunServerProgram(const ServerProgram& program, int argc, char** argv) {
  SetLogProgramName(program.name);
  const char* listen = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      PrintHelp(program);
      return 0;
    } else if (arg == "--version") {
      std::printf("%s %s\n", program.name, HEARTBEAT_VERSION);
      return 0;
    } else if (arg == "--listen" && i + 1 < argc) {
      listen = argv[++i];
    } else {
      std::fprintf(stderr, "%s: unknown argument '%s' (see --help)\n", program.name, argv[i]);
      return 2;
    }
  }
  SystemClock clock;
  ConfigCache configs(clock);
  StoreCache stores(clock);
  Services services{configs, stores, clock,
                    FallbackConfigPath(getenv("HEARTBEAT_CONFIG"), ExecutableDir(argv[0]))};

  if (!listen) {
    if (FCGX_IsCGI()) return ServeCgi(program, services);
    InstallSignalHandlers();
    FCGX_Init();
    return ServeFastCgi(program, services, 0);
  }

  auto address = ParseListenAddress(listen);
  if (!address.ok()) {
    LogLine(address.status().message());
    return 2;
  }
  FCGX_Init();
  auto fd = OpenListenSocket(address.value());
  if (!fd.ok()) {
    LogLine(fd.status().message());
    return 1;
  }
  InstallSignalHandlers();
  LogLine(std::string("listening on ") + listen);
  int code = ServeFastCgi(program, services, fd.value());
  close(fd.value());
  if (address->is_unix) unlink(address->path.c_str());
  LogLine("stopped");
  return code;
}

}  // namespace heartbeat
