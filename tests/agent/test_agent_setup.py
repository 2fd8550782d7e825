"""`heartbeat-agent setup` on Linux against the real server (nginx + both programs).

Neither launchd nor a systemd user manager runs here, so `systemctl` and `launchctl` are
stand-ins on PATH that record their command lines and succeed; the tests check those lines
exactly, the files, their modes, the proving post and that a second run changes only what
differs. The terminal case runs under a real pseudo-terminal."""
import os
import plistlib
import pty
import select
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from harness.agent_case import AGENT
from harness.processes import wait_for
from harness.stack_case import StackTestCase


UNIT = "heartbeat-agent.service"
# setup refuses to run as root unless asked; these tests may run as root.
AS_ROOT = ["--allow-root"] if os.geteuid() == 0 else []


class SetupCase(StackTestCase):
    def setUp(self):
        self.home = self.temp_dir("heartbeat-setup-")
        self.bin = self.home / "fake-bin"
        self.bin.mkdir()
        self.record = self.home / "service-manager-calls"
        for tool in ("systemctl", "launchctl"):
            script = self.bin / tool
            script.write_text(f'#!/bin/sh\necho "{tool} $*" >> "{self.record}"\n')
            script.chmod(0o755)
        self.conf = self.home / ".config" / "heartbeat" / "agent.conf"
        self.token_file = self.home / ".config" / "heartbeat" / "token"
        self.unit = self.home / ".config" / "systemd" / "user" / UNIT
        self.installed = self.home / ".local" / "bin" / "heartbeat-agent"
        self.stack.post_heartbeat({"device": "setup-box", "state": "offline"})

    def setup(self, answers, *flags):
        if self.record.exists():
            self.record.unlink()
        env = {"HOME": str(self.home), "PATH": f"{self.bin}:{os.environ['PATH']}", "HOSTNAME": "x"}
        proc = subprocess.run([str(AGENT), "setup", *AS_ROOT, *flags], input=answers, env=env,
                              capture_output=True, text=True, timeout=60)
        self.assertNotIn(self.stack.token, proc.stdout + proc.stderr)
        proc.calls = self.record.read_text().splitlines() if self.record.exists() else []
        return proc

    def setup_with(self, answers, flags, extra_env):
        """setup with bytes the text mode of `setup` cannot carry (a newline in an argument)."""
        if self.record.exists():
            self.record.unlink()
        env = {"HOME": str(self.home), "PATH": f"{self.bin}:{os.environ['PATH']}", **extra_env}
        proc = subprocess.run([str(AGENT), "setup", *AS_ROOT, *flags], input=answers, env=env,
                              capture_output=True, text=True, timeout=60)
        proc.calls = self.record.read_text().splitlines() if self.record.exists() else []
        return proc

    def answers(self, url=None, token=None):
        return f"{url or self.stack.heartbeat_url}\n{token or self.stack.token}\n"

    def state(self):
        return self.stack.status()[2]["state"]

    def mode(self, path):
        return os.stat(path).st_mode & 0o7777

    def fingerprint(self, *paths):
        return {p: (os.stat(p).st_ino, os.stat(p).st_mtime_ns, os.stat(p).st_mode) for p in paths}


