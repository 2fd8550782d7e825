"""DEPLOY.md's shared-host block under Apache's real suEXEC, as shared hosts run user CGI: Debian's
stock Apache with `apache2-suexec-pristine` (compiled for the docroot /var/www and the userdir
suffix public_html), mod_userdir and mod_suexec on, Apache as its own user www-data, and a real
unprivileged user whose `~/public_html` is served at /~USER/ with `AllowOverride All`. suEXEC
runs the user's programs as the user and cleans their environment (no `SetEnv` value, no HOME
reaches a CGI program), so the programs must find `~/heartbeat-data/heartbeat.conf` by
themselves. Run in a sandbox (harness/sandbox.py); the only change to the stock config besides
the host's part is the port: a free one on loopback, chosen at run time.

Also suEXEC's own rules, each broken on purpose: what the visitor gets (500) and the line
suEXEC writes to its log, as DEPLOY.md's troubleshooting says."""
import json
import pathlib
import pwd
import re
import shutil
import subprocess
import unittest

from harness.guide import guide_block, poll, processes_named, request, shell, unpack_dist
from harness.processes import free_port
from harness.sandbox import run_in_sandbox

USER = "alice"
OTHER = "bob"
SUEXEC = "/usr/lib/apache2/suexec"
SUEXEC_LOG = pathlib.Path("/var/log/apache2/suexec.log")
ERROR_LOG = pathlib.Path("/var/log/apache2/error.log")
# The host's part: users' folders may hold .htaccess files that set handlers and options, as
# DEPLOY.md asks of a host (Debian's userdir.conf allows less, and only GET, POST, OPTIONS).
HOST_CONF = """\
<Directory /home/*/public_html>
    AllowOverride All
    Require all granted
</Directory>
"""
# A CGI program of the user's that shows what environment suEXEC hands on.
PROBE = "#!/bin/sh\nprintf 'Content-Type: text/plain\\n\\n'\nenv\n"
# mod_fcgid retries a process that ended before Apache could connect to it, as one refused by
# suEXEC does when it loses that race: a new one every second, 32 times, then 503. Each try counts
# against the program (FcgidSpawnScore); past FcgidSpawnScoreUpLimit no new process starts until
# the count has decayed, a point a second. So a refused request, and the first one after the fix,
# can take most of a minute instead of milliseconds.
FCGID_RETRIES_SECONDS = 90
PROBE_HTACCESS = "Options +ExecCGI\nAddHandler cgi-script .cgi\nSetEnv HEARTBEAT_CONFIG /probe/set-by-setenv\n"


def run(*argv):
    subprocess.run(argv, check=True, capture_output=True)


class SuexecHost:
    """Debian's Apache with suEXEC for /~USER/ URLs, on a free loopback port, in the sandbox."""

    def __init__(self, module):
        self.module = module
        self.port = free_port()
        self.shown = []  # the requests and answers, printed at the end of a guide run

    def start(self, test):
        run("useradd", "--create-home", "--shell", "/bin/bash", USER)
        run("useradd", "--create-home", "--shell", "/bin/bash", OTHER)
        ports = pathlib.Path("/etc/apache2/ports.conf")
        ports.write_text(ports.read_text().replace("Listen 80\n", f"Listen 127.0.0.1:{self.port}\n", 1))
        site = pathlib.Path("/etc/apache2/sites-available/000-default.conf")
        site.write_text(site.read_text().replace("<VirtualHost *:80>", f"<VirtualHost *:{self.port}>"))
        pathlib.Path("/etc/apache2/conf-available/user-sites.conf").write_text(HOST_CONF)
        run("a2enconf", "-q", "user-sites")
        run("a2enmod", "-q", "userdir", "suexec")
        if self.module == "cgid":
            run("a2dismod", "-q", "fcgid")
            run("a2enmod", "-q", "cgid")
        started = shell("systemctl start apache2", "/")
        test.assertEqual(started.returncode, 0, started.stdout + started.stderr)
        poll(self.answers, f"apache on port {self.port}")
        # Apache found the setuid wrapper and will use it.
        test.assertIn(f"suEXEC mechanism enabled (wrapper: {SUEXEC})", ERROR_LOG.read_text())
        test.assertEqual(pwd.getpwuid(pathlib.Path(SUEXEC).resolve().stat().st_uid).pw_name, "root")
        return self

    def answers(self):
        try:
            return request("localhost", "GET", "/", port=self.port)[0] == 200  # Debian's page
        except OSError:
            return False

    def get(self, method, path, headers=None, body=None, timeout=10):
        answer = request("localhost", method, path, headers, body, port=self.port, timeout=timeout)
        self.shown.append(f"  {self.module}: {method} {path} -> {answer[0]} {answer[2][:60]!r}")
        return answer

    def stop(self):
        shell("systemctl stop apache2", "/")


