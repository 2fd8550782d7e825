"""DEPLOY.md's VPS block, run as written on Debian's stock nginx in a sandbox (see harness/sandbox.py):
the unpacked dist tarball, nginx started as its Debian unit says, the block's commands with
systemctl played by the stand-in in bin/, then the site checked through that nginx on port 80."""
import json
import pathlib
import pwd
import re
import shlex
import unittest

from harness import ROOT
from harness.guide import guide_block, poll, processes_named, request, shell, unpack_dist
from harness.sandbox import run_in_sandbox


SITE = "example.com"  # the block's DOMAIN, as written
WEBROOT = pathlib.Path("/var/www/example.com")
# A regex location a site may already have; without `^~` on /cgi-bin/ it would serve the
# config and the database from the programs' folder.
USER_REGEX = (r"location ~* \.(db|conf)$ { root /var/www/example.com; "
              "add_header X-Own-Location yes; }")


class VpsGuide(unittest.TestCase):
    def test_the_guide_as_written_on_stock_debian_nginx(self):
        run_in_sandbox(self.guide)

    def guide(self, work):
        folder = unpack_dist(work)
        started = shell("systemctl start nginx", folder)  # as after `apt install nginx`
        self.assertEqual(started.returncode, 0, started.stderr)
        self.assertEqual(request("localhost", "GET", "/")[0], 200)  # Debian's default site

        ran = shell(guide_block("test_vps_guide.py"), folder)
        self.assertEqual(ran.returncode, 0, ran.stdout + ran.stderr)
        token = (folder / "token.txt").read_text().splitlines()[0]
        self.check_services()
        poll(lambda: request(SITE, "GET", "/cgi-bin/status.fcgi")[0] == 200, "the new site")
        self.check_site(token)
        self.check_refusals()
        self.check_cache()
        self.check_regex_location_of_the_site_cannot_serve_the_folder()

    def check_services(self):
        """Each program runs with the unit file's ExecStart, its environment and its user."""
        www_data = pwd.getpwnam("www-data").pw_uid
        unit = (ROOT / "deploy" / "heartbeat@.service").read_text()
        exec_start = re.search(r"^ExecStart=(.*)$", unit, re.M).group(1)
        for instance in ("status", "heartbeat"):
            uids = processes_named(f"{instance}.fcgi")
            self.assertTrue(uids, f"{instance}.fcgi is not running")
            self.assertEqual(set(uids.values()), {www_data}, f"{instance}.fcgi runs as {uids}")
            for pid in uids:
                argv = pathlib.Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")[:-1]
                self.assertEqual(argv, shlex.split(exec_start.replace("%i", instance)))
                environ = pathlib.Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
                self.assertIn(b"HEARTBEAT_CONFIG=/etc/heartbeat/heartbeat.conf", environ)
        for socket in ("status.sock", "heartbeat.sock"):
            self.assertTrue(pathlib.Path("/run/heartbeat", socket).is_socket())
        # nginx passes no config path; the unit's is the one the programs use.
        installed = pathlib.Path("/etc/systemd/system/heartbeat@.service").read_text()
        self.assertEqual(installed, unit)
        self.assertIn("Environment=HEARTBEAT_CONFIG=/etc/heartbeat/heartbeat.conf", unit)
        site = pathlib.Path("/etc/nginx/sites-enabled/heartbeat").read_text()
        self.assertNotRegex(site, r"(?m)^\s*fastcgi_param\s+HEARTBEAT_CONFIG")
        config = pathlib.Path("/etc/heartbeat/heartbeat.conf")
        self.assertEqual(config.stat().st_mode & 0o777, 0o640)
        self.assertEqual(config.stat().st_gid, pwd.getpwnam("www-data").pw_gid)

    def check_site(self, token):
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        status, _, body = request(SITE, "GET", "/cgi-bin/status.fcgi")
        self.assertEqual(json.loads(body), {"isOnline": False, "state": "offline"})

        status, headers, body = request(SITE, "POST", "/cgi-bin/heartbeat.fcgi", auth, b'{"device":"vps"}')
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["device"], "vps")
        self.assertIn("no-store", headers["cache-control"])
        self.assertTrue(pathlib.Path("/var/lib/heartbeat/heartbeat.db").exists())
        self.assertEqual(pathlib.Path("/var/lib/heartbeat/heartbeat.db").stat().st_uid,
                         pwd.getpwnam("www-data").pw_uid)

        status, _, body = request(SITE, "POST", "/cgi-bin/heartbeat.fcgi",
                                  {"Content-Type": "application/json"}, b"{}")
        self.assertEqual((status, json.loads(body)["error"]), (401, "unauthorized"))
        status, _, _ = request(SITE, "POST", "/cgi-bin/heartbeat.fcgi",
                               dict(auth, Authorization="Bearer wrong"), b"{}")
        self.assertEqual(status, 401)
        status, headers, _ = request(SITE, "DELETE", "/cgi-bin/status.fcgi")
        self.assertEqual(status, 405)
        self.assertEqual(headers["allow"], "GET, HEAD, OPTIONS")
        status, _, _ = request(SITE, "GET", "/cgi-bin/heartbeat.fcgi")
        self.assertEqual(status, 405)

        # The cached offline answer may stay for offline_max_age (30 s): ask for a new one.
        status, _, body = request(SITE, "GET", "/cgi-bin/status.fcgi?format=json")
        self.assertEqual((status, json.loads(body)), (200, {"isOnline": True, "state": "online"}))
        status, headers, body = request(SITE, "GET", "/cgi-bin/status.fcgi/badge.svg")
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["content-type"], "image/svg+xml")
        self.assertIn(b">online<", body)
        self.assertNotIn(token, pathlib.Path("/var/log/nginx/access.log").read_text())

    def check_refusals(self):
        """Copies of the config and database in the programs' folder under the web root."""
        cgi_bin = WEBROOT / "cgi-bin"
        cgi_bin.mkdir(parents=True)
        (cgi_bin / "heartbeat.conf").write_bytes(pathlib.Path("/etc/heartbeat/heartbeat.conf").read_bytes())
        for name in ("heartbeat.db", "heartbeat.db-wal", "heartbeat.db-shm"):
            (cgi_bin / name).write_bytes(b"SQLite format 3\0")
        (cgi_bin / "status.fcgi.bak").write_bytes(b"\x7fELF")
        self.assert_refused(["heartbeat.conf", "heartbeat.db", "heartbeat.db-wal", "heartbeat.db-shm",
                             "status.fcgi.bak", "", "status.fcgi.d/x"])

    def assert_refused(self, names):
        for name in names:
            status, _, body = request(SITE, "GET", f"/cgi-bin/{name}")
            self.assertEqual(status, 404, f"/cgi-bin/{name} answered {status}: {body[:80]!r}")
            self.assertNotIn(b"SQLite format", body)
            self.assertNotIn(b"token_sha256", body)

    def check_cache(self):
        _, first, _ = request(SITE, "GET", "/cgi-bin/status.fcgi?cache-check")
        _, second, _ = request(SITE, "GET", "/cgi-bin/status.fcgi?cache-check")
        self.assertEqual((first["x-cache-status"], second["x-cache-status"]), ("MISS", "HIT"))
        self.assertEqual(first["etag"], second["etag"])
        status, _, _ = request(SITE, "GET", "/cgi-bin/status.fcgi?cache-check",
                               {"If-None-Match": first["etag"]})
        self.assertEqual(status, 304)
        cache = pathlib.Path("/var/cache/nginx-heartbeat")
        self.assertTrue(any(p.is_file() for p in cache.rglob("*")), "nothing in the cache folder")
        status, headers, _ = request(SITE, "POST", "/cgi-bin/heartbeat.fcgi", {}, b"{}")
        self.assertNotIn("x-cache-status", headers)  # the write side has no cache at all

    def check_regex_location_of_the_site_cannot_serve_the_folder(self):
        site = pathlib.Path("/etc/nginx/sites-available/heartbeat")
        text = site.read_text()
        last = text.rindex("}")
        site.write_text(text[:last] + "    " + USER_REGEX + "\n" + text[last:])
        reloaded = shell("nginx -t && systemctl reload nginx", "/")
        self.assertEqual(reloaded.returncode, 0, reloaded.stderr)
        (WEBROOT / "probe.conf").write_text("probe\n")
        poll(lambda: request(SITE, "GET", "/probe.conf")[1].get("x-own-location"), "the reload")
        self.assert_refused(["heartbeat.conf", "heartbeat.db"])
        status, _, body = request(SITE, "GET", "/cgi-bin/status.fcgi?format=json")
        self.assertEqual((status, json.loads(body)["state"]), (200, "online"))


if __name__ == "__main__":
    unittest.main()
