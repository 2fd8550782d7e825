"""Every status code and header of the API (docs/protocol.md), over real HTTP through a real nginx
with both programs in --listen mode."""
import os
import signal
import time
import unittest

from harness import BIN_DIR
from harness.fastcgi import fcgi_request
from harness.local_stack import LocalStack
from harness.processes import free_port, wait_for, wait_for_port
from harness.programs import json_body
from harness.stack_case import StackTestCase



class Api(StackTestCase):
    def test_heartbeat_200_then_status_online(self):
        status, headers, body = self.stack.post_heartbeat({"device": "mac", "state": "active"})
        self.assertEqual(status, 200, body)
        data = json_body(body)
        self.assertEqual((data["status"], data["device"], data["state"]), ("OK", "mac", "active"))
        self.assertAlmostEqual(data["at"] / 1000, time.time(), delta=5)
        self.assertNotIn("access-control-allow-origin", headers)
        self.assertEqual(headers["x-content-type-options"], "nosniff")
        status, headers, data = self.stack.status()
        self.assertEqual((status, data), (200, {"isOnline": True, "state": "online"}))
        self.assertEqual(headers["cache-control"], "public, max-age=60")
        self.assertEqual(headers["access-control-allow-origin"], "*")

    def test_heartbeat_401_without_or_with_wrong_token(self):
        headers = self.assertJsonError(
            self.stack.request("POST", "/cgi-bin/heartbeat.fcgi", {"X-Forwarded-For": "1.2.3.4"}),
            401, "unauthorized")
        self.assertTrue(headers["www-authenticate"].startswith("Bearer"))
        self.assertJsonError(self.stack.post_heartbeat(token="not-the-token"), 401, "unauthorized")

    def test_heartbeat_405_with_allow(self):
        for method in ("GET", "PUT", "DELETE", "OPTIONS"):
            headers = self.assertJsonError(self.stack.request(method, "/cgi-bin/heartbeat.fcgi"),
                                           405, "method_not_allowed")
            self.assertEqual(headers["allow"], "POST")

    def test_heartbeat_413_over_4096_bytes(self):
        pad = '{"device":"mac","pad":"'
        exact = pad + "x" * (4096 - len(pad) - 2) + '"}'
        self.assertEqual(len(exact), 4096)
        auth = {"Authorization": f"Bearer {self.stack.token}", "Content-Type": "application/json"}
        status, _, body = self.stack.request("POST", "/cgi-bin/heartbeat.fcgi", auth, exact.encode())
        self.assertEqual(status, 200, body)
        over = pad + "x" * (4097 - len(pad) - 2) + '"}'
        self.assertJsonError(self.stack.request("POST", "/cgi-bin/heartbeat.fcgi", auth, over.encode()),
                             413, "payload_too_large")
        self.assertJsonError(self.stack.request("POST", "/cgi-bin/heartbeat.fcgi", auth, b"x" * 100000),
                             413, "payload_too_large")

    def test_heartbeat_415_and_400(self):
        auth = {"Authorization": f"Bearer {self.stack.token}"}
        self.assertJsonError(self.stack.request("POST", "/cgi-bin/heartbeat.fcgi",
                                                dict(auth, **{"Content-Type": "text/plain"}), b"{}"),
                             415, "unsupported_media_type")
        for body in (b"{", b'{"state":"asleep"}', b'{"device":null}', b'{"device":"a b"}', b"[]",
                     b"\x00\xff\xfe binary"):
            self.assertJsonError(self.stack.request(
                "POST", "/cgi-bin/heartbeat.fcgi",
                dict(auth, **{"Content-Type": "application/json; charset=utf-8"}), body),
                400, "bad_request")

    def test_status_304_etag_head_and_formats(self):
        status, headers, _ = self.stack.request("GET", "/cgi-bin/status.fcgi")
        self.assertEqual(status, 200)
        etag = headers["etag"]
        status, again, body = self.stack.request("GET", "/cgi-bin/status.fcgi", {"If-None-Match": etag})
        self.assertEqual((status, body), (304, b""))
        self.assertEqual(again["etag"], etag)
        self.assertEqual(again["cache-control"], headers["cache-control"])

        status, head_headers, body = self.stack.request("HEAD", "/cgi-bin/status.fcgi")
        self.assertEqual((status, body), (200, b""))
        self.assertEqual(head_headers["etag"], etag)

        status, headers, body = self.stack.request("GET", "/cgi-bin/status.fcgi/badge.svg")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "image/svg+xml")
        self.assertEqual(headers["content-security-policy"], "default-src 'none'; style-src 'unsafe-inline'")
        self.assertTrue(body.startswith(b"<svg"))
        status, headers, body = self.stack.request("GET", "/cgi-bin/status.fcgi?format=shields")
        self.assertEqual(status, 200)
        self.assertEqual(json_body(body)["schemaVersion"], 1)

    def test_status_204_preflight_405_400_404(self):
        status, headers, body = self.stack.request(
            "OPTIONS", "/cgi-bin/status.fcgi",
            {"Origin": "https://x.example", "Access-Control-Request-Method": "GET"})
        self.assertEqual((status, body), (204, b""))
        self.assertEqual(headers["access-control-allow-methods"], "GET, HEAD, OPTIONS")
        self.assertIn("access-control-max-age", headers)
        headers = self.assertJsonError(self.stack.request("POST", "/cgi-bin/status.fcgi"),
                                       405, "method_not_allowed")
        self.assertEqual(headers["allow"], "GET, HEAD, OPTIONS")
        self.assertJsonError(self.stack.request("GET", "/cgi-bin/status.fcgi?format=xml"), 400, "bad_request")
        self.assertJsonError(self.stack.request("GET", "/cgi-bin/status.fcgi?format=%zz"), 400, "bad_request")
        self.assertJsonError(self.stack.request("GET", "/cgi-bin/status.fcgi/other"), 404, "not_found")


