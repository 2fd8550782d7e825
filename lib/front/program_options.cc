#include "program_options.h"

#include "key_value.h"

namespace heartbeat {
namespace {

constexpr int kMaxProcesses = 64;

// The N of --processes N: 1 to kMaxProcesses, else 0.
int ParseProcessCount(const char* text) {
  long long count = 0;
  return ParseIntInRange(text, 1, kMaxProcesses, &count) ? static_cast<int>(count) : 0;
}

}  // namespace

Result<ProgramOptions> ParseProgramOptions(int argc, char** argv) {
  ProgramOptions options;
  const char* processes_text = nullptr;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      options.action = ProgramOptions::Action::kHelp;
      return options;
    } else if (arg == "--version") {
      options.action = ProgramOptions::Action::kVersion;
      return options;
    } else if (arg == "--listen" && i + 1 < argc) {
      options.listen = argv[++i];
    } else if (arg == "--processes" && i + 1 < argc) {
      processes_text = argv[++i];
    } else if (arg == "--config-dir" && i + 1 < argc) {
      auto dir = ResolveConfigDir(argv[++i]);
      if (!dir.ok()) return dir.status();
      options.config_policy.allowed_dirs.push_back(std::move(dir).value());
    } else {
      return Status::Invalid("unknown argument '" + arg + "' (see --help)");
    }
  }
  if (processes_text) {
    options.processes = ParseProcessCount(processes_text);
    if (options.processes == 0) {
      return Status::Invalid("--processes wants a number from 1 to " +
                             std::to_string(kMaxProcesses));
    }
  }
  if ((processes_text || !options.config_policy.allowed_dirs.empty()) && !options.listen) {
    return Status::Invalid("--processes and --config-dir go with --listen");
  }
  // On a socket of its own anyone who reaches it is a peer: only the start-up config and
  // those in --config-dir may be named by a request.
  options.config_policy.param_trusted = options.listen == nullptr;
  return options;
}

std::string HelpText(const char* name, const char* summary) {
  const std::string n = name;
  return n + " " + HEARTBEAT_VERSION + ": " + summary +
         "\n\n"
         "Usage:\n"
         "  " +
         n +
         "                  serve FastCGI (socket on fd 0) or, if started as CGI, one request\n"
         "  " +
         n +
         " --listen ADDR    serve FastCGI on ADDR: a unix socket path (with a /) or host:port\n"
         "      [--processes N]  ... in N processes on that socket (1 to " +
         std::to_string(kMaxProcesses) +
         ", default 1), e.g. one\n"
         "                       per core on a busy host; a process that dies is replaced\n"
         "      [--config-dir DIR]  a request may name a config in DIR (repeatable); else only\n"
         "                       the start-up config below is read\n"
         "  " +
         n +
         " --help | --version\n\n"
         "A TCP ADDR must be on loopback unless FCGI_WEB_SERVER_ADDRS lists the web servers.\n"
         "Started as CGI (GATEWAY_INTERFACE set), the program ignores its arguments.\n"
         "The config is found through the HEARTBEAT_CONFIG request parameter, then the\n"
         "HEARTBEAT_CONFIG environment variable, then heartbeat.conf beside this program,\n"
         "then ~/heartbeat-data/heartbeat.conf of the user it runs as (from /etc/passwd).\n";
}

}  // namespace heartbeat
