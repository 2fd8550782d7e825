"""DEPLOY.md's shared-host block, run as written by a user of a host built on Debian's stock
Apache, in a sandbox (see harness/sandbox.py); test_suexec_guide.py runs it under Apache's real
suEXEC. The host's part is the only thing added to the stock
config: a site for example.com whose document root is alice's public_html with
`AllowOverride All`, scripts run as alice (what suEXEC gives; here Apache's own user is set
to alice in /etc/apache2/envvars), and mod_fcgid (enabled by Debian's package) or mod_cgid
(with Debian's global `ScriptAlias /cgi-bin/` off)."""
import json
import pathlib
import pwd
import shutil
import subprocess
import unittest

from harness.guide import guide_block, poll, processes_named, request, shell, unpack_dist
from harness.sandbox import run_in_sandbox


SITE = "example.com"
USER = "alice"
HOST_SITE = """\
<VirtualHost *:80>
    ServerName example.com
    DocumentRoot /home/alice/public_html
    <Directory /home/alice/public_html>
        AllowOverride All
        Require all granted
    </Directory>
</VirtualHost>
"""


def run(*argv):
    subprocess.run(argv, check=True, capture_output=True)


def error_log():
    return pathlib.Path("/var/log/apache2/error.log").read_text(errors="replace")


class SharedHostGuide(unittest.TestCase):
    def test_mod_fcgid_on_stock_debian_apache(self):
        run_in_sandbox(lambda work: self.guide(work, "fcgid"))

    def test_mod_cgid_on_stock_debian_apache(self):
        run_in_sandbox(lambda work: self.guide(work, "cgid"))

    def make_host(self, module):
        run("useradd", "--create-home", "--shell", "/bin/bash", USER)
        envvars = pathlib.Path("/etc/apache2/envvars")
        text = envvars.read_text()
        for key in ("APACHE_RUN_USER", "APACHE_RUN_GROUP"):
            self.assertIn(f"export {key}=www-data", text)
            text = text.replace(f"export {key}=www-data", f"export {key}={USER}")
        envvars.write_text(text)
        # Debian's package gives mod_fcgid's socket folder to www-data, Apache's usual user.
        run("chown", "-R", f"{USER}:{USER}", "/var/lib/apache2/fcgid")
        pathlib.Path("/etc/apache2/sites-available/alice.conf").write_text(HOST_SITE)
        run("a2ensite", "-q", "alice")
        if module == "cgid":
            run("a2dismod", "-q", "fcgid")
            run("a2enmod", "-q", "cgid")
            # With mod_cgi(d), Debian aliases /cgi-bin/ of every site to /usr/lib/cgi-bin; a
            # shared host leaves each user's own (DEPLOY.md says what to do otherwise).
            run("a2disconf", "-q", "serve-cgi-bin")
        started = shell("systemctl start apache2", "/")
        self.assertEqual(started.returncode, 0, started.stdout + started.stderr)
        poll(lambda: self.answers(), "apache on port 80")

    def answers(self):
        try:
            return request("localhost", "GET", "/")[0] == 200  # Debian's default page
        except OSError:
            return False

    def guide(self, work, module):
        self.make_host(module)
        home = pathlib.Path(pwd.getpwnam(USER).pw_dir)
        folder = unpack_dist(work)
        upload = home / folder.name
        shutil.copytree(folder, upload)
        account = pwd.getpwnam(USER)
        for path in [upload, *upload.rglob("*")]:
            shutil.chown(path, account.pw_uid, account.pw_gid)

        ran = shell(guide_block("test_shared_host_guide.py"), upload, user=USER)
        self.assertEqual(ran.returncode, 0, ran.stdout + ran.stderr)
        token = (upload / "token.txt").read_text().splitlines()[0]
        cgi_bin = home / "public_html" / "cgi-bin"
        # Nothing points at the config: the programs find ~/heartbeat-data/heartbeat.conf.
        self.assertNotRegex((cgi_bin / ".htaccess").read_text(), r"(?m)^\s*SetEnv")

        status, _, body = request(SITE, "GET", "/cgi-bin/status.fcgi")
        self.assertEqual((status, body), (200, b'{"isOnline":false,"state":"offline"}'), error_log())
        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        status, _, body = request(SITE, "POST", "/cgi-bin/heartbeat.fcgi", auth, b'{"device":"laptop"}')
        self.assertEqual(status, 200, body)
        self.assertTrue((home / "heartbeat-data" / "heartbeat.db").exists())
        status, _, body = request(SITE, "POST", "/cgi-bin/heartbeat.fcgi",
                                  {"Content-Type": "application/json"}, b"{}")
        self.assertEqual((status, json.loads(body)["error"]), (401, "unauthorized"))
        status, headers, _ = request(SITE, "PUT", "/cgi-bin/status.fcgi")
        self.assertEqual((status, headers.get("allow")), (405, "GET, HEAD, OPTIONS"))
        status, _, body = request(SITE, "GET", "/cgi-bin/status.fcgi?format=json")
        self.assertEqual(json.loads(body), {"isOnline": True, "state": "online"})
        status, headers, body = request(SITE, "GET", "/cgi-bin/status.fcgi/badge.svg")
        self.assertEqual((status, headers["content-type"]), (200, "image/svg+xml"))
        self.assertIn(b">online<", body)
        if module == "fcgid":  # one process answers many requests, as the user
            uids = processes_named("status.fcgi")
            self.assertTrue(uids, "no status.fcgi process under mod_fcgid")
            self.assertEqual(set(uids.values()), {account.pw_uid})

        # Copies of the config and database in the programs' folder are refused too.
        (cgi_bin / "heartbeat.conf").write_bytes((home / "heartbeat-data" / "heartbeat.conf").read_bytes())
        for name in ("heartbeat.db", "heartbeat.db-wal", "heartbeat.db-shm"):
            (cgi_bin / name).write_bytes(b"SQLite format 3\0")
        for name in ("heartbeat.conf", "heartbeat.db", "heartbeat.db-wal", "heartbeat.db-shm",
                     ".htaccess", ""):
            status, _, body = request(SITE, "GET", f"/cgi-bin/{name}")
            self.assertEqual(status, 403, f"/cgi-bin/{name} answered {status}: {body[:80]!r}")
            self.assertNotIn(b"SQLite format", body)
            self.assertNotIn(b"token_sha256", body)
        status, _, body = request(SITE, "GET", "/heartbeat-data/heartbeat.conf")
        self.assertEqual(status, 404)  # outside the document root: no URL reaches it
        log = error_log()
        self.assertNotIn("AH01215", log)  # no script errors
        self.assertNotIn(token, log)


if __name__ == "__main__":
    unittest.main()
