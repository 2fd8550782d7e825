"""What the owner is doing, from real sources: MPRIS players on a private session bus (stand-ins
by tests/agent/fake_desktop.py), X11 windows under Xvfb with openbox as the window manager, an
ALSA proc folder, and the macOS AppleScript path with a stand-in osascript on PATH. The agent's
posts go through a recording proxy to the real server (nginx and both programs, with
`activity = on`), and status JSON is read after each one: what visitors see follows the agent."""
import json
import os
import re
import signal
import subprocess
import time
import unittest

from harness import ROOT
from harness.agent_case import AGENT, AgentCase
from harness.processes import wait_for
from tests.agent.test_agent_idle import CHECK_INTERVAL, DesktopBus, Xvfb
from tests.agent.test_agent_sleep import RecordingProxy

X11_WINDOW = ROOT / "tests" / "agent" / "x11_window.py"
NOTHING = None  # a heartbeat without "activity"


class ActivityCase(AgentCase):
    stack_args = {"config_extra": "activity = on\n"}

    def setUp(self):
        super().setUp()
        self.proxy = RecordingProxy(self.stack.port)
        self.addCleanup(self.proxy.stop)
        self.asound = self.temp_dir("heartbeat-asound-")

    def microphone(self, state):
        """The one capture substream of a fake /proc/asound, and a playback one always running."""
        for pcm, text in (("pcm0c", state), ("pcm0p", "state: RUNNING\n")):
            folder = self.asound / "card0" / pcm / "sub0"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "status").write_text(text)
        return time.monotonic()

    def start_run(self, share, idle_source="none", **env):
        self.log = self.home / "agent.log"
        with open(self.log, "w") as log:
            proc = subprocess.Popen(
                [str(AGENT), "run", "--idle-source", idle_source, "--check-interval",
                 str(CHECK_INTERVAL), "--share", share, "--url", self.proxy.url],
                env=self.env(HEARTBEAT_ASOUND_DIR=str(self.asound), **env), stderr=log,
                stdout=subprocess.DEVNULL)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc

    def stop_run(self, proc):
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=10), 0)
        log = self.log.read_text()
        self.assertNotIn(self.stack.token, log)
        return log

    def posted(self, since, activity, timeout=CHECK_INTERVAL + 4):
        """Seconds from `since` to the server's 200 for the first post after it that carries
        `activity` (NOTHING: none)."""
        def first():
            return next((at for at, body, status in list(self.proxy.posts)
                         if at > since and status == 200 and body.get("activity") == activity),
                        None)
        wait_for(lambda: first() is not None, timeout=timeout, what=f"a post of {activity}")
        return first() - since

    def shown(self):
        """What status JSON shows visitors now: (state, activity or NOTHING)."""
        status, _, data = self.stack.status()
        self.assertEqual(status, 200, data)
        return data["state"], data.get("activity")

    def activity(self, *args, **env):
        proc = subprocess.run([str(AGENT), "activity", *args], capture_output=True, text=True,
                              timeout=30, env=self.env(HEARTBEAT_ASOUND_DIR=str(self.asound), **env))
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        return proc.stdout


