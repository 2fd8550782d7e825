// The agent's configuration (agent/README.md): config file < environment < flags.
#pragma once

#include <string>
#include <vector>

#include "activity_config.h"
#include "note_request.h"
#include "result.h"

namespace heartbeat::agent {

enum class Command { kOnce, kRun, kOffline, kStatus, kIdle, kActivity, kNote, kVersion };

struct AgentConfig {
  Command command = Command::kOnce;
  std::string config_path;     // where the file was looked for
  std::string url;             // the heartbeat endpoint (https://, or http:// on loopback only)
  std::string status_url;      // default: url with a final heartbeat.fcgi -> status.fcgi
  std::string token;           // never printed or logged
  std::string device;          // default: the short host name, made safe
  int interval_s = 60;         // post at least this often while running (>= 10)
  int check_interval_s = 5;    // look at the idle state this often (>= 1)
  int idle_threshold_s = 300;  // no input for this long means "idle"
  std::string idle_source = "auto";  // auto | iokit | x11 | logind | command | none
  std::string idle_command;          // for idle_source command: prints idle seconds [locked]
  std::string ca_file;               // a CA to trust in addition to the system's
  int timeout_s = 10;                // one request, connect included
  ShareSet share;                    // what the heartbeat may say the owner is doing
  std::vector<CodingApp> coding_apps = DefaultCodingApps();
  std::string listening_source = "auto";  // auto | mpris | osascript
  NoteArgs note;                      // the note command's TEXT, --for, --until, --busy, --clear
  std::vector<std::string> warnings;  // said once at startup (e.g. a token file others can read)
};

// The default config file: $HOME/.config/heartbeat/agent.conf.
std::string DefaultAgentConfigPath(const char* home);

// Parses argv (without argv[0]'s program name handling beyond skipping it), reads the config
// file (missing is fine unless named with --config), applies the environment (`getenv`),
// then the flags. Usage and config errors are Invalid with a message for the user.
// `hostname` gives the default device name.
using GetEnv = const char* (*)(const char*);
Result<AgentConfig> LoadAgentConfig(int argc, const char* const* argv, GetEnv getenv_fn,
                                    const std::string& hostname);

// The short host name with characters outside [A-Za-z0-9._-] replaced by '-' (at most 64).
std::string DeviceNameFromHost(const std::string& hostname);

// This computer's name (gethostname), for LoadAgentConfig; empty when it has none.
std::string HostName();

// `url` with a final "heartbeat.fcgi" replaced by "status.fcgi"; empty if it has none.
std::string DefaultStatusUrl(const std::string& url);

// Parsed as curl parses it (never by prefix): https://, or http:// only when the host is exactly
// localhost, 127.0.0.1 or [::1], so that a token never crosses a network in clear; a URL with
// user info ("user@") is refused, since curl connects to the host after the '@'. Ok, or Invalid
// saying why.
Status CheckUrl(const std::string& url);

}  // namespace heartbeat::agent
