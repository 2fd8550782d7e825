// listening on Linux: MPRIS (the Media Player Remote Interfacing Specification) on the session
// bus. Every player owns a name org.mpris.MediaPlayer2.*, with the object
// /org/mpris/MediaPlayer2: PlaybackStatus, Metadata (xesam:title, xesam:artist) on
// org.mpris.MediaPlayer2.Player, and Identity (the player's name) on org.mpris.MediaPlayer2.
#include <algorithm>
#include <string>
#include <vector>

#include "activity_sources.h"
#include "bus_client.h"

namespace heartbeat::agent {

#ifdef HEARTBEAT_WITH_LOGIND
namespace {

constexpr const char* kPrefix = "org.mpris.MediaPlayer2.";
constexpr const char* kPath = "/org/mpris/MediaPlayer2";
constexpr const char* kPlayer = "org.mpris.MediaPlayer2.Player";

class MprisSource final : public ListeningSource {
 public:
  const char* name() const override { return "mpris"; }
  Result<std::optional<Track>> Playing() override {
    auto names = bus_.ListNames();
    if (!names.ok()) return names.status();
    // In the order of their names, so that "the first player" is the same at every look.
    std::vector<std::string> players;
    for (const std::string& name : names.value()) {
      if (name.rfind(kPrefix, 0) == 0) players.push_back(name);
    }
    std::sort(players.begin(), players.end());
    for (const std::string& player : players) {
      // A player that does not answer (gone since the list, or hung) is passed over.
      auto status = bus_.StringProperty(player, kPath, kPlayer, "PlaybackStatus");
      if (!status.ok() || status.value() != "Playing") continue;
      auto metadata = bus_.StringsProperty(player, kPath, kPlayer, "Metadata");
      if (!metadata.ok()) continue;
      auto identity = bus_.StringProperty(player, kPath, "org.mpris.MediaPlayer2", "Identity");
      Track track;
      const auto& title = metadata.value()["xesam:title"];
      const auto& artist = metadata.value()["xesam:artist"];
      track.title = title.empty() ? "" : title.front();
      track.artist = artist.empty() ? "" : artist.front();
      // Without an Identity, the name after the prefix (org.mpris.MediaPlayer2.vlc: vlc).
      track.app = identity.ok() ? identity.value() : player.substr(std::string(kPrefix).size());
      return std::optional<Track>(track);
    }
    return std::optional<Track>();
  }

 private:
  BusClient bus_{BusKind::kSession};
};

}  // namespace

std::unique_ptr<ListeningSource> MakeMprisListeningSource() {
  return std::make_unique<MprisSource>();
}
#else
std::unique_ptr<ListeningSource> MakeMprisListeningSource() { return nullptr; }
#endif

}  // namespace heartbeat::agent
