"""heartbeat-agent against the real server (nginx + both programs) over real HTTP(S)."""
import http.server
import os
import plistlib
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from harness import ROOT
from harness.local_stack import LocalStack
from harness.agent_case import AGENT, AgentCase
from harness.processes import free_port, wait_for


class Commands(AgentCase):
    def test_once_makes_status_online_and_offline_ends_it_at_once(self):
        proc = self.agent("once", "--idle-source", "none")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stderr, r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ heartbeat-agent: once: "
                                      r"active as test-mac sent \(HTTP 200\)\n$")
        self.assertEqual(self.state(), "online")
        proc = self.agent("offline")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.state(), "offline")

    def test_status_prints_the_public_answer(self):
        self.agent("once", "--idle-source", "none")
        proc = self.agent("status")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout.strip(), '{"isOnline":true,"state":"online"}')

    def test_wrong_token_exits_3_without_retrying(self):
        self.token_file.write_text("not-the-token\n")
        proc = self.agent("once", "--idle-source", "none")
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn("refused by the server (HTTP 401)", proc.stderr)
        self.assertNotIn("retrying", proc.stderr)
        self.assertNotIn("not-the-token", proc.stderr)

    def test_token_from_the_environment(self):
        (self.home / ".config" / "heartbeat" / "agent.conf").write_text(
            f"url = {self.stack.heartbeat_url}\ndevice = env-mac\n")
        proc = self.agent("once", "--idle-source", "none", HEARTBEAT_TOKEN=self.stack.token)
        self.assertEqual(proc.returncode, 0, proc.stderr)

    def test_usage_errors_exit_2(self):
        for args in (["dance"], ["once", "--interval", "5"], ["once", "--token", "x"]):
            proc = self.agent(*args)
            self.assertEqual(proc.returncode, 2, args)

    def test_idle_command_decides_active_idle_and_locked(self):
        for output, expected in (("3", "online"), ("301", "away"), ("1 locked", "away"),
                                 ("garbage", "away"), ("0.5", "online")):
            proc = self.agent("once", "--idle-command", f"echo {output}")
            self.assertEqual(proc.returncode, 0, proc.stderr)
            self.assertEqual(self.state(), expected, output)
        proc = self.agent("once", "--idle-command", "exit 1")
        self.assertIn("warning: command", proc.stderr)
        self.assertEqual(self.state(), "away")

    def test_a_url_with_user_info_is_refused_before_anything_is_sent(self):
        # A prefix check passed these, and curl then sent the token to the host after the '@'.
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(4)
            listener.setblocking(False)
            port = listener.getsockname()[1]
            for url in (f"http://localhost:@127.0.0.1:{port}/heartbeat.fcgi",
                        f"http://127.0.0.1:80@127.0.0.1:{port}/heartbeat.fcgi"):
                for args in (["once", "--idle-source", "none", "--url", url],
                             ["status", "--status-url", url]):
                    with self.subTest(args=args):
                        proc = self.agent(*args)
                        self.assertEqual(proc.returncode, 2, proc.stderr)
                        self.assertIn("user info (user@) is refused", proc.stderr)
            with self.assertRaises(BlockingIOError):  # nobody ever connected
                listener.accept()

    def test_the_idle_command_does_not_get_the_token(self):
        seen = self.home / "seen"
        (self.home / ".config" / "heartbeat" / "agent.conf").write_text(
            f"url = {self.stack.heartbeat_url}\ndevice = env-mac\n")
        command = f'printf "%s|%s" "${{HEARTBEAT_TOKEN-unset}}" "${{HOME}}" > {seen}; echo 0'
        proc = self.agent("once", "--idle-command", command, HEARTBEAT_TOKEN=self.stack.token)
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(seen.read_text(), f"unset|{self.home}")  # the rest of the environment stays
        self.assertEqual(self.state(), "online")

    def test_a_config_or_token_file_others_can_write_is_refused_with_exit_2(self):
        conf = self.home / ".config" / "heartbeat" / "agent.conf"
        for path in (conf, self.token_file):
            with self.subTest(path=path.name):
                os.chmod(path, 0o666)
                proc = self.agent("once", "--idle-source", "none")
                os.chmod(path, 0o600)
                self.assertEqual(proc.returncode, 2, proc.stderr)
                self.assertIn(f"{path} can be written by other users; chmod 600 it", proc.stderr)
        self.assertEqual(self.state(), "offline")  # nothing was posted
        self.assertEqual(self.agent("once", "--idle-source", "none").returncode, 0)