class ConfiguredApi(unittest.TestCase):
    """Answers that depend on the config: CORS lists, lastSeen, 429, 503."""

    def test_cors_origin_list_and_last_seen(self):
        extra = "allow_origin = https://me.example\nlast_seen = exact\n"
        with LocalStack(config_extra=extra) as stack:
            self.assertEqual(stack.post_heartbeat({})[0], 200)
            status, headers, body = stack.request("GET", "/cgi-bin/status.fcgi",
                                                  {"Origin": "https://me.example"})
            self.assertEqual(headers["access-control-allow-origin"], "https://me.example")
            self.assertEqual(headers["vary"], "Origin")
            self.assertRegex(json_body(body)["lastSeen"], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            status, headers, _ = stack.request("GET", "/cgi-bin/status.fcgi",
                                               {"Origin": "https://evil.example"})
            self.assertNotIn("access-control-allow-origin", headers)
            self.assertEqual(headers["vary"], "Origin")

    def test_429_after_ten_failed_tokens_but_never_for_the_right_one(self):
        with LocalStack() as stack:
            for _ in range(10):
                self.assertEqual(stack.post_heartbeat(token="wrong")[0], 401)
            status, headers, body = stack.post_heartbeat({}, token="wrong")
            self.assertEqual(status, 429, body)
            self.assertEqual(json_body(body)["error"], "too_many_attempts")
            self.assertTrue(595 <= int(headers["retry-after"]) <= 600)
            self.assertEqual(stack.post_heartbeat({})[0], 200)
            # Held in the database: a restarted program still refuses a wrong token.
            stack.stop_program("heartbeat")
            stack.start_program("heartbeat")
            self.assertEqual(stack.post_heartbeat({}, token="wrong")[0], 429)

    def test_503_without_token_and_with_a_broken_config(self):
        with LocalStack(with_token=False) as stack:
            status, headers, body = stack.post_heartbeat({}, token="anything")
            self.assertEqual(status, 503)
            self.assertEqual(json_body(body)["error"], "not_configured")
            self.assertIn("retry-after", headers)
            status, _, data = stack.status()
            self.assertEqual((status, data["state"]), (200, "offline"))  # status still works

            (stack.dir / "heartbeat.conf").write_text("online_window = soon\n")
            time.sleep(1.1)  # the config is looked at again after a second
            status, headers, body = stack.request("GET", "/cgi-bin/status.fcgi")
            self.assertEqual(status, 503)
            data = json_body(body)
            self.assertEqual((data["isOnline"], data["error"]), (False, "config_invalid"))
            self.assertIn("line 1", data["message"])
            self.assertEqual(headers["cache-control"], "no-store")
            self.assertIn("retry-after", headers)
            status, headers, body = stack.request("GET", "/cgi-bin/status.fcgi/badge.svg")
            self.assertEqual((status, headers["content-type"]), (503, "image/svg+xml"))
            self.assertIn(b"unknown", body)
            status, _, body = stack.post_heartbeat({}, token="anything")
            self.assertEqual((status, json_body(body)["error"]), (503, "config_invalid"))
            # The detail, with the full path, goes to the program's stderr.
            self.assertIn(f"config {stack.dir}/heartbeat.conf: heartbeat.conf line 1: online_window",
                          (stack.dir / "status.log").read_text())

            os.remove(stack.dir / "heartbeat.conf")
            time.sleep(1.1)
            status, _, body = stack.request("GET", "/cgi-bin/status.fcgi")
            self.assertEqual((status, json_body(body)["error"]), (503, "config_missing"))


class ListenMode(unittest.TestCase):
    def test_sigterm_finishes_removes_the_socket_and_exits_0_quickly(self):
        with LocalStack() as stack:
            self.assertEqual(stack.status()[0], 200)
            sock = stack.dir / "status.sock"
            self.assertTrue(sock.exists())
            started = time.monotonic()
            code = stack.stop_program("status", signal.SIGTERM)
            self.assertEqual(code, 0)
            self.assertLess(time.monotonic() - started, 5)
            self.assertFalse(sock.exists())

    def test_tcp_listen_address(self):
        import subprocess
        port = free_port()
        proc = subprocess.Popen([str(BIN_DIR / "status.fcgi"), "--listen", f"127.0.0.1:{port}"],
                                stderr=subprocess.DEVNULL)
        try:
            wait_for_port(port, what="tcp listener")
        finally:
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=5), 0)

    def test_process_manager_mode_socket_on_fd_0(self):
        import shutil
        import subprocess
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            sock = f"{tmp}/status.sock"
            config = f"{tmp}/heartbeat.conf"
            open(config, "w").close()
            # spawn-fcgi -n binds the socket and execs the program with it on descriptor 0.
            proc = subprocess.Popen([shutil.which("spawn-fcgi"), "-n", "-s", sock, "--",
                                     str(BIN_DIR / "status.fcgi")],
                                    env={"HEARTBEAT_CONFIG": config}, stderr=subprocess.DEVNULL)
            try:
                wait_for(lambda: os.path.exists(sock), what="spawn-fcgi socket")
                for _ in range(3):  # one process, many requests
                    status, _, body = fcgi_request(sock, {"REQUEST_METHOD": "GET"})
                    self.assertEqual((status, body), (200, b'{"isOnline":false,"state":"offline"}'))
            finally:
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(proc.wait(timeout=5), 0)

    def test_help_version_and_bad_arguments(self):
        import subprocess
        version = (BIN_DIR.parent / "VERSION").read_text().strip() if (BIN_DIR.parent / "VERSION").exists() else None
        for program in ("status.fcgi", "heartbeat.fcgi"):
            out = subprocess.run([str(BIN_DIR / program), "--version"], capture_output=True, text=True)
            self.assertEqual(out.returncode, 0)
            self.assertTrue(out.stdout.startswith(program + " "))
            if version:
                self.assertIn(version, out.stdout)
            out = subprocess.run([str(BIN_DIR / program), "--help"], capture_output=True, text=True)
            self.assertEqual(out.returncode, 0)
            self.assertIn("--listen", out.stdout)
            out = subprocess.run([str(BIN_DIR / program), "--bogus"], capture_output=True, text=True)
            self.assertEqual(out.returncode, 2)

    def test_new_token_prints_a_token_and_its_config_line(self):
        import hashlib
        import subprocess
        tokens = set()
        for _ in range(3):
            out = subprocess.run([str(BIN_DIR / "heartbeat.fcgi"), "--new-token"],
                                 capture_output=True, text=True, check=True).stdout.splitlines()
            self.assertEqual(len(out), 2)
            token, line = out
            self.assertRegex(token, r"^[A-Za-z0-9_-]{43}$")  # 256 bits
            self.assertEqual(line, "token_sha256 = " + hashlib.sha256(token.encode()).hexdigest())
            tokens.add(token)
        self.assertEqual(len(tokens), 3)


if __name__ == "__main__":
    unittest.main()
