"""`heartbeat-agent run` and sleep on Linux, for real: a private dbus-daemon with the system
bus's policy, logind played by
tests/agent/fake_logind.py on it (Inhibit and PrepareForSleep), the real server behind a
forwarding proxy that notes when each answer came back, so that the order of "the server has
stored offline" and "the agent released its inhibitor lock" can be seen on one clock
(CLOCK_MONOTONIC, shared by every process here)."""
import http.client
import http.server
import json
import os
import pathlib
import queue
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

from harness import ROOT
from harness.agent_case import AGENT
from harness.local_stack import LocalStack
from harness.processes import wait_for
from harness.stack_case import StackTestCase


FAKE_LOGIND = ROOT / "tests" / "agent" / "fake_logind.py"
FORGER = ROOT / "tests" / "agent" / "forge_sleep_signal.py"
# A private bus's config: its type and its policies.
BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>{type}</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  {policies}
</busconfig>
"""
# The system bus: the host's policy for everyone and, as logind's own policy, only root owns
# its name while anyone may call it.
LOGIND_POLICY = """<policy user="root">
    <allow own="org.freedesktop.login1"/>
    <allow send_destination="org.freedesktop.login1"/>
  </policy>
  <policy context="default">
    <allow send_destination="org.freedesktop.login1"/>
  </policy>"""
# The host's system bus policy for everyone (dbus-system-bus-common): any user may connect and
# send signals, also to another connection's unique name.
SYSTEM_CONF = pathlib.Path("/usr/share/dbus-1/system.conf")


def system_bus_default_policy():
    return re.search(r'<policy context="default">.*?</policy>', SYSTEM_CONF.read_text(), re.S).group(0)


# A session bus's policy (as dbus's session.conf): every connection may own any name and send
# to any other, as the desktop's own services do.
SESSION_POLICY = """<policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>"""


class PrivateBus:
    """A private system bus with the host's system policy, or (session=True) a session bus."""

    def __init__(self, directory, session=False):
        self.socket = directory / "bus_socket"
        config = directory / "bus.conf"
        policies = (SESSION_POLICY if session
                    else system_bus_default_policy() + "\n  " + LOGIND_POLICY)
        config.write_text(BUS_CONFIG.format(type="session" if session else "system",
                                            socket=self.socket, policies=policies))
        self.proc = subprocess.Popen(["dbus-daemon", "--nofork", f"--config-file={config}"],
                                     stdout=subprocess.DEVNULL)
        wait_for(self.socket.exists, what="dbus-daemon's socket")
        self.address = f"unix:path={self.socket}"

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