class Failures(AgentCase):
    def test_closed_port_exits_4_quickly(self):
        port = free_port()
        proc = self.agent("once", "--idle-source", "none",
                          "--url", f"http://127.0.0.1:{port}/cgi-bin/heartbeat.fcgi")
        self.assertEqual(proc.returncode, 4, proc.stderr)
        self.assertEqual(proc.stderr.count("retrying"), 2)  # three attempts
        self.assertLess(proc.elapsed, 6)

    def test_silent_server_exits_4_within_the_timeouts(self):
        with socket.socket() as silent:  # accepts connections, never answers
            silent.bind(("127.0.0.1", 0))
            silent.listen(16)
            port = silent.getsockname()[1]
            proc = self.agent("once", "--idle-source", "none", "--timeout", "1",
                              "--url", f"http://127.0.0.1:{port}/cgi-bin/heartbeat.fcgi")
        self.assertEqual(proc.returncode, 4, proc.stderr)
        self.assertIn("Timeout", proc.stderr)
        self.assertLess(proc.elapsed, 3 * 1 + 1 + 2 + 2)  # 3 timeouts and two short waits

    def test_503_is_retried_honouring_retry_after_then_exit_4(self):
        seen = []

        class Unavailable(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                seen.append(time.monotonic())
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(503)
                self.send_header("Retry-After", "1")
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"error":"storage_unavailable","message":"x"}')

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Unavailable)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            proc = self.agent("once", "--idle-source", "none",
                              "--url", f"http://127.0.0.1:{server.server_port}/heartbeat.fcgi")
        finally:
            server.shutdown()
            server.server_close()
        self.assertEqual(proc.returncode, 4, proc.stderr)
        self.assertEqual(len(seen), 3)
        self.assertGreaterEqual(seen[1] - seen[0], 0.95)  # Retry-After: 1
        self.assertIn("HTTP 503, Retry-After 1", proc.stderr)


class RunMode(AgentCase):
    def start_run(self, *args):
        log = open(self.home / "agent.log", "w")
        self.addCleanup(log.close)
        proc = subprocess.Popen([str(AGENT), "run", "--check-interval", "1", *args],
                                env=self.env(), stderr=log, stdout=subprocess.DEVNULL)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc

    def wait_state(self, expected, timeout):
        started = time.monotonic()
        wait_for(lambda: self.state() == expected, timeout=timeout, what=f"status {expected}")
        return time.monotonic() - started

    def test_sigterm_posts_offline_before_exit(self):
        proc = self.start_run("--idle-source", "none")
        self.wait_state("online", 5)
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=10), 0)
        self.assertEqual(self.state(), "offline")  # at once, not at the end of the window
        log = (self.home / "agent.log").read_text()
        self.assertIn("stop: offline as test-mac sent (HTTP 200)", log)
        self.assertNotIn(self.stack.token, log)

    def test_a_change_of_idle_state_reaches_visitors_within_check_interval_plus_a_second(self):
        answer = self.home / "idle"
        answer.write_text("0\n")
        proc = self.start_run("--idle-command", f"cat {answer}", "--idle-threshold", "60")
        self.wait_state("online", 5)
        for text, expected in (("600\n", "away"), ("0\n", "online"), ("0 locked\n", "away"),
                               ("0\n", "online")):
            answer.write_text(text)
            took = self.wait_state(expected, 2.5)
            self.assertLess(took, 1 + 1, f"{expected} after {took:.2f} s")
        proc.send_signal(signal.SIGINT)
        self.assertEqual(proc.wait(timeout=10), 0)
        self.assertEqual(self.state(), "offline")


    def test_a_server_that_is_down_is_asked_less_and_less_often(self):
        seen = []

        class Unavailable(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                seen.append(time.monotonic())
                self.rfile.read(int(self.headers.get("Content-Length", 0)))
                self.send_response(503)  # no Retry-After: the agent's own backoff decides
                self.end_headers()

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Unavailable)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        proc = self.start_run("--idle-source", "none", "--interval", "10",
                              "--url", f"http://127.0.0.1:{server.server_port}/heartbeat.fcgi")
        time.sleep(7.5)
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=10), 0)
        during_run = [t for t in seen if t < seen[0] + 7.4]
        # Checks every second would ask 8 times; backing off 1 s, 2 s, 4 s (jittered) asks 4 or 5.
        self.assertGreaterEqual(len(during_run), 3, seen)
        self.assertLessEqual(len(during_run), 5, seen)
        gaps = [b - a for a, b in zip(during_run, during_run[1:])]
        self.assertGreaterEqual(max(gaps), 1.9, gaps)


