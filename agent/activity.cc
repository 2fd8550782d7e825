#include "activity.h"

#include <cstdlib>

#include "activity_sources.h"
#include "agent_config.h"
#include "json_text.h"
#include "text_field.h"
#include "utf8.h"

namespace heartbeat::agent {
namespace {

// The server's lengths, in code points (docs/protocol.md, "activity").
constexpr size_t kMaxTitle = 100;
constexpr size_t kMaxArtist = 100;
constexpr size_t kMaxApp = 32;

// The bytes of the first `count` code points of valid UTF-8: a code point starts at every byte
// that is not a continuation byte (10xxxxxx).
std::string_view FirstCodePoints(std::string_view text, size_t count) {
  size_t seen = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!IsUtf8Continuation(static_cast<unsigned char>(text[i])) && seen++ == count) {
      return text.substr(0, i);
    }
  }
  return text;
}

std::string Quoted(const std::string& text) { return "\"" + TerminalText(text) + "\""; }

std::string Joined(const std::vector<std::string>& names) {
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "" : " ") + Quoted(name);
  return text;
}

}  // namespace

const char* ActivityKindName(ActivityKind kind) {
  switch (kind) {
    case ActivityKind::kCall:
      return "call";
    case ActivityKind::kListening:
      return "listening";
    case ActivityKind::kCoding:
      return "coding";
  }
  return "call";
}

bool operator==(const Activity& a, const Activity& b) {
  return a.kind == b.kind && a.title == b.title && a.artist == b.artist && a.app == b.app;
}

std::string ActivityJson(const Activity& activity) {
  std::string json = std::string("{\"kind\":\"") + ActivityKindName(activity.kind) + "\"";
  if (activity.kind == ActivityKind::kListening) json += ",\"title\":" + JsonString(activity.title);
  if (!activity.artist.empty()) json += ",\"artist\":" + JsonString(activity.artist);
  if (!activity.app.empty()) json += ",\"app\":" + JsonString(activity.app);
  return json + "}";
}

std::optional<std::string> ActivityText(std::string_view text, size_t max_code_points) {
  // Checked whole first (which trims it), then cut, then checked again: the cut may leave
  // white space at the end.
  auto whole = CleanTextField(TerminalText(text), std::string_view::npos, "activity text");
  if (!whole.ok()) return std::nullopt;
  auto cut = CleanTextField(FirstCodePoints(whole.value(), max_code_points), max_code_points,
                            "activity text");
  if (!cut.ok()) return std::nullopt;
  return cut.value();
}

std::optional<Activity> ListeningActivity(const Track& track) {
  auto title = ActivityText(track.title, kMaxTitle);
  auto app = ActivityText(track.app, kMaxApp);
  if (!title || !app) return std::nullopt;
  Activity activity;
  activity.kind = ActivityKind::kListening;
  activity.title = *title;
  activity.artist = ActivityText(track.artist, kMaxArtist).value_or("");
  activity.app = *app;
  return activity;
}

std::optional<Activity> CodingActivity(const std::vector<std::string>& names,
                                       const std::vector<CodingApp>& apps) {
  const CodingApp* app = MatchCodingApp(names, apps);
  if (!app) return std::nullopt;
  Activity activity;
  activity.kind = ActivityKind::kCoding;
  activity.app = ActivityText(app->shown, kMaxApp).value_or("");
  return activity;
}

std::optional<Activity> ChooseActivity(const std::optional<Activity>& call,
                                       const std::optional<Activity>& listening,
                                       const std::optional<Activity>& coding) {
  if (call) return call;
  if (listening) return listening;
  return coding;
}

ActivityLook::ActivityLook(ShareSet share, std::vector<CodingApp> coding_apps,
                           std::unique_ptr<MicrophoneSource> microphone,
                           std::unique_ptr<ListeningSource> listening,
                           std::unique_ptr<FrontmostSource> frontmost)
    : share_(share),
      coding_apps_(std::move(coding_apps)),
      microphone_(share.call ? std::move(microphone) : nullptr),
      listening_(share.listening ? std::move(listening) : nullptr),
      frontmost_(share.coding ? std::move(frontmost) : nullptr) {}

