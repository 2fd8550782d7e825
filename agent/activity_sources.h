// The sources of activity.h's three kinds, one file each (agent/README.md, "What you are
// doing"). A factory returns nullptr when its source is not built into this program.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "activity.h"

namespace heartbeat::agent {

// listening on Linux (activity_mpris.cc): MPRIS players on the session bus.
std::unique_ptr<ListeningSource> MakeMprisListeningSource();

// listening on macOS (activity_osascript.cc, built everywhere): Spotify, then Music, through
// `osascript` run as idle_command is run; an application is asked about its track only while
// it is running, so that nothing is launched.
std::unique_ptr<ListeningSource> MakeOsascriptListeningSource();

// The answer of the script that asks whether Spotify and Music run: "true, false". Invalid
// for anything else.
Result<std::pair<bool, bool>> ParseRunningAnswer(std::string_view output);
// The answer of the script that asks a running player for its track: "playing", the title and
// the artist separated by U+001F, or "stopped"; `app` is who was asked.
Result<std::optional<Track>> ParseTrackAnswer(std::string_view output, const std::string& app);

// coding on Linux (activity_x11.cc): the WM_CLASS of the X display's _NET_ACTIVE_WINDOW;
// Unavailable in a Wayland session.
std::unique_ptr<FrontmostSource> MakeX11FrontmostSource();

// coding on macOS (activity_frontmost_mac.cc): the owner of the frontmost window of layer 0
// in CGWindowListCopyWindowInfo (no Screen Recording permission needed for that name).
std::unique_ptr<FrontmostSource> MakeWindowListFrontmostSource();

// call on Linux (activity_alsa.cc): an ALSA capture substream RUNNING under `asound_dir`
// (/proc/asound: card*/pcm*c/sub*/status).
std::unique_ptr<MicrophoneSource> MakeAlsaMicrophoneSource(const std::string& asound_dir);

// call on macOS (activity_coreaudio.cc): kAudioDevicePropertyDeviceIsRunningSomewhere of the
// default input device.
std::unique_ptr<MicrophoneSource> MakeCoreAudioMicrophoneSource();

}  // namespace heartbeat::agent
