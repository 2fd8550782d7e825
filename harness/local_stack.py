"""A private nginx with both heartbeat programs on 127.0.0.1, for the tests and `make demo`.

Everything lives in one folder of its own: the config, the token, the database, the unix
sockets of the two programs (started in --listen mode), nginx's config, pid file, logs and
temp folders. Nothing touches the system's nginx.

    with LocalStack() as stack:
        stack.post_heartbeat({"device": "mac"})
        stack.request("GET", "/cgi-bin/status.fcgi")

Command line (used by `make demo` and the browser tests), from the repository's root:
    python3 -m harness.local_stack start DIR [--web DIR] [--config LINE]... [--nginx LINE]...
    python3 -m harness.local_stack stop DIR
"""
import http.client
import json
import os
import pathlib
import re
import shutil
import signal
import subprocess
import sys
import tempfile

from harness import BIN_DIR, nginx
from harness.processes import free_port, wait_for, wait_for_port
from harness.programs import new_token

# The programs' locations; status.fcgi takes PATH_INFO for the hours and heatmap formats.
HTTP_BLOCK = """\
types {{ text/html html; application/javascript js; image/png png; text/css css; }}
upstream heartbeat_write {{ server unix:{dir}/heartbeat.sock; keepalive 4; }}
upstream heartbeat_status {{ server unix:{dir}/status.sock; keepalive 16; }}
server {{
    listen 127.0.0.1:{port};{tls}
    root {web};
    location = /cgi-bin/heartbeat.fcgi {{ {write} }}
    location ~ ^/cgi-bin/status\\.fcgi(/.*)?$ {{ {status} }}
    location /cgi-bin/ {{ return 404; }}{server_extra}
}}
"""


