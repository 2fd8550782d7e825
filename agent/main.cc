// heartbeat-agent: tells the owner's server while the owner is really at this computer.
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include "agent.h"
#include "clock.h"
#include "curl_http_client.h"
#include "setup.h"
#include "text_field.h"
#include "usage.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

void OnStop(int) { g_stop = 1; }

using namespace heartbeat::agent;

// `heartbeat-agent activity`: what each source sees and what would be shared; posts nothing.
int PrintActivity(ActivityLook& look) {
  ActivityReport report = look.Look(true);
  for (const std::string& line : report.lines) std::printf("%s\n", line.c_str());
  std::printf("share: %s\n", report.shared
                                 ? heartbeat::TerminalText(ActivityJson(*report.shared)).c_str()
                                 : "nothing");
  return 0;
}

// `heartbeat-agent idle`: the source's reading and the state it makes.
int PrintIdle(IdleSource& idle, const AgentConfig& config) {
  const IdleChoice& chosen = idle.choice();
  auto reading = idle.Read();
  if (!reading.ok()) {
    std::printf("source=%s error=%s state=idle\nwhy: %s\n", idle.name(),
                reading.status().message().c_str(), chosen.reason.c_str());
    return kExitUnavailable;
  }
  std::printf("source=%s idle_seconds=%.3f locked=%s state=%s\nwhy: %s\n", idle.name(),
              reading->idle_seconds, LockedWord(reading.value()),
              heartbeat::DeviceStateName(DecideState(reading, config.idle_threshold_s)),
              chosen.reason.c_str());
  return 0;
}

// `heartbeat-agent run`: until SIGTERM or SIGINT, watching sleep where the system lets it.
int RunUntilStopped(Agent& agent, IdleSource& idle, const AgentConfig& config) {
  struct sigaction stop {};
  stop.sa_handler = OnStop;
  sigemptyset(&stop.sa_mask);
  sigaction(SIGTERM, &stop, nullptr);
  sigaction(SIGINT, &stop, nullptr);
  signal(SIGPIPE, SIG_IGN);
  auto sleep = MakeSleepWatcher();
  if (!sleep.ok()) {
    LogAction("run",
              "warning: sleep not watched (" + sleep.status().message() +
                  "): visitors may see \"online\" for a while after the machine sleeps",
              config.token);
  }
  std::unique_ptr<SleepWatcher> watcher =
      sleep.ok() ? std::move(sleep.value()) : MakeNoSleepWatcher();
  return agent.Run(idle, *watcher, g_stop);
}

// The commands that need the server, once the config is read.
int RunCommand(const AgentConfig& config) {
  auto http = MakeCurlHttpClient(config.ca_file);
  if (!http.ok()) {
    LogAction("config", http.status().message(), config.token);
    return http.status().code() == heartbeat::Status::Code::kInvalid ? kExitUsage
                                                                     : kExitUnavailable;
  }
  Agent agent(config, *http.value());
  if (config.command == Command::kStatus) return agent.PrintStatus();
  if (config.command == Command::kOffline) return agent.Offline();

  // A bad note is a usage error before anything is sent, the idle source included.
  std::optional<NoteRequest> note;
  if (config.command == Command::kNote) {
    auto checked = CheckNoteArgs(config.note, heartbeat::SystemClock().NowMs());
    if (!checked.ok()) {
      LogAction("note", checked.status().message(), config.token);
      std::fprintf(stderr, "(see heartbeat-agent --help)\n");
      return kExitUsage;
    }
    note = std::move(checked).value();
  }

  // Only what `share` lists is ever looked at: no source at all when it is empty.
  std::unique_ptr<ActivityLook> look;
  if (config.share.any() || config.command == Command::kActivity) {
    auto made = MakeActivityLook(config);
    if (!made.ok()) {
      LogAction("config", made.status().message(), config.token);
      return kExitUsage;
    }
    look = std::move(made).value();
  }
  if (config.command == Command::kActivity) return PrintActivity(*look);
  agent.ShareActivity(look.get());

  auto idle = MakeIdleSource(config);
  if (!idle.ok()) {
    LogAction("config", idle.status().message(), config.token);
    return kExitUsage;
  }
  const IdleChoice& chosen = idle.value()->choice();
  if (!chosen.warning.empty()) LogAction("idle", "warning: " + chosen.warning, config.token);
  if (config.command == Command::kIdle) return PrintIdle(*idle.value(), config);
  if (config.command == Command::kRun) return RunUntilStopped(agent, *idle.value(), config);
  if (note) return agent.PostNote(*idle.value(), *note);
  return agent.Once(*idle.value());
}

}  // namespace

int main(int argc, char** argv) {
  SetUpAgentLog();
  if (auto help = HelpFor(argc, argv)) {
    if (!help->ok()) {
      LogAction("help", help->status().message(), "");
      return kExitUsage;
    }
    std::fputs(help->value().c_str(), stdout);
    return 0;
  }
  if (argc >= 2 && std::string(argv[1]) == "setup") return RunSetup(argc, argv);
  auto loaded = LoadAgentConfig(
      argc, argv, [](const char* name) -> const char* { return std::getenv(name); }, HostName());
  if (!loaded.ok()) {
    LogAction("config", loaded.status().message(), "");
    std::fprintf(stderr, "(see heartbeat-agent --help)\n");
    return kExitUsage;
  }
  const AgentConfig& config = loaded.value();
  if (config.command == Command::kVersion) {
    std::printf("heartbeat-agent %s\n", HEARTBEAT_VERSION);
    return 0;
  }
  for (const std::string& warning : config.warnings)
    LogAction("config", "warning: " + warning, config.token);
  return RunCommand(config);
}
