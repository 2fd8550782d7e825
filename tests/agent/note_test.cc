#define BOOST_TEST_DYN_LINK
#include <stdlib.h>
#include <time.h>

#include <boost/test/unit_test.hpp>
#include <map>
#include <string>
#include <vector>

#include "agent.h"
#include "agent_config.h"
#include "note_request.h"
#include "status_summary.h"
#include "test_support.h"

namespace heartbeat::agent {
namespace {

constexpr int64_t kHour = 3'600'000;
// 2026-12-02T17:00:00Z
constexpr int64_t kNow = 1'796'230'800'000;

// Sets TZ for one test and puts the old one back.
class ScopedTz {
 public:
  explicit ScopedTz(const char* zone) {
    if (const char* old = getenv("TZ")) old_ = old, had_ = true;
    setenv("TZ", zone, 1);
    tzset();
  }
  ~ScopedTz() {
    if (had_) {
      setenv("TZ", old_.c_str(), 1);
    } else {
      unsetenv("TZ");
    }
    tzset();
  }

 private:
  bool had_ = false;
  std::string old_;
};

const char* OnlyATokenEnv(const char* name) {
  return std::string(name) == "HEARTBEAT_TOKEN" ? "t" : nullptr;
}

Result<AgentConfig> Load(std::vector<std::string> args) {
  std::vector<const char*> argv = {"heartbeat-agent"};
  for (const std::string& arg : args) argv.push_back(arg.c_str());
  return LoadAgentConfig(static_cast<int>(argv.size()), argv.data(), OnlyATokenEnv, "mac");
}

BOOST_AUTO_TEST_SUITE(agent_note)

BOOST_AUTO_TEST_CASE(durations) {
  const std::map<std::string, int64_t> good = {
      {"90s", 90'000},
      {"30m", 1'800'000},
      {"2h", 2 * kHour},
      {"1d", 24 * kHour},
      {"1h30m", 90 * 60'000LL},
      {"1d2h3m4s", 93'784'000},
      {"0h5m", 300'000},
      {"120m", 2 * kHour},
      {"999999999s", 999'999'999'000},
      {"999999999d", 999'999'999LL * 24 * kHour},
  };
  for (const auto& [text, ms] : good) {
    BOOST_TEST_CONTEXT(text) {
      auto parsed = ParseDurationMs(text);
      BOOST_REQUIRE(parsed.ok());
      BOOST_TEST(parsed.value() == ms);
    }
  }
  for (const char* bad : {"", "0s", "0h0m", "30", "m", "1x", "1h1h", "30m1h", "1.5h", "-1h", "+1h",
                          " 1h", "1h ", "1H", "1w", "1000000000s", "2h30"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!ParseDurationMs(bad).ok()); }
  }
}

BOOST_AUTO_TEST_CASE(times_with_an_offset_or_z) {
  const std::map<std::string, int64_t> good = {
      {"2026-12-08T09:00Z", 1'796'720'400'000},
      {"2026-12-08T09:00:30Z", 1'796'720'430'000},
      {"2026-12-08T10:00+01:00", 1'796'720'400'000},
      {"2026-12-08T04:00-0500", 1'796'720'400'000},
      {"1970-01-01T00:00Z", 0},
      {"2028-02-29T00:00Z", 1'835'395'200'000},  // a leap day
      {"2000-03-01T00:00Z", 951'868'800'000},
  };
  for (const auto& [text, ms] : good) {
    BOOST_TEST_CONTEXT(text) {
      auto parsed = ParseNoteTimeMs(text);
      BOOST_REQUIRE(parsed.ok());
      BOOST_TEST(parsed.value() == ms);
    }
  }
  for (const char* bad :
       {"", "2026-12-08", "2026-12-08 09:00", "2026-12-08T9:00", "2026-02-29T00:00Z",
        "2026-13-01T00:00Z", "2026-12-32T00:00Z", "2026-12-08T24:00Z", "2026-12-08T09:60Z",
        "2026-12-08T09:00:60Z", "2026-12-08T09:00Zjunk", "2026-12-08T09:00+1",
        "2026-12-08T09:00+24:00", "2026-12-08T09:00 Z", "tomorrow", "2026-1-08T09:00Z"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!ParseNoteTimeMs(bad).ok()); }
  }
}

BOOST_AUTO_TEST_CASE(local_times_follow_this_machines_zone_and_daylight_saving) {
  ScopedTz berlin("Europe/Berlin");
  // Winter: UTC+1; summer: UTC+2 (daylight saving from 2027-03-28).
  BOOST_TEST(ParseNoteTimeMs("2026-12-08T10:00").value() ==
             ParseNoteTimeMs("2026-12-08T09:00Z").value());
  BOOST_TEST(ParseNoteTimeMs("2027-07-01T10:00").value() ==
             ParseNoteTimeMs("2027-07-01T08:00Z").value());
  ScopedTz utc("UTC");
  BOOST_TEST(ParseNoteTimeMs("2026-12-08T09:00").value() ==
             ParseNoteTimeMs("2026-12-08T09:00Z").value());
}

BOOST_AUTO_TEST_CASE(checked_requests_and_their_json) {
  NoteArgs args;
  args.has_text = true;
  args.text = "  In a meeting  ";
  auto plain = CheckNoteArgs(args, kNow);
  BOOST_REQUIRE(plain.ok());
  BOOST_TEST(plain->note.text == "In a meeting");  // trimmed as the server keeps it
  BOOST_TEST(NoteJsonMember(plain.value()) == "\"note\":{\"text\":\"In a meeting\"}");
  BOOST_TEST(DescribeNote(plain.value()) == "the note \"In a meeting\"");

  args.busy = true;
  args.for_value = "2h";
  auto busy = CheckNoteArgs(args, kNow);
  BOOST_REQUIRE(busy.ok());
  BOOST_TEST(*busy->note.until_ms == kNow + 2 * kHour);
  BOOST_TEST(NoteJsonMember(busy.value()) ==
             "\"note\":{\"text\":\"In a meeting\",\"until\":" + std::to_string(kNow + 2 * kHour) +
                 ",\"busy\":true}");
  BOOST_TEST(DescribeNote(busy.value()) ==
             "the note \"In a meeting\" (busy, until 2026-12-02T19:00:00Z)");

  args.for_value.clear();
  args.until_value = "2026-12-08T09:00Z";
  auto until = CheckNoteArgs(args, kNow);
  BOOST_REQUIRE(until.ok());
  BOOST_TEST(*until->note.until_ms == 1'796'720'400'000);

  // The whole body: markup and quotes in the text stay inert JSON.
  NoteArgs markup;
  markup.has_text = true;
  markup.text = "<b>\"busy\"</b> & away";
  auto escaped = CheckNoteArgs(markup, kNow);
  BOOST_REQUIRE(escaped.ok());
  BOOST_TEST(HeartbeatJson("mac", DeviceState::kActive, &escaped.value()) ==
             "{\"device\":\"mac\",\"state\":\"active\",\"note\":{\"text\":"
             "\"\\u003cb\\u003e\\\"busy\\\"\\u003c/b\\u003e \\u0026 away\"}}");

  NoteArgs clear;
  clear.clear = true;
  auto cleared = CheckNoteArgs(clear, kNow);
  BOOST_REQUIRE(cleared.ok());
  BOOST_TEST(HeartbeatJson("mac", DeviceState::kIdle, &cleared.value()) ==
             "{\"device\":\"mac\",\"state\":\"idle\",\"note\":null}");
  BOOST_TEST(DescribeNote(cleared.value()) == "the note cleared");
  BOOST_TEST(HeartbeatJson("mac", DeviceState::kIdle) == "{\"device\":\"mac\",\"state\":\"idle\"}");
}

BOOST_AUTO_TEST_CASE(bad_requests_are_refused) {
  auto with = [](std::string text) {
    NoteArgs args;
    args.has_text = true;
    args.text = std::move(text);
    return args;
  };
  std::vector<std::pair<NoteArgs, std::string>> cases;
  cases.push_back({NoteArgs{}, "note needs a TEXT (quoted) or --clear"});
  cases.push_back({with(""), "the note is empty"});
  cases.push_back({with("   "), "the note is empty"});
  cases.push_back({with(std::string(141, 'x')), "the note is longer than 140 characters"});
  cases.push_back({with("line\nbreak"), "the note holds a control character"});
  cases.push_back({with("\xff"), "the note is not valid UTF-8"});
  NoteArgs both = with("x");
  both.for_value = "1h";
  both.until_value = "2026-12-08T09:00Z";
  cases.push_back({both, "note takes --for or --until, not both"});
  NoteArgs past = with("x");
  past.until_value = "2026-12-02T16:59Z";
  cases.push_back(
      {past, "--until '2026-12-02T16:59Z' (2026-12-02T16:59:00Z) is not in the future"});
  NoteArgs now = with("x");
  now.until_value = "2026-12-02T17:00Z";
  cases.push_back({now, "--until '2026-12-02T17:00Z' (2026-12-02T17:00:00Z) is not in the future"});
  NoteArgs bad_for = with("x");
  bad_for.for_value = "soon";
  cases.push_back({bad_for, "--for 'soon': expected a duration such as 90s, 30m, 2h, 1d or 1h30m"});
  NoteArgs too_late = with("x");
  too_late.for_value = "999999999d";
  cases.push_back({too_late, "the note would stand past the year 9999"});
  NoteArgs clear_and_text = with("x");
  clear_and_text.clear = true;
  cases.push_back({clear_and_text, "note --clear takes no text, --for, --until or --busy"});
  NoteArgs clear_busy;
  clear_busy.clear = true;
  clear_busy.busy = true;
  cases.push_back({clear_busy, "note --clear takes no text, --for, --until or --busy"});
  for (const auto& [args, expected] : cases) {
    BOOST_TEST_CONTEXT(expected) {
      auto checked = CheckNoteArgs(args, kNow);
      BOOST_REQUIRE(!checked.ok());
      BOOST_TEST(checked.status().message().rfind(expected, 0) == 0);
    }
  }
  // 140 characters are fine, counted as characters, not bytes.
  std::string longest;
  for (int i = 0; i < 140; ++i) longest += "\xc3\xa9";  // é
  BOOST_TEST(CheckNoteArgs(with(longest), kNow).ok());
}

BOOST_AUTO_TEST_CASE(command_line) {
  const std::string url = "--url=https://x.example/heartbeat.fcgi";
  auto full = Load({"note", "In a meeting", "--for", "30m", "--busy", url});
  BOOST_REQUIRE(full.ok());
  BOOST_TEST((full->command == Command::kNote));
  BOOST_TEST(full->note.has_text);
  BOOST_TEST(full->note.text == "In a meeting");
  BOOST_TEST(full->note.for_value == "30m");
  BOOST_TEST(full->note.busy);
  BOOST_TEST(!full->note.clear);
  auto until = Load({"--busy", "note", "--until=2026-12-08T09:00", "x", url});
  BOOST_REQUIRE(until.ok());
  BOOST_TEST(until->note.until_value == "2026-12-08T09:00");
  BOOST_TEST(until->note.busy);
  auto clear = Load({"note", "--clear", url});
  BOOST_REQUIRE(clear.ok());
  BOOST_TEST(clear->note.clear);
  BOOST_TEST(!clear->note.has_text);

  const std::map<std::vector<std::string>, std::string> bad = {
      {{"once", "--busy", url}, "--busy is only for the note command"},
      {{"run", "--for", "1h", url}, "--for is only for the note command"},
      {{"note", "In", "a meeting", url},
       "note takes one TEXT; quote it (\"In a meeting\"), got 'a meeting' too"},
      {{"note", "x", url, "--for"}, "--for needs a value"},
      {{"note", "x", url, "--until="}, "--until needs a value"},
  };
  for (const auto& [args, expected] : bad) {
    BOOST_TEST_CONTEXT(expected) {
      auto loaded = Load(args);
      BOOST_REQUIRE(!loaded.ok());
      BOOST_TEST(loaded.status().message() == expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(status_fields) {
  auto full = ParseStatusFields(
      "{\"isOnline\":true,\"state\":\"online\",\"lastSeen\":\"2026-12-02T16:59:00Z\","
      "\"timezone\":\"Europe/Berlin\",\"note\":{\"text\":\"\\u003cb\\u003e caf\\u00e9 "
      "\\ud83d\\ude00 \\\"x\\\"\",\"busy\":true,\"until\":\"2026-12-08T09:00:00Z\"},"
      "\"extra\":[1,-2.5e3,{\"a\":null},false]}");
  BOOST_REQUIRE(full.ok());
  BOOST_TEST(full->state == "online");
  BOOST_TEST(full->timezone == "Europe/Berlin");
  BOOST_REQUIRE(full->note_text.has_value());
  BOOST_TEST(*full->note_text == "<b> caf\xc3\xa9 \xf0\x9f\x98\x80 \"x\"");
  BOOST_TEST(full->note_busy);
  BOOST_TEST(full->note_until == "2026-12-08T09:00:00Z");

  auto plain = ParseStatusFields("{\"isOnline\": false, \"state\": \"offline\"}\n");
  BOOST_REQUIRE(plain.ok());
  BOOST_TEST(!plain->note_text.has_value());
  BOOST_TEST(plain->timezone.empty());

  for (const char* bad : {"", "[]", "{", "{\"state\":}", "{\"state\":\"x\"} junk",
                          "{\"note\":{\"text\":\"\\ud83d\"}}", "{\"state\":\"a\nb\"}",
                          "{\"note\":{\"busy\":1}}", "{\"state\":\"\\q\"}"}) {
    BOOST_TEST_CONTEXT(bad) { BOOST_TEST(!ParseStatusFields(bad).ok()); }
  }
}

BOOST_AUTO_TEST_CASE(status_summary_lines) {
  StatusFields fields;
  BOOST_TEST(StatusSummary(fields, kNow / 1000) == "");  // nothing new: nothing printed

  fields.note_text = "In a meeting";
  BOOST_TEST(StatusSummary(fields, kNow / 1000) == "note: In a meeting\n");
  fields.note_busy = true;
  fields.note_until = "2026-12-08T09:00:00Z";
  BOOST_TEST(StatusSummary(fields, kNow / 1000) ==
             "note: In a meeting (busy, until 2026-12-08T09:00:00Z)\n");

  fields.timezone = "Europe/Berlin";
  BOOST_TEST(StatusSummary(fields, kNow / 1000) ==
             "note: In a meeting (busy, until 2026-12-08 10:00 Europe/Berlin)\n"
             "local time: 2026-12-02 18:00 Europe/Berlin (UTC+01:00)\n");
  // Summer time, and a zone west of UTC.
  BOOST_TEST(StatusSummary(StatusFields{"online", {}, false, "", "Europe/Berlin"}, 1'783'000'000) ==
             "local time: 2026-07-02 15:46 Europe/Berlin (UTC+02:00)\n");
  BOOST_TEST(
      StatusSummary(StatusFields{"online", {}, false, "", "America/New_York"}, kNow / 1000) ==
      "local time: 2026-12-02 12:00 America/New_York (UTC-05:00)\n");
  // A zone this computer does not know (or a name that tries to leave zoneinfo) gets no time.
  BOOST_TEST(StatusSummary(StatusFields{"online", {}, false, "", "../../etc/passwd"}, 0) ==
             "local time: ../../etc/passwd (not a time zone this computer knows)\n");
  // Control characters from a server never reach the terminal.
  BOOST_TEST(StatusSummary(
                 StatusFields{"online", std::string("a\x1b[31mb\x7f\xc2\x9b"), false, "", ""}, 0) ==
             "note: a?[31mb??\n");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat::agent
