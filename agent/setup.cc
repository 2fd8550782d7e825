#include "setup.h"

#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "agent.h"
#include "agent_config.h"
#include "curl_http_client.h"
#include "json_reader.h"
#include "key_value.h"
#include "retry_policy.h"
#include "service_install.h"
#include "text_field.h"
#include "trim.h"

namespace heartbeat::agent {
namespace {

struct SetupFlags {
  std::string config;
  std::string service;
  std::string ca_file;
  bool install = true;
  bool allow_root = false;
};

// A path or value setup writes into a file (agent.conf, the token file, the unit, the plist):
// a control character would start a line of its own there (a newline in a path put an
// ExecStartPre= line into the unit), so anything TerminalText would change is refused.
bool Writable(const std::string& what, const std::string& value) {
  if (TerminalText(value) == value) return true;
  Say(what + " holds a control character or a byte that is not UTF-8: refused");
  return false;
}

// The terminal's settings while the token is typed, put back on Ctrl-C too.
termios g_saved_terminal;
volatile sig_atomic_t g_echo_off = 0;
void RestoreTerminalAndExit(int signal_number) {
  if (g_echo_off) tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_terminal);
  signal(signal_number, SIG_DFL);
  raise(signal_number);
}

// One line from stdin without its end; from a terminal without echo when `hidden`. False at
// end of input.
bool ReadAnswer(const std::string& prompt, bool hidden, std::string* answer) {
  const bool terminal = isatty(STDIN_FILENO);
  if (hidden && terminal && tcgetattr(STDIN_FILENO, &g_saved_terminal) == 0) {
    termios quiet = g_saved_terminal;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    signal(SIGINT, RestoreTerminalAndExit);
    signal(SIGTERM, RestoreTerminalAndExit);
    g_echo_off = 1;
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  // The prompt only now, so that nothing typed after it is echoed.
  std::fprintf(stderr, "%s", prompt.c_str());
  std::fflush(stderr);
  char buffer[4096];
  bool got = std::fgets(buffer, sizeof buffer, stdin) != nullptr;
  if (g_echo_off) {
    tcsetattr(STDIN_FILENO, TCSANOW, &g_saved_terminal);
    g_echo_off = 0;
    std::fprintf(stderr, "\n");  // the Enter that was not echoed
  } else if (!terminal) {
    std::fprintf(stderr, "\n");
  }
  if (!got) return false;
  *answer = std::string(Trim(buffer, " \t\r\n"));
  return true;
}

// This very program, absolute, for the copy that the service runs.
std::string OwnPath(const char* argv0) {
  std::string name = argv0 ? argv0 : "";
  if (name.find('/') == std::string::npos) {
    const char* path = std::getenv("PATH");
    std::string dirs = path ? path : "";
    for (size_t at = 0; at <= dirs.size();) {
      size_t end = dirs.find(':', at);
      if (end == std::string::npos) end = dirs.size();
      std::string candidate = dirs.substr(at, end - at) + "/" + name;
      if (access(candidate.c_str(), X_OK) == 0) {
        name = candidate;
        break;
      }
      at = end + 1;
    }
  }
  char resolved[PATH_MAX];
  return realpath(name.c_str(), resolved) ? resolved : name;
}

// agent.conf with `url`, `token_file` (and `ca_file` when given) set, every other line kept as
// the user wrote it; a `token` line goes, since the token now lives in the token file.
std::string EditedConfig(const std::string& current,
                         const std::vector<std::pair<std::string, std::string>>& set) {
  std::vector<bool> done(set.size(), false);
  std::string out;
  size_t at = 0;
  while (at < current.size()) {
    size_t end = current.find('\n', at);
    std::string line = current.substr(at, end == std::string::npos ? std::string::npos : end - at);
    at = end == std::string::npos ? current.size() : end + 1;
    const std::string key(Trim(std::string_view(line).substr(0, line.find('='))));
    bool replaced = false;
    for (size_t i = 0; i < set.size(); ++i) {
      if (line.find('=') != std::string::npos && key == set[i].first) {
        if (!done[i]) out += set[i].first + " = " + set[i].second + "\n";
        done[i] = true;
        replaced = true;
      }
    }
    if (line.find('=') != std::string::npos && key == "token") continue;
    if (!replaced) out += line + "\n";
  }
  for (size_t i = 0; i < set.size(); ++i) {
    if (!done[i]) out += set[i].first + " = " + set[i].second + "\n";
  }
  return out;
}

std::string Setting(const std::string& text, const std::string& key) {
  auto lines = ParseKeyValueText(text, "agent.conf");
  if (!lines.ok()) return "";
  std::string value;
  for (const KeyValueLine& line : lines.value()) {
    if (line.key == key) value = line.value;
  }
  return value;
}

// The server's "error" code from a JSON answer, for the message: only a code as the server
// writes them (lower-case letters and '_', at most 40), never other text of the body.
std::string ErrorCode(const std::string& body) {
  auto answer = ReadJson(body);
  const JsonValue* error = answer.ok() ? answer->Find("error", JsonValue::Kind::kString) : nullptr;
  if (!error || error->text.empty() || error->text.size() > 40) return "";
  for (char c : error->text) {
    if (!((c >= 'a' && c <= 'z') || c == '_')) return "";
  }
  return error->text;
}

// One post of "active" (the owner is at the keyboard, typing this): what it proves, or what to
// fix, and the exit code.
int Prove(const AgentConfig& config) {
  auto http = MakeCurlHttpClient(config.ca_file);
  if (!http.ok()) {
    Say(http.status().message());
    return http.status().code() == Status::Code::kInvalid ? kExitUsage : kExitUnavailable;
  }
  HttpRequest request;
  request.url = config.url;
  request.bearer_token = config.token;
  request.json_body = HeartbeatJson(config.device, DeviceState::kActive);
  request.timeout_s = config.timeout_s;
  HttpResponse response = http.value()->Send(request);
  if (!response.transport_error && response.status >= 200 && response.status < 300) {
    Say("the server took a heartbeat from " + config.device + " (HTTP " +
        std::to_string(response.status) + ")");
    return kExitSent;
  }
  if (response.certificate_error) {
    Say("the server's certificate was not accepted (" + response.error +
        "). If the site uses a "
        "certificate of its own, run setup again with --ca-file FILE naming its CA.");
    return kExitUnavailable;
  }
  if (response.transport_error) {
    Say("could not reach " + config.url + " (" + response.error +
        "): check the URL and the network.");
    return kExitUnavailable;
  }
  const std::string code = ErrorCode(response.body);
  const std::string status =
      "HTTP " + std::to_string(response.status) + (code.empty() ? "" : ", " + code);
  if (response.status == 401) {
    Say("wrong token: the server refused it (" + status +
        "). Paste the token that "
        "`heartbeat.fcgi --new-token` printed, whose token_sha256 line is in the server's config.");
    return kExitRejected;
  }
  if (response.status == 404 || response.status == 405 || response.status == 403) {
    Say("wrong URL: nothing there takes heartbeats (" + status +
        "). The URL ends in "
        "/heartbeat.fcgi, as DEPLOY.md shows.");
    return kExitRejected;
  }
  Say("the server answered " + status + ": see DEPLOY.md.");
  return ExitCodeFor(Classify(response));
}

// The flags after "setup", the paths made absolute; false (said) on a usage error or as root.
bool ReadFlags(int argc, const char* const* argv, const char* home, SetupFlags* flags) {
  flags->config = DefaultAgentConfigPath(home);
#ifdef __APPLE__
  flags->service = "launchd";
#else
  flags->service = "systemd";
#endif
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](std::string* into) {
      if (i + 1 >= argc) return false;
      *into = argv[++i];
      return true;
    };
    bool ok = true;
    if (arg == "--no-install")
      flags->install = false;
    else if (arg == "--allow-root")
      flags->allow_root = true;
    else if (arg == "--config")
      ok = value(&flags->config);
    else if (arg == "--service")
      ok = value(&flags->service) && (flags->service == "launchd" || flags->service == "systemd");
    else if (arg == "--ca-file")
      ok = value(&flags->ca_file);
    else
      ok = false;
    if (!ok) {
      Say("usage: heartbeat-agent setup [--config FILE] [--ca-file FILE] [--no-install] "
          "[--service launchd|systemd] [--allow-root]");
      return false;
    }
  }
  // The agent is the owner's, in the owner's session: run as root (sudo), setup would give
  // root a user service and a config under root's HOME. Only when asked for.
  if (geteuid() == 0 && !flags->allow_root) {
    Say("refusing to run as root: run setup as the user whose presence it reports, or pass "
        "--allow-root to set it up for root");
    return false;
  }
  if (flags->config.empty() || flags->config[0] != '/') {
    char cwd[PATH_MAX];
    if (getcwd(cwd, sizeof cwd)) flags->config = std::string(cwd) + "/" + flags->config;
  }
  if (!flags->ca_file.empty() && flags->ca_file[0] != '/') {
    char resolved[PATH_MAX];
    if (realpath(flags->ca_file.c_str(), resolved)) flags->ca_file = resolved;
  }
  return true;
}

