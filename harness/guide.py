"""What the guide tests share: the shell blocks of DEPLOY.md, the unpacked dist folder, a shell
with the sandbox's systemctl first on PATH, and HTTP requests to a named site on port 80."""
import http.client
import os
import pathlib
import re
import shlex
import subprocess
import tarfile
import time

from harness import ROOT

DIST_DIR = ROOT / os.environ.get("DIST_DIR", "dist/missing")
TARBALL = DIST_DIR.parent / (DIST_DIR.name + ".tar.gz")
STAND_INS = ROOT / "tests" / "deploy" / "bin"  # the sandbox's systemctl


def guide_block(marker):
    """The ```sh block that follows the HTML comment containing `marker` in DEPLOY.md."""
    text = (ROOT / "DEPLOY.md").read_text()
    match = re.search(r"<!--[^>]*" + re.escape(marker) + r"[^>]*-->\s*```sh\n(.*?)```", text, re.S)
    if not match:
        raise AssertionError(f"DEPLOY.md has no sh block after a comment naming {marker}")
    return match.group(1)


def unpack_dist(into):
    """The tarball of `make dist`, unpacked as a user would; returns its folder."""
    with tarfile.open(TARBALL) as tar:
        tar.extractall(into)
    return pathlib.Path(into) / DIST_DIR.name


def shell(script, cwd, user=None):
    """Runs `script` with bash -e (a failing line stops it, as a careful user would), as root or
    as `user` with a login environment; returns the CompletedProcess."""
    env = dict(os.environ, PATH=f"{STAND_INS}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin")
    argv = ["bash", "-e", "-c", script]
    if user:
        argv = ["runuser", "-l", user, "-c", f"cd {cwd} && bash -e -c {shlex.quote(script)}"]
    return subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True)


def request(host, method, path, headers=None, body=None, port=80, timeout=10):
    """One request to 127.0.0.1:port with `Host: host`: (status, lower-case headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=dict({"Host": host}, **(headers or {})))
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def processes_named(name):
    """{pid: uid} of the processes whose command is `name` (in this PID namespace)."""
    found = {}
    for status in pathlib.Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines() if ":\t" in line)
        except (FileNotFoundError, ProcessLookupError):
            continue
        if fields.get("Name") == name[:15]:
            found[int(status.parent.name)] = int(fields["Uid"].split()[0])
    return found


def poll(predicate, what, timeout=10.0):
    """The first true value of predicate(), polled until `timeout` seconds have passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")