class Systemd(SetupCase):
    def test_writes_the_files_proves_them_and_enables_the_user_unit(self):
        proc = self.setup(self.answers())
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.mode(self.conf), 0o600)
        self.assertEqual(self.mode(self.token_file), 0o600)
        self.assertEqual(self.mode(self.conf.parent), 0o700)
        self.assertEqual(self.token_file.read_text(), self.stack.token + "\n")
        self.assertEqual(self.conf.read_text(),
                         f"url = {self.stack.heartbeat_url}\ntoken_file = {self.token_file}\n")
        self.assertIn("the server took a heartbeat", proc.stderr)
        self.assertEqual(self.installed.read_bytes(), AGENT.read_bytes())
        self.assertEqual(self.mode(self.installed), 0o755)
        self.assertEqual(proc.calls, ["systemctl --user daemon-reload",
                                      f"systemctl --user enable --now {UNIT}"])
        # The unit's command, run as systemd would run it, keeps the owner online.
        unit = self.unit.read_text()
        exec_start = next(l for l in unit.splitlines() if l.startswith("ExecStart="))
        command = shlex.split(exec_start[len("ExecStart="):])
        self.assertEqual(command, [str(self.installed), "run", "--config", str(self.conf)])
        self.stack.post_heartbeat({"device": os.uname().nodename.split(".")[0], "state": "offline"})
        agent = subprocess.Popen(command + ["--idle-source", "none"], env={"HOME": str(self.home), "PATH": "/usr/bin:/bin"},
                                 stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: self.state() == "online", timeout=10, what="online from the unit's command")
        finally:
            agent.send_signal(signal.SIGTERM)
            self.assertEqual(agent.wait(timeout=10), 0)

    def test_a_second_run_changes_only_what_differs(self):
        self.assertEqual(self.setup(self.answers()).returncode, 0)
        files = (self.conf, self.token_file, self.unit, self.installed)
        before = self.fingerprint(*files)
        for answers in (self.answers(), "\n\n"):  # the same answers, or Enter to keep each
            with self.subTest(answers=answers.replace(self.stack.token, "TOKEN")):
                proc = self.setup(answers)
                self.assertEqual(proc.returncode, 0, proc.stderr)
                self.assertEqual(self.fingerprint(*files), before)  # not even rewritten
                self.assertEqual(proc.calls, [f"systemctl --user enable --now {UNIT}"])
        # A line of the owner's own stays; a new URL changes agent.conf alone, and restarts.
        with open(self.conf, "a") as conf:
            conf.write("idle_threshold = 600\n")
        other_url = self.stack.heartbeat_url.replace("127.0.0.1", "localhost")
        proc = self.setup(self.answers(url=other_url))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.conf.read_text(),
                         f"url = {other_url}\ntoken_file = {self.token_file}\nidle_threshold = 600\n")
        after = self.fingerprint(self.token_file, self.unit, self.installed)
        self.assertEqual(after, {p: before[p] for p in after})
        self.assertEqual(proc.calls, [f"systemctl --user enable --now {UNIT}",
                                      f"systemctl --user restart {UNIT}"])

    def test_no_install_stops_after_the_files_and_the_post(self):
        proc = self.setup(self.answers(), "--no-install")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.mode(self.token_file), 0o600)
        self.assertEqual(self.state(), "online")
        self.assertEqual(proc.calls, [])
        self.assertFalse(self.unit.exists())
        self.assertFalse(self.installed.exists())

    def test_wrong_token_and_wrong_url_are_said_and_nothing_is_installed(self):
        proc = self.setup(self.answers(token="not-the-token"))
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn("wrong token: the server refused it (HTTP 401", proc.stderr)
        self.assertNotIn("not-the-token", proc.stderr)
        proc = self.setup(self.answers(url=self.stack.base_url + "/cgi-bin/nothing.fcgi"))
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn("wrong URL: nothing there takes heartbeats (HTTP 404", proc.stderr)
        proc = self.setup(self.answers(url="http://evil.example/cgi-bin/heartbeat.fcgi"))
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("http:// only to localhost", proc.stderr)
        self.assertEqual(proc.calls, [])
        self.assertFalse(self.unit.exists())
        self.assertEqual(self.state(), "offline")


class Launchd(SetupCase):
    def test_the_launch_agent_plist_and_launchctl_bootstrap(self):
        proc = self.setup(self.answers(), "--service", "launchd")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        plist_path = self.home / "Library" / "LaunchAgents" / "local.heartbeat-agent.plist"
        plist = plistlib.loads(plist_path.read_bytes())
        self.assertEqual(plist["Label"], "local.heartbeat-agent")
        self.assertEqual(plist["ProgramArguments"], [str(self.installed), "run", "--config", str(self.conf)])
        self.assertTrue(plist["RunAtLoad"] and plist["KeepAlive"])
        self.assertEqual(plist["StandardErrorPath"], str(self.home / "Library/Logs/heartbeat-agent.log"))
        uid = os.getuid()
        self.assertEqual(proc.calls, [f"launchctl bootstrap gui/{uid} {plist_path}"])
        # Again: loaded (the stand-in says so) and up to date, so nothing else.
        proc = self.setup(self.answers(), "--service", "launchd")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.calls, [f"launchctl print gui/{uid}/local.heartbeat-agent"])


class Certificate(SetupCase):
    @classmethod
    def setUpClass(cls):
        cls.tls_dir = tempfile.mkdtemp(prefix="heartbeat-setup-tls-")
        cls.cert, key = f"{cls.tls_dir}/cert.pem", f"{cls.tls_dir}/key.pem"
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                        "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", key, "-out", cls.cert], check=True, capture_output=True)
        cls.stack_args = {"tls": (cls.cert, key)}
        super().setUpClass()

    @classmethod
    def tearDownClass(cls):
        super().tearDownClass()
        shutil.rmtree(cls.tls_dir, ignore_errors=True)

    def test_a_certificate_not_trusted_is_said_and_ca_file_fixes_it(self):
        url = f"https://127.0.0.1:{self.stack.tls_port}/cgi-bin/heartbeat.fcgi"
        proc = self.setup(self.answers(url=url), "--no-install")
        self.assertEqual(proc.returncode, 4, proc.stderr)
        self.assertIn("the server's certificate was not accepted", proc.stderr)
        self.assertIn("--ca-file", proc.stderr)
        proc = self.setup("\n\n", "--no-install", "--ca-file", self.cert)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn(f"ca_file = {self.cert}\n", self.conf.read_text())
        self.assertEqual(self.state(), "online")