class Listening(DesktopBus, ActivityCase):
    def setUp(self):
        super().setUp()
        self.start_bus()
        self.desktop("mpris-paused")  # first by name, but paused: passed over
        self.player = self.desktop("mpris")

    def bus_env(self):
        return {"DBUS_SESSION_BUS_ADDRESS": self.bus.address}

    def test_activity_prints_the_first_player_playing_and_only_what_is_shared(self):
        out = self.activity("--share", "listening", **self.bus_env())
        self.assertIn("listening source=mpris playing=nothing", out)
        self.assertIn("call not shared (not looked at)", out)
        self.assertIn("share: nothing", out)
        self.player.send("play Reckoner|Radiohead")
        out = self.activity("--share", "listening", **self.bus_env())
        print(f"\n  MPRIS stand-in: {out.strip()}", end="")
        self.assertIn('listening source=mpris playing="Reckoner" artist="Radiohead" '
                      'app="Test Player"', out)
        self.assertIn('share: {"kind":"listening","title":"Reckoner","artist":"Radiohead",'
                      '"app":"Test Player"}', out)
        # Without share, the player is never asked, though it plays.
        out = self.activity(**self.bus_env())
        self.assertIn("listening not shared (not looked at)", out)
        self.assertIn("share: nothing", out)

    def test_run_follows_the_player_and_a_call_comes_first(self):
        self.microphone("closed\n")
        agent = self.start_run("listening,call", **self.bus_env())
        self.posted(0, NOTHING, timeout=10)
        took = {}
        reckoner = {"kind": "listening", "title": "Reckoner", "artist": "Radiohead",
                    "app": "Test Player"}
        nude = dict(reckoner, title="Nude")
        seen = {}

        def change(what, since, activity):
            took[what] = self.posted(since, activity)
            seen[what] = self.shown()
            self.assertEqual(seen[what], ("online", activity), what)

        change("play", self.player.send("play Reckoner|Radiohead"), reckoner)
        change("next track", self.player.send("play Nude|Radiohead"), nude)
        change("call", self.microphone("state: RUNNING\nowner_pid   : 42\n"), {"kind": "call"})
        change("call ends", self.microphone("closed\n"), nude)
        change("pause", self.player.send("pause"), NOTHING)
        change("play again", self.player.send("play Reckoner|Radiohead"), reckoner)
        for what, seconds in took.items():
            self.assertLess(seconds, CHECK_INTERVAL + 1, f"{what}: {took}")
        self.assertEqual(self.state(), "online")
        # Nothing changed: no post until the interval (60 s).
        quiet = time.monotonic()
        time.sleep(3 * CHECK_INTERVAL)
        self.assertEqual([p for p in self.proxy.posts if p[0] > quiet], [])
        log = self.stop_run(agent)
        self.assertIn("sharing call,listening", log)
        self.assertIn("change: active as test-mac with activity listening sent (HTTP 200)", log)
        self.assertNotIn("Reckoner", log)  # the track is for visitors, not for the log
        self.assertEqual(self.proxy.posts[-1][1], {"device": "test-mac", "state": "offline"})
        # The agent stopped while a song played: visitors see offline and no song.
        self.assertEqual(self.shown(), ("offline", NOTHING))
        print(f"\n  MPRIS and ALSA: post after the change, s: " +
              ", ".join(f"{k} {v:.2f}" for k, v in took.items()), end="")

    def test_visitors_see_the_song_only_while_the_owner_is_at_the_computer(self):
        gnome = self.desktop("gnome")
        gnome.send("input")
        self.player.send("play Reckoner|Radiohead")
        reckoner = {"kind": "listening", "title": "Reckoner", "artist": "Radiohead",
                    "app": "Test Player"}
        agent = self.start_run("listening", idle_source="gnome", **self.bus_env())
        self.posted(0, reckoner, timeout=10)
        self.assertEqual(self.shown(), ("online", reckoner))
        # The music plays on while the owner is away from the keyboard, then locks the screen.
        for command in ("idle 600", "input", "lock"):
            since = gnome.send(command)
            wait_for(lambda: any(at > since for at, _, _ in self.proxy.answers),
                     timeout=CHECK_INTERVAL + 4, what=f"a post after {command}")
            expected = ("online", reckoner) if command == "input" else ("away", NOTHING)
            self.assertEqual(self.shown(), expected, command)
        self.stop_run(agent)
        self.assertEqual(self.shown(), ("offline", NOTHING))

    def test_a_player_that_goes_away_ends_the_listening(self):
        self.player.send("play Reckoner|Radiohead")
        agent = self.start_run("listening", **self.bus_env())
        self.posted(0, {"kind": "listening", "title": "Reckoner", "artist": "Radiohead",
                        "app": "Test Player"}, timeout=10)
        self.assertLess(self.posted(self.player.stop(), NOTHING), CHECK_INTERVAL + 1)
        self.stop_run(agent)


class OpenBox:
    """A real EWMH window manager on the display: it sets _NET_ACTIVE_WINDOW."""

    def __init__(self, display, log_dir):
        # HOME is shared, so that the font cache built at its first start serves every test.
        self.env = {"PATH": os.environ["PATH"], "DISPLAY": display, "HOME": "/tmp"}
        self.log = log_dir / "openbox.log"
        self.proc = None
        try:
            # Its first start on a machine may build the font cache (slow on a loaded machine);
            # one that ends at once (its words are in the log) is started again, twice at most.
            for _ in range(3):
                self.start()
                try:
                    wait_for(self.ready, timeout=90, what="openbox")
                    return
                except TimeoutError:
                    if self.proc.poll() is None:
                        raise AssertionError("openbox did not start: " + self.log.read_text())
            raise AssertionError("openbox ended each time: " + self.log.read_text())
        except BaseException:
            self.stop()
            raise

    def start(self):
        with open(self.log, "a") as log:
            self.proc = subprocess.Popen(["openbox", "--sm-disable"], env=self.env,
                                         stdout=log, stderr=log)

    def ready(self):
        if self.proc.poll() is not None:
            raise TimeoutError("openbox ended")
        return "window id" in subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"],
                                             env=self.env, capture_output=True,
                                             text=True).stdout

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