// What is there before setup writes: agent.conf, where the token lives and the token.
struct CurrentFiles {
  std::string config;  // agent.conf's text, empty when there is none
  std::string token_file;
  std::string token;
};

CurrentFiles ReadCurrentFiles(const std::string& config_path) {
  CurrentFiles current;
  auto existing = ReadWholeFile(config_path);
  if (existing.ok()) current.config = existing.value();
  current.token_file = Setting(current.config, "token_file");
  if (current.token_file.empty())
    current.token_file = config_path.substr(0, config_path.rfind('/')) + "/token";
  if (auto text = ReadWholeFile(current.token_file); text.ok())
    current.token = std::string(Trim(text.value(), "\r\n"));
  return current;
}

// The URL and the token, asked for (Enter keeps the current one); false (said) on a bad answer.
bool AskAnswers(const CurrentFiles& current, std::string* url, std::string* token) {
  const std::string current_url = Setting(current.config, "url");
  if (!ReadAnswer(
          "URL of heartbeat.fcgi" + (current_url.empty() ? "" : " [" + current_url + "]") + ": ",
          false, url)) {
    Say("no answer");
    return false;
  }
  if (url->empty()) *url = current_url;
  if (!Writable("the URL", *url) || !Writable("the token_file path", current.token_file))
    return false;
  if (Status checked = CheckUrl(*url); !checked.ok()) {
    Say("url '" + *url + "': " + checked.message());
    return false;
  }
  if (!ReadAnswer(std::string("Token (not shown while you type") +
                      (current.token.empty() ? "" : "; Enter keeps the current one") + "): ",
                  true, token)) {
    Say("no answer");
    return false;
  }
  if (token->empty()) *token = current.token;
  if (token->empty() || token->find_first_of(" \t\r\n\"\\") != std::string::npos ||
      TerminalText(*token) != *token) {
    Say("the token is one word: the first line that `heartbeat.fcgi --new-token` printed");
    return false;
  }
  return true;
}

