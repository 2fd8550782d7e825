#include "service_install.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "child_process.h"
#include "json_text.h"
#include "key_value.h"
#include "text_field.h"
#include "unique_fd.h"

namespace heartbeat::agent {
namespace {

std::string Join(const std::vector<std::string>& words) {
  std::string line;
  for (const std::string& word : words) line += (line.empty() ? "" : " ") + word;
  return line;
}

// One ExecStart= word: quoted, with systemd's specifier and variable signs doubled, and every
// control character as a C escape, so that no value can end the line (systemd.syntax(7)).
std::string SystemdQuoted(const std::string& text) {
  std::string out = "\"";
  for (char c : text) {
    unsigned char byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
      continue;
    }
    if (c == '"' || c == '\\') out += '\\';
    if (c == '%') out += '%';
    if (c == '$') out += '$';
    out += c;
  }
  return out + "\"";
}

Status MakeFolders(const std::string& path) {
  for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
    std::string prefix = path.substr(0, slash);
    if (mkdir(prefix.c_str(), 0700) != 0 && errno != EEXIST) {
      return Status::Invalid("cannot create " + prefix + ": " + std::strerror(errno));
    }
    if (slash == std::string::npos) return Status::Ok();
  }
}

std::string Folder(const std::string& path) { return path.substr(0, path.rfind('/')); }

}  // namespace

void Say(const std::string& text) {
  std::fprintf(stderr, "setup: %s\n", TerminalText(text).c_str());
}

Result<FileChange> WriteFileIfDifferent(const std::string& path, const std::string& content,
                                        int mode) {
  struct stat st;
  const bool exists = stat(path.c_str(), &st) == 0;
  if (exists) {
    auto current = ReadWholeFile(path);
    if (current.ok() && current.value() == content &&
        (st.st_mode & 07777) == static_cast<mode_t>(mode)) {
      return FileChange::kUnchanged;
    }
  }
  Status folders = MakeFolders(Folder(path));
  if (!folders.ok()) return folders;
  const std::string temporary = path + ".new";
  unlink(temporary.c_str());
  UniqueFd fd(open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode));
  if (!fd.valid())
    return Status::Invalid("cannot write " + temporary + ": " + std::strerror(errno));
  bool ok = fchmod(fd.get(), static_cast<mode_t>(mode)) == 0;  // whatever the umask
  for (size_t done = 0; ok && done < content.size();) {
    ssize_t n = write(fd.get(), content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<size_t>(n);
  }
  ok = fsync(fd.get()) == 0 && ok;
  ok = close(fd.Release()) == 0 && ok;  // a failed close may be a lost write: it is checked
  if (!ok || rename(temporary.c_str(), path.c_str()) != 0) {
    unlink(temporary.c_str());
    return Status::Invalid("cannot write " + path + ": " + std::strerror(errno));
  }
  return exists ? FileChange::kChanged : FileChange::kCreated;
}

int RunProgram(const std::vector<std::string>& argv, bool quiet) {
  ChildRun run;
  run.argv = argv;
  run.output = quiet ? ChildOutput::kDiscard : ChildOutput::kInherit;
  auto ran = RunChild(run);
  if (!ran.ok()) return 127;  // as a shell says of a program it cannot run
  return ran->exited ? ran->exit_status : 128;
}

std::string LaunchAgentPlist(const std::string& program, const std::string& config,
                             const std::string& log_file) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
         "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
         "<!-- Written by heartbeat-agent setup; running setup again rewrites it. -->\n"
         "<plist version=\"1.0\">\n<dict>\n"
         "    <key>Label</key>\n    <string>" +
         std::string(kLaunchdLabel) +
         "</string>\n"
         "    <key>ProgramArguments</key>\n    <array>\n"
         "        <string>" +
         XmlEscape(program) +
         "</string>\n"
         "        <string>run</string>\n"
         "        <string>--config</string>\n"
         "        <string>" +
         XmlEscape(config) +
         "</string>\n"
         "    </array>\n"
         "    <key>RunAtLoad</key>\n    <true/>\n"
         "    <key>KeepAlive</key>\n    <true/>\n"
         "    <key>ThrottleInterval</key>\n    <integer>30</integer>\n"
         "    <key>StandardErrorPath</key>\n    <string>" +
         XmlEscape(log_file) +
         "</string>\n"
         "</dict>\n</plist>\n";
}

