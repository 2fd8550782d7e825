#include "child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "clock.h"
#include "read_all.h"
#include "unique_fd.h"

extern char** environ;  // POSIX; declared by no header on macOS

namespace heartbeat::agent {
namespace {

// The agent's environment less HEARTBEAT_TOKEN: a program it runs has no need of the token.
std::vector<std::string> EnvironmentWithoutToken() {
  std::vector<std::string> copy;
  for (char** entry = environ; entry && *entry; ++entry) {
    if (std::strncmp(*entry, "HEARTBEAT_TOKEN=", 16) != 0) copy.emplace_back(*entry);
  }
  return copy;
}

// The char* array that exec wants, pointing into `words` (which must outlive it).
std::vector<char*> NullTerminated(std::vector<std::string>& words) {
  std::vector<char*> pointers;
  for (std::string& word : words) pointers.push_back(word.data());
  pointers.push_back(nullptr);
  return pointers;
}

// posix_spawn's two settings objects, destroyed however RunChild returns.
struct SpawnSettings {
  SpawnSettings() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attributes);
  }
  ~SpawnSettings() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attributes);
  }
  SpawnSettings(const SpawnSettings&) = delete;
  SpawnSettings& operator=(const SpawnSettings&) = delete;
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attributes;
};

// Milliseconds left before `deadline_ms` for poll(): -1 (for ever) without a deadline.
int MsLeft(long long deadline_ms) {
  if (deadline_ms == 0) return -1;
  long long left = deadline_ms - MonotonicMs();
  return left <= 0 ? 0 : static_cast<int>(left);
}

// The child's stdout until it closes it; false when the deadline came first.
bool ReadOutput(int fd, long long deadline_ms, std::string* output) {
  for (;;) {
    int left = MsLeft(deadline_ms);
    if (left == 0) return false;
    pollfd ready{fd, POLLIN, 0};
    int n = poll(&ready, 1, left);
    if (n <= 0) continue;  // EINTR, or the deadline (seen above)
    if (AppendRead(fd, output, kMaxChildOutput) <= 0) return true;
  }
}

// Waits for the exit, until the deadline if there is one; false when it came first.
bool WaitForExit(pid_t pid, long long deadline_ms, int* status) {
  for (;;) {
    pid_t done = waitpid(pid, status, deadline_ms == 0 ? 0 : WNOHANG);
    if (done < 0 && errno == EINTR) continue;
    if (done != 0) return true;
    if (MsLeft(deadline_ms) == 0) return false;
    usleep(10 * 1000);
  }
}

// The child's standard descriptors, signals and process group; with kCapture, the pipe.
Status Prepare(const ChildRun& run, SpawnSettings* settings, UniqueFd* output_end,
               UniqueFd* input_end) {
  posix_spawn_file_actions_addopen(&settings->actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (run.output == ChildOutput::kCapture) {
    int ends[2];
    if (pipe(ends) != 0)
      return Status::Unavailable(std::string("pipe failed: ") + std::strerror(errno));
    output_end->Reset(ends[0]);
    input_end->Reset(ends[1]);
    // Neither end leaks into the child (pipe2 is not on macOS); dup2 makes its stdout inheritable.
    fcntl(output_end->get(), F_SETFD, FD_CLOEXEC);
    fcntl(input_end->get(), F_SETFD, FD_CLOEXEC);
    posix_spawn_file_actions_adddup2(&settings->actions, input_end->get(), STDOUT_FILENO);
  } else if (run.output == ChildOutput::kDiscard) {
    posix_spawn_file_actions_addopen(&settings->actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&settings->actions, STDOUT_FILENO, STDERR_FILENO);
  }
  short flags = POSIX_SPAWN_SETSIGDEF;  // the agent ignores SIGPIPE; its child need not
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&settings->attributes, &defaults);
  if (run.timeout_s > 0) {
    flags |= POSIX_SPAWN_SETPGROUP;  // its own group, so that a timeout kills what it started too
    posix_spawnattr_setpgroup(&settings->attributes, 0);
  }
  posix_spawnattr_setflags(&settings->attributes, flags);
  return Status::Ok();
}

}  // namespace

Result<ChildExit> RunChild(const ChildRun& run) {
  // Everything the child needs is built before the spawn.
  std::vector<std::string> environment = EnvironmentWithoutToken();
  std::vector<std::string> words = run.argv;
  std::vector<char*> envp = NullTerminated(environment), argv = NullTerminated(words);
  if (words.empty()) return Status::Invalid("no program to run");

  SpawnSettings settings;
  UniqueFd output_end, input_end;
  if (Status s = Prepare(run, &settings, &output_end, &input_end); !s.ok()) return s;
  std::fflush(stdout);  // what the agent said comes before what the child says
  std::fflush(stderr);
  pid_t pid = 0;
  int failed = posix_spawnp(&pid, argv[0], &settings.actions, &settings.attributes, argv.data(),
                            envp.data());
  if (failed != 0)
    return Status::Unavailable("cannot run " + words[0] + ": " + std::strerror(failed));
  input_end.Reset();  // the child's copy is the only writer: its end is our end of file

  ChildExit result;
  const long long deadline = run.timeout_s > 0 ? MonotonicMs() + run.timeout_s * 1000LL : 0;
  int status = 0;
  // The same deadline for the exit: a command may close its output and go on running.
  result.timed_out =
      (output_end.valid() && !ReadOutput(output_end.get(), deadline, &result.output)) ||
      !WaitForExit(pid, deadline, &status);
  if (result.timed_out) {
    kill(-pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return result;
  }
  result.exited = WIFEXITED(status);
  result.exit_status = result.exited ? WEXITSTATUS(status) : 0;
  return result;
}

}  // namespace heartbeat::agent