def upload_dist(work, user):
    """The unpacked dist in the user's home, owned by the user, as after an upload."""
    account = pwd.getpwnam(user)
    folder = unpack_dist(work)
    upload = pathlib.Path(account.pw_dir) / folder.name
    shutil.copytree(folder, upload)
    for path in [upload, *upload.rglob("*")]:
        shutil.chown(path, account.pw_uid, account.pw_gid)
    return upload


def suexec_lines():
    return SUEXEC_LOG.read_text(errors="replace").splitlines() if SUEXEC_LOG.exists() else []


class SuexecGuide(unittest.TestCase):
    def test_the_suexec_wrapper_is_debians_pristine_one(self):
        built = subprocess.run([SUEXEC, "-V"], capture_output=True, text=True)
        settings = built.stdout + built.stderr
        for setting in ('AP_DOC_ROOT="/var/www"', 'AP_HTTPD_USER="www-data"',
                        'AP_USERDIR_SUFFIX="public_html"', f'AP_LOG_EXEC="{SUEXEC_LOG}"'):
            self.assertIn(setting, settings)

    def test_mod_cgid_under_suexec(self):
        run_in_sandbox(lambda work: self.guide(work, "cgid"))

    def test_mod_fcgid_under_suexec(self):
        run_in_sandbox(lambda work: self.guide(work, "fcgid"))

    def test_suexec_rules_broken_on_purpose_mod_cgid(self):
        run_in_sandbox(lambda work: self.rules(work, "cgid"))

    def test_suexec_rules_broken_on_purpose_mod_fcgid(self):
        run_in_sandbox(lambda work: self.rules(work, "fcgid"))

    def guide(self, work, module):
        host = SuexecHost(module).start(self)
        try:
            self.follow_guide(work, host, module)
            print("\n" + "\n".join(line for line in host.shown if "/probe/" not in line))
        finally:
            host.stop()

    def follow_guide(self, work, host, module):
        account = pwd.getpwnam(USER)
        home = pathlib.Path(account.pw_dir)
        upload = upload_dist(work, USER)
        ran = shell(guide_block("test_suexec_guide.py"), upload, user=USER)
        self.assertEqual(ran.returncode, 0, ran.stdout + ran.stderr)
        token = (upload / "token.txt").read_text().splitlines()[0]
        cgi_bin = home / "public_html" / "cgi-bin"
        base = f"/~{USER}/cgi-bin"

        status, _, body = host.get("GET", f"{base}/status.fcgi")
        self.assertEqual((status, body), (200, b'{"isOnline":false,"state":"offline"}'),
                         ERROR_LOG.read_text() + "\n".join(suexec_lines()))
        # suEXEC ran it, as the user.
        ran_as = rf"uid: \({account.pw_uid}/{USER}\) gid: \({account.pw_gid}/{USER}\) cmd: status\.fcgi$"
        self.assertTrue(any(re.search(ran_as, line) for line in suexec_lines()), suexec_lines())

        auth = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        status, _, body = host.get("POST", f"{base}/heartbeat.fcgi", auth, b'{"device":"laptop"}')
        self.assertEqual(status, 200, body)
        self.assertEqual(json.loads(body)["device"], "laptop")
        database = home / "heartbeat-data" / "heartbeat.db"
        self.assertEqual((database.stat().st_uid, database.stat().st_mode & 0o777),
                         (account.pw_uid, 0o600))
        status, _, body = host.get("GET", f"{base}/status.fcgi?format=json")
        self.assertEqual((status, json.loads(body)), (200, {"isOnline": True, "state": "online"}))
        status, _, body = host.get("POST", f"{base}/heartbeat.fcgi", {"Content-Type": "application/json"}, b"{}")
        self.assertEqual((status, json.loads(body)["error"]), (401, "unauthorized"))

        # A request header never names the config: a file the header points at, which would
        # answer 503 config_invalid if it were read, changes nothing.
        bait = pathlib.Path("/tmp/bait.conf")
        bait.write_text("this is not a config line\n")
        bait.chmod(0o644)
        for header in ("Heartbeat-Config", "HEARTBEAT-CONFIG"):
            status, _, body = host.get("GET", f"{base}/status.fcgi", {header: str(bait)})
            self.assertEqual((status, json.loads(body)), (200, {"isOnline": True, "state": "online"}))

        if module == "fcgid":  # one process answers many requests, as the user
            uids = processes_named("status.fcgi")
            self.assertTrue(uids, "no status.fcgi process under mod_fcgid")
            self.assertEqual(set(uids.values()), {account.pw_uid})
        else:
            self.check_environment_is_cleaned(host, home, account)

        self.check_setenv(host, home, account, cgi_bin, base, module)

        # The config and the database are refused, also as copies in the programs' folder.
        (cgi_bin / "heartbeat.conf").write_bytes((home / "heartbeat-data" / "heartbeat.conf").read_bytes())
        for name in ("heartbeat.db", "heartbeat.db-wal", "heartbeat.db-shm"):
            (cgi_bin / name).write_bytes(b"SQLite format 3\0")
        for name in ("heartbeat.conf", "heartbeat.db", "heartbeat.db-wal", "heartbeat.db-shm", ".htaccess", ""):
            status, _, body = host.get("GET", f"{base}/{name}")
            self.assertEqual(status, 403, f"{base}/{name} answered {status}: {body[:80]!r}")
            self.assertNotIn(b"SQLite format", body)
            self.assertNotIn(b"token_sha256", body)
        status, _, _ = host.get("GET", f"/~{USER}/heartbeat-data/heartbeat.conf")
        self.assertEqual(status, 404)  # outside the document root: no URL reaches it
        log = ERROR_LOG.read_text(errors="replace")
        self.assertNotIn("no config", log)
        self.assertNotIn(token, log)
        if module == "cgid":  # a new process each request: the next one looks again
            (cgi_bin / "heartbeat.conf").unlink()
            self.check_a_missing_config_names_the_places(host, home, base)

    def check_setenv(self, host, home, account, cgi_bin, base, module):
        """The .htaccess's SetEnv line, uncommented to name a second config: mod_fcgid passes it
        on as a FastCGI parameter, which comes first; under suEXEC plain CGI never sees it."""
        second = home / "sites" / "second.conf"
        shell(f"mkdir -m 700 {second.parent} && cp {home}/heartbeat-data/heartbeat.conf {second}", "/", user=USER)
        htaccess = cgi_bin / ".htaccess"
        shipped = htaccess.read_text()
        line = "# SetEnv HEARTBEAT_CONFIG /home/USER/heartbeat-data/heartbeat.conf"
        self.assertIn(line, shipped)
        htaccess.write_text(shipped.replace(line, f"SetEnv HEARTBEAT_CONFIG {second}"))
        status, _, body = host.get("GET", f"{base}/status.fcgi")
        if module == "fcgid":  # the second config, with its own new database
            self.assertEqual((status, json.loads(body)["state"]), (200, "offline"))
            self.assertTrue((second.parent / "heartbeat.db").exists())
        else:  # still ~/heartbeat-data/heartbeat.conf
            self.assertEqual((status, json.loads(body)["state"]), (200, "online"))
            self.assertFalse((second.parent / "heartbeat.db").exists())
        htaccess.write_text(shipped)
        self.assertEqual(json.loads(host.get("GET", f"{base}/status.fcgi")[2])["state"], "online")

    def check_environment_is_cleaned(self, host, home, account):
        """What the guide's earlier SetEnv way met: the value never reaches a CGI program."""
        probe = home / "public_html" / "probe"
        probe.mkdir(mode=0o755)
        (probe / ".htaccess").write_text(PROBE_HTACCESS)
        (probe / "env.cgi").write_text(PROBE)
        (probe / "env.cgi").chmod(0o755)
        for path in (probe, probe / ".htaccess", probe / "env.cgi"):
            shutil.chown(path, account.pw_uid, account.pw_gid)
        status, _, body = host.get("GET", f"/~{USER}/probe/env.cgi")
        names = {line.split("=", 1)[0] for line in body.decode().splitlines() if "=" in line}
        self.assertEqual(status, 200, body)
        self.assertIn("HTTP_HOST", names)
        self.assertNotIn("HEARTBEAT_CONFIG", names)
        self.assertNotIn("HOME", names)
        self.assertIn("PATH=/usr/local/bin:/usr/bin:/bin", body.decode().splitlines())

    def check_a_missing_config_names_the_places(self, host, home, base):
        config = home / "heartbeat-data" / "heartbeat.conf"
        config.rename(config.with_suffix(".away"))
        status, _, body = host.get("GET", f"{base}/status.fcgi")
        self.assertEqual((status, json.loads(body)["error"]), (503, "config_missing"))
        self.assertIn("status.fcgi: no config: HEARTBEAT_CONFIG is not set and none of these exists: "
                      f"{home}/public_html/cgi-bin/heartbeat.conf, {config}", ERROR_LOG.read_text())
        config.with_suffix(".away").rename(config)
        self.assertEqual(host.get("GET", f"{base}/status.fcgi")[0], 200)

    def rules(self, work, module):
        host = SuexecHost(module).start(self)
        try:
            self.break_rules(work, host)
        finally:
            host.stop()

    def break_rules(self, work, host):
        account = pwd.getpwnam(USER)
        home = pathlib.Path(account.pw_dir)
        upload = upload_dist(work, USER)
        ran = shell(guide_block("test_suexec_guide.py"), upload, user=USER)
        self.assertEqual(ran.returncode, 0, ran.stdout + ran.stderr)
        cgi_bin = home / "public_html" / "cgi-bin"
        program = cgi_bin / "status.fcgi"
        url = f"/~{USER}/cgi-bin/status.fcgi"
        wait = FCGID_RETRIES_SECONDS if host.module == "fcgid" else 10

        def answers_200():
            status, _, body = host.get("GET", url, timeout=wait)
            self.assertEqual(status, 200, body)

        def refused(expected):
            """A 500 for the visitor (or mod_fcgid's 503 after its retries), and suEXEC's reason
            as the newest line of its log."""
            if host.module == "fcgid":
                # suEXEC checks a program when it starts; a running mod_fcgid process keeps
                # answering until it is replaced, here by a graceful restart.
                reloaded = shell("systemctl reload apache2", "/")
                self.assertEqual(reloaded.returncode, 0, reloaded.stdout + reloaded.stderr)
                poll(lambda: not processes_named("status.fcgi"), "the old status.fcgi to end")
            before = len(suexec_lines())
            errors_before = len(ERROR_LOG.read_text().split("\n")) - 1
            status, _, body = host.get("GET", url, timeout=wait)
            new = suexec_lines()[before:]
            self.assertTrue(new and re.search(expected, new[-1]), f"{expected!r} not in {new}")
            # What the user's own error log shows (the suEXEC log is root's).
            errors = ERROR_LOG.read_text().split("\n")[errors_before:]
            self.assertIn("suexec policy violation: see suexec log for more details", errors)
            if status == 503 and host.module == "fcgid":  # every retry refused in turn
                said = f"mod_fcgid: can't apply process slot for {program}"
            else:
                self.assertEqual(status, 500, body)
                said = "End of script output before headers: status.fcgi"
            self.assertTrue(any(said in line for line in errors), errors)
            return new[-1]

        answers_200()
        seen = {}
        program.chmod(0o775)  # writable by the group
        seen["program g+w"] = refused(rf"file is writable by others: \({cgi_bin}/status\.fcgi\)")
        program.chmod(0o757)  # writable by others
        refused(rf"file is writable by others: \({cgi_bin}/status\.fcgi\)")
        program.chmod(0o755)
        answers_200()

        cgi_bin.chmod(0o775)  # the folder writable by the group
        seen["folder g+w"] = refused(rf"directory is writable by others: \({cgi_bin}\)")
        cgi_bin.chmod(0o757)
        refused(rf"directory is writable by others: \({cgi_bin}\)")
        cgi_bin.chmod(0o755)
        answers_200()

        other = pwd.getpwnam(OTHER)
        shutil.chown(program, other.pw_uid, other.pw_gid)  # uploaded by another account
        seen["owner"] = refused(rf"target uid/gid \({account.pw_uid}/{account.pw_gid}\) mismatch with directory "
                                rf"\({account.pw_uid}/{account.pw_gid}\) or program \({other.pw_uid}/{other.pw_gid}\)")
        shutil.chown(program, account.pw_uid, account.pw_gid)
        answers_200()

        # The programs' folder kept outside public_html and linked into it: suEXEC resolves
        # the link and finds the program outside the user's document root.
        outside = home / "heartbeat-bin"
        shell(f"mv {cgi_bin} {outside} && ln -s {outside} {cgi_bin}", "/", user=USER)
        seen["outside"] = refused(rf"command not in docroot \({outside}/status\.fcgi\)")
        shell(f"rm {cgi_bin} && mv {outside} {cgi_bin}", "/", user=USER)
        answers_200()
        print("\n".join(f"  {name}: {line}" for name, line in seen.items()))


if __name__ == "__main__":
    unittest.main()
