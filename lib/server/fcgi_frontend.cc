#include "fcgi_frontend.h"

#include <fcgiapp.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cgi_request.h"
#include "fastcgi_server.h"
#include "key_value.h"
#include "listen_socket.h"
#include "log.h"
#include "worker_pool.h"

#ifndef HEARTBEAT_VERSION
#define HEARTBEAT_VERSION "unknown"
#endif

namespace heartbeat {
namespace {

constexpr int kMaxProcesses = 64;

// The N of --processes N: 1 to kMaxProcesses, else 0.
int ParseProcessCount(const char* text) {
  char* end = nullptr;
  errno = 0;
  long count = std::strtol(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || count < 1 || count > kMaxProcesses) return 0;
  return static_cast<int>(count);
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

int ServeCgi(const ServerProgram& program, Services& services) {
  Request request = RequestFromVariables(environ);
  if (ExpectsBody(request)) {
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

void PrintHelp(const ServerProgram& program) {
  std::printf(
      "%s %s: %s\n\n"
      "Usage:\n"
      "  %s                  serve FastCGI (socket on fd 0) or, if started as CGI, one request\n"
      "  %s --listen ADDR    serve FastCGI on ADDR: a unix socket path (with a /) or host:port\n"
      "      [--processes N]  ... in N processes on that socket (1 to %d, default 1), e.g. one\n"
      "                       per core on a busy host; a process that dies is replaced\n"
      "      [--config-dir DIR]  a request may name a config in DIR (repeatable); else only\n"
      "                       the start-up config below is read\n"
      "  %s --help | --version\n\n"
      "A TCP ADDR must be on loopback unless FCGI_WEB_SERVER_ADDRS lists the web servers.\n"
      "Started as CGI (GATEWAY_INTERFACE set), the program ignores its arguments.\n"
      "The config is found through the HEARTBEAT_CONFIG request parameter, then the\n"
      "HEARTBEAT_CONFIG environment variable, then heartbeat.conf beside this program.\n",
      program.name, HEARTBEAT_VERSION, program.summary, program.name, program.name, kMaxProcesses,
      program.name);
}

}  // namespace

bool StartedAsCgi() {
  const char* gateway = getenv("GATEWAY_INTERFACE");
  return gateway && *gateway;
}

int RunServerProgram(const ServerProgram& program, int argc, char** argv) {
  SetLogProgramName(program.name);
  // The database and its -wal/-shm hold the owner's activity: only this user may read them.
  umask(077);
  // A CGI server passes a query string without '=' as arguments (RFC 3875 4.4), so under
  // CGI the arguments are the visitor's words, never options.
  const bool cgi = StartedAsCgi();
  if (cgi) argc = 1;
  const char* listen = nullptr;
  const char* processes_text = nullptr;
  ConfigPolicy config_policy;
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
    } else if (arg == "--processes" && i + 1 < argc) {
      processes_text = argv[++i];
    } else if (arg == "--config-dir" && i + 1 < argc) {
      auto dir = ResolveConfigDir(argv[++i]);
      if (!dir.ok()) {
        std::fprintf(stderr, "%s: %s\n", program.name, dir.status().message().c_str());
        return 2;
      }
      config_policy.allowed_dirs.push_back(std::move(dir).value());
    } else {
      std::fprintf(stderr, "%s: unknown argument '%s' (see --help)\n", program.name, argv[i]);
      return 2;
    }
  }
  const int processes = processes_text ? ParseProcessCount(processes_text) : 1;
  if (processes == 0) {
    std::fprintf(stderr, "%s: --processes wants a number from 1 to %d\n", program.name,
                 kMaxProcesses);
    return 2;
  }
  if ((processes_text || !config_policy.allowed_dirs.empty()) && !listen) {
    std::fprintf(stderr, "%s: --processes and --config-dir go with --listen\n", program.name);
    return 2;
  }
  // On a socket of its own anyone who reaches it is a peer: only the start-up config and
  // those in --config-dir may be named by a request.
  config_policy.param_trusted = listen == nullptr;
  SystemClock clock;
  ConfigCache configs(clock);
  StoreCache stores(clock);
  Services services{configs, stores, clock,
                    FallbackConfigPath(getenv("HEARTBEAT_CONFIG"), ExecutableDir(argv[0])),
                    std::move(config_policy)};

  if (!listen) {
    if (cgi || FCGX_IsCGI()) return ServeCgi(program, services);
    FCGX_Init();
    return ServeFastCgi(program.handle, services, 0);
  }

  auto address = ParseListenAddress(listen);
  if (!address.ok()) {
    LogLine(address.status().message());
    return 2;
  }
  const char* web_servers = getenv("FCGI_WEB_SERVER_ADDRS");
  if (!address->is_unix && !IsLoopbackHost(address->host) && !(web_servers && *web_servers)) {
    LogLine("refusing to listen on " + std::string(listen) +
            ": off loopback, set FCGI_WEB_SERVER_ADDRS to the web servers allowed to connect");
    return 2;
  }
  FCGX_Init();
  auto opened = OpenListenSocket(address.value());
  if (!opened.ok()) {
    LogLine(opened.status().message());
    return 1;
  }
  const UniqueFd listener = std::move(opened).value();
  LogLine(std::string("listening on ") + listen +
          (processes > 1 ? " with " + std::to_string(processes) + " processes" : ""));
  // The workers open their own database connections: nothing opened here crosses a fork.
  int code =
      processes > 1
          ? RunWorkers(processes,
                       [&] { return ServeFastCgi(program.handle, services, listener.get()); })
          : ServeFastCgi(program.handle, services, listener.get());
  if (address->is_unix) unlink(address->path.c_str());
  LogLine("stopped");
  return code;
}

}  // namespace heartbeat
