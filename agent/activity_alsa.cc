// call on Linux: a microphone is in use while an ALSA capture substream is RUNNING. Each
// substream's status file (/proc/asound/cardN/pcmMc/subK/status, "c" for capture) starts with
// "state: RUNNING" then; "closed" or another state when it is not. PulseAudio and PipeWire
// open the capture device only while something records, so this also sees their clients.
#include <glob.h>

#include <fstream>
#include <string>

#include "activity_sources.h"

namespace heartbeat::agent {
namespace {

class AlsaSource final : public MicrophoneSource {
 public:
  explicit AlsaSource(std::string asound_dir) : asound_dir_(std::move(asound_dir)) {}
  const char* name() const override { return "alsa"; }
  Result<bool> InUse() override {
    const std::string pattern = asound_dir_ + "/card*/pcm*c/sub*/status";
    glob_t found{};
    int r = glob(pattern.c_str(), 0, nullptr, &found);
    bool running = false;
    for (size_t i = 0; r == 0 && i < found.gl_pathc && !running; ++i) {
      std::ifstream status(found.gl_pathv[i]);
      std::string line;
      while (!running && std::getline(status, line)) running = line == "state: RUNNING";
    }
    globfree(&found);
    if (r != 0 && r != GLOB_NOMATCH) {
      return Status::Unavailable("cannot read " + pattern);
    }
    return running;
  }

 private:
  std::string asound_dir_;
};

}  // namespace

std::unique_ptr<MicrophoneSource> MakeAlsaMicrophoneSource(const std::string& asound_dir) {
  return std::make_unique<AlsaSource>(asound_dir);
}

}  // namespace heartbeat::agent
