"""The programs under test, run directly: as plain CGI in an exact environment, or for a new
token. Also what every test of their answers needs (the JSON content type, the body parsed)."""
import json
import subprocess

from harness import BIN_DIR
from harness.fastcgi import parse_cgi_output

JSON_TYPE = "application/json; charset=utf-8"


def json_body(data):
    return json.loads(data.decode("utf-8"))


def new_token(bin_dir=BIN_DIR):
    """(token, config line with its hash), from `heartbeat.fcgi --new-token`."""
    out = subprocess.run([str(bin_dir / "heartbeat.fcgi"), "--new-token"], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    return out[0], out[1]


def run_cgi(program, env, stdin=b"", timeout=10):
    """Runs a program as CGI in exactly `env`; returns (status, headers, body, stderr)."""
    proc = subprocess.run([str(BIN_DIR / program)], input=stdin, env=env,
                          capture_output=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr
    status, headers, body = parse_cgi_output(proc.stdout)
    return status, headers, body, proc.stderr.decode(errors="replace")
