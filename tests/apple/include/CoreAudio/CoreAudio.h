// The part of CoreAudio that the agent uses, as the macOS SDK declares it (see
// tests/apple/README.md). Each block names the SDK header it stands for.
#pragma once

// UInt32, SInt32, OSStatus: Apple's own MacTypes.h, which CoreAudio/CoreAudioTypes.h includes.
#include <MacTypes.h>

extern "C" {

// CoreAudio/AudioHardwareBase.h
typedef UInt32 AudioObjectID;
typedef UInt32 AudioObjectPropertySelector;
typedef UInt32 AudioObjectPropertyScope;
typedef UInt32 AudioObjectPropertyElement;
struct AudioObjectPropertyAddress {
  AudioObjectPropertySelector mSelector;
  AudioObjectPropertyScope mScope;
  AudioObjectPropertyElement mElement;
};
typedef struct AudioObjectPropertyAddress AudioObjectPropertyAddress;
typedef AudioObjectID AudioDeviceID;
enum : OSStatus {
  kAudioHardwareNoError = 0,
};
enum : AudioObjectID {
  kAudioObjectUnknown = 0,
};
enum : AudioObjectPropertyScope {
  kAudioObjectPropertyScopeGlobal = 'glob',
};
enum : AudioObjectPropertySelector {
  kAudioDevicePropertyDeviceIsRunningSomewhere = 'gone',
};

// CoreAudio/AudioHardware.h
enum : AudioObjectID {
  kAudioObjectSystemObject = 1,
};
enum : AudioObjectPropertySelector {
  kAudioHardwarePropertyDefaultInputDevice = 'dIn ',
};
OSStatus AudioObjectGetPropertyData(AudioObjectID inObjectID,
                                    const AudioObjectPropertyAddress* inAddress,
                                    UInt32 inQualifierDataSize, const void* inQualifierData,
                                    UInt32* ioDataSize, void* outData);

}  // extern "C"