std::string SystemdUserUnit(const std::string& program, const std::string& config) {
  return "# Written by heartbeat-agent setup; running setup again rewrites it.\n"
         "[Unit]\n"
         "Description=heartbeat agent: tells your site while you are at this computer\n"
         "After=graphical-session.target network-online.target\n\n"
         "[Service]\n"
         "ExecStart=" +
         SystemdQuoted(program) + " run --config " + SystemdQuoted(config) +
         "\n"
         "Restart=always\nRestartSec=10\n"
         "# SIGTERM makes the agent post \"offline\" before it exits.\n"
         "KillSignal=SIGTERM\nTimeoutStopSec=10\n\n"
         "[Install]\nWantedBy=default.target\n";
}

namespace {

// Runs `argv` as RunProgram does, said first; Unavailable when it fails.
Status RunSaid(const std::vector<std::string>& argv) {
  Say("running: " + Join(argv));
  int status = RunProgram(argv);
  if (status != 0)
    return Status::Unavailable(Join(argv) + " failed (exit " + std::to_string(status) + ")");
  return Status::Ok();
}

// The LaunchAgent plist, then launchctl loads, reloads or restarts the job as needed.
Status InstallLaunchAgent(const InstallPlan& plan, const std::string& program,
                          bool program_changed) {
  const std::string plist = plan.home + "/Library/LaunchAgents/" + kLaunchdLabel + ".plist";
  const std::string domain = "gui/" + std::to_string(plan.uid);
  const std::string job = domain + "/" + kLaunchdLabel;
  auto written = WriteFileIfDifferent(
      plist,
      LaunchAgentPlist(program, plan.config, plan.home + "/Library/Logs/heartbeat-agent.log"),
      0644);
  if (!written.ok()) return written.status();
  switch (written.value()) {
    case FileChange::kCreated:
      Say("wrote " + plist);
      return RunSaid({"launchctl", "bootstrap", domain, plist});
    case FileChange::kChanged:
      Say("rewrote " + plist);
      RunProgram({"launchctl", "bootout", job}, true);  // fails harmlessly when it was not loaded
      return RunSaid({"launchctl", "bootstrap", domain, plist});
    case FileChange::kUnchanged:
      if (RunProgram({"launchctl", "print", job}, true) != 0)
        return RunSaid({"launchctl", "bootstrap", domain, plist});
      if (plan.settings_changed || program_changed)
        return RunSaid({"launchctl", "kickstart", "-k", job});
      Say(std::string(kLaunchdLabel) + " is loaded and up to date");
      return Status::Ok();
  }
  return Status::Ok();  // not reached: every FileChange returns above
}

// The systemd user unit, then systemctl reloads, enables and restarts it as needed.
Status InstallSystemdUnit(const InstallPlan& plan, const std::string& program,
                          bool program_changed) {
  const std::string unit = plan.config_home + "/systemd/user/" + kSystemdUnit;
  auto written = WriteFileIfDifferent(unit, SystemdUserUnit(program, plan.config), 0644);
  if (!written.ok()) return written.status();
  if (written.value() != FileChange::kUnchanged) {
    Say((written.value() == FileChange::kCreated ? "wrote " : "rewrote ") + unit);
    Status reloaded = RunSaid({"systemctl", "--user", "daemon-reload"});
    if (!reloaded.ok()) return reloaded;
  }
  Status enabled = RunSaid({"systemctl", "--user", "enable", "--now", kSystemdUnit});
  if (!enabled.ok()) return enabled;
  // enable --now starts a stopped unit but leaves a running one as it is: a running agent
  // reads the new settings only when restarted.
  if (written.value() != FileChange::kCreated &&
      (written.value() == FileChange::kChanged || plan.settings_changed || program_changed)) {
    return RunSaid({"systemctl", "--user", "restart", kSystemdUnit});
  }
  return Status::Ok();
}

}  // namespace

Status InstallService(const InstallPlan& plan) {
  // A copy of its own, so that the service does not depend on where the download lies.
  const std::string program = plan.home + "/.local/bin/heartbeat-agent";
  auto binary = ReadWholeFile(plan.program);
  if (!binary.ok())
    return Status::Invalid("cannot read " + plan.program + ": " + binary.status().message());
  auto copied = WriteFileIfDifferent(program, binary.value(), 0755);
  if (!copied.ok()) return copied.status();
  if (copied.value() != FileChange::kUnchanged) Say("copied the agent to " + program);
  const bool program_changed = copied.value() == FileChange::kChanged;
  return plan.service == "launchd" ? InstallLaunchAgent(plan, program, program_changed)
                                   : InstallSystemdUnit(plan, program, program_changed);
}

}  // namespace heartbeat::agent