class Window:
    def __init__(self, env, instance, klass, title):
        self.proc = subprocess.Popen(["/usr/bin/python3", str(X11_WINDOW), instance, klass, title],
                                     env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True)
        self.id = self.proc.stdout.readline().strip()
        if not self.id:
            raise AssertionError("the X11 window did not start")
        self.env = env

    def activate(self):
        subprocess.run(["xdotool", "windowactivate", "--sync", self.id], env=self.env, check=True,
                       timeout=10)
        return time.monotonic()

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


class Coding(ActivityCase):
    def setUp(self):
        super().setUp()
        self.xvfb = Xvfb()
        self.addCleanup(self.xvfb.stop)
        self.wm = OpenBox(self.xvfb.display, self.temp_dir("heartbeat-openbox-"))
        self.addCleanup(self.wm.stop)
        self.code = self.window("code", "Code", "secret-plan.txt - Visual Studio Code")
        self.browser = self.window("Navigator", "firefox", "bank-statement.pdf - Mozilla Firefox")

    def window(self, *names):
        window = Window(self.wm.env, *names)
        self.addCleanup(window.stop)
        return window

    def x11_env(self):
        return {"DISPLAY": self.xvfb.display, "XDG_SESSION_TYPE": "x11"}

    def test_coding_appears_with_the_editor_in_front_and_goes_with_the_browser(self):
        self.code.activate()
        out = self.activity("--share", "coding", **self.x11_env())
        print(f"\n  openbox under Xvfb: {out.strip()}", end="")
        self.assertIn('coding source=x11 frontmost="code" "Code" in coding_apps as '
                      '"Visual Studio Code"', out)
        self.assertIn('share: {"kind":"coding","app":"Visual Studio Code"}', out)
        self.browser.activate()
        out = self.activity("--share", "coding", **self.x11_env())
        self.assertIn('frontmost="Navigator" "firefox" not in coding_apps', out)
        self.assertIn("share: nothing", out)
        # A list of one's own replaces the default one.
        out = self.activity("--share", "coding", "--coding-apps", "The Browser|firefox",
                            **self.x11_env())
        self.assertIn('share: {"kind":"coding","app":"The Browser"}', out)
        self.assertNotIn("bank-statement", out)

        agent = self.start_run("coding", **self.x11_env())
        self.posted(0, NOTHING, timeout=10)
        took = {"editor": self.posted(self.code.activate(),
                                      {"kind": "coding", "app": "Visual Studio Code"}),
                "browser": self.posted(self.browser.activate(), NOTHING)}
        took["editor again"] = self.posted(self.code.activate(),
                                           {"kind": "coding", "app": "Visual Studio Code"})
        self.assertEqual(self.shown(), ("online", {"kind": "coding", "app": "Visual Studio Code"}))
        for what, seconds in took.items():
            self.assertLess(seconds, CHECK_INTERVAL + 1, f"{what}: {took}")
        log = self.stop_run(agent)
        # Never a window's title: no file name reaches the server or the log.
        sent = json.dumps([body for _, body, _ in self.proxy.posts])
        for secret in ("secret-plan", "bank-statement"):
            self.assertNotIn(secret, sent + log)
        print(f"\n  X11: post after the change, s: " +
              ", ".join(f"{k} {v:.2f}" for k, v in took.items()), end="")

    def test_the_x_server_going_away_ends_the_idle_time_and_the_coding_not_the_agent(self):
        """Both X connections (the idle time, the frontmost window) lose their server, as when
        the owner logs out of X: Xlib would end the agent without a last post."""
        coding = {"kind": "coding", "app": "Visual Studio Code"}
        self.code.activate()
        agent = self.start_run("coding", idle_source="x11", **self.x11_env())
        self.posted(0, coding, timeout=10)

        def states_after(since):
            return [(body["state"], body.get("activity")) for at, body, status in list(self.proxy.posts)
                    if at > since and status == 200]

        gone = time.monotonic()
        self.xvfb.stop()  # openbox and the windows end with it
        wait_for(lambda: states_after(gone) or agent.poll() is not None, timeout=CHECK_INTERVAL + 4,
                 what="a post after X went")
        self.assertIsNone(agent.poll(), self.log.read_text())
        took = {"gone": next(at for at, _, _ in self.proxy.posts if at > gone) - gone}
        time.sleep(3 * CHECK_INTERVAL + 0.5)  # three more checks without a server
        self.assertIsNone(agent.poll(), self.log.read_text())
        self.assertEqual(states_after(gone), [("idle", NOTHING)])
        self.assertEqual(self.shown(), ("away", NOTHING))

        # A new X server on the same display, as when the owner logs in again: followed at the
        # next checks, with no restart of the agent.
        self.xvfb = Xvfb(self.xvfb.display)
        self.addCleanup(self.xvfb.stop)
        self.wm = OpenBox(self.xvfb.display, self.temp_dir("heartbeat-openbox-"))
        self.addCleanup(self.wm.stop)
        took["back"] = self.posted(self.window("code", "Code", "notes.txt").activate(), coding)
        self.assertEqual(self.shown(), ("online", coding))
        log = self.stop_run(agent)
        self.assertEqual(log.count("idle: warning: x11: the X server went away; reporting idle"), 1, log)
        self.assertIn("activity: warning: x11: the X server went away; not shared", log)
        self.assertNotIn("XIO", log)
        print(f"\n  X11 gone and back: post after the change, s: " +
              ", ".join(f"{k} {v:.2f}" for k, v in took.items()), end="")

    def test_a_wayland_session_says_so_and_reports_nothing(self):
        self.code.activate()
        out = self.activity("--share", "coding", WAYLAND_DISPLAY="wayland-0", **self.x11_env())
        self.assertIn("coding source=x11 error=a Wayland session: the active window is not "
                      "visible to X11 clients, so coding is not reported", out)
        self.assertIn("share: nothing", out)


