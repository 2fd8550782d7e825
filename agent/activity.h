// What the owner is doing, for visitors (agent/README.md, "What you are doing"): a call, the
// track playing, or the coding app in front; only the kinds `share` lists are looked at. One
// small interface per kind, one implementation per platform.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "activity_config.h"
#include "result.h"

namespace heartbeat::agent {

struct AgentConfig;

enum class ActivityKind { kCall, kListening, kCoding };  // in precedence order

const char* ActivityKindName(ActivityKind kind);

// One activity as the heartbeat carries it: every text already cut and checked.
struct Activity {
  ActivityKind kind = ActivityKind::kCall;
  std::string title;   // listening: 1 to 100 code points
  std::string artist;  // listening: 0 to 100 (empty: not sent)
  std::string app;     // listening: 1 to 32; coding: 0 to 32 (empty: not sent)
};

bool operator==(const Activity& a, const Activity& b);
inline bool operator!=(const Activity& a, const Activity& b) { return !(a == b); }

// `{"kind":"listening","title":…,"artist":…,"app":…}`, `{"kind":"coding","app":…}`,
// `{"kind":"call"}`.
std::string ActivityJson(const Activity& activity);

// `text` as an activity field: control and bidirectional characters and bytes that are not
// UTF-8 made '?', white space trimmed, cut to `max_code_points` on a code-point boundary (and
// trimmed again); nullopt when nothing visible is left or it breaks the server's text rules
// (a noncharacter).
std::optional<std::string> ActivityText(std::string_view text, size_t max_code_points);

// A track that a player says is playing, as it said it.
struct Track {
  std::string title;
  std::string artist;  // the first artist, or empty
  std::string app;     // the player's name
};

// The listening activity for `track`; nullopt when its title or app is no usable text.
std::optional<Activity> ListeningActivity(const Track& track);

// The coding activity for the frontmost application known by `names`, when one of them is in
// `apps` (its shown name is the app sent); nullopt otherwise.
std::optional<Activity> CodingActivity(const std::vector<std::string>& names,
                                       const std::vector<CodingApp>& apps);

// The one to send: call over listening over coding.
std::optional<Activity> ChooseActivity(const std::optional<Activity>& call,
                                       const std::optional<Activity>& listening,
                                       const std::optional<Activity>& coding);

// listening: the first player playing. nullopt: nothing plays.
class ListeningSource {
 public:
  virtual ~ListeningSource() = default;
  virtual const char* name() const = 0;
  virtual Result<std::optional<Track>> Playing() = 0;
};

// coding: the names the frontmost application goes by (macOS: its name; X11: the active
// window's WM_CLASS instance and class); empty when no window is active.
class FrontmostSource {
 public:
  virtual ~FrontmostSource() = default;
  virtual const char* name() const = 0;
  virtual Result<std::vector<std::string>> FrontmostNames() = 0;
};

// call: whether a microphone is in use.
class MicrophoneSource {
 public:
  virtual ~MicrophoneSource() = default;
  virtual const char* name() const = 0;
  virtual Result<bool> InUse() = 0;
};

// One look at the shared kinds.
struct ActivityReport {
  std::optional<Activity> shared;  // what the heartbeat carries
  // For `heartbeat-agent activity`: one line per kind, what its source saw (or why not).
  std::vector<std::string> lines;
  // "<source>: <message>" for each source that failed.
  std::vector<std::string> failures;
};

// The sources of the kinds shared (nullptr for the others), and the choice between them.
class ActivityLook {
 public:
  ActivityLook(ShareSet share, std::vector<CodingApp> coding_apps,
               std::unique_ptr<MicrophoneSource> microphone,
               std::unique_ptr<ListeningSource> listening,
               std::unique_ptr<FrontmostSource> frontmost);
  // Asks the sources in precedence order; with `every_source` false it stops at the first
  // kind that holds, since nothing after it could be sent.
  ActivityReport Look(bool every_source = false);
  const ShareSet& share() const { return share_; }

 private:
  ShareSet share_;
  std::vector<CodingApp> coding_apps_;
  std::unique_ptr<MicrophoneSource> microphone_;
  std::unique_ptr<ListeningSource> listening_;
  std::unique_ptr<FrontmostSource> frontmost_;
};

// The look for this platform and config: MPRIS, X11 and ALSA on Linux; osascript, the window
// list and CoreAudio on macOS (listening_source may name osascript on Linux too). Invalid when
// a named source is not built into this program.
Result<std::unique_ptr<ActivityLook>> MakeActivityLook(const AgentConfig& config);

}  // namespace heartbeat::agent