// The token file and agent.conf, mode 0600 (missing folders 0700), only what differs: whether
// either changed, or nothing (said) when one cannot be written.
std::optional<bool> WriteFiles(const SetupFlags& flags, const CurrentFiles& current,
                               const std::string& url, const std::string& token) {
  std::vector<std::pair<std::string, std::string>> settings = {{"url", url},
                                                               {"token_file", current.token_file}};
  if (!flags.ca_file.empty()) settings.emplace_back("ca_file", flags.ca_file);
  bool changed = false;
  for (const auto& [path, content] :
       {std::pair{current.token_file, token + "\n"},
        std::pair{flags.config, EditedConfig(current.config, settings)}}) {
    auto written = WriteFileIfDifferent(path, content, 0600);
    if (!written.ok()) {
      Say(written.status().message());
      return std::nullopt;
    }
    if (written.value() != FileChange::kUnchanged) {
      Say((written.value() == FileChange::kCreated ? "wrote " : "updated ") + path);
      changed = true;
    }
  }
  return changed;
}

// The proof: the files as the agent itself reads them, and one post. The exit code; what to do
// next said when the post failed.
int ProveFiles(const char* argv0, const std::string& config_path) {
  const char* once_argv[] = {argv0, "once", "--config", config_path.c_str()};
  auto config = LoadAgentConfig(
      4, once_argv,
      [](const char* name) -> const char* {
        return std::strcmp(name, "HOME") == 0 ? std::getenv(name) : nullptr;  // the files alone
      },
      HostName());
  if (!config.ok()) {
    Say(config.status().message());
    return kExitUsage;
  }
  int proved = Prove(config.value());
  if (proved != kExitSent) {
    Say("not installed: fix the above and run setup again (the files stay, Enter keeps each "
        "answer)");
  }
  return proved;
}

// Start at login. The exit code.
int Install(const SetupFlags& flags, const std::string& home, const char* xdg, const char* argv0,
            bool settings_changed) {
  InstallPlan plan;
  plan.service = flags.service;
  plan.home = home;
  plan.config_home = xdg && xdg[0] == '/' ? xdg : home + "/.config";
  plan.program = OwnPath(argv0);
  plan.config = flags.config;
  plan.settings_changed = settings_changed;
  plan.uid = static_cast<unsigned>(getuid());
  Status installed = InstallService(plan);
  if (!installed.ok()) {
    Say(installed.message());
    return installed.code() == Status::Code::kInvalid ? kExitUsage : kExitUnavailable;
  }
  Say("done: the agent starts at login (" + flags.service + ")");
  return kExitSent;
}

}  // namespace

int RunSetup(int argc, const char* const* argv) {
  const char* home_env = std::getenv("HOME");
  if (!home_env || home_env[0] != '/') {
    Say("HOME must be set to an absolute path");
    return kExitUsage;
  }
  const std::string home = home_env;
  SetupFlags flags;
  if (!ReadFlags(argc, argv, home_env, &flags)) return kExitUsage;
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (!Writable("HOME", home) || !Writable("the config path", flags.config) ||
      !Writable("the --ca-file path", flags.ca_file) ||
      !Writable("XDG_CONFIG_HOME", xdg ? xdg : "") ||
      !Writable("the agent's own path", OwnPath(argv[0]))) {
    return kExitUsage;
  }
  const CurrentFiles current = ReadCurrentFiles(flags.config);
  std::string url, token;
  if (!AskAnswers(current, &url, &token)) return kExitUsage;
  std::optional<bool> changed = WriteFiles(flags, current, url, token);
  if (!changed) return kExitUsage;
  if (int proved = ProveFiles(argv[0], flags.config); proved != kExitSent) return proved;
  if (!flags.install) {
    Say("done; not installed (--no-install): start it with `heartbeat-agent run`");
    return kExitSent;
  }
  return Install(flags, home, xdg, argv[0], *changed);
}

}  // namespace heartbeat::agent