ActivityReport ActivityLook::Look(bool every_source) {
  ActivityReport report;
  std::optional<Activity> call, listening, coding;
  auto failed = [&report](const char* kind, const char* source, const Status& status) {
    report.lines.push_back(std::string(kind) + " source=" + source +
                           " error=" + TerminalText(status.message()));
    report.failures.push_back(std::string(source) + ": " + status.message());
  };
  auto not_shared = [&report](const char* kind) {
    report.lines.push_back(std::string(kind) + " not shared (not looked at)");
  };
  auto done = [&] { return !every_source && (call || listening || coding); };

  if (!microphone_) {
    not_shared("call");
  } else if (auto in_use = microphone_->InUse(); !in_use.ok()) {
    failed("call", microphone_->name(), in_use.status());
  } else {
    report.lines.push_back(std::string("call source=") + microphone_->name() +
                           " microphone=" + (in_use.value() ? "in use" : "not in use"));
    if (in_use.value()) call = Activity{};
  }

  if (!listening_) {
    not_shared("listening");
  } else if (done()) {
    report.lines.push_back("listening not looked at (a call comes first)");
  } else if (auto playing = listening_->Playing(); !playing.ok()) {
    failed("listening", listening_->name(), playing.status());
  } else if (!playing.value()) {
    report.lines.push_back(std::string("listening source=") + listening_->name() +
                           " playing=nothing");
  } else {
    const Track& track = *playing.value();
    listening = ListeningActivity(track);
    report.lines.push_back(std::string("listening source=") + listening_->name() +
                           " playing=" + Quoted(track.title) + " artist=" + Quoted(track.artist) +
                           " app=" + Quoted(track.app) + (listening ? "" : " (no usable title)"));
  }

  if (!frontmost_) {
    not_shared("coding");
  } else if (done()) {
    report.lines.push_back("coding not looked at (a call or a track comes first)");
  } else if (auto names = frontmost_->FrontmostNames(); !names.ok()) {
    failed("coding", frontmost_->name(), names.status());
  } else {
    coding = CodingActivity(names.value(), coding_apps_);
    report.lines.push_back(
        std::string("coding source=") + frontmost_->name() +
        " frontmost=" + (names->empty() ? "none" : Joined(names.value())) +
        (coding ? " in coding_apps as " + Quoted(coding->app) : " not in coding_apps"));
  }
  report.shared = ChooseActivity(call, listening, coding);
  return report;
}

Result<std::unique_ptr<ActivityLook>> MakeActivityLook(const AgentConfig& config) {
  const ShareSet& share = config.share;
  std::unique_ptr<MicrophoneSource> microphone;
  std::unique_ptr<ListeningSource> listening;
  std::unique_ptr<FrontmostSource> frontmost;
#ifdef __APPLE__
  const std::string platform_listening = "osascript";
  if (share.call) microphone = MakeCoreAudioMicrophoneSource();
  if (share.coding) frontmost = MakeWindowListFrontmostSource();
#else
  const std::string platform_listening = "mpris";
  if (share.call) {
    const char* asound = std::getenv("HEARTBEAT_ASOUND_DIR");  // tests only
    microphone = MakeAlsaMicrophoneSource(asound && *asound ? asound : "/proc/asound");
  }
  if (share.coding) frontmost = MakeX11FrontmostSource();
#endif
  const std::string source =
      config.listening_source == "auto" ? platform_listening : config.listening_source;
  if (share.listening) {
    if (source == "osascript") listening = MakeOsascriptListeningSource();
#ifndef __APPLE__
    if (source == "mpris") listening = MakeMprisListeningSource();
#endif
    if (!listening) {
      return Status::Invalid("listening_source '" + source + "' is not built into this program");
    }
  }
  if ((share.call && !microphone) || (share.coding && !frontmost)) {
    return Status::Invalid(std::string(share.call && !microphone ? "call" : "coding") +
                           " is not built into this program");
  }
  return std::make_unique<ActivityLook>(share, config.coding_apps, std::move(microphone),
                                        std::move(listening), std::move(frontmost));
}

}  // namespace heartbeat::agent
