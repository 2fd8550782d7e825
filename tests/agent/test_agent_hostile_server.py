"""Every command of heartbeat-agent against a hostile server on loopback: whatever bytes the
server sends (escape sequences as JSON escapes and as raw bytes, C1 controls, bidirectional
overrides, in the status JSON, the note, its `until`, the time zone, an error code), nothing the
agent prints holds an ESC, a C1 control or a bidirectional control, and a status body that does
not parse is not shown at all."""
import http.server
import os
import signal
import subprocess
import threading
import time
import unittest

from harness.agent_case import AGENT
from harness.stack_case import temp_dir

ESC = "\x1b"
# A status answer that parses: hostile text in every string the agent reads, both as JSON
# escapes (which the agent decodes) and as raw bytes (C1 U+009B is CSI; U+202E reorders).
PARSES = ('{"isOnline":true,"state":"online\\u001b]0;PWNED-TITLE\\u0007",'
          '"note":{"text":"hi \\u001b[2J \\u009b31m \u202egnp.exe \u009b2J","busy":true,'
          '"until":"\\u001b[2J2026-01-01T00:00:00Z\u202e"},'
          '"timezone":"\\u001b[31mEurope/Berlin\u2066"}').encode()
# One that does not parse, with the escape sequences raw.
GARBAGE = b"\x1b]0;PWNED-TITLE\x07\x1b[2J{\"state\":\"online\x9b31m\"}"
# A refusal whose error code and message are escape sequences.
REFUSAL = b'{"error":"\x1b]0;PWNED\x07","message":"\x1b[2J\xc2\x9b31m\xe2\x80\xae"}'
BIDI = set(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))


class HostileServer(http.server.ThreadingHTTPServer):
    status_body = PARSES
    posts = 0


class Handler(http.server.BaseHTTPRequestHandler):
    def answer(self, code, body):
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        self.answer(200, self.server.status_body)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.posts += 1
        self.answer(401, REFUSAL)

    def log_message(self, *args):
        pass


class HostileServerCase(unittest.TestCase):
    def setUp(self):
        self.server = HostileServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.addCleanup(self.server.server_close)
        self.addCleanup(self.server.shutdown)
        self.url = f"http://127.0.0.1:{self.server.server_port}/cgi-bin/heartbeat.fcgi"
        self.home = temp_dir(self, "heartbeat-hostile-")
        (self.home / ".config" / "heartbeat").mkdir(parents=True)
        self.token_file = self.home / "token"
        self.token_file.write_text("a-token-of-the-owner\n")
        os.chmod(self.token_file, 0o600)
        (self.home / ".config" / "heartbeat" / "agent.conf").write_text(
            f"url = {self.url}\ntoken_file = {self.token_file}\ndevice = box\nidle_source = none\n")
        self.env = {"HOME": str(self.home), "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                    "TZ": "UTC"}

    def assertClean(self, output, what):
        text = output.decode("utf-8", errors="surrogateescape")
        self.assertNotIn(ESC, text, what)
        for c in text:
            self.assertFalse(0x80 <= ord(c) <= 0x9F, f"{what}: C1 U+{ord(c):04X} in {text!r}")
            self.assertFalse(0xDC80 <= ord(c) <= 0xDC9F, f"{what}: a raw C1 byte in {text!r}")
            self.assertNotIn(c, BIDI, f"{what}: a bidirectional control in {text!r}")
        self.assertNotIn("a-token-of-the-owner", text)

    def run_agent(self, *args, stdin=b""):
        proc = subprocess.run([str(AGENT), *args], env=self.env, input=stdin, capture_output=True,
                              timeout=60)
        self.assertClean(proc.stdout + proc.stderr, " ".join(args))
        return proc

    def test_status_shows_a_parsed_body_cleaned_and_never_one_that_did_not_parse(self):
        proc = self.run_agent("status")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stdout.decode().splitlines()
        self.assertTrue(lines[0].startswith('{"isOnline":true'), lines)
        self.assertIn("note: hi", proc.stdout.decode())
        self.assertIn("until ?[2J2026", proc.stdout.decode())
        self.server.status_body = GARBAGE
        proc = self.run_agent("status")
        self.assertEqual(proc.stdout, b"")
        self.assertNotIn(b"PWNED", proc.stderr)

    def test_once_offline_note_and_run_print_nothing_raw(self):
        for args in (["once"], ["offline"], ["note", "lunch"]):
            with self.subTest(command=args[0]):
                proc = self.run_agent(*args)
                self.assertEqual(proc.returncode, 3, proc.stderr)
        before = self.server.posts
        run = subprocess.Popen([str(AGENT), "run"], env=self.env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while self.server.posts <= before and time.monotonic() < deadline and run.poll() is None:
            time.sleep(0.1)
        if run.poll() is None:
            run.send_signal(signal.SIGTERM)
        out, err = run.communicate(timeout=30)
        self.assertClean(out + err, "run")
        self.assertIn(b"401", err)

    def test_setup_prints_nothing_raw_from_a_refusal(self):
        as_root = ["--allow-root"] if os.geteuid() == 0 else []
        proc = self.run_agent("setup", *as_root, "--no-install",
                              stdin=f"{self.url}\na-token-of-the-owner\n".encode())
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn(b"wrong token", proc.stderr)
        self.assertNotIn(b"PWNED", proc.stderr)


if __name__ == "__main__":
    unittest.main()