class LocalStack:
    """nginx + status.fcgi + heartbeat.fcgi in a private folder, on a free loopback port."""

    def __init__(self, directory=None, bin_dir=None, config_extra="", web_root=None,
                 with_token=True, tls=None, server_extra=()):
        """`tls`: (certificate, key) files to also serve HTTPS on `self.tls_port`.
        `server_extra`: more lines of nginx's server block (another `listen`, a location that
        adds a header to some pages)."""
        self.bin_dir = pathlib.Path(bin_dir or BIN_DIR)
        self._own_dir = directory is None
        self.dir = pathlib.Path(directory or tempfile.mkdtemp(prefix="heartbeat-stack-"))
        self.web_root = pathlib.Path(web_root or self.dir / "www")
        self.port = free_port()
        self.token = None
        self.processes = {}
        self._config_extra = config_extra
        self._with_token = with_token
        self.tls = tls
        self.tls_port = free_port() if tls else None
        self.server_extra = list(server_extra)

    # --- lifecycle ---------------------------------------------------------------------
    def start(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        self.web_root.mkdir(parents=True, exist_ok=True)
        # nginx's workers run as nobody: they must reach the sockets in this folder.
        os.chmod(self.dir, 0o755)
        self.write_config(self._config_extra)
        for name in ("status", "heartbeat"):
            self.start_program(name)
        self.start_nginx()
        return self

    def start_nginx(self):
        tls = ""
        if self.tls:
            tls = (f"\n    listen 127.0.0.1:{self.tls_port} ssl;"
                   f"\n    ssl_certificate {self.tls[0]};\n    ssl_certificate_key {self.tls[1]};")
        program_config = [("HEARTBEAT_CONFIG", self.dir / "heartbeat.conf")]
        http = HTTP_BLOCK.format(
            dir=self.dir, port=self.port, web=self.web_root, tls=tls,
            server_extra="".join("\n    " + line for line in self.server_extra),
            write=nginx.fastcgi_pass("heartbeat_write", program_config),
            status=nginx.fastcgi_pass("heartbeat_status", [("PATH_INFO", "$1")] + program_config))
        with open(self.dir / "nginx.out", "ab") as log:
            self.processes["nginx"] = nginx.start(self.dir, nginx.config(self.dir, http), log)
        wait_for_port(self.port, what=f"nginx on port {self.port}")

    def write_config(self, extra=""):
        lines = []
        if self._with_token:
            if self.token is None:
                self.token, self.token_line = new_token(self.bin_dir)
            lines.append(self.token_line)
        if not re.search(r"^\s*database\s*=", extra, re.M):  # a test may place it elsewhere
            lines.append(f"database = {self.dir / 'heartbeat.db'}")
        if extra:
            lines.append(extra.strip())
        path = self.dir / "heartbeat.conf"
        tmp = self.dir / "heartbeat.conf.tmp"
        tmp.write_text("\n".join(lines) + "\n")
        os.replace(tmp, path)  # a reader sees the old file or the new one, never half
        return path

    def start_program(self, name):
        sock = self.dir / f"{name}.sock"
        env = dict(os.environ, HEARTBEAT_CONFIG=str(self.dir / "heartbeat.conf"))
        with open(self.dir / f"{name}.log", "ab") as log:
            proc = subprocess.Popen([str(self.bin_dir / f"{name}.fcgi"), "--listen", str(sock)],
                                    stdout=log, stderr=log, env=env)
        self.processes[name] = proc
        wait_for(lambda: sock.exists() or proc.poll() is not None, what=f"{name} socket")
        if proc.poll() is not None:
            raise RuntimeError(f"{name}.fcgi exited: " + (self.dir / f"{name}.log").read_text())
        return proc

    def stop_program(self, name, sig=signal.SIGTERM, timeout=10):
        proc = self.processes.pop(name, None)
        if proc is None:
            return None
        if proc.poll() is None:
            proc.send_signal(sig)
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            raise

    def stop(self):
        nginx_master = self.processes.get("nginx")
        for name in list(self.processes):
            try:
                self.stop_program(name, signal.SIGQUIT if name == "nginx" else signal.SIGTERM)
            except subprocess.TimeoutExpired:
                pass
        if nginx_master is not None:
            try:  # the workers of a master that was killed with SIGKILL are still there
                os.killpg(nginx_master.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        reports = self.sanitizer_reports()
        if self._own_dir and not os.environ.get("HEARTBEAT_KEEP_STACK"):
            shutil.rmtree(self.dir, ignore_errors=True)
        if reports:
            raise AssertionError("sanitizer report in program logs:\n" + reports)

    def sanitizer_reports(self):
        """What AddressSanitizer, LeakSanitizer or UBSan wrote in the programs' logs."""
        found = []
        for name in ("status", "heartbeat"):
            log = self.dir / f"{name}.log"
            text = log.read_text(errors="replace") if log.exists() else ""
            if "Sanitizer" in text or "runtime error:" in text:
                found.append(f"--- {name}.log ---\n{text[-4000:]}")
        return "\n".join(found)

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc):
        self.stop()

    # --- HTTP --------------------------------------------------------------------------
    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"

    @property
    def status_url(self):
        return self.base_url + "/cgi-bin/status.fcgi"

    @property
    def heartbeat_url(self):
        return self.base_url + "/cgi-bin/heartbeat.fcgi"

    def request(self, method, path, headers=None, body=None, timeout=10):
        """Returns (status, headers as a lower-cased dict, body bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            data = response.read()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, data
        finally:
            conn.close()

    def post_heartbeat(self, payload=None, token=None, headers=None):
        all_headers = {"Authorization": f"Bearer {token or self.token}"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        return self.request("POST", "/cgi-bin/heartbeat.fcgi", all_headers, body)

    def status(self, query=""):
        status, headers, body = self.request("GET", "/cgi-bin/status.fcgi" + query)
        return status, headers, json.loads(body) if body else None


def main(argv):
    import argparse
    parser = argparse.ArgumentParser(description="A private nginx with both heartbeat programs.")
    sub = parser.add_subparsers(dest="command", required=True)
    start = sub.add_parser("start", help="start in DIR; prints the base URL, writes DIR/token")
    start.add_argument("dir")
    start.add_argument("--web", help="the folder nginx serves at /")
    start.add_argument("--config", action="append", default=[], help="an extra config line")
    start.add_argument("--nginx", action="append", default=[],
                       help="an extra line of nginx's server block")
    stop = sub.add_parser("stop", help="stop what `start` started in DIR")
    stop.add_argument("dir")
    args = parser.parse_args(argv[1:])

    directory = pathlib.Path(args.dir).resolve()
    pids = directory / "stack.pids"
    if args.command == "start":
        stack = LocalStack(directory=directory, web_root=args.web,
                           config_extra="\n".join(args.config), server_extra=args.nginx)
        stack.start()
        pids.write_text("\n".join(str(p.pid) for p in stack.processes.values()) + "\n")
        (directory / "token").write_text(stack.token + "\n")
        os.chmod(directory / "token", 0o600)
        print(stack.base_url)
        return 0
    if not pids.exists():
        return 0
    nginx_pid = int(pids.read_text().split()[-1])
    for pid in pids.read_text().split():
        try:
            os.kill(int(pid), signal.SIGTERM)
        except ProcessLookupError:
            pass
    try:  # and any nginx worker left behind
        os.killpg(nginx_pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    pids.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