class Https(unittest.TestCase):
    def test_self_signed_certificate_refused_without_ca_file_and_accepted_with_it(self):
        with tempfile.TemporaryDirectory() as tmp:
            cert, key = f"{tmp}/cert.pem", f"{tmp}/key.pem"
            subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                            "-keyout", key, "-out", cert], check=True, capture_output=True)
            with LocalStack(tls=(cert, key)) as stack:
                env = {"HOME": tmp, "HEARTBEAT_TOKEN": stack.token, "PATH": os.environ["PATH"]}
                url = f"https://127.0.0.1:{stack.tls_port}/cgi-bin/heartbeat.fcgi"
                refused = subprocess.run([str(AGENT), "once", "--idle-source", "none", "--url", url],
                                         env=env, capture_output=True, text=True, timeout=60)
                self.assertEqual(refused.returncode, 4, refused.stderr)
                self.assertRegex(refused.stderr, r"(?i)certificate")
                self.assertEqual(stack.status()[2]["state"], "offline")
                accepted = subprocess.run([str(AGENT), "once", "--idle-source", "none", "--url", url,
                                           "--ca-file", cert], env=env, capture_output=True,
                                          text=True, timeout=60)
                self.assertEqual(accepted.returncode, 0, accepted.stderr)
                self.assertEqual(stack.status()[2]["state"], "online")


class X11IdleSource(unittest.TestCase):
    def idle(self, display):
        out = subprocess.run([str(AGENT), "idle", "--idle-source", "x11"], capture_output=True,
                             text=True, env={"DISPLAY": display, "PATH": os.environ["PATH"],
                                             "HOME": "/nonexistent"}, timeout=10)
        self.assertEqual(out.returncode, 0, out.stdout + out.stderr)
        return float(re.search(r"idle_seconds=([\d.]+)", out.stdout).group(1))

    def test_idle_time_grows_and_drops_after_input_under_xvfb(self):
        number = 90 + os.getpid() % 800
        display = f":{number}"
        xvfb = subprocess.Popen(["Xvfb", display, "-nolisten", "tcp", "-screen", "0", "640x480x24"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(lambda: os.path.exists(f"/tmp/.X11-unix/X{number}"), what="Xvfb")
            subprocess.run(["xdotool", "mousemove", "5", "5"], env={"DISPLAY": display}, check=True)
            first = self.idle(display)
            time.sleep(1.5)
            second = self.idle(display)
            self.assertGreaterEqual(second - first, 1.2)
            subprocess.run(["xdotool", "mousemove", "200", "200"], env={"DISPLAY": display}, check=True)
            third = self.idle(display)
            self.assertLess(third, 0.5)
            self.assertLess(third, second)
        finally:
            xvfb.terminate()
            xvfb.wait(timeout=10)


class ShippedExamples(AgentCase):
    def install(self, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(AGENT, path)
        self.write_agent_conf(url=self.stack.heartbeat_url, idle_source="none")

    def test_the_crontab_line_as_shipped(self):
        line = [l for l in (ROOT / "agent/examples/crontab").read_text().splitlines()
                if l and not l.startswith("#")][0]
        command = line.split(None, 5)[5]  # after the five time fields
        self.install(self.home / "bin" / "heartbeat-agent")
        (self.home / "Library" / "Logs").mkdir(parents=True)
        subprocess.run(["/bin/sh", "-c", command], env=self.env(), check=True, timeout=60)
        self.assertEqual(self.state(), "online")
        log = (self.home / "Library/Logs/heartbeat-agent.log").read_text()
        self.assertRegex(log, r"Z heartbeat-agent: once: active as test-mac sent \(HTTP 200\)")

    def test_the_launchd_plist_and_systemd_unit_command_lines(self):
        plist = plistlib.loads((ROOT / "agent/examples/com.example.heartbeat-agent.plist").read_bytes())
        self.assertTrue(plist["KeepAlive"])
        unit = (ROOT / "agent/examples/heartbeat-agent.service").read_text()
        exec_start = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1)
        commands = [
            [a.replace("/Users/USER", str(self.home)) for a in plist["ProgramArguments"]],
            shlex.split(exec_start.replace("%h", str(self.home))),
        ]
        self.install(self.home / "bin" / "heartbeat-agent")
        self.install(self.home / ".local" / "bin" / "heartbeat-agent")
        for command in commands:
            with self.subTest(command=command):
                self.assertEqual(self.agent("offline").returncode, 0)
                proc = subprocess.Popen(command, env=self.env(), stderr=subprocess.DEVNULL)
                wait_for(lambda: self.state() == "online", timeout=10, what="online")
                proc.send_signal(signal.SIGTERM)  # what launchd and systemd send
                self.assertEqual(proc.wait(timeout=10), 0)
                self.assertEqual(self.state(), "offline")


if __name__ == "__main__":
    unittest.main()