OSASCRIPT = """#!/bin/sh
# A stand-in for macOS's osascript: records what it was asked, answers from files.
printf '%s\\n' "$*" >> "$STAND_IN/asked"
env | grep -c '^HEARTBEAT_TOKEN=' >> "$STAND_IN/token-seen"
case "$*" in
  *'is running, application'*) cat "$STAND_IN/running" ;;
  *'tell application "Spotify"'*) cat "$STAND_IN/spotify" ;;
  *) echo "the stand-in was asked something else" >&2; exit 1 ;;
esac
"""


class AppleScript(ActivityCase):
    """The macOS listening source, run here: the same code, a stand-in osascript on PATH."""

    def setUp(self):
        super().setUp()
        self.stand_in = self.temp_dir("heartbeat-osascript-")
        (self.stand_in / "osascript").write_text(OSASCRIPT)
        os.chmod(self.stand_in / "osascript", 0o755)

    def ask(self, running, spotify=""):
        (self.stand_in / "running").write_text(running + "\n")
        (self.stand_in / "spotify").write_text(spotify + "\n")
        (self.stand_in / "asked").write_text("")
        out = self.activity("--share", "listening", "--listening-source", "osascript",
                            STAND_IN=str(self.stand_in), HEARTBEAT_TOKEN=self.stack.token,
                            PATH=f"{self.stand_in}:{os.environ['PATH']}")
        return out, (self.stand_in / "asked").read_text().splitlines()

    def test_spotify_is_asked_only_while_it_runs_and_its_track_is_shared(self):
        out, asked = self.ask("false, false")
        self.assertIn("listening source=osascript playing=nothing", out)
        self.assertEqual(asked, ['-e {application "Spotify" is running, application "Music" '
                                 'is running}'])
        out, asked = self.ask("true, false", "playing\x1fReckoner\x1fRadiohead")
        print(f"\n  osascript stand-in: {out.strip()}", end="")
        self.assertIn('listening source=osascript playing="Reckoner" artist="Radiohead" '
                      'app="Spotify"', out)
        self.assertIn('share: {"kind":"listening","title":"Reckoner","artist":"Radiohead",'
                      '"app":"Spotify"}', out)
        self.assertEqual(len(asked), 2)
        # Asked again inside, so that a Spotify that quit meanwhile is not launched by the tell.
        self.assertTrue(asked[1].startswith('-e if application "Spotify" is running then -e tell '
                                            'application "Spotify"'), asked[1])
        self.assertNotIn('"Music"', asked[1])
        out, _ = self.ask("true, false", "stopped")
        self.assertIn("playing=nothing", out)
        # An answer that is not a track (a refused Automation prompt prints an error).
        out, _ = self.ask("true, false", "execution error: Not authorized (-1743)")
        self.assertIn("listening source=osascript error=osascript: Spotify answered", out)
        self.assertIn("share: nothing", out)
        # The token never reaches a program the agent runs.
        seen = (self.stand_in / "token-seen").read_text().split()
        self.assertEqual(set(seen), {"0"})


class Call(ActivityCase):
    def test_a_running_capture_substream_is_a_call(self):
        self.microphone("closed\n")
        out = self.activity("--share", "call")
        self.assertIn("call source=alsa microphone=not in use", out)
        self.microphone("state: RUNNING\nowner_pid   : 42\n")
        out = self.activity("--share", "call")
        self.assertIn("call source=alsa microphone=in use", out)
        self.assertIn('share: {"kind":"call"}', out)


if __name__ == "__main__":
    unittest.main()
