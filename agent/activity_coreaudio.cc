// call on macOS: CoreAudio says whether any process uses the default input device
// (kAudioDevicePropertyDeviceIsRunningSomewhere), without recording anything itself.
#include <CoreAudio/CoreAudio.h>

#include "activity_sources.h"

namespace heartbeat::agent {
namespace {

// kAudioObjectPropertyElementMain (macOS 12) and kAudioObjectPropertyElementMaster (deprecated
// since) are both 0: the literal builds for every deployment target without a warning.
constexpr AudioObjectPropertyElement kMainElement = 0;

class CoreAudioSource final : public MicrophoneSource {
 public:
  const char* name() const override { return "coreaudio"; }
  Result<bool> InUse() override {
    AudioObjectPropertyAddress address = {kAudioHardwarePropertyDefaultInputDevice,
                                          kAudioObjectPropertyScopeGlobal, kMainElement};
    AudioDeviceID device = kAudioObjectUnknown;
    UInt32 size = sizeof device;
    OSStatus r =
        AudioObjectGetPropertyData(kAudioObjectSystemObject, &address, 0, nullptr, &size, &device);
    if (r != kAudioHardwareNoError) {
      return Status::Unavailable("no default input device (CoreAudio " + std::to_string(r) + ")");
    }
    if (device == kAudioObjectUnknown) return false;  // no microphone at all
    address.mSelector = kAudioDevicePropertyDeviceIsRunningSomewhere;
    UInt32 running = 0;
    size = sizeof running;
    r = AudioObjectGetPropertyData(device, &address, 0, nullptr, &size, &running);
    if (r != kAudioHardwareNoError) {
      return Status::Unavailable("DeviceIsRunningSomewhere: CoreAudio " + std::to_string(r));
    }
    return running != 0;
  }
};

}  // namespace

std::unique_ptr<MicrophoneSource> MakeCoreAudioMicrophoneSource() {
  return std::make_unique<CoreAudioSource>();
}

}  // namespace heartbeat::agent
