// idle_command: any program that prints idle seconds.
#include "idle_command.h"

#include <string>

#include "child_process.h"

namespace heartbeat::agent {
namespace {

constexpr int kIdleCommandTimeoutS = 5;

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

Result<std::string> RunCommand(const std::string& command, int timeout_s) {
  ChildRun run;
  run.argv = {"/bin/sh", "-c", command};
  run.output = ChildOutput::kCapture;
  run.timeout_s = timeout_s;
  auto ran = RunChild(run);
  if (!ran.ok()) return ran.status();
  if (ran->timed_out)
    return Status::Unavailable("timed out after " + std::to_string(timeout_s) + " s");
  if (!ran->exited || ran->exit_status != 0) {
    return Status::Unavailable("exited with status " +
                               std::to_string(ran->exited ? ran->exit_status : -1));
  }
  return std::move(ran).value().output;
}

}  // namespace heartbeat::agent
