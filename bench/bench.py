"""`make bench`: status and heartbeat throughput behind one private nginx, side by side with
what a user would otherwise run. Rounds are interleaved (A B C …, A B C …) and medians
reported, each also as a ratio to the static file measured in the same round, because a
shared machine is noisy. Loopback only; every run is bounded in time.

Two tables: wrk keeps every connection busy (the most each target can answer, and the
latency of the queue that builds at that point); `fixed_rate` offers the same load to each
target and times every request from when it was due (the latency a visitor sees at that load).

    python3 -m bench.bench [--quick] [--out FILE]     (from the repository's root)
"""
import argparse
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

from harness import ROOT, nginx
from harness.processes import free_port, wait_for, wait_for_port
from harness.programs import new_token


# The binaries a user deploys: `make dist`'s static ones (override with HEARTBEAT_BENCH_BIN).
BIN = pathlib.Path(os.environ.get("HEARTBEAT_BENCH_BIN", ROOT / "build" / "static"))
PHP_FPM = shutil.which("php-fpm8.2") or "/usr/sbin/php-fpm8.2"
FIXED_RATE = ROOT / "build" / "release" / "bench" / "fixed_rate"
MINIMAL = ROOT / "build" / "release" / "bench" / "minimal_fastcgi"

# The http block of the bench's nginx (harness.nginx writes the rest).
HTTP_BLOCK = """\
fastcgi_cache_path {d}/cache levels=1 keys_zone=status_cache:1m;
# As nginx.conf.example: connections to our programs are kept open and reused.
upstream one {{ server unix:{d}/status-one.sock; keepalive 32; }}
upstream pool {{ server unix:{d}/status-pool.sock; keepalive 32; }}
upstream write {{ server unix:{d}/heartbeat.sock; keepalive 32; }}
upstream minimal {{ server unix:{d}/minimal.sock; keepalive 32; }}
upstream before {{ server unix:{d}/status-before.sock; keepalive 32; }}
server {{
    listen 127.0.0.1:{port} backlog=4096;
    root {d}/www;
    location = /static.json {{ default_type application/json; }}
    location = /one {{ {one} }}
    location = /pool {{ {pool} }}
    # A new connection per request, as Apache's mod_fcgid and a plain fastcgi_pass do.
    location = /unkept {{ {unkept} }}
    location = /cgi {{ {cgi} }}
    location = /php {{ {php} }}
    location = /cached {{
        {one}
        fastcgi_cache status_cache;
        fastcgi_cache_key $request_uri;
        fastcgi_cache_lock on;
    }}
    location = /minimal {{ {minimal} }}
    location = /before {{ {before} }}
    location = /heartbeat {{ {write} }}
}}
"""


def nginx_config(d, port):
    http = HTTP_BLOCK.format(
        d=d, port=port,
        one=nginx.fastcgi_pass("one"), pool=nginx.fastcgi_pass("pool"),
        write=nginx.fastcgi_pass("write"), minimal=nginx.fastcgi_pass("minimal"),
        before=nginx.fastcgi_pass("before"),
        unkept=nginx.fastcgi_pass(f"unix:{d}/status-one.sock", keep=False),
        cgi=nginx.fastcgi_pass(f"unix:{d}/fcgiwrap.sock", keep=False, params=[
            ("SCRIPT_FILENAME", BIN / "status.fcgi"), ("HEARTBEAT_CONFIG", d / "heartbeat.conf")]),
        php=nginx.fastcgi_pass(f"unix:{d}/php-fpm.sock", keep=False, params=[
            ("SCRIPT_FILENAME", ROOT / "bench" / "status.php"), ("HEARTBEAT_DB", d / "heartbeat.db")]))
    return nginx.config(d, http, log_level="error", connections=4096, access_log=False)


PHP_FPM_CONF = """\
[global]
pid = {d}/php-fpm.pid
error_log = {d}/php-fpm.log
daemonize = no
[bench]
listen = {d}/php-fpm.sock
listen.mode = 0666
pm = static
pm.max_children = 4
clear_env = no
"""

