"""The upload-and-go deployment, for real: the static binaries from `make dist`, and a private
Apache with htaccess.example as .htaccess (mod_fcgid, and only mod_cgi). nginx.conf.example
and the guide's own steps are run as written by test_vps_guide.py and test_shared_host_guide.py."""
import http.client
import json
import os
import pathlib
import pwd
import shutil
import subprocess
import tempfile
import unittest

from harness import ROOT
from harness.apache import Apache



DIST = ROOT / os.environ.get("DIST_DIR", "")


def request(port, method, path, headers=None, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def new_token():
    out = subprocess.run([str(DIST / "heartbeat.fcgi"), "--new-token"], capture_output=True,
                         text=True, check=True).stdout.splitlines()
    return out[0], out[1]


class SiteChecks:
    """The checks every deployment must pass; `self.port` and `self.prefix` say where."""

    def check_site(self, port, prefix, token):
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        status, _, body = request(port, "POST", f"{prefix}/heartbeat.fcgi", auth, b'{"device":"mac"}')
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["device"], "mac")

        status, headers, body = request(port, "POST", f"{prefix}/heartbeat.fcgi",
                                        {"Content-Type": "application/json"}, b"{}")
        self.assertEqual(status, 401, body)
        self.assertEqual(json.loads(body)["error"], "unauthorized")
        status, _, body = request(port, "POST", f"{prefix}/heartbeat.fcgi",
                                  dict(auth, Authorization="Bearer wrong"), b"{}")
        self.assertEqual(status, 401, body)

        status, headers, body = request(port, "GET", f"{prefix}/status.fcgi")
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body), {"isOnline": True, "state": "online"})
        self.assertEqual(headers["x-content-type-options"], "nosniff")

        status, headers, body = request(port, "GET", f"{prefix}/status.fcgi/badge.svg")
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["content-type"], "image/svg+xml")
        self.assertTrue(body.startswith(b"<svg"))
        self.assertIn(b">online<", body)

    def check_refused(self, port, prefix, names):
        for name in names:
            status, _, body = request(port, "GET", f"{prefix}/{name}")
            self.assertIn(status, (403, 404), f"{name} was served: {body[:80]!r}")
            self.assertNotIn(b"SQLite format", body)
            self.assertNotIn(b"token_sha256", body)


def populate(folder, token_line, config_dir):
    """The upload: the dist folder's programs and .htaccess; a config and database, both placed
    in the programs' folder too, to prove that they are refused even there."""
    folder.mkdir(parents=True)
    for name in ("heartbeat.fcgi", "status.fcgi", ".htaccess"):
        shutil.copy2(DIST / name, folder / name)
    config_dir.mkdir(parents=True, exist_ok=True)
    config = config_dir / "heartbeat.conf"
    config.write_text(token_line + "\n")
    (folder / "heartbeat.conf").write_text(token_line + "\n")  # a careless copy
    return config


class DistBinaries(unittest.TestCase):
    def test_static_and_small(self):
        for name in ("heartbeat.fcgi", "status.fcgi"):
            path = DIST / name
            described = subprocess.run(["file", str(path)], capture_output=True, text=True).stdout
            self.assertIn("static-pie linked", described)  # static, and at a random address
            self.assertIn("stripped", described)
            ldd = subprocess.run(["ldd", str(path)], capture_output=True, text=True)
            self.assertIn("statically linked", ldd.stdout + ldd.stderr)  # no library of the host
            size = path.stat().st_size
            self.assertLess(size, 4 * 1024 * 1024, f"{name} is {size} bytes")
            print(f"\n  {name}: {size / 1048576:.2f} MB", end=" ")

    def test_cgi_request_in_an_empty_environment(self):
        with tempfile.TemporaryDirectory() as tmp:
            folder = pathlib.Path(tmp)
            for name in ("heartbeat.fcgi", "status.fcgi"):
                shutil.copy2(DIST / name, folder / name)
            token, line = new_token()
            (folder / "heartbeat.conf").write_text(line + "\n")
            body = b'{"device":"upload"}'
            out = subprocess.run(
                ["env", "-i", "REQUEST_METHOD=POST", f"CONTENT_LENGTH={len(body)}",
                 "CONTENT_TYPE=application/json", f"HTTP_AUTHORIZATION=Bearer {token}",
                 str(folder / "heartbeat.fcgi")], input=body, capture_output=True, cwd="/")
            self.assertTrue(out.stdout.startswith(b"Status: 200 OK"), out.stdout + out.stderr)
            out = subprocess.run(["env", "-i", "REQUEST_METHOD=GET", str(folder / "status.fcgi")],
                                 capture_output=True, cwd="/")
            self.assertIn(b'{"isOnline":true,"state":"online"}', out.stdout)
            self.assertIn("heartbeat.db", [p.name for p in folder.iterdir()])  # beside the config


class ApacheSharedHost(unittest.TestCase, SiteChecks):
    def run_site(self, module):
        tmp = pathlib.Path(tempfile.mkdtemp(prefix=f"heartbeat-apache-{module}-"))
        apache = None
        try:
            os.chmod(tmp, 0o755)
            www_data = pwd.getpwnam("www-data")
            token, line = new_token()
            data = tmp / "data"
            config = populate(tmp / "www" / "cgi-bin", line, data)
            htaccess = tmp / "www" / "cgi-bin" / ".htaccess"
            text = htaccess.read_text()
            line = "# SetEnv HEARTBEAT_CONFIG /home/USER/heartbeat-data/heartbeat.conf"
            self.assertIn(line, text)  # the .htaccess's one EDIT line, uncommented
            htaccess.write_text(text.replace(line, f"SetEnv HEARTBEAT_CONFIG {config}"))
            os.chown(data, www_data.pw_uid, www_data.pw_gid)  # the web server's user writes here
            apache = Apache(tmp, module).start()
            self.check_site(apache.port, "/cgi-bin", token)
            self.assertTrue((data / "heartbeat.db").exists(), apache.log())
            # The database, its WAL files and the config, placed in the programs' folder.
            for name in ("heartbeat.db", "heartbeat.db-wal", "heartbeat.db-shm"):
                shutil.copy2(data / name, tmp / "www" / "cgi-bin" / name) if (data / name).exists() \
                    else (tmp / "www" / "cgi-bin" / name).write_bytes(b"SQLite format 3\0")
            self.check_refused(apache.port, "/cgi-bin", [
                "heartbeat.conf", "heartbeat.db", "heartbeat.db-wal", "heartbeat.db-shm",
                ".htaccess", "", "README.txt"])
            return apache.log()
        finally:
            if apache:
                apache.stop()
            shutil.rmtree(tmp, ignore_errors=True)

    def test_mod_fcgid(self):
        log = self.run_site("fcgid")
        self.assertNotIn("AH01215", log)  # no script errors

    def test_mod_cgi_only(self):
        self.run_site("cgi")


if __name__ == "__main__":
    unittest.main()