class FakeLogind:
    """The script's events, as (name, time, details) in the order they came."""

    def __init__(self, address):
        self.proc = subprocess.Popen(["/usr/bin/python3", str(FAKE_LOGIND), address],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.events = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()
        self.next("ready")

    def _read(self):
        for line in self.proc.stdout:
            name, at, *details = line.split()
            self.events.put((name, float(at), details))

    def next(self, name, timeout=10):
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no '{name}' from the fake logind; saw {self.seen}")
            try:
                event = self.events.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(event)
            if event[0] == name:
                return event

    def send(self, word):
        self.proc.stdin.write(word + "\n")
        self.proc.stdin.flush()
        return self.next("signal")[1]

    def stop(self):
        self.proc.stdin.close()
        self.proc.wait(timeout=10)
        self.proc.stdout.close()


class RecordingProxy:
    """Forwards each heartbeat to the real server; notes (time the answer came back, state, status)
    in `answers`, and (time, the body as JSON, status) in `posts`."""

    def __init__(self, upstream_port):
        self.answers = []
        self.posts = []
        proxy = self

        class Forward(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                conn = http.client.HTTPConnection("127.0.0.1", upstream_port, timeout=10)
                conn.request("POST", self.path, body=body, headers={
                    "Authorization": self.headers["Authorization"],
                    "Content-Type": self.headers["Content-Type"]})
                answer = conn.getresponse()
                payload = answer.read()
                at = time.monotonic()
                proxy.posts.append((at, json.loads(body), answer.status))
                proxy.answers.append((at, json.loads(body)["state"], answer.status))
                self.send_response(answer.status)
                self.send_header("Content-Type", answer.getheader("Content-Type", "text/plain"))
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
                conn.close()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Forward)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/heartbeat.fcgi"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class SleepOnLinux(StackTestCase):
    def setUp(self):
        self.tmp = self.temp_dir("heartbeat-sleep-")
        bus = PrivateBus(self.tmp)
        self.addCleanup(bus.stop)
        self.logind = FakeLogind(bus.address)
        self.addCleanup(self.logind.stop)
        self.bus_address = bus.address
        self.stack.post_heartbeat({"device": "test-linux", "state": "offline"})

    def start_agent(self, url):
        self.log = self.tmp / "agent.log"
        env = {"HOME": str(self.tmp), "PATH": os.environ["PATH"], "HEARTBEAT_TOKEN": self.stack.token,
               "DBUS_SYSTEM_BUS_ADDRESS": self.bus_address}
        with open(self.log, "w") as log:
            proc = subprocess.Popen([str(AGENT), "run", "--idle-source", "none", "--check-interval", "1",
                                     "--device", "test-linux", "--url", url], env=env, stderr=log)
        self.addCleanup(lambda: proc.poll() is None and proc.kill())
        return proc

    def state(self):
        return self.stack.status()[2]["state"]

    def test_offline_is_stored_before_the_lock_is_released_and_the_state_follows_the_wake(self):
        proxy = RecordingProxy(self.stack.port)
        self.addCleanup(proxy.stop)
        agent = self.start_agent(proxy.url)
        _, _, (what, mode, who) = self.logind.next("inhibit")  # taken at start
        self.assertEqual((what, mode, who), ("sleep", "delay", "heartbeat-agent"))
        wait_for(lambda: self.state() == "online", timeout=10, what="online")

        slept = self.logind.send("sleep")
        wait_for(lambda: self.state() == "offline", timeout=5, what="offline after PrepareForSleep(true)")
        visible = time.monotonic() - slept
        released = self.logind.next("released", timeout=5)[1]
        offline = [at for at, state, status in proxy.answers if state == "offline" and status == 200]
        self.assertEqual(len(offline), 1, proxy.answers)
        self.assertLess(slept, offline[0])
        self.assertLess(offline[0], released, "the lock was released before the server had offline")
        print(f"\n  PrepareForSleep(true) -> offline on status: {visible * 1000:.0f} ms; "
              f"lock released {(released - slept) * 1000:.0f} ms after the signal", file=sys.stderr)

        woke = self.logind.send("wake")
        wait_for(lambda: any(at > woke and state == "active" for at, state, _ in proxy.answers),
                 timeout=5, what="active after PrepareForSleep(false)")
        active = min(at for at, state, _ in proxy.answers if at > woke and state == "active")
        self.assertLess(active - woke, 1.0)  # at once, not at the next interval
        # Nothing was posted between the release and the wake: no "online" while asleep.
        self.assertEqual([s for at, s, _ in proxy.answers if released < at < woke], [])
        self.assertEqual(self.state(), "online")
        self.logind.next("inhibit")  # taken again for the next sleep

        agent.send_signal(signal.SIGTERM)
        self.assertEqual(agent.wait(timeout=10), 0)
        self.assertEqual(self.state(), "offline")
        log = self.log.read_text()
        self.assertIn("sleep watch logind", log)
        self.assertIn("sleep: offline as test-linux sent (HTTP 200)", log)
        self.assertNotIn(self.stack.token, log)

    def test_a_prepare_for_sleep_from_another_sender_than_logind_is_ignored(self):
        # Any local user may put a signal on the system bus, addressed to the agent itself:
        # only the one from the current owner of org.freedesktop.login1 counts.
        proxy = RecordingProxy(self.stack.port)
        self.addCleanup(proxy.stop)
        agent = self.start_agent(proxy.url)
        self.logind.next("inhibit")
        wait_for(lambda: self.state() == "online", timeout=10, what="online")
        # Another user where there is one to be (the tests may run as root).
        other_user = (["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
                      if os.geteuid() == 0 else [])
        os.chmod(self.tmp, 0o755)  # so that it can reach the bus's socket
        for _ in range(3):
            forged = subprocess.run([*other_user, "/usr/bin/python3", str(FORGER), self.bus_address],
                                    capture_output=True, text=True, timeout=30)
            self.assertEqual(forged.returncode, 0, forged.stderr)
            self.assertRegex(forged.stdout, r"^sent :")  # the agent was among the targets
        time.sleep(2)
        self.assertEqual(self.state(), "online")
        self.assertEqual([s for _, s, _ in proxy.answers if s == "offline"], [])
        self.assertNotIn("released", [name for name, _, _ in self.logind.seen])
        # logind's own signal still works.
        self.logind.send("sleep")
        wait_for(lambda: self.state() == "offline", timeout=5, what="offline after logind's signal")
        self.logind.next("released", timeout=5)
        agent.send_signal(signal.SIGTERM)
        self.assertEqual(agent.wait(timeout=10), 0)
        log = self.log.read_text()
        self.assertIn("ignored a PrepareForSleep", log)
        self.assertEqual(log.count("ignored a PrepareForSleep"), 1, log)  # once, not per signal

    def test_with_the_server_unreachable_the_lock_is_still_released_within_5_s(self):
        with socket.socket() as silent:  # accepts connections, never answers
            silent.bind(("127.0.0.1", 0))
            silent.listen(16)
            agent = self.start_agent(f"http://127.0.0.1:{silent.getsockname()[1]}/cgi-bin/heartbeat.fcgi")
            self.logind.next("inhibit")
            # While a post of the loop hangs on the silent server (timeout 10 s), the sleep comes.
            wait_for(lambda: silent.getsockname() and self._connections(silent) > 0, timeout=10,
                     what="the agent's first post")
            slept = self.logind.send("sleep")
            released = self.logind.next("released", timeout=6)[1]
            self.assertLess(released - slept, 5.0)
            agent.send_signal(signal.SIGTERM)
            self.assertEqual(agent.wait(timeout=10), 0)
            for conn in self._held:
                conn.close()
        log = self.log.read_text()
        self.assertIn("sleep: offline as test-linux not sent", log)
        print(f"\n  server unreachable: lock released {(released - slept) * 1000:.0f} ms after "
              "PrepareForSleep(true)", file=sys.stderr)

    def _connections(self, listener):
        listener.setblocking(False)
        try:
            conn, _ = listener.accept()
            self._held = getattr(self, "_held", []) + [conn]  # keep it open, unanswered
        except BlockingIOError:
            pass
        return len(getattr(self, "_held", []))


class WithoutLogind(unittest.TestCase):
    def test_run_goes_on_without_a_system_bus_and_says_so(self):
        with tempfile.TemporaryDirectory() as tmp, LocalStack() as stack:
            env = {"HOME": tmp, "PATH": os.environ["PATH"], "HEARTBEAT_TOKEN": stack.token,
                   "DBUS_SYSTEM_BUS_ADDRESS": f"unix:path={tmp}/no-such-bus"}
            log = pathlib.Path(tmp) / "agent.log"
            with open(log, "w") as out:
                proc = subprocess.Popen([str(AGENT), "run", "--idle-source", "none", "--url",
                                         stack.heartbeat_url], env=env, stderr=out)
            try:
                wait_for(lambda: stack.status()[2]["state"] == "online", timeout=10, what="online")
            finally:
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(proc.wait(timeout=10), 0)
            self.assertIn("warning: sleep not watched (no system bus", log.read_text())
            self.assertIn("sleep watch none", log.read_text())


if __name__ == "__main__":
    unittest.main()
