#include "usage.h"

#include <cstring>
#include <map>

namespace heartbeat::agent {
namespace {

constexpr const char* kFlags =
    "Flags (each also a config key, with _ for -):\n"
    "  --config FILE          default ~/.config/heartbeat/agent.conf\n"
    "  --url URL              the heartbeat endpoint (https://…/heartbeat.fcgi)\n"
    "  --status-url URL       default: url with heartbeat.fcgi replaced by status.fcgi\n"
    "  --token-file FILE      the token (or HEARTBEAT_TOKEN, or token in the config)\n"
    "  --device NAME          default: this computer's short host name\n"
    "  --interval S           post at least every S seconds in run (>= 10, default 60)\n"
    "  --check-interval S     look at the idle state every S seconds (>= 1, default 5)\n"
    "  --idle-threshold S     idle after S seconds without input (default 300)\n"
    "  --idle-source SRC      auto|iokit|x11|gnome|freedesktop|logind|command|none (default auto)\n"
    "  --idle-command CMD     prints idle seconds, optionally followed by 'locked'\n"
    "  --ca-file FILE         trust this CA too (verification is always on)\n"
    "  --timeout S            one request, in seconds (default 10)\n"
    "  --share KINDS          what visitors may see you doing: listening,coding,call (default:\n"
    "                         nothing; nothing else is looked at)\n"
    "  --coding-apps LIST     'Shown Name|other name, …' (default: common editors and IDEs)\n"
    "  --listening-source SRC auto|mpris|osascript (default auto: mpris on Linux, osascript\n"
    "                         on macOS)\n";

constexpr const char* kExitCodes =
    "Exit codes: 0 sent, 2 usage or config error, 3 refused by the server, 4 network or server "
    "unavailable.\n";

struct CommandHelp {
  const char* synopsis;  // after "heartbeat-agent "
  const char* text;      // what it does, and its own flags
  bool takes_flags;      // the flags above apply
};

const std::map<std::string, CommandHelp>& Commands() {
  static const std::map<std::string, CommandHelp> commands = {
      {"once",
       {"once [flags]", "Decides active or idle now and posts it once (for cron).\n", true}},
      {"run",
       {"run [flags]",
        "Keeps posting while it runs: looks at the idle state every check_interval, posts every\n"
        "interval and at once on a change; posts offline before sleep and on SIGTERM/SIGINT\n"
        "(for launchd or a systemd user unit).\n",
        true}},
      {"offline", {"offline [flags]", "Posts offline now (sleep and logout hooks).\n", true}},
      {"status",
       {"status [flags]",
        "Prints the public status, then its note and the owner's local time. Posts nothing.\n",
        true}},
      {"idle",
       {"idle [flags]", "Prints what the idle source sees and the state it means. Posts nothing.\n",
        true}},
      {"activity",
       {"activity [flags]",
        "Prints what each shared source sees (a call, the track playing, the frontmost app) and\n"
        "what a heartbeat would carry. Posts nothing. Kinds not in share are not looked at:\n"
        "try --share listening,coding,call.\n",
        true}},
      {"note",
       {"note TEXT [--for DURATION | --until TIME] [--busy] [flags]\n"
        "       heartbeat-agent note --clear [flags]",
        "Posts the state as once does, with a note for visitors (or, with --clear, without it).\n"
        "  --for DURATION         the note ends after DURATION: 90s, 30m, 2h, 1d, 1h30m\n"
        "  --until TIME           the note ends at TIME: 2026-12-08T09:00 (local), or with Z or\n"
        "                         an offset such as +01:00\n"
        "  --busy                 at the computer, but not to be disturbed\n"
        "  --clear                remove the note\n",
        true}},
      {"setup",
       {"setup [--config FILE] [--ca-file FILE] [--no-install] [--service launchd|systemd]",
        "Asks for the URL and the token (read without echo), writes the config and a token file\n"
        "of mode 0600, proves them with one post, then starts the agent at login (a LaunchAgent\n"
        "on macOS, a systemd user unit on Linux). Running it again changes only what differs.\n"
        "  --config FILE          the config to write (default ~/.config/heartbeat/agent.conf)\n"
        "  --ca-file FILE         trust this CA too (verification is always on)\n"
        "  --no-install           stop after writing and proving the files\n"
        "  --service KIND         launchd or systemd (default: this system's)\n",
        false}},
  };
  return commands;
}

std::string ProgramUsage() {
  std::string text = "Usage: heartbeat-agent COMMAND [flags]\n\nCommands:\n";
  for (const char* name :
       {"once", "run", "offline", "status", "idle", "activity", "note", "setup"}) {
    text += "  heartbeat-agent " + std::string(Commands().at(name).synopsis) + "\n";
  }
  text +=
      "  heartbeat-agent help [COMMAND]\n"
      "\n"
      "Each command's own usage: heartbeat-agent help COMMAND, or heartbeat-agent COMMAND "
      "--help.\n\n";
  return text + kFlags + "\n" + kExitCodes;
}

std::string CommandUsage(const std::string& name) {
  const CommandHelp& help = Commands().at(name);
  std::string text = "Usage: heartbeat-agent " + std::string(help.synopsis) + "\n\n" + help.text;
  if (help.takes_flags) text += std::string("\n") + kFlags;
  return text + "\n" + kExitCodes;
}

bool IsHelpFlag(const char* arg) {
  return std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0;
}

}  // namespace

std::optional<Result<std::string>> HelpFor(int argc, const char* const* argv) {
  if (argc < 2) return std::nullopt;
  const std::string first = argv[1];
  const bool is_command = Commands().count(first) > 0;
  if (first == "help") {
    if (argc < 3 || IsHelpFlag(argv[2])) return Result<std::string>(ProgramUsage());
    if (!Commands().count(argv[2]))
      return Result<std::string>(Status::Invalid(std::string("unknown command '") + argv[2] +
                                                 "' (see heartbeat-agent --help)"));
    return Result<std::string>(CommandUsage(argv[2]));
  }
  for (int i = 1; i < argc; ++i) {
    if (IsHelpFlag(argv[i]))
      return Result<std::string>(is_command ? CommandUsage(first) : ProgramUsage());
  }
  return std::nullopt;
}

}  // namespace heartbeat::agent