# name, path, what it is
TARGETS = [
    ("static", "/static.json", "nginx serving a static JSON file (the ceiling)"),
    ("minimal FastCGI", "/minimal", "bench/minimal_fastcgi.c: one epoll thread, kept connections, "
                                    "a fixed answer, no params read (the design's ceiling)"),
    ("status.fcgi", "/one", "status.fcgi --listen, one process; nginx keeps connections open "
                            "(fastcgi_keep_conn, as nginx.conf.example)"),
    ("status.fcgi ×2", "/pool", "status.fcgi --listen --processes 2: one process per core on one "
                                "socket, connections kept open"),
    ("status.fcgi 1 conn/req", "/unkept", "status.fcgi --listen, one process, a new connection "
                                          "per request (Apache mod_fcgid's way)"),
    ("status.fcgi CGI", "/cgi", "status.fcgi as plain CGI through fcgiwrap (a process per request)"),
    ("PHP-FPM", "/php", "PHP-FPM script opening SQLite and reading one row (4 workers, OPcache)"),
    ("cached", "/cached", "status.fcgi behind nginx fastcgi_cache"),
    ("heartbeat.fcgi", "/heartbeat", "authenticated, durable POSTs to heartbeat.fcgi"),
]

# The fixed-rate table: the status answers a visitor can get (the CGI row would only measure
# its backlog, and heartbeats come from one owner, not from crowds). Requests per second
# offered over 32 kept connections: a busy day, and a front-page spike far past PHP-FPM's
# capacity on this machine.
# `--before DIR`: status.fcgi of another build (DIR/status.fcgi), as a row of its own, so that a
# change is measured against the code before it in the same interleaved rounds.
BEFORE = ("status.fcgi before", "/before", "status.fcgi --listen of the build given by --before, "
                                           "one process, connections kept")

RATE_TARGETS = ("static", "status.fcgi", "status.fcgi ×2", "cached", "PHP-FPM")
RATES = (1000, 10000)
RATE_CONNECTIONS = 32


