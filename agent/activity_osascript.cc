// listening on macOS: Spotify and Music through AppleScript. Plain C++ around `osascript`, run
// as idle_command is run (RunCommand: a deadline, the environment without the token), so the
// same code runs on Linux under the tests, with a stand-in osascript on PATH.
#include <string>
#include <vector>

#include "activity_sources.h"
#include "idle_command.h"
#include "trim.h"

namespace heartbeat::agent {
namespace {

constexpr int kOsascriptTimeoutS = 5;
constexpr char kSeparator = '\x1f';  // AppleScript's `character id 31`: in no track's name

struct Player {
  const char* application;  // AppleScript's name for it
  const char* shown;        // the app visitors see
};
constexpr Player kPlayers[] = {{"Spotify", "Spotify"}, {"Music", "Apple Music"}};

// Whether each player runs, in one osascript: `application "X" is running` needs no
// dictionary and launches nothing.
const char* const kRunningScript =
    "osascript -e '{application \"Spotify\" is running, application \"Music\" is running}'";

// The track of a player that runs. The `is running` test is repeated inside, so that a player
// that quit since the first question is not launched again by the `tell`.
std::string TrackScript(const Player& player) {
  const std::string app = player.application;
  return "osascript -e 'if application \"" + app + "\" is running then' -e 'tell application \"" +
         app +
         "\"' -e 'if player state is playing then return \"playing\" & (character id 31) & "
         "(name of current track) & (character id 31) & (artist of current track)' -e 'end "
         "tell' -e 'end if' -e 'return \"stopped\"'";
}

class OsascriptSource final : public ListeningSource {
 public:
  const char* name() const override { return "osascript"; }
  Result<std::optional<Track>> Playing() override {
    auto running = RunCommand(kRunningScript, kOsascriptTimeoutS);
    if (!running.ok()) return Status::Unavailable("osascript: " + running.status().message());
    auto which = ParseRunningAnswer(running.value());
    if (!which.ok()) return which.status();
    const bool runs[] = {which->first, which->second};
    for (size_t i = 0; i < std::size(kPlayers); ++i) {
      if (!runs[i]) continue;
      auto answer = RunCommand(TrackScript(kPlayers[i]), kOsascriptTimeoutS);
      if (!answer.ok()) {
        return Status::Unavailable(std::string("osascript asking ") + kPlayers[i].application +
                                   ": " + answer.status().message() +
                                   " (allowed under System Settings > Privacy & Security > "
                                   "Automation?)");
      }
      auto track = ParseTrackAnswer(answer.value(), kPlayers[i].shown);
      if (!track.ok() || track.value()) return track;
    }
    return std::optional<Track>();
  }
};

std::string FirstLine(std::string_view output) {
  return std::string(Trim(output.substr(0, output.find('\n')), " \t\r"));
}

}  // namespace

std::unique_ptr<ListeningSource> MakeOsascriptListeningSource() {
  return std::make_unique<OsascriptSource>();
}

Result<std::pair<bool, bool>> ParseRunningAnswer(std::string_view output) {
  const std::string line = FirstLine(output);
  if (line == "true, true") return std::pair{true, true};
  if (line == "true, false") return std::pair{true, false};
  if (line == "false, true") return std::pair{false, true};
  if (line == "false, false") return std::pair{false, false};
  return Status::Unavailable("osascript: expected 'true, false' or the like, got '" + line + "'");
}

Result<std::optional<Track>> ParseTrackAnswer(std::string_view output, const std::string& app) {
  // Only the end of line that osascript adds is cut: a title may hold anything else.
  std::string text(output);
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (text == "stopped") return std::optional<Track>();
  std::vector<std::string> parts;
  for (size_t from = 0;;) {
    size_t at = text.find(kSeparator, from);
    parts.push_back(text.substr(from, at - from));
    if (at == std::string::npos) break;
    from = at + 1;
  }
  if (parts.size() != 3 || parts[0] != "playing") {
    return Status::Unavailable("osascript: " + app + " answered '" + FirstLine(output) +
                               "', not its track");
  }
  return std::optional<Track>(Track{parts[1], parts[2], app});
}

}  // namespace heartbeat::agent
