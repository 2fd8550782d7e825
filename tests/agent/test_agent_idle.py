"""The idle sources of a Wayland desktop, on real buses: a private dbus-daemon as the session
bus, GNOME's and KDE's idle services played by tests/agent/fake_desktop.py, the agent's posts
through a recording proxy to the real server (nginx and both programs); and for wlroots, the
README's swayidle lines under a headless sway."""
import os
import queue
import re
import shutil
import signal
import subprocess
import threading
import time
import unittest

from harness import ROOT
from harness.agent_case import AGENT, AgentCase
from harness.processes import wait_for
from harness.stack_case import temp_dir
from tests.agent.test_agent_sleep import PrivateBus, RecordingProxy

FAKE_DESKTOP = ROOT / "tests" / "agent" / "fake_desktop.py"
CHECK_INTERVAL = 1


def posted_after(proxy, since, state, timeout=5):
    """Seconds from `since` to the server's answer to the first post of `state` after it."""
    def first():
        return next((at for at, s, status in list(proxy.answers)
                     if at > since and s == state and status == 200), None)
    wait_for(lambda: first() is not None, timeout=timeout, what=f"a post of {state}")
    return first() - since


class FakeDesktop:
    """The stand-in: `send` waits until it has done the command."""

    def __init__(self, address, kind):
        self.proc = subprocess.Popen(["/usr/bin/python3", str(FAKE_DESKTOP), address, kind],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self._expect("ready")

    def _read(self):
        for line in self.proc.stdout:
            self.lines.put(line.strip())

    def _expect(self, wanted):
        try:
            line = self.lines.get(timeout=10)
        except queue.Empty:
            raise AssertionError(f"the fake desktop did not say '{wanted}'") from None
        if line != wanted:
            raise AssertionError(f"the fake desktop said '{line}', not '{wanted}'")

    def send(self, command):
        self.proc.stdin.write(command + "\n")
        self.proc.stdin.flush()
        self._expect(f"ok {command}")
        return time.monotonic()

    def stop(self):
        """Ends it: its names leave the bus."""
        if self.proc.poll() is None:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        self.proc.stdout.close()
        return time.monotonic()


class Xvfb:
    """A real X display, so that choosing x11 would work: only the choice logic keeps it out."""

    def __init__(self, display=None):
        # -displayfd: Xvfb writes there the display number it took (a free one unless told),
        # once it accepts clients.
        read_end, write_end = os.pipe()
        told = [display] if display else []
        self.proc = subprocess.Popen(["Xvfb", *told, "-displayfd", str(write_end), "-nolisten",
                                      "tcp", "-screen", "0", "640x480x24"], pass_fds=(write_end,),
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(write_end)
        with os.fdopen(read_end) as numbers:
            number = numbers.readline().strip()
        if not number:
            raise AssertionError("Xvfb did not start")
        self.display = f":{number}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class DesktopBus:
    """A private session bus per test, and stand-ins on it."""

    def start_bus(self):
        self.bus = PrivateBus(temp_dir(self, "heartbeat-idle-bus-"), session=True)
        self.addCleanup(self.bus.stop)

    def desktop(self, kind):
        desktop = FakeDesktop(self.bus.address, kind)
        self.addCleanup(desktop.stop)
        return desktop

    def session_env(self, **extra):
        """A Wayland session as GNOME and KDE start it: DISPLAY is set too (XWayland)."""
        env = {"PATH": os.environ["PATH"], "DBUS_SESSION_BUS_ADDRESS": self.bus.address,
               "XDG_SESSION_TYPE": "wayland", "DISPLAY": self.xvfb.display}
        env.update(extra)
        return {k: v for k, v in env.items() if v is not None}


class Choice(DesktopBus, unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.xvfb = Xvfb()

    @classmethod
    def tearDownClass(cls):
        cls.xvfb.stop()

    def setUp(self):
        self.start_bus()

    def idle(self, *args, expect_rc=0, **env):
        proc = subprocess.run([str(AGENT), "idle", *args], capture_output=True, text=True,
                              timeout=30, env={"HOME": "/nonexistent", **self.session_env(**env)})
        self.assertEqual(proc.returncode, expect_rc, proc.stdout + proc.stderr)
        if expect_rc == 2:
            return proc, {}
        fields = dict(re.findall(r"(\w+)=(\S+)", proc.stdout.splitlines()[0]))
        fields["why"] = proc.stdout.splitlines()[1]
        return proc, fields

    def test_gnome_under_wayland_with_display_set_follows_mutter_and_the_lock(self):
        desktop = self.desktop("gnome")
        desktop.send("idle 42")
        proc, seen = self.idle()
        print(f"\n  GNOME stand-in: {proc.stdout.strip()}", end="")
        self.assertEqual(seen["source"], "gnome")
        self.assertIn("why: a Wayland session (XDG_SESSION_TYPE=wayland), and "
                      "org.gnome.Mutter.IdleMonitor answered on the session bus (GNOME)",
                      seen["why"])
        self.assertGreaterEqual(float(seen["idle_seconds"]), 42)
        self.assertLess(float(seen["idle_seconds"]), 44)
        self.assertEqual((seen["locked"], seen["state"]), ("no", "active"))
        self.assertEqual(proc.stderr, "")  # no warning
        desktop.send("lock")
        _, seen = self.idle()
        self.assertEqual((seen["locked"], seen["state"]), ("yes", "idle"))
        desktop.send("unlock")
        desktop.send("idle 301")
        _, seen = self.idle()
        self.assertEqual((seen["locked"], seen["state"]), ("no", "idle"))
        desktop.send("input")
        _, seen = self.idle()
        self.assertLess(float(seen["idle_seconds"]), 1)
        self.assertEqual(seen["state"], "active")

    def test_kde_under_wayland_uses_org_freedesktop_screensaver(self):
        desktop = self.desktop("kde")
        desktop.send("idle 7.5")
        proc, seen = self.idle()
        print(f"\n  KDE stand-in: {proc.stdout.strip()}", end="")
        self.assertEqual(seen["source"], "freedesktop")
        self.assertIn("org.freedesktop.ScreenSaver answered on the session bus (KDE and others)",
                      seen["why"])
        self.assertIn("gnome: org.gnome.Mutter.IdleMonitor GetIdletime: ", proc.stdout)
        self.assertGreaterEqual(float(seen["idle_seconds"]), 7.5)
        self.assertLess(float(seen["idle_seconds"]), 9.5)
        desktop.send("lock")
        _, seen = self.idle()
        self.assertEqual((seen["locked"], seen["state"]), ("yes", "idle"))

    def test_gnome_comes_before_org_freedesktop_screensaver(self):
        self.desktop("kde")
        self.desktop("gnome")
        _, seen = self.idle()
        self.assertEqual(seen["source"], "gnome")

    def test_wayland_display_alone_marks_a_wayland_session(self):
        self.desktop("gnome")
        _, seen = self.idle(XDG_SESSION_TYPE=None, WAYLAND_DISPLAY="wayland-0")
        self.assertEqual(seen["source"], "gnome")
        self.assertIn("(WAYLAND_DISPLAY=wayland-0)", seen["why"])

    def test_kde_on_wayland_gives_no_idle_time_so_logind_with_a_warning_or_a_usage_error(self):
        self.desktop("kde-wayland")
        proc, seen = self.idle(expect_rc=4, XDG_SESSION_ID="7",  # and no system bus
                               DBUS_SYSTEM_BUS_ADDRESS="unix:path=/nonexistent/bus")
        print(f"\n  KDE-on-Wayland stand-in: {proc.stdout.strip()}", end="")
        self.assertEqual(seen["source"], "logind")
        self.assertEqual(seen["state"], "idle")
        self.assertIn("GetSessionIdleTime is not supported on this platform", seen["why"])
        self.assertIn("idle: warning: no desktop idle time in this Wayland session", proc.stderr)
        self.assertIn("set idle_command (agent/README.md", proc.stderr)
        proc, _ = self.idle(expect_rc=2)
        self.assertIn("and no $XDG_SESSION_ID for logind: set idle_command", proc.stderr)
        self.assertIn("org.freedesktop.ScreenSaver GetSessionIdleTime: GetSessionIdleTime is not "
                      "supported", proc.stderr)
        self.assertEqual(proc.stdout, "")

    def test_an_x11_session_keeps_x11_even_with_gnome_on_the_bus(self):
        self.desktop("gnome").send("idle 500")
        subprocess.run(["xdotool", "mousemove", "5", "5"], env={"DISPLAY": self.xvfb.display},
                       check=True)
        proc, seen = self.idle(XDG_SESSION_TYPE="x11")
        self.assertEqual(seen["source"], "x11")
        self.assertIn(f"why: DISPLAY={self.xvfb.display} in a session that is not Wayland "
                      "(XDG_SESSION_TYPE=x11)", seen["why"])
        self.assertLess(float(seen["idle_seconds"]), 60)  # Xvfb's own count, not the stand-in's

    def test_an_error_from_the_bus_is_printed_without_its_control_characters(self):
        self.desktop("gnome").send("fail")
        proc, seen = self.idle("--idle-source", "gnome", expect_rc=4)
        self.assertIn("error=org.gnome.Mutter.IdleMonitor GetIdletime: idle monitor ?[31mbroken?"
                      "forged line state=idle", proc.stdout)
        self.assertNotIn("\x1b", proc.stdout + proc.stderr)

    def test_named_sources_and_their_failures(self):
        self.desktop("kde")
        _, seen = self.idle("--idle-source", "freedesktop")
        self.assertEqual(seen["source"], "freedesktop")
        self.assertEqual(seen["why"], "why: idle_source = freedesktop (flag or config)")
        proc, seen = self.idle("--idle-source", "gnome", expect_rc=4)
        self.assertEqual(seen["state"], "idle")
        self.assertIn("error=org.gnome.Mutter.IdleMonitor", proc.stdout)
        proc, _ = self.idle("--idle-source", "x11")
        self.assertIn("warning: x11 in a Wayland session", proc.stderr)


class Run(DesktopBus, AgentCase):
    """`run` under each stand-in, against the real server: the posts follow the desktop."""

    def setUp(self):
        super().setUp()
        self.xvfb = Xvfb()
        self.addCleanup(self.xvfb.stop)
        self.start_bus()
        self.proxy = RecordingProxy(self.stack.port)
        self.addCleanup(self.proxy.stop)
        self.stack.post_heartbeat({"device": "test-mac", "state": "offline"})

    def start_run(self, threshold):
        self.log = self.home / "agent.log"
        with open(self.log, "w") as log:
            proc = subprocess.Popen(
                [str(AGENT), "run", "--check-interval", str(CHECK_INTERVAL), "--idle-threshold",
                 str(threshold), "--url", self.proxy.url],
                env={**self.env(), **self.session_env()}, stderr=log, stdout=subprocess.DEVNULL)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc

    def posted_after(self, since, state, timeout=5):
        return posted_after(self.proxy, since, state, timeout)

    def follow(self, kind):
        desktop = self.desktop(kind)
        agent = self.start_run(threshold=3)
        took = {}
        self.posted_after(0, "active", timeout=10)
        self.assertEqual(self.state(), "online")

        # The idle time moves by itself: "idle" once it passes the threshold, not before.
        start = desktop.send("input")
        took["threshold"] = self.posted_after(start, "idle", timeout=8)
        self.assertGreaterEqual(took["threshold"], 3 - 0.1)
        self.assertLess(took["threshold"], 3 + CHECK_INTERVAL + 1)
        self.assertEqual(self.state(), "away")
        # Input while locked changes nothing; the unlock then brings "active" back (the
        # input keeps the idle time under the threshold whatever the timing).
        for commands, state, shown in ((["input"], "active", "online"), (["lock"], "idle", "away"),
                                       (["input", "unlock"], "active", "online"),
                                       (["idle 600"], "idle", "away"), (["input"], "active", "online")):
            for command in commands:
                at = desktop.send(command)
            took[command] = self.posted_after(at, state)
            self.assertLess(took[command], CHECK_INTERVAL + 1, f"{command}: {took}")
            self.assertEqual(self.state(), shown, command)

        # The service goes away while the owner is active: one warning, "idle", never "active".
        gone = desktop.stop()
        took["gone"] = self.posted_after(gone, "idle")
        self.assertLess(took["gone"], CHECK_INTERVAL + 1)
        time.sleep(3 * CHECK_INTERVAL + 0.5)  # three more checks without the service
        self.assertEqual([s for at, s, _ in self.proxy.answers if at > gone], ["idle"])
        self.assertEqual(self.state(), "away")
        # Back again (the desktop restarted): followed at the next check, no restart needed.
        back = self.desktop(kind).send("input")
        took["back"] = self.posted_after(back, "active")
        self.assertLess(took["back"], CHECK_INTERVAL + 1)
        agent.send_signal(signal.SIGTERM)
        self.assertEqual(agent.wait(timeout=10), 0)
        log = self.log.read_text()
        self.assertEqual(log.count("idle: warning:"), 1, log)  # once, however many checks
        self.assertRegex(log, rf"idle: warning: {'gnome' if kind == 'gnome' else 'freedesktop'}: "
                              r".*; reporting idle")
        self.assertIn(f"started: idle source {'gnome' if kind == 'gnome' else 'freedesktop'}", log)
        self.assertNotIn(self.stack.token, log)
        print(f"\n  {kind}: post after the change, s: " +
              ", ".join(f"{k} {v:.2f}" for k, v in took.items()), end="")

    def test_posts_follow_the_gnome_stand_in(self):
        self.follow("gnome")

    def test_posts_follow_the_kde_stand_in(self):
        self.follow("kde")


class LogindUnderWayland(DesktopBus, AgentCase):
    """KDE on Wayland gives no idle time on the bus: auto falls to logind, played on a second
    private bus as the system bus, the desktop setting IdleHint 2 s after the last input."""

    def setUp(self):
        super().setUp()
        self.xvfb = Xvfb()
        self.addCleanup(self.xvfb.stop)
        self.start_bus()
        self.desktop("kde-wayland")
        self.system_bus = PrivateBus(temp_dir(self, "heartbeat-idle-system-bus-"))
        self.addCleanup(self.system_bus.stop)
        self.logind = FakeDesktop(self.system_bus.address, "logind")
        self.addCleanup(self.logind.stop)
        self.proxy = RecordingProxy(self.stack.port)
        self.addCleanup(self.proxy.stop)

    def logind_env(self):
        return {**self.env(), **self.session_env(XDG_SESSION_ID="7",
                                                 DBUS_SYSTEM_BUS_ADDRESS=self.system_bus.address)}

    def idle(self):
        proc = subprocess.run([str(AGENT), "idle"], capture_output=True, text=True, timeout=30,
                              env=self.logind_env())
        self.assertEqual(proc.returncode, 0, proc.stdout + proc.stderr)
        return proc, dict(re.findall(r"(\w+)=(\S+)", proc.stdout.splitlines()[0]))

    def test_idle_follows_idle_hint_idle_since_hint_and_locked_hint(self):
        self.logind.send("idle 32")  # IdleHint set 2 s after that input: idle for 30 s
        proc, seen = self.idle()
        print(f"\n  KDE-on-Wayland and logind stand-ins: {proc.stdout.strip()}", end="")
        self.assertEqual(seen["source"], "logind")
        self.assertIn("idle: warning: no desktop idle time in this Wayland session", proc.stderr)
        self.assertGreaterEqual(float(seen["idle_seconds"]), 30)
        self.assertLess(float(seen["idle_seconds"]), 31.5)
        self.logind.send("lock")
        _, seen = self.idle()
        self.assertEqual((seen["locked"], seen["state"]), ("yes", "idle"))
        self.logind.send("unlock")
        self.logind.send("input")
        _, seen = self.idle()
        self.assertEqual((seen["idle_seconds"], seen["locked"], seen["state"]),
                         ("0.000", "no", "active"))

    def test_run_follows_the_hints_and_a_logind_that_goes_away(self):
        log = self.home / "agent.log"
        with open(log, "w") as out:
            agent = subprocess.Popen(
                [str(AGENT), "run", "--check-interval", str(CHECK_INTERVAL), "--idle-threshold",
                 "3", "--url", self.proxy.url], env=self.logind_env(), stderr=out)
        self.addCleanup(lambda: agent.poll() is None and agent.kill())
        took = {}
        start = self.logind.send("input")
        posted_after(self.proxy, 0, "active", timeout=10)
        # IdleHint after 2 s, then 3 s of idle time past IdleSinceHint.
        took["threshold"] = posted_after(self.proxy, start, "idle", timeout=10)
        self.assertGreaterEqual(took["threshold"], 2 + 3 - 0.1)
        self.assertLess(took["threshold"], 2 + 3 + CHECK_INTERVAL + 1)
        for commands, state in ((["input"], "active"), (["lock"], "idle"),
                                (["input", "unlock"], "active")):
            for command in commands:
                at = self.logind.send(command)
            took[command] = posted_after(self.proxy, at, state)
            self.assertLess(took[command], CHECK_INTERVAL + 1, f"{command}: {took}")
        gone = self.logind.stop()
        took["gone"] = posted_after(self.proxy, gone, "idle")
        self.assertLess(took["gone"], CHECK_INTERVAL + 1)
        time.sleep(3 * CHECK_INTERVAL + 0.5)
        self.assertEqual([s for at, s, _ in self.proxy.answers if at > gone], ["idle"])
        self.logind = FakeDesktop(self.system_bus.address, "logind")  # logind restarted
        self.addCleanup(self.logind.stop)
        back = self.logind.send("input")
        took["back"] = posted_after(self.proxy, back, "active")
        agent.send_signal(signal.SIGTERM)
        self.assertEqual(agent.wait(timeout=10), 0)
        text = log.read_text()
        self.assertIn("started: idle source logind", text)
        self.assertEqual(text.count("idle: warning: logind: "), 1, text)  # once, however many checks
        self.assertNotIn(self.stack.token, text)
        print(f"\n  logind: post after the change, s: " +
              ", ".join(f"{k} {v:.2f}" for k, v in took.items()), end="")


NOBODY = 65534  # sway refuses to run as root: as root, the compositor and its clients run as nobody


def readme_block(language, containing):
    """The fenced block of agent/README.md in `language` that contains `containing`."""
    text = (ROOT / "agent" / "README.md").read_text()
    for block in re.findall(rf"```{language}\n(.*?)```", text, re.S):
        if containing in block:
            return block.strip()
    raise AssertionError(f"no ```{language} block with {containing!r} in agent/README.md")


class Wlroots(AgentCase):
    """sway (wlroots) headless, swayidle and wtype's virtual keyboard as the owner's input:
    the README's swayidle line and idle_command, with swayidle's timeout 60 made 2."""

    def setUp(self):
        super().setUp()
        self.runtime = self.temp_dir("heartbeat-sway-")
        if os.geteuid() == 0:
            os.chown(self.runtime, NOBODY, NOBODY)
        (self.runtime / "config").write_text("output HEADLESS-1 resolution 640x480\n")
        self.sway = self.as_nobody(["sway", "-c", str(self.runtime / "config")],
                                   WLR_BACKENDS="headless", WLR_LIBINPUT_NO_DEVICES="1",
                                   WLR_RENDERER="pixman")
        wait_for(lambda: self.sockets(), timeout=10, what="sway's Wayland socket")
        self.wayland_display = self.sockets()[0]
        swayidle = readme_block("sh", "swayidle").replace("timeout 60", "timeout 2")
        self.swayidle = self.as_nobody(["sh", "-c", "exec " + swayidle])
        self.proxy = RecordingProxy(self.stack.port)
        self.addCleanup(self.proxy.stop)

    def sockets(self):
        return sorted(p.name for p in self.runtime.glob("wayland-*") if p.suffix != ".lock")

    def as_nobody(self, argv, **extra):
        env = {"PATH": "/usr/bin:/bin", "HOME": str(self.runtime),
               "XDG_RUNTIME_DIR": str(self.runtime), **extra}
        if hasattr(self, "wayland_display"):
            env["WAYLAND_DISPLAY"] = self.wayland_display
        if os.geteuid() == 0:
            argv = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *argv]
        proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

        def stop():
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=10)
        self.addCleanup(stop)
        return proc

    def type_a_key(self):
        typed = self.as_nobody(["wtype", "a"])
        self.assertEqual(typed.wait(timeout=10), 0)
        return time.monotonic()

    def posted_after(self, since, state, timeout=8):
        return posted_after(self.proxy, since, state, timeout)

    def test_the_readme_swayidle_line_and_idle_command_follow_input_and_the_lock(self):
        line = readme_block("ini", "idle_command = f=")
        command = line.split("=", 1)[1].strip().replace("+ 60", "+ 2")
        self.type_a_key()
        idle = subprocess.run([str(AGENT), "idle", "--idle-command", command], capture_output=True,
                              text=True, timeout=30, env=self.env(
                                  XDG_RUNTIME_DIR=str(self.runtime), XDG_SESSION_TYPE="wayland",
                                  WAYLAND_DISPLAY=self.wayland_display))
        self.assertEqual(idle.returncode, 0, idle.stdout + idle.stderr)
        print(f"\n  sway + swayidle: {idle.stdout.strip()}", end="")
        self.assertIn("source=command idle_seconds=0.000 locked=no state=active", idle.stdout)
        log = open(self.home / "agent.log", "w")
        self.addCleanup(log.close)
        # In agent.conf, as the README has it: the config syntax keeps the line as it is.
        self.write_agent_conf(url=self.proxy.url, idle_command=command, idle_threshold=4)
        agent = subprocess.Popen(
            [str(AGENT), "run", "--check-interval", str(CHECK_INTERVAL)],
            env=self.env(XDG_RUNTIME_DIR=str(self.runtime), XDG_SESSION_TYPE="wayland",
                         WAYLAND_DISPLAY=self.wayland_display), stderr=log)
        self.addCleanup(lambda: agent.poll() is None and agent.kill())
        took = {}
        start = self.type_a_key()
        self.posted_after(start - 1, "active", timeout=10)
        start = self.type_a_key()
        took["threshold"] = self.posted_after(start, "idle")  # swayidle's 2 s, then 2 s more
        # The command counts whole seconds (date +%s, stat's %Y): up to 1 s early.
        self.assertGreaterEqual(took["threshold"], 4 - 1 - 0.1)
        self.assertLess(took["threshold"], 4 + CHECK_INTERVAL + 1)
        typed = self.type_a_key()
        took["key"] = self.posted_after(typed, "active")
        self.assertLess(took["key"], CHECK_INTERVAL + 1)
        # A screen locker running (a stand-in by swaylock's name: none can lock a headless sway
        # as root here): "idle" while it runs.
        locker = self.runtime / "swaylock"
        shutil.copy("/bin/sleep", locker)
        lock = subprocess.Popen([str(locker), "60"])
        self.addCleanup(lambda: lock.poll() is None and lock.kill())
        took["lock"] = self.posted_after(time.monotonic(), "idle")
        self.assertLess(took["lock"], CHECK_INTERVAL + 1)
        self.assertEqual(self.state(), "away")
        lock.kill()
        lock.wait()
        self.type_a_key()
        took["unlock"] = self.posted_after(time.monotonic(), "active")
        self.assertLess(took["unlock"], CHECK_INTERVAL + 1)
        self.assertEqual(self.state(), "online")
        agent.send_signal(signal.SIGTERM)
        self.assertEqual(agent.wait(timeout=10), 0)
        self.assertNotIn("idle: warning", (self.home / "agent.log").read_text())
        print(f"\n  sway: post after the change, s: " +
              ", ".join(f"{k} {v:.2f}" for k, v in took.items()), end="")


if __name__ == "__main__":
    unittest.main()
