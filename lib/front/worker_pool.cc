#include "worker_pool.h"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "clock.h"
#include "log.h"

namespace heartbeat {
namespace {

// A worker that keeps dying (a broken config cannot do that, it is answered with 503s; a full
// disk or a bug might) is replaced no faster than this, so the log and the CPU stay calm.
constexpr int64_t kRestartSpacingMs = 1000;

pid_t StartWorker(const std::function<int()>& serve) {
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid != 0) {
    if (pid < 0) LogLine(std::string("fork failed: ") + std::strerror(errno));
    return pid;
  }
  // Stop with the parent, even one killed outright: no worker is left serving on its own.
  if (prctl(PR_SET_PDEATHSIG, SIGTERM) != 0) {
    LogLine(std::string("cannot tie a worker to its parent: ") + std::strerror(errno));
    _exit(1);
  }
  if (getppid() != parent) _exit(0);
  // The stop signals stay blocked: serve() takes them in its own wait, so one that came early
  // still stops the worker cleanly.
  sigset_t child_signal;
  sigemptyset(&child_signal);
  sigaddset(&child_signal, SIGCHLD);
  sigprocmask(SIG_UNBLOCK, &child_signal, nullptr);
  _exit(serve());
}

std::string Describe(int status) {
  if (WIFSIGNALED(status))
    return std::string("killed by signal ") + std::to_string(WTERMSIG(status));
  return "exit " + std::to_string(WEXITSTATUS(status));
}

}  // namespace

int RunWorkers(int count, const std::function<int()>& serve) {
  // The parent only waits for signals: blocked here and taken with sigtimedwait, none is lost.
  sigset_t watched;
  sigemptyset(&watched);
  for (int signal_number : {SIGTERM, SIGINT, SIGUSR1, SIGCHLD}) sigaddset(&watched, signal_number);
  sigset_t original_mask;
  sigprocmask(SIG_BLOCK, &watched, &original_mask);

  std::vector<pid_t> workers;
  int missing = 0;  // workers lost (or never started) and not replaced yet
  for (int i = 0; i < count; ++i) {
    const pid_t pid = StartWorker(serve);
    if (pid > 0)
      workers.push_back(pid);
    else
      ++missing;
  }
  int64_t next_start_ms = MonotonicMs() + kRestartSpacingMs;
  int stop_signal = 0;
  int code = 0;
  while (!workers.empty() || (!stop_signal && missing > 0)) {
    const int64_t now_ms = MonotonicMs();
    if (!stop_signal && missing > 0 && now_ms >= next_start_ms) {
      const pid_t pid = StartWorker(serve);
      if (pid > 0) {
        workers.push_back(pid);
        --missing;
      }
      next_start_ms = now_ms + kRestartSpacingMs;
    }
    // Asleep until a signal; while a worker is missing, at most until it may be replaced.
    const int64_t wait_ms =
        !stop_signal && missing > 0 ? std::max<int64_t>(next_start_ms - now_ms, 1) : 3600 * 1000;
    const timespec wait{static_cast<time_t>(wait_ms / 1000),
                        static_cast<long>(wait_ms % 1000) * 1000000};
    const int signal_number = sigtimedwait(&watched, nullptr, &wait);
    if (signal_number > 0 && signal_number != SIGCHLD && !stop_signal) {
      stop_signal = signal_number;
      for (pid_t pid : workers) kill(pid, stop_signal);
    }
    int status = 0;
    for (pid_t pid; (pid = waitpid(-1, &status, WNOHANG)) > 0;) {
      workers.erase(std::remove(workers.begin(), workers.end(), pid), workers.end());
      if (stop_signal) {
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) code = 1;
      } else {
        LogLine("worker " + std::to_string(pid) + " ended (" + Describe(status) +
                "), starting another");
        ++missing;
      }
    }
  }
  sigprocmask(SIG_SETMASK, &original_mask, nullptr);
  return code;
}

}  // namespace heartbeat