class Bench:
    def __init__(self, directory, before=None):
        self.d = pathlib.Path(directory)
        self.before = before
        self.port = free_port()
        self.procs = []
        self.rss_pids = {}

    def spawn(self, args, **kw):
        proc = subprocess.Popen(args, stdout=subprocess.PIPE if kw.pop("capture", False) else subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True, **kw)
        self.procs.append(proc)
        return proc

    def start(self):
        d = self.d
        os.chmod(d, 0o755)
        (d / "www").mkdir()
        self.token, line = new_token(BIN)
        (d / "heartbeat.conf").write_text(f"{line}\ndatabase = {d}/heartbeat.db\n")
        env = dict(os.environ, HEARTBEAT_CONFIG=str(d / "heartbeat.conf"))
        one = self.spawn([BIN / "status.fcgi", "--listen", d / "status-one.sock"], env=env)
        hb = self.spawn([BIN / "heartbeat.fcgi", "--listen", d / "heartbeat.sock"], env=env)
        pool = self.spawn([BIN / "status.fcgi", "--listen", d / "status-pool.sock", "--processes", "2"], env=env)
        minimal = self.spawn([MINIMAL, d / "minimal.sock"])
        sockets = ["status-one", "heartbeat", "status-pool", "fcgiwrap", "php-fpm", "minimal"]
        if self.before:
            before_env = self.seed_before(line)
            before = self.spawn([self.before / "status.fcgi", "--listen", d / "status-before.sock"],
                                env=before_env)
            self.rss_pids[BEFORE[0]] = [before.pid]
            sockets.append("status-before")
        self.rss_pids = {"status.fcgi": [one.pid], "status.fcgi 1 conn/req": [one.pid],
                         "heartbeat.fcgi": [hb.pid], "cached": [one.pid],
                         "minimal FastCGI": [minimal.pid], **self.rss_pids}
        # fcgiwrap forks and execs status.fcgi for each request: the CGI model.
        cgi = subprocess.run(["spawn-fcgi", "-s", str(d / "fcgiwrap.sock"), "-F", "2", "-M", "0666",
                              "--", shutil.which("fcgiwrap") or "/usr/sbin/fcgiwrap"],
                             env=env, capture_output=True, text=True)
        self.other_pids = [int(p) for p in re.findall(r"PID: (\d+)", cgi.stdout + cgi.stderr)]
        (d / "php-fpm.conf").write_text(PHP_FPM_CONF.format(d=d))
        self.spawn([PHP_FPM, "-y", str(d / "php-fpm.conf"), "-F", "-R"])
        for sock in sockets:
            wait_for(lambda: (d / f"{sock}.sock").exists(), what=sock)
        # The pool's workers, whose memory is what counts (their parent only looks after them).
        wait_for(lambda: len(workers_of(pool.pid)) == 2, what="status.fcgi workers")
        self.rss_pids["status.fcgi ×2"] = workers_of(pool.pid)
        self.procs.append(nginx.start(d, nginx_config(d, self.port)))
        wait_for_port(self.port, what="nginx")
        # Every target answers the same JSON from the same kind of file: the owner is online.
        self.heartbeat()
        body = self.get("/one")
        (d / "www" / "static.json").write_bytes(body)
        for _, path, _ in TARGETS[:-1] + ([BEFORE] if self.before else []):
            got = json.loads(self.get(path))
            assert got == {"isOnline": True, "state": "online"}, (path, got)
        (d / "post.lua").write_text(
            'wrk.method = "POST"\nwrk.body = \'{"device":"bench","state":"active"}\'\n'
            'wrk.headers["Content-Type"] = "application/json"\n'
            f'wrk.headers["Authorization"] = "Bearer {self.token}"\n')

    def seed_before(self, token_line):
        """The other build's own database, online: its schema may be older than ours, which a
        build refuses to open. Its heartbeat.fcgi, run once as plain CGI, writes the beat."""
        d = self.d
        (d / "before.conf").write_text(f"{token_line}\ndatabase = {d}/before.db\n")
        env = dict(os.environ, HEARTBEAT_CONFIG=str(d / "before.conf"))
        body = b'{"device":"bench","state":"active"}'
        cgi = dict(env, REQUEST_METHOD="POST", CONTENT_TYPE="application/json",
                   CONTENT_LENGTH=str(len(body)), HTTP_AUTHORIZATION=f"Bearer {self.token}",
                   REMOTE_ADDR="127.0.0.1", GATEWAY_INTERFACE="CGI/1.1")
        answer = subprocess.run([self.before / "heartbeat.fcgi"], input=body, env=cgi,
                                capture_output=True, check=True)
        assert answer.stdout.startswith(b"Status: 200"), answer.stdout[:200]
        return env

    def heartbeat(self):
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}/heartbeat", method="POST",
                                         data=b"{}", headers={"Authorization": f"Bearer {self.token}",
                                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(request) as response:
            assert response.status == 200

    def get(self, path):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}") as response:
            return response.read()

    def stop(self):
        for proc in self.procs:
            try:
                os.killpg(proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for pid in getattr(self, "other_pids", []):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for proc in self.procs:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)

    def peak_rss_kb(self, name):
        peaks = []
        for pid in self.rss_pids.get(name, []):
            try:
                text = pathlib.Path(f"/proc/{pid}/status").read_text()
                peaks.append(int(re.search(r"VmHWM:\s+(\d+)", text).group(1)))
            except (OSError, AttributeError):
                pass
        return max(peaks) if peaks else None

    def wrk(self, name, path, connections, seconds):
        threads = 1 if connections == 1 else 2
        args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency", "--timeout", "5s"]
        if name == "heartbeat.fcgi":
            args += ["-s", str(self.d / "post.lua")]
        out = subprocess.run(args + [f"http://127.0.0.1:{self.port}{path}"], capture_output=True,
                             text=True, timeout=seconds + 30).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
        socket_errors = re.search(r"Socket errors: (.*)", out)
        return {"rps": rps, "p50": latency(out, "50%"), "p99": latency(out, "99%"),
                "errors": int(errors.group(1)) if errors else 0,
                "socket_errors": socket_errors.group(1) if socket_errors else ""}

    def fixed_rate(self, path, rate, seconds):
        out = subprocess.run([FIXED_RATE, str(self.port), path, str(rate), str(RATE_CONNECTIONS), str(seconds)],
                             capture_output=True, text=True, timeout=seconds + 30, check=True).stdout
        run = json.loads(out)
        if run["unanswered"]:
            self.drain(path)
        return run

    def drain(self, path, limit=120):
        """A target that fell behind still holds the requests nginx passed on: wait until it
        answers promptly again, so that the next run does not pay for this one."""
        deadline = time.monotonic() + limit
        while time.monotonic() < deadline:
            started = time.monotonic()
            self.get(path)
            if time.monotonic() - started < 0.05:
                return
            time.sleep(0.5)


