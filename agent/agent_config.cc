#include "agent_config.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <list>
#include <map>
#include <memory>
#include <optional>

#include "device_name.h"
#include "key_value.h"
#include "read_all.h"
#include "trim.h"
#include "unique_fd.h"

namespace heartbeat::agent {
namespace {

struct UrlDeleter {
  void operator()(CURLU* url) const { curl_url_cleanup(url); }
};

struct Range {
  int AgentConfig::*field;
  long long min, max;
};

// Numeric settings and their ranges; a value outside is a usage error, never clamped.
const std::map<std::string, Range>& NumericKeys() {
  static const std::map<std::string, Range> keys = {
      {"interval", {&AgentConfig::interval_s, 10, 86400}},
      {"check_interval", {&AgentConfig::check_interval_s, 1, 3600}},
      {"idle_threshold", {&AgentConfig::idle_threshold_s, 1, 86400}},
      {"timeout", {&AgentConfig::timeout_s, 1, 300}},
  };
  return keys;
}

struct OwnFile {
  std::string text;
  bool readable_by_others = false;
};

// Reads a config or token file the way ssh reads its own: refused (Invalid) when another user
// can change it (a group or other write bit, or an owner other than this user or root), since
// whoever can change it can point the agent elsewhere or name a command for it to run. NotFound
// when it does not exist. One open, so the checked file is the file read.
Result<OwnFile> ReadOwnFile(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) {
    if (errno == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::Invalid(path + ": " + std::strerror(errno));
  }
  struct stat st;
  if (fstat(fd.get(), &st) != 0) return Status::Invalid(path + ": " + std::strerror(errno));
  if (st.st_uid != geteuid() && st.st_uid != 0) {
    return Status::Invalid(path + " belongs to another user (uid " + std::to_string(st.st_uid) +
                           "); it must be yours");
  }
  if (st.st_mode & (S_IWGRP | S_IWOTH))
    return Status::Invalid(path + " can be written by other users; chmod 600 it");
  OwnFile file;
  file.readable_by_others = (st.st_mode & (S_IRGRP | S_IROTH)) != 0;
  auto text = ReadToEnd(fd.get(), path, 1024 * 1024);
  if (!text.ok()) return Status::Invalid(text.status().message());  // a file setup must fix
  file.text = std::move(text).value();
  return file;
}

const char* const kIdleSources[] = {"auto",        "iokit",  "x11",     "gnome",
                                    "freedesktop", "logind", "command", "none"};

// Applies one setting, from any source. `where` names the source for messages.
Status Apply(AgentConfig* config, const std::string& key, const std::string& value,
             const std::string& where) {
  if (auto numeric = NumericKeys().find(key); numeric != NumericKeys().end()) {
    long long number = 0;
    if (!ParseIntInRange(value, numeric->second.min, numeric->second.max, &number)) {
      return Status::Invalid(where + ": " + key + " must be whole seconds from " +
                             std::to_string(numeric->second.min) + " to " +
                             std::to_string(numeric->second.max) + ", got '" + value + "'");
    }
    config->*(numeric->second.field) = static_cast<int>(number);
  } else if (key == "url") {
    config->url = value;
  } else if (key == "status_url") {
    config->status_url = value;
  } else if (key == "device") {
    config->device = value;
  } else if (key == "idle_command") {
    config->idle_command = value;
  } else if (key == "ca_file") {
    config->ca_file = value;
  } else if (key == "idle_source") {
    bool known = false;
    for (const char* source : kIdleSources) known = known || value == source;
    if (!known) {
      return Status::Invalid(
          where +
          ": idle_source must be auto, iokit, x11, gnome, freedesktop, logind, command or none");
    }
    config->idle_source = value;
  } else if (key == "share") {
    auto share = ParseShare(value);
    if (!share.ok()) return Status::Invalid(where + ": " + share.status().message());
    config->share = share.value();
  } else if (key == "coding_apps") {
    auto apps = ParseCodingApps(value);
    if (!apps.ok()) return Status::Invalid(where + ": " + apps.status().message());
    config->coding_apps = std::move(apps).value();
  } else if (key == "listening_source") {
    if (value != "auto" && value != "mpris" && value != "osascript") {
      return Status::Invalid(where + ": listening_source must be auto, mpris or osascript");
    }
    config->listening_source = value;
  } else if (key == "token") {
    config->token = value;
  } else if (key == "token_file") {
    auto file = ReadOwnFile(value);
    if (!file.ok()) return Status::Invalid(where + ": token_file: " + file.status().message());
    if (file->readable_by_others) {
      config->warnings.push_back("token file " + value +
                                 " can be read by other users; chmod 600 it");
    }
    config->token = std::string(Trim(file->text, " \r\n"));
  } else {
    return Status::Invalid(where + ": unknown setting '" + key + "'");
  }
  return Status::Ok();
}

bool ParseCommand(const std::string& word, Command* command) {
  static const std::map<std::string, Command> commands = {
      {"once", Command::kOnce},         {"run", Command::kRun},   {"offline", Command::kOffline},
      {"status", Command::kStatus},     {"idle", Command::kIdle}, {"note", Command::kNote},
      {"activity", Command::kActivity},
  };
  auto found = commands.find(word);
  if (found == commands.end()) return false;
  *command = found->second;
  return true;
}

}  // namespace

std::string DefaultAgentConfigPath(const char* home) {
  return std::string(home && *home ? home : ".") + "/.config/heartbeat/agent.conf";
}

std::string HostName() {
  char name[256] = {};
  if (gethostname(name, sizeof name - 1) != 0) return "";
  return name;
}

std::string DeviceNameFromHost(const std::string& hostname) {
  std::string name = hostname.substr(0, hostname.find('.'));
  for (char& c : name) {
    if (!IsDeviceNameCharacter(c)) c = '-';
  }
  if (name.size() > kMaxDeviceNameLength) name.resize(kMaxDeviceNameLength);
  return name.empty() ? "default" : name;
}

std::string DefaultStatusUrl(const std::string& url) {
  const std::string from = "heartbeat.fcgi";
  if (url.size() < from.size() || url.compare(url.size() - from.size(), from.size(), from) != 0) {
    return "";
  }
  return url.substr(0, url.size() - from.size()) + "status.fcgi";
}

Status CheckUrl(const std::string& url) {
  // The same parser curl_easy_perform uses, so the host checked is the host connected to.
  std::unique_ptr<CURLU, UrlDeleter> parsed(curl_url());
  if (!parsed || curl_url_set(parsed.get(), CURLUPART_URL, url.c_str(), 0) != CURLUE_OK) {
    return Status::Invalid("not a URL (https://host/path)");
  }
  auto part = [&parsed](CURLUPart which) -> std::optional<std::string> {
    char* text = nullptr;
    if (curl_url_get(parsed.get(), which, &text, 0) != CURLUE_OK || !text) return std::nullopt;
    std::string copy = text;
    curl_free(text);
    return copy;
  };
  if (part(CURLUPART_USER) || part(CURLUPART_PASSWORD) || part(CURLUPART_OPTIONS)) {
    return Status::Invalid("a URL with user info (user@) is refused");
  }
  std::optional<std::string> scheme = part(CURLUPART_SCHEME), host = part(CURLUPART_HOST);
  if (!host || host->empty()) return Status::Invalid("the URL has no host");
  if (scheme == "https") return Status::Ok();
  if (scheme == "http" && !part(CURLUPART_ZONEID) &&
      (*host == "localhost" || *host == "127.0.0.1" || *host == "[::1]")) {
    return Status::Ok();
  }
  if (scheme == "http")
    return Status::Invalid("http:// only to localhost, 127.0.0.1 or [::1] (use https://)");
  return Status::Invalid("only https:// (or http:// to localhost)");
}

namespace {

// The command line as read, before the file and the environment are applied.
struct CommandLine {
  std::vector<std::pair<std::string, std::string>> settings;  // --name VALUE, name with '_'
  std::vector<std::string> note_flags;  // --busy, --clear, --for, --until: only for note
  bool have_command = false;
};

// getopt_long's `val` for the two kinds of long option.
constexpr int kTakesValue = 2;
constexpr int kSwitch = 3;

// Every long option: each setting in both spellings (--token-file and --token_file), --config,
// the note's --for, --until, --busy and --clear, and --version. --token is listed only to be
// refused with a reason.
const std::vector<option>& LongOptions() {
  static const std::vector<option> options = [] {
    static const char* const kWithValue[] = {
        "config",           "url",          "status_url",     "token",          "token_file",
        "device",           "interval",     "check_interval", "idle_threshold", "timeout",
        "idle_source",      "idle_command", "ca_file",        "share",          "coding_apps",
        "listening_source", "for",          "until"};
    static std::list<std::string> dashed;  // the names getopt_long points to, kept alive
    std::vector<option> list;
    for (const char* name : kWithValue) {
      list.push_back({name, required_argument, nullptr, kTakesValue});
      std::string other = name;
      for (char& c : other) c = c == '_' ? '-' : c;
      if (other == name) continue;
      dashed.push_back(other);
      list.push_back({dashed.back().c_str(), required_argument, nullptr, kTakesValue});
    }
    for (const char* name : {"busy", "clear", "version"})
      list.push_back({name, no_argument, nullptr, kSwitch});
    list.push_back({nullptr, 0, nullptr, 0});
    return list;
  }();
  return options;
}

// getopt_long keeps its place in globals: a fresh start for each call (setup calls twice).
void ResetGetopt() {
#if defined(__APPLE__) || defined(__FreeBSD__)
  optreset = 1;
  optind = 1;
#else
  optind = 0;  // glibc: also forgets the rest of a cluster of short options
#endif
  opterr = 0;  // its messages are ours (below), not its own on stderr
}

// A word that is not an option: the command, then the note's TEXT.
Status TakeWord(const std::string& word, AgentConfig* config, CommandLine* line) {
  if (line->have_command && config->command == Command::kNote && !config->note.has_text) {
    config->note.has_text = true;
    config->note.text = word;
  } else if (!line->have_command && ParseCommand(word, &config->command)) {
    line->have_command = true;
  } else if (line->have_command && config->command == Command::kNote) {
    return Status::Invalid("note takes one TEXT; quote it (\"In a meeting\"), got '" + word +
                           "' too");
  } else {
    return Status::Invalid("unknown command or argument '" + word + "' (see --help)");
  }
  return Status::Ok();
}

// One long option, `name` with '_' for '-'. --version ends the reading (the command is all).
Status TakeOption(const std::string& name, const std::string& value, AgentConfig* config,
                  CommandLine* line) {
  if (name == "version") {
    config->command = Command::kVersion;
  } else if (name == "busy" || name == "clear") {
    (name == "busy" ? config->note.busy : config->note.clear) = true;
    line->note_flags.push_back("--" + name);
  } else if (name == "token") {
    return Status::Invalid(
        "there is no --token flag (it would show in ps); use --token-file or HEARTBEAT_TOKEN");
  } else if (name == "for" || name == "until") {
    if (value.empty()) return Status::Invalid("--" + name + " needs a value");
    (name == "for" ? config->note.for_value : config->note.until_value) = value;
    line->note_flags.push_back("--" + name);
  } else {
    line->settings.emplace_back(name, value);
  }
  return Status::Ok();
}

// What getopt_long refused in `word` (the argument it was reading), as the agent says it.
Status Refused(int answer, const std::string& word) {
  const std::string flag = word.substr(0, word.find('='));
  std::string key = flag.size() > 2 ? flag.substr(2) : "";
  for (char& c : key) c = c == '-' ? '_' : c;
  if (word.rfind("--", 0) != 0)
    return Status::Invalid("unknown command or argument '" + word + "' (see --help)");
  if (answer == ':' && word.find('=') == std::string::npos)
    return Status::Invalid(flag + " needs a value");
  if (answer == ':' || (answer == '?' && word.find('=') != std::string::npos &&
                        (key == "busy" || key == "clear" || key == "version"))) {
    return Status::Invalid(flag + " takes no value");
  }
  return Status::Invalid(flag + ": unknown setting '" + key + "'");
}

// The command, the note's TEXT and the flags, with getopt_long in its in-order mode ("-"), so
// that the words come in the order written whatever POSIXLY_CORRECT says; a name must be
// written in full (getopt_long would take "--int" for --interval).
Status ReadCommandLine(int argc, const char* const* argv, AgentConfig* config, CommandLine* line) {
  std::vector<char*> args;  // getopt_long's type; in-order mode moves none of them
  for (int i = 0; i < argc; ++i) args.push_back(const_cast<char*>(argv[i]));
  args.push_back(nullptr);
  ResetGetopt();
  for (;;) {
    const int at = std::max(optind, 1);
    int index = -1;
    const int answer = getopt_long(argc, args.data(), "-:", LongOptions().data(), &index);
    if (answer == -1) break;
    if (answer == 1) {
      if (Status s = TakeWord(optarg, config, line); !s.ok()) return s;
      continue;
    }
    const std::string word = args[at];
    const option* found = index >= 0 ? &LongOptions()[index] : nullptr;
    if (!found || word.substr(0, word.find('=')) != std::string("--") + found->name)
      return Refused(answer, word);
    std::string name = found->name;
    for (char& c : name) c = c == '-' ? '_' : c;
    if (Status s = TakeOption(name, optarg ? optarg : "", config, line); !s.ok()) return s;
    if (config->command == Command::kVersion) return Status::Ok();
  }
  for (int i = optind; i < argc; ++i) {  // the words after "--"
    if (Status s = TakeWord(args[i], config, line); !s.ok()) return s;
  }
  return Status::Ok();
}

// The config file: the one --config names (which must be there), else the default if any.
Status ApplyConfigFile(const CommandLine& line, const char* home, AgentConfig* config) {
  bool named_config = false;
  config->config_path = DefaultAgentConfigPath(home);
  for (const auto& [name, value] : line.settings) {
    if (name == "config") {
      config->config_path = value;
      named_config = true;
    }
  }
  auto text = ReadOwnFile(config->config_path);
  if (!text.ok()) {
    if (named_config || text.status().code() != Status::Code::kNotFound)
      return Status::Invalid("config: " + text.status().message());
    return Status::Ok();
  }
  auto lines = ParseKeyValueText(text->text, config->config_path);
  if (!lines.ok()) return lines.status();
  for (const KeyValueLine& kv : lines.value()) {
    Status status =
        Apply(config, kv.key, kv.value, config->config_path + " line " + std::to_string(kv.line));
    if (!status.ok()) return status;
    // A token written into the config itself is as exposed as the file that holds it.
    if (kv.key == "token" && text->readable_by_others) {
      config->warnings.push_back("config " + config->config_path +
                                 " holds the token and can be read by other users; chmod 600 it");
    }
  }
  return Status::Ok();
}

// The defaults that depend on other settings, then what the command needs to be there.
Status FillDefaultsAndCheck(const std::string& hostname, AgentConfig* config) {
  if (config->device.empty()) config->device = DeviceNameFromHost(hostname);
  if (!IsValidDeviceName(config->device)) {
    return Status::Invalid("device must be 1 to " + std::to_string(kMaxDeviceNameLength) +
                           " of A-Z a-z 0-9 . _ -, got '" + config->device + "'");
  }
  if (config->status_url.empty()) config->status_url = DefaultStatusUrl(config->url);
  if (config->command == Command::kIdle || config->command == Command::kActivity)
    return Status::Ok();

  const bool status = config->command == Command::kStatus;
  if ((status ? config->status_url : config->url).empty()) {
    return Status::Invalid(status ? "no status_url (and url does not end in heartbeat.fcgi)"
                                  : "no url: set url in " + config->config_path + " or pass --url");
  }
  for (const auto& [key, value] :
       {std::pair{"url", &config->url}, {"status_url", &config->status_url}}) {
    if (value->empty()) continue;
    Status url = CheckUrl(*value);
    if (!url.ok()) return Status::Invalid(std::string(key) + " '" + *value + "': " + url.message());
  }
  if (!status && config->token.empty()) {
    return Status::Invalid(
        "no token: set token_file in the config, --token-file or HEARTBEAT_TOKEN");
  }
  if (config->idle_source == "command" && config->idle_command.empty()) {
    return Status::Invalid("idle_source command needs idle_command");
  }
  return Status::Ok();
}

}  // namespace

Result<AgentConfig> LoadAgentConfig(int argc, const char* const* argv, GetEnv getenv_fn,
                                    const std::string& hostname) {
  AgentConfig config;
  CommandLine line;
  if (Status s = ReadCommandLine(argc, argv, &config, &line); !s.ok()) return s;
  if (config.command == Command::kVersion) return config;
  if (config.command != Command::kNote && !line.note_flags.empty()) {
    return Status::Invalid(line.note_flags.front() + " is only for the note command");
  }
  if (Status s = ApplyConfigFile(line, getenv_fn("HOME"), &config); !s.ok()) return s;
  if (const char* token = getenv_fn("HEARTBEAT_TOKEN"); token && *token) config.token = token;
  for (const auto& [name, value] : line.settings) {
    if (name == "config") continue;
    std::string flag = "--" + name;
    for (char& c : flag) c = c == '_' ? '-' : c;
    if (Status s = Apply(&config, name, value, flag); !s.ok()) return s;
  }
  if (Status s = FillDefaultsAndCheck(hostname, &config); !s.ok()) return s;
  return config;
}

}  // namespace heartbeat::agent
