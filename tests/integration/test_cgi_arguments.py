"""A CGI server passes a query string without '=' to the program as arguments (RFC 3875
4.4). Run as CGI, the programs ignore their arguments and serve the request: through a real
Apache with only mod_cgid, and run by hand as CGI, `?--listen+127.0.0.1:PORT` starts nothing."""
import os
import pathlib
import pwd
import shutil
import subprocess
import tempfile
import unittest

from harness import BIN_DIR, ROOT
from harness.apache import Apache
from harness.fastcgi import parse_cgi_output
from harness.processes import free_port, port_open
from harness.programs import json_body, new_token




def listening_programs():
    """The command lines of running programs of ours that were given --listen."""
    found = []
    for proc in pathlib.Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except (FileNotFoundError, PermissionError, NotADirectoryError, ProcessLookupError):
            continue
        if argv and argv[0].endswith(b".fcgi") and b"--listen" in argv:
            found.append(argv)
    return found


class ArgumentsUnderCgi(unittest.TestCase):
    def assertNothingListens(self, port):
        self.assertFalse(port_open(port), f"something listens on {port}")
        self.assertFalse([a for a in listening_programs() if str(port).encode() in b" ".join(a)])

    def test_plain_cgi_ignores_its_arguments(self):
        with tempfile.TemporaryDirectory() as tmp:
            config = pathlib.Path(tmp) / "heartbeat.conf"
            config.write_text(new_token(BIN_DIR)[1] + "\n")
            env = {"GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": "GET",
                   "HEARTBEAT_CONFIG": str(config), "QUERY_STRING": "--help"}
            port = free_port()
            for program, args, code in [
                    ("status.fcgi", ["--listen", f"127.0.0.1:{port}"], 200),
                    ("status.fcgi", ["--help"], 200),
                    ("status.fcgi", ["--version"], 200),
                    ("heartbeat.fcgi", ["--listen", f"127.0.0.1:{port}", "--processes", "8"], 405),
                    ("heartbeat.fcgi", ["--new-token"], 405)]:
                with self.subTest(program=program, args=args):
                    proc = subprocess.run([str(BIN_DIR / program)] + args, env=env,
                                          capture_output=True, timeout=10)
                    self.assertEqual(proc.returncode, 0, proc.stderr)
                    status, headers, body = parse_cgi_output(proc.stdout)
                    self.assertEqual(status, code, body)
                    self.assertIn("json", headers["content-type"])
                    json_body(body)  # JSON, not a help text or a token
                    self.assertNothingListens(port)

    def test_apache_mod_cgid_passes_the_query_as_arguments_and_nothing_starts(self):
        tmp = pathlib.Path(tempfile.mkdtemp(prefix="heartbeat-cgid-"))
        self.addCleanup(shutil.rmtree, tmp, True)
        os.chmod(tmp, 0o755)
        www = tmp / "www" / "cgi-bin"
        www.mkdir(parents=True)
        data = tmp / "data"
        data.mkdir()
        uid = pwd.getpwnam("www-data").pw_uid
        os.chown(data, uid, -1)
        token, token_line = new_token(BIN_DIR)
        (data / "heartbeat.conf").write_text(token_line + "\n")
        for program in ("heartbeat.fcgi", "status.fcgi"):
            shutil.copy(BIN_DIR / program, www / program)
        # The shipped .htaccess with its one EDIT line, the config's path, filled in.
        htaccess = (ROOT / "htaccess.example").read_text().replace(
            "# SetEnv HEARTBEAT_CONFIG /home/USER/heartbeat-data/heartbeat.conf",
            f"SetEnv HEARTBEAT_CONFIG {data / 'heartbeat.conf'}")
        (www / ".htaccess").write_text(htaccess)
        apache = Apache(tmp, "cgid").start()
        self.addCleanup(apache.stop)

        import http.client

        def get(path):
            conn = http.client.HTTPConnection("127.0.0.1", apache.port, timeout=10)
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                return response.status, response.read()
            finally:
                conn.close()

        port = free_port()
        for path, code in [
                (f"/cgi-bin/heartbeat.fcgi?--listen+127.0.0.1:{port}+--processes+8", 405),
                (f"/cgi-bin/status.fcgi?--listen+127.0.0.1:{port}", 200),
                ("/cgi-bin/status.fcgi?--help", 200),
                ("/cgi-bin/heartbeat.fcgi?--new-token", 405)]:
            with self.subTest(path=path):
                status, body = get(path)
                self.assertEqual(status, code, body[:200] + apache.log().encode())
                data_answer = json_body(body)
                self.assertNotIn("token_sha256", body.decode())
                self.assertTrue("isOnline" in data_answer or "error" in data_answer)
        self.assertNothingListens(port)


if __name__ == "__main__":
    unittest.main()
