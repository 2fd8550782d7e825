#define BOOST_TEST_DYN_LINK
#include "activity.h"

#include <boost/test/unit_test.hpp>
#include <csignal>
#include <filesystem>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "activity_sources.h"
#include "agent.h"
#include "agent_config.h"
#include "test_support.h"
#include "waiter.h"

// What the agent says the owner is doing: the text rules, the precedence, the settings, the
// osascript answers, one look at fake sources, and `run` posting a change at once. The real
// sources run in tests/agent/test_agent_activity.py.
namespace heartbeat::agent {

// For Boost.Test's messages.
std::ostream& operator<<(std::ostream& out, const Activity& activity) {
  return out << ActivityJson(activity);
}

namespace {

Activity Listening(std::string title, std::string artist, std::string app) {
  return ListeningActivity(Track{std::move(title), std::move(artist), std::move(app)}).value();
}

std::string Repeat(const std::string& piece, int times) {
  std::string text;
  for (int i = 0; i < times; ++i) text += piece;
  return text;
}

BOOST_AUTO_TEST_SUITE(activity)

BOOST_AUTO_TEST_CASE(the_json_of_each_kind) {
  BOOST_TEST(ActivityJson(Listening("Reckoner", "Radiohead", "Spotify")) ==
             R"({"kind":"listening","title":"Reckoner","artist":"Radiohead","app":"Spotify"})");
  BOOST_TEST(ActivityJson(Listening("Reckoner", "", "Spotify")) ==
             R"({"kind":"listening","title":"Reckoner","app":"Spotify"})");
  BOOST_TEST(ActivityJson(CodingActivity({"code", "Code"}, DefaultCodingApps()).value()) ==
             R"({"kind":"coding","app":"Visual Studio Code"})");
  BOOST_TEST(ActivityJson(Activity{}) == R"({"kind":"call"})");
  // Quotes and markup are escaped as every JSON string of ours is.
  BOOST_TEST(ActivityJson(Listening("\"<b>\"", "A & B", "x")) ==
             R"({"kind":"listening","title":"\"\u003cb\u003e\"","artist":"A \u0026 B","app":"x"})");
}

BOOST_AUTO_TEST_CASE(text_is_cut_on_code_point_boundaries_to_the_servers_lengths) {
  // 101 two-byte letters: 100 kept, never half of one.
  const std::string title = Listening(Repeat("é", 101), "", "Spotify").title;
  BOOST_TEST(title == Repeat("é", 100));
  // Four-byte code points count one each.
  BOOST_TEST(Listening("t", Repeat("🎵", 150), "x").artist == Repeat("🎵", 100));
  BOOST_TEST(Listening("t", "", Repeat("ab", 20)).app == Repeat("ab", 16));
  // A cut that ends in white space is trimmed again; the ends are trimmed first.
  BOOST_TEST(Listening("  " + Repeat("a", 99) + " b", "", "x").title == Repeat("a", 99));
  BOOST_TEST(ActivityText(Repeat("x", 100), 100).value() == Repeat("x", 100));
}

BOOST_AUTO_TEST_CASE(text_that_breaks_the_rules_is_mended_or_left_out) {
  BOOST_TEST(ActivityText("line\nbreak\x1b[31m", 100).value() == "line?break?[31m");
  BOOST_TEST(ActivityText("bidi\u202Eevil", 100).value() == "bidi?evil");
  BOOST_TEST(ActivityText("bad \xff byte", 100).value() == "bad ? byte");
  BOOST_TEST(!ActivityText("", 100));
  BOOST_TEST(!ActivityText(" \u200B ", 100));       // nothing visible
  BOOST_TEST(!ActivityText("a\xEF\xBF\xBE", 100));  // U+FFFE, a noncharacter
  // No title or no app: no listening at all; no artist: sent without one.
  BOOST_TEST(!ListeningActivity(Track{" ", "Radiohead", "Spotify"}));
  BOOST_TEST(!ListeningActivity(Track{"Reckoner", "Radiohead", ""}));
  BOOST_TEST(ListeningActivity(Track{"Reckoner", "\x01", "Spotify"})->artist == "?");
  BOOST_TEST(ListeningActivity(Track{"Reckoner", "", "Spotify"})->artist == "");
}

BOOST_AUTO_TEST_CASE(call_wins_over_listening_over_coding) {
  const Activity call{};
  const Activity listening = Listening("Reckoner", "Radiohead", "Spotify");
  const Activity coding = CodingActivity({"Xcode"}, DefaultCodingApps()).value();
  BOOST_TEST(ChooseActivity(call, listening, coding).value() == call);
  BOOST_TEST(ChooseActivity(std::nullopt, listening, coding).value() == listening);
  BOOST_TEST(ChooseActivity(std::nullopt, std::nullopt, coding).value() == coding);
  BOOST_TEST(ChooseActivity(call, std::nullopt, std::nullopt).value() == call);
  BOOST_TEST(!ChooseActivity(std::nullopt, std::nullopt, std::nullopt));
}

BOOST_AUTO_TEST_CASE(coding_apps_match_any_name_ignoring_case_and_send_the_shown_one) {
  const auto& apps = DefaultCodingApps();
  BOOST_TEST(CodingActivity({"jetbrains-idea", "jetbrains-idea"}, apps)->app == "IntelliJ IDEA");
  BOOST_TEST(CodingActivity({"IntelliJ IDEA CE"}, apps)->app == "IntelliJ IDEA");
  BOOST_TEST(CodingActivity({"sublime_text", "Sublime_text"}, apps)->app == "Sublime Text");
  BOOST_TEST(CodingActivity({"emacs", "Emacs"}, apps)->app == "Emacs");
  BOOST_TEST(CodingActivity({"XCODE"}, apps)->app == "Xcode");
  BOOST_TEST(!CodingActivity({"firefox", "Firefox"}, apps));
  BOOST_TEST(!CodingActivity({"Code Helper"}, apps));  // whole names, never a part
  BOOST_TEST(!CodingActivity({}, apps));
}

BOOST_AUTO_TEST_CASE(share_and_coding_apps_parse_or_are_config_errors) {
  auto share = ParseShare(" listening , call");
  BOOST_TEST((share->listening && share->call && !share->coding));
  BOOST_TEST(!ParseShare("").value().any());
  BOOST_TEST(ParseShare("listening,music").status().message().find("'music'") != std::string::npos);
  BOOST_TEST(!ParseShare("call,call").ok());
  BOOST_TEST(!ParseShare("listening,").ok());
  auto apps = ParseCodingApps("Kate, Helix|hx");
  BOOST_TEST(apps->size() == 2u);
  BOOST_TEST(apps->at(1).shown == "Helix");
  BOOST_TEST((apps->at(1).names == std::vector<std::string>{"Helix", "hx"}));
  BOOST_TEST(ParseCodingApps("").value().empty());
  BOOST_TEST(!ParseCodingApps("Kate,,Helix").ok());
  BOOST_TEST(!ParseCodingApps("Helix|").ok());
  BOOST_TEST(!ParseCodingApps(Repeat("x", 33)).ok());  // a shown name is at most 32
  BOOST_TEST(ParseCodingApps(Repeat("x", 32)).ok());
}

Result<AgentConfig> LoadWith(std::vector<std::string> args) {
  std::vector<const char*> argv = {"heartbeat-agent"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  return LoadAgentConfig(
      static_cast<int>(argv.size()), argv.data(),
      [](const char*) -> const char* { return nullptr; }, "host");
}

BOOST_AUTO_TEST_CASE(the_settings_in_a_config_file_and_as_flags) {
  testing::TempDir dir;
  testing::WriteFile(dir.File("agent.conf"),
                     "url = https://example.com/cgi-bin/heartbeat.fcgi\ntoken = t\n"
                     "share = coding, listening\ncoding_apps = Helix|hx\nlisting = 1\n");
  auto bad = LoadWith({"once", "--config", dir.File("agent.conf")});
  BOOST_TEST(bad.status().message().find("line 5: unknown setting 'listing'") != std::string::npos);
  testing::WriteFile(dir.File("agent.conf"),
                     "url = https://example.com/cgi-bin/heartbeat.fcgi\ntoken = t\n"
                     "share = coding, listening\ncoding_apps = Helix|hx\n");
  auto config = LoadWith({"once", "--config", dir.File("agent.conf")});
  BOOST_TEST_REQUIRE(config.ok(), config.status().message());
  BOOST_TEST((config->share.coding && config->share.listening && !config->share.call));
  BOOST_TEST(config->coding_apps.size() == 1u);
  BOOST_TEST(config->listening_source == "auto");
  // Nothing is shared by default, and the default list is there.
  auto plain = LoadWith({"activity"});
  BOOST_TEST(!plain->share.any());
  BOOST_TEST(plain->coding_apps.size() == DefaultCodingApps().size());
  BOOST_TEST(LoadWith({"activity", "--share", "call", "--listening-source", "osascript"})
                 ->listening_source == "osascript");
  auto unknown = LoadWith({"activity", "--share", "gaming"});
  BOOST_TEST(unknown.status().message().find("--share: share is a comma-separated list") == 0u);
  BOOST_TEST(!LoadWith({"activity", "--listening-source", "itunes"}).ok());
  BOOST_TEST(!LoadWith({"activity", "--coding-apps", "a,,b"}).ok());
}

BOOST_AUTO_TEST_CASE(osascript_answers) {
  BOOST_TEST((ParseRunningAnswer("true, false\n").value() == std::pair{true, false}));
  BOOST_TEST((ParseRunningAnswer("false, true\n").value() == std::pair{false, true}));
  BOOST_TEST(!ParseRunningAnswer("").ok());
  BOOST_TEST(!ParseRunningAnswer("execution error: -1743").ok());
  auto track = ParseTrackAnswer("playing\x1fReckoner\x1fRadiohead\n", "Spotify").value();
  BOOST_TEST(track->title == "Reckoner");
  BOOST_TEST(track->artist == "Radiohead");
  BOOST_TEST(track->app == "Spotify");
  BOOST_TEST(!ParseTrackAnswer("stopped\n", "Spotify").value());
  BOOST_TEST(!ParseTrackAnswer("playing\x1fonly a title\n", "Spotify").ok());
}

BOOST_AUTO_TEST_CASE(alsa_sees_a_running_capture_substream_only) {
  testing::TempDir dir;
  auto status = [&](const std::string& pcm, const std::string& text) {
    const std::string folder = dir.File("card0/" + pcm + "/sub0");
    std::filesystem::create_directories(folder);
    testing::WriteFile(folder + "/status", text);
  };
  auto source = MakeAlsaMicrophoneSource(dir.path());
  BOOST_TEST(source->InUse().value() == false);           // no card at all
  status("pcm0p", "state: RUNNING\nowner_pid   : 12\n");  // playback does not count
  status("pcm0c", "closed\n");
  BOOST_TEST(source->InUse().value() == false);
  status("pcm0c", "state: RUNNING\nowner_pid   : 42\n");
  BOOST_TEST(source->InUse().value() == true);
  status("pcm0c", "state: SETUP\n");
  BOOST_TEST(source->InUse().value() == false);
}

// Sources that answer what the test says and count how often they were asked.
struct Scripted {
  bool mic = false;
  std::optional<Track> track;
  std::vector<std::string> front;
  Status fail_listening = Status::Ok();
  std::map<std::string, int> asked;
};

class ScriptedMic final : public MicrophoneSource {
 public:
  explicit ScriptedMic(Scripted& s) : s_(s) {}
  const char* name() const override { return "mic"; }
  Result<bool> InUse() override { return ++s_.asked["call"], s_.mic; }
  Scripted& s_;
};
class ScriptedPlayer final : public ListeningSource {
 public:
  explicit ScriptedPlayer(Scripted& s) : s_(s) {}
  const char* name() const override { return "player"; }
  Result<std::optional<Track>> Playing() override {
    ++s_.asked["listening"];
    if (!s_.fail_listening.ok()) return s_.fail_listening;
    return s_.track;
  }
  Scripted& s_;
};
class ScriptedFront final : public FrontmostSource {
 public:
  explicit ScriptedFront(Scripted& s) : s_(s) {}
  const char* name() const override { return "front"; }
  Result<std::vector<std::string>> FrontmostNames() override {
    return ++s_.asked["coding"], s_.front;
  }
  Scripted& s_;
};

std::unique_ptr<ActivityLook> LookAt(Scripted& s, ShareSet share) {
  return std::make_unique<ActivityLook>(
      share, DefaultCodingApps(), std::make_unique<ScriptedMic>(s),
      std::make_unique<ScriptedPlayer>(s), std::make_unique<ScriptedFront>(s));
}

BOOST_AUTO_TEST_CASE(a_kind_not_shared_is_never_looked_at) {
  Scripted s;
  s.mic = true;
  s.track = Track{"Reckoner", "Radiohead", "Spotify"};
  s.front = {"Xcode"};
  auto look = LookAt(s, ShareSet{false, true, false});  // coding only
  ActivityReport report = look->Look(true);
  BOOST_TEST(report.shared.value() == CodingActivity({"Xcode"}, DefaultCodingApps()).value());
  BOOST_TEST(s.asked.count("call") == 0u);
  BOOST_TEST(s.asked.count("listening") == 0u);
  BOOST_TEST(report.lines.at(0) == "call not shared (not looked at)");
  BOOST_TEST(report.lines.at(2) ==
             "coding source=front frontmost=\"Xcode\" in coding_apps as \"Xcode\"");
}

BOOST_AUTO_TEST_CASE(a_look_stops_at_the_first_kind_that_holds_unless_every_source_is_asked) {
  Scripted s;
  s.mic = true;
  s.track = Track{"Reckoner", "Radiohead", "Spotify"};
  auto look = LookAt(s, ShareSet{true, true, true});
  BOOST_TEST(look->Look().shared.value() == Activity{});
  BOOST_TEST(s.asked["listening"] == 0);
  ActivityReport every = look->Look(true);
  BOOST_TEST(every.shared.value() == Activity{});
  BOOST_TEST(s.asked["listening"] == 1);
  BOOST_TEST(every.lines.at(1) ==
             "listening source=player playing=\"Reckoner\" artist=\"Radiohead\" app=\"Spotify\"");
  // A source that fails gives nothing, says why, and the next kind is asked.
  s.mic = false;
  s.fail_listening = Status::Unavailable("no session bus");
  s.front = {"code", "Code"};
  ActivityReport failed = look->Look();
  BOOST_TEST(ActivityKindName(failed.shared->kind) == std::string("coding"));
  BOOST_TEST((failed.failures == std::vector<std::string>{"player: no session bus"}));
  BOOST_TEST(failed.lines.at(1) == "listening source=player error=no session bus");
}

// `run` with scripted sources: a fake clock and a server that keeps the bodies.
class FakeTime final : public Waiter {
 public:
  explicit FakeTime(volatile std::sig_atomic_t& stop) : stop_(stop) {}
  int64_t now = 0;
  int64_t stop_at = 0;
  std::map<int64_t, std::function<void()>> script;  // what changes when
  int64_t NowMs() const override { return now; }
  void Sleep(int64_t ms, const volatile std::sig_atomic_t*) override { now += ms; }
  PowerEvent Wait(SleepWatcher&, int64_t ms, const volatile std::sig_atomic_t&) override {
    const int64_t until = now + ms;
    while (!script.empty() && script.begin()->first <= until) {
      script.begin()->second();
      script.erase(script.begin());
    }
    now = until;
    if (now >= stop_at) stop_ = 1;
    return PowerEvent::kNone;
  }

 private:
  volatile std::sig_atomic_t& stop_;
};

class Recorder final : public HttpClient {
 public:
  explicit Recorder(const FakeTime& time) : time_(time) {}
  std::vector<std::string> posts;  // "<ms> <body>"
  HttpResponse Send(const HttpRequest& request) override {
    posts.push_back(std::to_string(time_.now) + " " + request.json_body);
    HttpResponse response;
    response.status = 200;
    return response;
  }

 private:
  const FakeTime& time_;
};

BOOST_AUTO_TEST_CASE(run_posts_a_new_track_or_a_call_at_the_next_check_and_offline_carries_none) {
  volatile std::sig_atomic_t stop = 0;
  FakeTime time(stop);
  Recorder server(time);
  Scripted s;
  auto look = LookAt(s, ShareSet{true, false, true});
  AgentConfig config;
  config.url = "https://example.com/cgi-bin/heartbeat.fcgi";
  config.token = "a-token-of-some-length";
  config.device = "mac";
  config.check_interval_s = 5;
  config.interval_s = 60;
  time.stop_at = 42'000;
  time.script[1'000] = [&] { s.track = Track{"Reckoner", "Radiohead", "Spotify"}; };
  time.script[2'000] = [&] { s.track = Track{"Nude", "Radiohead", "Spotify"}; };  // same check
  time.script[11'000] = [&] { s.mic = true; };
  time.script[21'000] = [&] { s.mic = false; };
  time.script[26'000] = [&] { s.track.reset(); };
  auto idle = MakeAlwaysActiveSource();
  auto watcher = MakeNoSleepWatcher();
  Agent agent(config, server, time, SystemWallClock(), [] { return 1.0; });
  agent.ShareActivity(look.get());
  BOOST_TEST(agent.Run(*idle, *watcher, stop) == 0);
  const std::string plain = R"({"device":"mac","state":"active")";
  const std::vector<std::string> expected = {
      "0 " + plain + "}",
      // One post for the two tracks within one check_interval: the one seen at the check.
      "5000 " + plain +
          R"(,"activity":{"kind":"listening","title":"Nude","artist":"Radiohead","app":"Spotify"}})",
      "15000 " + plain + R"(,"activity":{"kind":"call"}})",
      "25000 " + plain +
          R"(,"activity":{"kind":"listening","title":"Nude","artist":"Radiohead","app":"Spotify"}})",
      "30000 " + plain + "}",
      std::string("45000 ") + R"({"device":"mac","state":"offline"})",  // offline says nothing
  };
  BOOST_TEST(server.posts == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat::agent
