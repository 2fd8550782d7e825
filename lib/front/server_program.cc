#include "server_program.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

#include "account_home.h"
#include "caches.h"
#include "cgi_server.h"
#include "fastcgi_server.h"
#include "listen_socket.h"
#include "log.h"
#include "path_name.h"
#include "program_options.h"
#include "store.h"
#include "worker_pool.h"

namespace heartbeat {
namespace {

std::string ExecutableDir(const char* argv0) {
  char path[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
  if (n > 0) {
    path[n] = '\0';
    return DirName(path);
  }
  return DirName(argv0 ? argv0 : ".");
}

// The start-up config (FallbackConfigPath). The home folder is that of the effective user:
// under suEXEC the site's account, whatever HOME said (suEXEC passes no HOME on). /etc/passwd
// is read only when neither the environment nor a file beside the program decides (a large
// host's file is long, and plain CGI starts a process per request). When no place has a
// config, one line names them all, so that the error says where to put it.
std::string StartUpConfigPath(const char* argv0) {
  const char* env_value = getenv("HEARTBEAT_CONFIG");
  const std::string executable_dir = ExecutableDir(argv0);
  std::string path = FallbackConfigPath(env_value, executable_dir, "");
  struct stat st;
  if ((env_value && *env_value) || lstat(path.c_str(), &st) == 0) return path;
  const std::string home = HomeFolderOf(geteuid());
  path = FallbackConfigPath(nullptr, executable_dir, home);
  if (lstat(path.c_str(), &st) != 0) {
    std::string places;
    for (const std::string& place : ConfigPlaces(executable_dir, home))
      places += (places.empty() ? "" : ", ") + place;
    LogLine("no config: HEARTBEAT_CONFIG is not set and none of these exists: " + places);
  }
  return path;
}

// The program's endpoint with what it needs from the process. A wake of the FastCGI loop
// starts a batch of the status path's shared presence read, and reads the caches' clock.
class ProgramHandler final : public RequestHandler {
 public:
  ProgramHandler(const ServerProgram& program, Services& services, MarkedClock& cache_clock)
      : program_(program), services_(services), cache_clock_(cache_clock) {}
  Response Handle(const Request& request) override { return program_.handle(request, services_); }
  void StartBatch() override {
    services_.presence_reads.StartBatch();
    cache_clock_.Mark();
  }

 private:
  const ServerProgram& program_;
  Services& services_;
  MarkedClock& cache_clock_;
};

// --listen: opens the program's own socket and serves it in one or more processes.
int ServeOwnSocket(const char* listen, int processes, RequestHandler& handler) {
  auto address = ParseListenAddress(listen);
  if (!address.ok()) {
    LogLine(address.status().message());
    return 2;
  }
  if (!ListenAllowed(address.value(), getenv("FCGI_WEB_SERVER_ADDRS"))) {
    LogLine("refusing to listen on " + std::string(listen) +
            ": off loopback, set FCGI_WEB_SERVER_ADDRS to the web servers allowed to connect");
    return 2;
  }
  auto opened = OpenListenSocket(address.value());
  if (!opened.ok()) {
    LogLine(opened.status().message());
    return 1;
  }
  const UniqueFd listener = std::move(opened).value();
  LogLine(std::string("listening on ") + listen +
          (processes > 1 ? " with " + std::to_string(processes) + " processes" : ""));
  // The workers open their own database connections: nothing opened here crosses a fork.
  int code = processes > 1
                 ? RunWorkers(processes, [&] { return ServeFastCgi(handler, listener.get()); })
                 : ServeFastCgi(handler, listener.get());
  if (address->is_unix) unlink(address->path.c_str());
  LogLine("stopped");
  return code;
}

// A TCP socket handed over on descriptor 0 (spawn-fcgi -p) can be reached by every local user,
// as a --listen socket can; a unix socket there is the process manager's (mod_fcgid,
// spawn-fcgi -s), protected by its folder.
bool InheritedTcpSocket() {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (getsockname(STDIN_FILENO, reinterpret_cast<sockaddr*>(&address), &length) != 0) return false;
  return address.ss_family == AF_INET || address.ss_family == AF_INET6;
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
  auto parsed = ParseProgramOptions(cgi ? 1 : argc, argv);
  if (!parsed.ok()) {
    std::fprintf(stderr, "%s: %s\n", program.name, parsed.status().message().c_str());
    return 2;
  }
  ProgramOptions options = std::move(parsed).value();
  if (options.action == ProgramOptions::Action::kHelp) {
    std::fputs(HelpText(program.name, program.summary).c_str(), stdout);
    return 0;
  }
  if (options.action == ProgramOptions::Action::kVersion) {
    std::printf("%s %s\n", program.name, HEARTBEAT_VERSION);
    return 0;
  }
  ConfigureSqliteForOneThread();  // the loop and the CGI path are one thread each
  SystemClock clock;
  MarkedClock cache_clock;
  ConfigCache configs(cache_clock);
  StoreCache stores(cache_clock);
  Services services(configs, stores, clock);
  services.fallback_config_path = StartUpConfigPath(argv[0]);
  services.config_policy = std::move(options.config_policy);
  ProgramHandler handler(program, services, cache_clock);
  if (options.listen) return ServeOwnSocket(options.listen, options.processes, handler);
  // Under a process manager the listening socket is descriptor 0; anything else there is CGI.
  if (cgi || !IsListeningSocket(0)) return ServeCgi(handler);
  if (InheritedTcpSocket()) {
    services.config_policy.param_trusted = false;
    LogLine(
        "serving the TCP socket on descriptor 0: as with --listen, a request may name only "
        "the start-up config");
  }
  return ServeFastCgi(handler, 0);
}

}  // namespace heartbeat
