// idle_command: any program that prints idle seconds.
#include "idle_command.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "clock.h"
#include "unique_fd.h"

extern char** environ;  // POSIX; declared by no header on macOS

namespace heartbeat::agent {
namespace {

constexpr int kIdleCommandTimeoutS = 5;
constexpr size_t kMaxOutput = 4096;

class CommandSource final : public IdleSource {
 public:
  explicit CommandSource(std::string command) : command_(std::move(command)) {}
  const char* name() const override { return "command"; }
  Result<IdleReading> Read() override {
    auto output = RunCommand(command_, kIdleCommandTimeoutS);
    if (!output.ok()) return output.status();
    return ParseIdleCommandOutput(output.value());
  }

 private:
  std::string command_;
};

}  // namespace

std::unique_ptr<IdleSource> MakeCommandIdleSource(const std::string& command) {
  return std::make_unique<CommandSource>(command);
}

namespace {

// The agent's environment less HEARTBEAT_TOKEN: a program it runs has no need of the token.
std::vector<std::string> EnvironmentWithoutToken() {
  std::vector<std::string> copy;
  for (char** entry = environ; entry && *entry; ++entry) {
    if (std::strncmp(*entry, "HEARTBEAT_TOKEN=", 16) != 0) copy.emplace_back(*entry);
  }
  return copy;
}

}  // namespace

Result<std::string> RunCommand(const std::string& command, int timeout_s) {
  // Built before fork: the child only calls async-signal-safe functions.
  std::vector<std::string> environment = EnvironmentWithoutToken();
  std::vector<char*> envp;
  for (std::string& entry : environment) envp.push_back(entry.data());
  envp.push_back(nullptr);
  int ends[2];
  if (pipe(ends) != 0)
    return Status::Unavailable(std::string("pipe failed: ") + std::strerror(errno));
  UniqueFd output_end(ends[0]), input_end(ends[1]);
  fcntl(output_end.get(), F_SETFD, FD_CLOEXEC);  // pipe2 is not on macOS
  pid_t pid = fork();
  if (pid < 0) return Status::Unavailable(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    // The child execs or _exits: no destructor runs here, so its descriptors are closed by hand.
    int devnull = open("/dev/null", O_RDONLY);
    dup2(devnull, STDIN_FILENO);
    if (devnull > STDIN_FILENO) close(devnull);
    dup2(input_end.get(), STDOUT_FILENO);
    // Else the pipe stays open after stdout closes.
    if (input_end.get() != STDOUT_FILENO) close(input_end.get());
    setpgid(0, 0);  // its own group, so that a timeout kills what it started too
    const char* argv[] = {"sh", "-c", command.c_str(), nullptr};
    execve("/bin/sh", const_cast<char* const*>(argv), envp.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also here, so that the group exists before any kill below
  input_end.Reset();  // the child's copy is the only writer: its end is our end of file
  std::string output;
  const long long deadline = MonotonicMs() + timeout_s * 1000LL;
  bool timed_out = false;
  for (;;) {
    long long left = deadline - MonotonicMs();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd fd{output_end.get(), POLLIN, 0};
    int ready = poll(&fd, 1, static_cast<int>(left));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char buffer[512];
    ssize_t n = read(output_end.get(), buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (output.size() < kMaxOutput) output.append(buffer, static_cast<size_t>(n));
  }
  output_end.Reset();
  // The same deadline for the exit: a command may close its output and go on running.
  int status = 0;
  pid_t done = 0;
  while (!timed_out) {
    done = waitpid(pid, &status, WNOHANG);
    if (done < 0 && errno == EINTR) continue;
    if (done != 0) break;
    if (MonotonicMs() >= deadline) {
      timed_out = true;
    } else {
      usleep(10 * 1000);
    }
  }
  if (timed_out) {
    kill(-pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  if (timed_out) return Status::Unavailable("timed out after " + std::to_string(timeout_s) + " s");
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    return Status::Unavailable("exited with status " +
                               std::to_string(WIFEXITED(status) ? WEXITSTATUS(status) : -1));
  }
  return output;
}

}  // namespace heartbeat::agent