def workers_of(pid):
    return [int(p) for p in pathlib.Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def wake_up_round_trip(samples=1000):
    """How long this machine takes to wake a sleeping process: a byte there and back between
    two processes over a socket pair, with a pause between samples so that both fall idle.
    Every request through nginx to a program makes such trips, so when their tail is long
    (a busy host delaying an idle virtual CPU), so is every latency tail in the tables."""
    ours, theirs = socket.socketpair()
    child = os.fork()
    if child == 0:
        ours.close()
        while byte := theirs.recv(1):
            theirs.send(byte)
        os._exit(0)
    theirs.close()
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        ours.send(b"x")
        ours.recv(1)
        times.append((time.perf_counter() - started) * 1e6)
        time.sleep(0.001)
    ours.close()
    os.waitpid(child, 0)
    times.sort()
    return f"p50 {times[samples // 2]:.0f} µs, p99 {times[samples * 99 // 100]:.0f} µs"


def ratio_to_static(runs, static_runs, key):
    """The median over rounds of this target's figure divided by the static file's."""
    return statistics.median(r[key] / s[key] for r, s in zip(runs, static_runs) if s[key])


def median(runs, key):
    return statistics.median(r[key] for r in runs)


def throughput_table(results, targets, connections, rss):
    lines = ["| target | conns | req/s | × static | p50 ms | × static | p99 ms | × static | non-2xx | peak RSS |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for c in connections:
        static = results[("static", c)]
        for name, _, _ in targets:
            runs = results[(name, c)]
            memory = f"{rss[name] / 1024:.1f} MB" if rss.get(name) else "n/a"
            lines.append(
                f"| {name} | {c} | {median(runs, 'rps'):,.0f} | {ratio_to_static(runs, static, 'rps'):.2f} | "
                f"{median(runs, 'p50'):.3f} | {ratio_to_static(runs, static, 'p50'):.2f} | "
                f"{median(runs, 'p99'):.3f} | {ratio_to_static(runs, static, 'p99'):.2f} | "
                f"{sum(r['errors'] for r in runs)} | {memory} |")
    return "\n".join(lines)


def fixed_rate_table(rate_results, rate_targets, rates):
    lines = [f"At a fixed rate ({RATE_CONNECTIONS} connections; latency from when each request was due):",
             "",
             "| target | offered req/s | p50 ms | p90 ms | p99 ms | × static | p99.9 ms | unanswered | non-2xx |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for rate in rates:
        static = rate_results[("static", rate)]
        for name, _, _ in rate_targets:
            runs = rate_results[(name, rate)]
            unanswered = sum(r["unanswered"] for r in runs)
            counted = sum(r["counted"] for r in runs)
            lines.append(
                f"| {name} | {rate:,} | {median(runs, 'p50'):.3f} | {median(runs, 'p90'):.3f} | "
                f"{median(runs, 'p99'):.3f} | {ratio_to_static(runs, static, 'p99'):.2f} | "
                f"{median(runs, 'p999'):.3f} | {100 * unanswered / counted:.0f}% | "
                f"{sum(r['errors'] for r in runs)} |")
    return "\n".join(lines)


def latency(out, percentile):
    m = re.search(rf"^\s+{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value  # in ms


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="one short round, for make test")
    parser.add_argument("--out", help="also write the table and notes to this markdown file")
    parser.add_argument("--only", help="comma-separated target names to run (static is always run)")
    parser.add_argument("--rounds", type=int, help="rounds (default 5, --quick 1)")
    parser.add_argument("--seconds", type=int, help="seconds per run (default 4, --quick 1)")
    parser.add_argument("--connections", help="comma-separated connection counts (default 1,32)")
    parser.add_argument("--rates", help="comma-separated fixed rates in requests/s (default 1000,10000; "
                                        "0 for none)")
    parser.add_argument("--before", type=pathlib.Path,
                        help="a folder with another build's status.fcgi and heartbeat.fcgi, measured as a row of its own")
    args = parser.parse_args()
    rounds, seconds = (1, 1) if args.quick else (5, 4)
    rounds, seconds = args.rounds or rounds, args.seconds or seconds
    connections = tuple(int(c) for c in args.connections.split(",")) if args.connections else (1, 32)
    rates = tuple(int(r) for r in args.rates.split(",") if int(r) > 0) if args.rates else RATES
    targets = TARGETS
    if args.only:
        wanted = {"static", *args.only.split(",")}
        targets = [t for t in TARGETS if t[0] in wanted]
    if args.before:
        targets = [*targets, BEFORE]
    rate_targets = [t for t in targets if t[0] in RATE_TARGETS]

    wake_up_before = wake_up_round_trip()
    results = {}  # (name, c) -> list of runs
    rate_results = {}  # (name, rate) -> list of runs
    with tempfile.TemporaryDirectory(prefix="heartbeat-bench-") as tmp:
        bench = Bench(tmp, args.before)
        try:
            bench.start()
            for round_number in range(rounds):
                for c in connections:
                    for name, path, _ in targets:
                        run = bench.wrk(name, path, c, seconds)
                        results.setdefault((name, c), []).append(run)
                for rate in rates:
                    for name, path, _ in rate_targets:
                        run = bench.fixed_rate(path, rate, seconds)
                        rate_results.setdefault((name, rate), []).append(run)
                print(f"round {round_number + 1}/{rounds} done", file=sys.stderr)
            rss = {name: bench.peak_rss_kb(name) for name, _, _ in targets}
        finally:
            bench.stop()

    table = throughput_table(results, targets, connections, rss)
    if any(name == "minimal FastCGI" for name, _, _ in targets):
        table += "\n\n" + "; ".join(
            f"status.fcgi / minimal FastCGI at {c} conn: "
            f"{ratio_to_static(results[('status.fcgi', c)], results[('minimal FastCGI', c)], 'rps'):.2f}× req/s"
            for c in connections if ("status.fcgi", c) in results)
        if args.before:
            table += "; " + "; ".join(
                f"status.fcgi before / minimal FastCGI at {c} conn: "
                f"{ratio_to_static(results[(BEFORE[0], c)], results[('minimal FastCGI', c)], 'rps'):.2f}× req/s"
                for c in connections)
    if rates:
        table += "\n\n" + fixed_rate_table(rate_results, rate_targets, rates)
    table += (f"\n\nWaking a sleeping process on this machine (a round trip between two): "
              f"{wake_up_before} before the run, {wake_up_round_trip()} after.")
    print(table)
    legend = "\n".join(f"- **{name}**: {what}" for name, _, what in targets)
    if args.out:
        pathlib.Path(args.out).write_text(
            f"{table}\n\n{rounds} interleaved rounds of {seconds} s per target, connection count "
            f"and rate; medians; each \"× static\" is the median of the per-round ratios to the "
            f"static file (for latency, lower is better).\n\n{legend}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