class WrittenValues(SetupCase):
    def test_a_path_with_a_control_character_is_refused_before_anything_is_written(self):
        injected = "\nExecStartPre=/bin/touch /tmp/heartbeat-pwned\n"
        for flags, env in ((["--config", str(self.home / f"agent{injected}.conf")], {}),
                           ([], {"XDG_CONFIG_HOME": str(self.home / f"xdg{injected}")}),
                           (["--ca-file", f"/tmp/ca\x1b[2J.pem"], {})):
            with self.subTest(flags=flags, env=env):
                proc = self.setup_with(self.answers(), flags, env)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertIn("control character", proc.stderr)
                self.assertEqual(proc.calls, [])
                self.assertNotIn("\x1b", proc.stderr)
                written = [p for p in self.home.rglob("*") if p.is_file() and "fake-bin" not in p.parts]
                self.assertEqual([p for p in written if p.name != "service-manager-calls"], [])

    def test_a_url_with_a_control_character_is_refused(self):
        proc = self.setup(f"{self.stack.heartbeat_url}\x1b[2J\n{self.stack.token}\n")
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertFalse(self.conf.exists())

    def test_the_unit_and_the_plist_quote_every_value_for_their_files(self):
        odd = self.home / "a \"quoted\" $HOME %h & <b> 'x'"
        odd.mkdir()
        conf = odd / "agent.conf"
        proc = self.setup(self.answers(), "--config", str(conf))
        self.assertEqual(proc.returncode, 0, proc.stderr)
        unit = self.unit.read_text()
        exec_start = [line for line in unit.splitlines() if line.startswith("ExecStart=")]
        self.assertEqual(len(exec_start), 1, unit)
        self.assertIn('"' + str(conf).replace('"', '\\"').replace("$", "$$").replace("%", "%%") + '"',
                      exec_start[0])
        proc = self.setup("\n\n", "--config", str(conf), "--service", "launchd")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        plist = self.home / "Library" / "LaunchAgents" / "local.heartbeat-agent.plist"
        self.assertIn(str(conf), plistlib.loads(plist.read_bytes())["ProgramArguments"])

    def test_root_is_refused_unless_asked(self):
        # As root here, or as root of a user namespace of its own (unshare -r) otherwise.
        prefix = [] if os.geteuid() == 0 else ["unshare", "-r"]
        env = {"HOME": str(self.home), "PATH": f"{self.bin}:{os.environ['PATH']}"}
        proc = subprocess.run([*prefix, str(AGENT), "setup", "--no-install"], input=self.answers(),
                              env=env, capture_output=True, text=True, timeout=60)
        self.assertEqual(proc.returncode, 2, proc.stderr)
        self.assertIn("refusing to run as root", proc.stderr)
        self.assertIn("--allow-root", proc.stderr)
        self.assertFalse(self.conf.exists())
        proc = subprocess.run([*prefix, str(AGENT), "setup", "--no-install", "--allow-root"],
                              input=self.answers(), env=env, capture_output=True, text=True,
                              timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertTrue(self.conf.exists())


class Terminal(SetupCase):
    def test_the_token_is_not_echoed_on_a_terminal(self):
        master, slave = pty.openpty()
        env = {"HOME": str(self.home), "PATH": f"{self.bin}:{os.environ['PATH']}"}
        proc = subprocess.Popen([str(AGENT), "setup", *AS_ROOT, "--no-install"], stdin=slave, stdout=slave,
                                stderr=slave, env=env)
        os.close(slave)
        screen = b""

        def read_until(text, timeout=10):
            nonlocal screen
            deadline = time.monotonic() + timeout
            while text not in screen:
                left = deadline - time.monotonic()
                self.assertGreater(left, 0, f"{text!r} not on the terminal: {screen!r}")
                ready, _, _ = select.select([master], [], [], left)
                if ready:
                    try:
                        screen += os.read(master, 4096)
                    except OSError:  # the program has ended and the terminal is gone
                        break

        try:
            read_until(b"URL of heartbeat.fcgi")
            os.write(master, self.stack.heartbeat_url.encode() + b"\n")
            read_until(b"Token (")
            os.write(master, self.stack.token.encode() + b"\n")
            read_until(b"setup: done")
            self.assertEqual(proc.wait(timeout=30), 0, screen)
        finally:
            if proc.poll() is None:
                proc.kill()
            os.close(master)
        self.assertIn(self.stack.heartbeat_url.encode(), screen)  # the URL was echoed as typed
        self.assertNotIn(self.stack.token.encode(), screen)
        self.assertEqual(self.token_file.read_text(), self.stack.token + "\n")


if __name__ == "__main__":
    unittest.main()
