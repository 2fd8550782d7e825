#include "agent_config.h"

#include <curl/curl.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
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

Result<AgentConfig> LoadAgentConfig(int argc, const char* const* argv, GetEnv getenv_fn,
                                    const std::string& hostname) {
  AgentConfig config;
  // First pass: the command and the flags, kept for after the file and the environment.
  std::vector<std::pair<std::string, std::string>> flags;
  bool have_command = false;
  std::vector<std::string> note_flags;  // --busy, --clear, --for, --until: only for note
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--version") {
      config.command = Command::kVersion;
      return config;
    }
    // The note command's own switches, which take no value and are no config keys.
    if (arg == "--busy" || arg == "--clear") {
      (arg == "--busy" ? config.note.busy : config.note.clear) = true;
      note_flags.push_back(arg);
      continue;
    }
    if (arg.rfind("--", 0) == 0) {
      std::string name = arg.substr(2);
      std::string value;
      if (size_t eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        return Status::Invalid("--" + name + " needs a value");
      }
      for (char& c : name) c = c == '-' ? '_' : c;
      if (name == "token") {
        return Status::Invalid(
            "there is no --token flag (it would show in ps); use --token-file or HEARTBEAT_TOKEN");
      }
      if (name == "for" || name == "until") {
        if (value.empty()) return Status::Invalid("--" + name + " needs a value");
        (name == "for" ? config.note.for_value : config.note.until_value) = value;
        note_flags.push_back("--" + name);
        continue;
      }
      flags.emplace_back(name, value);
    } else if (have_command && config.command == Command::kNote && !config.note.has_text) {
      config.note.has_text = true;
      config.note.text = arg;
    } else if (!have_command && ParseCommand(arg, &config.command)) {
      have_command = true;
    } else if (have_command && config.command == Command::kNote) {
      return Status::Invalid("note takes one TEXT; quote it (\"In a meeting\"), got '" + arg +
                             "' too");
    } else {
      return Status::Invalid("unknown command or argument '" + arg + "' (see --help)");
    }
  }

  if (config.command != Command::kNote && !note_flags.empty()) {
    return Status::Invalid(note_flags.front() + " is only for the note command");
  }

  bool named_config = false;
  config.config_path = DefaultAgentConfigPath(getenv_fn("HOME"));
  for (const auto& [name, value] : flags) {
    if (name == "config") {
      config.config_path = value;
      named_config = true;
    }
  }

  auto text = ReadOwnFile(config.config_path);
  if (text.ok()) {
    auto lines = ParseKeyValueText(text->text, config.config_path);
    if (!lines.ok()) return lines.status();
    for (const KeyValueLine& kv : lines.value()) {
      Status status =
          Apply(&config, kv.key, kv.value, config.config_path + " line " + std::to_string(kv.line));
      if (!status.ok()) return status;
      // A token written into the config itself is as exposed as the file that holds it.
      if (kv.key == "token" && text->readable_by_others) {
        config.warnings.push_back("config " + config.config_path +
                                  " holds the token and can be read by other users; chmod 600 it");
      }
    }
  } else if (named_config || text.status().code() != Status::Code::kNotFound) {
    return Status::Invalid("config: " + text.status().message());
  }

  if (const char* token = getenv_fn("HEARTBEAT_TOKEN"); token && *token) config.token = token;

  for (const auto& [name, value] : flags) {
    if (name == "config") continue;
    std::string flag = "--" + name;
    for (char& c : flag) c = c == '_' ? '-' : c;
    Status status = Apply(&config, name, value, flag);
    if (!status.ok()) return status;
  }

  if (config.device.empty()) config.device = DeviceNameFromHost(hostname);
  if (!IsValidDeviceName(config.device)) {
    return Status::Invalid("device must be 1 to " + std::to_string(kMaxDeviceNameLength) +
                           " of A-Z a-z 0-9 . _ -, got '" + config.device + "'");
  }
  if (config.status_url.empty()) config.status_url = DefaultStatusUrl(config.url);
  if (config.command == Command::kIdle || config.command == Command::kActivity) return config;

  const std::string& endpoint = config.command == Command::kStatus ? config.status_url : config.url;
  if (endpoint.empty()) {
    return Status::Invalid(config.command == Command::kStatus
                               ? "no status_url (and url does not end in heartbeat.fcgi)"
                               : "no url: set url in " + config.config_path + " or pass --url");
  }
  for (const auto& [key, value] :
       {std::pair{"url", &config.url}, {"status_url", &config.status_url}}) {
    if (value->empty()) continue;
    Status url = CheckUrl(*value);
    if (!url.ok()) return Status::Invalid(std::string(key) + " '" + *value + "': " + url.message());
  }
  if (config.command != Command::kStatus && config.token.empty()) {
    return Status::Invalid(
        "no token: set token_file in the config, --token-file or HEARTBEAT_TOKEN");
  }
  if (config.idle_source == "command" && config.idle_command.empty()) {
    return Status::Invalid("idle_source command needs idle_command");
  }
  return config;
}

}  // namespace heartbeat::agent
