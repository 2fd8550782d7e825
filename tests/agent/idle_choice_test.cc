// Which idle source "auto" picks, from the session's environment and which desktop services
// answer (ChooseIdleSource; the probes here are stand-ins, the real ones run in
// tests/agent/test_agent_idle.py).
#define BOOST_TEST_DYN_LINK
#include <boost/test/unit_test.hpp>
#include <set>
#include <string>
#include <vector>

#include "idle.h"

namespace heartbeat::agent {
namespace {

// A Linux session with X11 built in; `answering` are the desktop sources that answer, and
// `asked` records each probe.
struct Session {
  IdleSession facts;
  std::set<std::string> answering;
  std::vector<std::string> asked;

  Session() {
    facts.x11 = true;
    facts.probe = [this](const std::string& source) {
      asked.push_back(source);
      return answering.count(source) ? Status::Ok()
                                     : Status::Unavailable(source + " service not running");
    };
  }
  Session& Wayland() {
    facts.session_type = "wayland";
    facts.display = ":0";  // XWayland's, as GNOME and KDE set it
    return *this;
  }
  std::string Pick(const std::string& idle_source = "auto") {
    auto choice = ChooseIdleSource(idle_source, facts);
    return choice.ok() ? choice->source : "error: " + choice.status().message();
  }
};

BOOST_AUTO_TEST_SUITE(idle_choice)

BOOST_AUTO_TEST_CASE(wayland_never_picks_x11_and_asks_gnome_then_freedesktop) {
  Session gnome;
  gnome.Wayland().answering = {"gnome", "freedesktop"};
  BOOST_TEST(gnome.Pick() == "gnome");
  BOOST_TEST(gnome.asked == std::vector<std::string>{"gnome"});  // the first that answers

  Session kde;
  kde.Wayland().answering = {"freedesktop"};
  BOOST_TEST(kde.Pick() == "freedesktop");
  BOOST_TEST((kde.asked == std::vector<std::string>{"gnome", "freedesktop"}));
  auto why = ChooseIdleSource("auto", kde.facts);
  BOOST_TEST(why->reason.find("XDG_SESSION_TYPE=wayland") != std::string::npos);
  BOOST_TEST(why->reason.find("not gnome: gnome service not running") != std::string::npos);
  BOOST_TEST(why->warning.empty());
}

BOOST_AUTO_TEST_CASE(wayland_display_alone_is_a_wayland_session) {
  Session session;
  session.facts.display = ":0";
  session.facts.wayland_display = "wayland-0";
  session.answering = {"gnome"};
  BOOST_TEST(session.Pick() == "gnome");
  // Without it, DISPLAY means X11 as before, and no desktop service is asked.
  session.facts.wayland_display.clear();
  session.asked.clear();
  BOOST_TEST(session.Pick() == "x11");
  BOOST_TEST(session.asked.empty());
}

BOOST_AUTO_TEST_CASE(an_x11_session_keeps_x11_whatever_answers_on_the_bus) {
  Session session;
  session.facts.session_type = "x11";
  session.facts.display = ":0";
  session.facts.session_id = "3";
  session.answering = {"gnome", "freedesktop"};
  BOOST_TEST(session.Pick() == "x11");
  auto why = ChooseIdleSource("auto", session.facts);
  BOOST_TEST(why->reason == "DISPLAY=:0 in a session that is not Wayland (XDG_SESSION_TYPE=x11)");
}

BOOST_AUTO_TEST_CASE(wayland_without_a_desktop_idle_time_falls_to_logind_with_a_warning) {
  Session sway;
  sway.Wayland().facts.session_id = "5";
  BOOST_TEST(sway.Pick() == "logind");
  auto choice = ChooseIdleSource("auto", sway.facts);
  BOOST_TEST(choice->warning.find("set idle_command") != std::string::npos);
  BOOST_TEST(choice->reason.find("freedesktop: freedesktop service not running") !=
             std::string::npos);
  // No session for logind either: a usage error that names idle_command, never x11.
  sway.facts.session_id.clear();
  std::string error = sway.Pick();
  BOOST_TEST(error.rfind("error: ", 0) == 0);
  BOOST_TEST(error.find("set idle_command") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(idle_command_and_the_mac_come_first) {
  Session session;
  session.Wayland().answering = {"gnome"};
  session.facts.idle_command = true;
  BOOST_TEST(session.Pick() == "command");
  session.facts.idle_command = false;
  session.facts.iokit = true;
  BOOST_TEST(session.Pick() == "iokit");
  BOOST_TEST(session.asked.empty());
}

BOOST_AUTO_TEST_CASE(without_display_or_session_the_desktop_services_are_still_asked) {
  Session unit;  // a systemd user unit that was given none of the session's variables
  BOOST_TEST(unit.Pick().rfind("error: no idle source found", 0) == 0);
  unit.answering = {"freedesktop"};
  BOOST_TEST(unit.Pick() == "freedesktop");
  Session tty;
  tty.facts.session_id = "2";
  tty.answering = {"gnome"};
  BOOST_TEST(tty.Pick() == "logind");  // a session without a display: logind, as before
}

BOOST_AUTO_TEST_CASE(a_named_source_is_taken_as_named_and_x11_under_wayland_warns) {
  Session session;
  session.Wayland();
  for (const char* name : {"gnome", "freedesktop", "logind", "none"}) {
    BOOST_TEST(session.Pick(name) == name);
    BOOST_TEST(ChooseIdleSource(name, session.facts)->warning.empty());
  }
  BOOST_TEST(session.asked.empty());  // named sources are not probed
  auto x11 = ChooseIdleSource("x11", session.facts);
  BOOST_TEST(x11->source == "x11");
  BOOST_TEST(x11->warning.find("XWayland") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace heartbeat::agent
