"""A real shared cache in front: Debian's Varnish before nginx and both programs, as a CDN
would sit when a post goes viral. The programs' headers alone must make it right:
- with many visitors asking, the origin sees about one request per max-age per variant;
- a heartbeat that changes the state is seen through the cache within the cached max-age;
- a listed Origin and another get their own answers (Vary: Origin), never each other's;
- a conditional request is answered by the cache; heartbeat.fcgi is never cached.
The figure (visitor requests per origin request) is printed for bench/results.md."""
import http.client
import json
import os
import re
import shutil
import tempfile
import threading
import time
import unittest

from harness.local_stack import LocalStack
from harness.varnish import Varnish


MAX_AGE = 2          # offline_max_age: the max-age of every answer while offline
ONLINE_WINDOW = 4    # so that an online answer's max-age is at most 4 s
LISTED = "https://listed.example"
OTHER = "https://other.example"
LOAD_SECONDS = float(os.environ.get("CACHE_LOAD_SECONDS", "8"))
CLIENTS = 16
PATHS = ["/cgi-bin/status.fcgi", "/cgi-bin/status.fcgi/badge.svg"]
ORIGINS = [None, LISTED, OTHER]
SLACK = 1.0          # seconds for the round trips around a max-age on a busy machine


def ask(port, method, path, headers=None, body=None, conn=None):
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        if own:
            conn.close()


def max_age(headers):
    return int(re.search(r"max-age=(\d+)", headers["cache-control"]).group(1))


class SharedCache(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = LocalStack(config_extra=f"offline_max_age = {MAX_AGE}\nonline_window = {ONLINE_WINDOW}\n"
                                            f"allow_origin = {LISTED}").start()
        cls.varnish = Varnish(tempfile.mkdtemp(prefix="heartbeat-varnish-"), cls.stack.port).start()
        cls.port = cls.varnish.port
        cls.access_log = cls.stack.dir / "nginx-access.log"

    @classmethod
    def tearDownClass(cls):
        cls.varnish.stop()
        shutil.rmtree(cls.varnish.dir, ignore_errors=True)
        cls.stack.stop()

    def origin_lines(self, since=0):
        """The origin's access log lines after byte `since`; and the new end."""
        data = self.access_log.read_bytes()
        return data[since:].decode(errors="replace").splitlines(), len(data)

    def heartbeat(self, state):
        token = {"Authorization": f"Bearer {self.stack.token}", "Content-Type": "application/json"}
        status, headers, body = ask(self.port, "POST", "/cgi-bin/heartbeat.fcgi", token,
                                    json.dumps({"device": "mac", "state": state}).encode())
        self.assertEqual(status, 200, body)
        return headers

    def state_through_cache(self):
        _, headers, body = ask(self.port, "GET", "/cgi-bin/status.fcgi")
        return json.loads(body)["state"], headers

    def test_1_many_visitors_one_origin_request_per_max_age_per_variant(self):
        self.heartbeat("offline")
        _, start = self.origin_lines()
        counts = [0] * CLIENTS
        deadline = time.monotonic() + LOAD_SECONDS
        failures = []

        def visitor(n):
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
            i = n
            while time.monotonic() < deadline:
                path, origin = PATHS[i % len(PATHS)], ORIGINS[(i // len(PATHS)) % len(ORIGINS)]
                status, headers, _ = ask(self.port, "GET", path, {"Origin": origin} if origin else {}, conn=conn)
                if status != 200 or headers.get("access-control-allow-origin") != (LISTED if origin == LISTED else None):
                    failures.append((path, origin, status, headers))
                counts[n] += 1
                i += 1
            conn.close()

        threads = [threading.Thread(target=visitor, args=(n,)) for n in range(CLIENTS)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        self.assertEqual(failures[:3], [])

        lines, _ = self.origin_lines(start)
        per_variant = {}
        for line in lines:
            # nginx logs a request after answering it: the heartbeat posted above may land here.
            if '"POST /cgi-bin/heartbeat.fcgi ' in line:
                continue
            match = re.search(r'"GET (\S+) HTTP/1.1" \d+ \d+ "[^"]*" "cache-fill origin=([^"]*)"', line)
            self.assertTrue(match, line)
            key = (match.group(1), match.group(2) or None)
            per_variant[key] = per_variant.get(key, 0) + 1
        self.assertEqual(set(per_variant), {(p, o) for p in PATHS for o in ORIGINS})
        expiries = elapsed / MAX_AGE
        for variant, n in per_variant.items():
            # One fetch when first asked, then one each time the answer's max-age runs out.
            self.assertLessEqual(n, expiries + 2, f"{variant}: {n} origin requests in {elapsed:.1f} s")
            self.assertGreaterEqual(n, expiries - 1, f"{variant}: only {n}: kept past its max-age?")
        visitors, origin = sum(counts), len(lines)
        print(f"\n  {visitors} visitor requests from {CLIENTS} clients in {elapsed:.1f} s "
              f"({len(per_variant)} variants, max-age {MAX_AGE} s): {origin} origin requests, "
              f"{visitors / origin:.0f} visitor requests per origin request", end=" ")

    def test_2_a_change_of_state_is_seen_within_the_cached_max_age(self):
        """Every answer fetched before the heartbeat has at most the max-age of the last one
        seen (offline: offline_max_age; online: the rest of the window, which only shrinks),
        and that fetch may have begun just before the heartbeat (a cache refreshing a stale
        copy in the background): so the change shows within that max-age of the heartbeat."""
        self.heartbeat("offline")
        for want, send in (("online", "active"), ("offline", "offline")):
            state, cached = self.state_through_cache()
            self.assertNotEqual(state, want)
            bound = max_age(cached) + SLACK
            sent = time.monotonic()
            self.heartbeat(send)
            while True:
                state, headers = self.state_through_cache()
                waited = time.monotonic() - sent
                if state == want:
                    break
                self.assertLess(waited, bound, f"still {state} after {waited:.2f} s (max-age {max_age(cached)})")
                time.sleep(0.05)
            self.assertLessEqual(max_age(headers), ONLINE_WINDOW)

    def test_3_a_listed_origin_and_another_get_their_own_answers(self):
        for _ in range(2):  # the second round comes from the cache
            status, listed, _ = ask(self.port, "GET", "/cgi-bin/status.fcgi", {"Origin": LISTED})
            self.assertEqual((status, listed.get("access-control-allow-origin")), (200, LISTED))
            self.assertIn("Origin", listed["vary"])
            status, other, _ = ask(self.port, "GET", "/cgi-bin/status.fcgi", {"Origin": OTHER})
            self.assertEqual(status, 200)
            self.assertNotIn("access-control-allow-origin", other)
            status, plain, _ = ask(self.port, "GET", "/cgi-bin/status.fcgi")
            self.assertNotIn("access-control-allow-origin", plain)
        self.assertEqual(len(listed["x-varnish"].split()), 2, "the second listed answer was not a hit")

    def test_4_conditional_requests_are_answered_by_the_cache(self):
        path = f"/cgi-bin/status.fcgi?format=shields&probe={time.monotonic_ns()}"  # a new variant
        _, first, _ = ask(self.port, "GET", path)  # fetched now: fresh for MAX_AGE seconds
        _, start = self.origin_lines()
        status, headers, body = ask(self.port, "GET", path, {"If-None-Match": first["etag"]})
        lines, _ = self.origin_lines(start)
        self.assertEqual((status, body, lines), (304, b"", []))
        self.assertEqual(headers["etag"], first["etag"])

    def test_5_heartbeats_are_never_cached(self):
        _, start = self.origin_lines()
        for _ in range(3):
            headers = self.heartbeat("active")
            self.assertIn("no-store", headers["cache-control"])
            status, _, _ = ask(self.port, "POST", "/cgi-bin/heartbeat.fcgi", {"Content-Type": "application/json"}, b"{}")
            self.assertEqual(status, 401)
            status, headers, _ = ask(self.port, "GET", "/cgi-bin/heartbeat.fcgi")
            self.assertEqual(status, 405)
            self.assertEqual(headers.get("age", "0"), "0")
            time.sleep(0.01)
        lines, _ = self.origin_lines(start)
        self.assertEqual(sum("/cgi-bin/heartbeat.fcgi" in line for line in lines), 9, lines)

    def test_6_refusals_of_status_are_never_cached(self):
        # Varnish's built-in rules keep a 404 for two minutes when nothing says otherwise.
        refusals = [("GET", "/cgi-bin/status.fcgi/nothing-here", 404),
                    ("GET", "/cgi-bin/status.fcgi?format=nope", 400),
                    ("GET", "/cgi-bin/status.fcgi?format=svg&label=%FF", 400),
                    ("DELETE", "/cgi-bin/status.fcgi", 405)]
        _, start = self.origin_lines()
        for method, path, expected in refusals:
            for _ in range(3):
                status, headers, _ = ask(self.port, method, path)
                self.assertEqual(status, expected, path)
                self.assertEqual(headers.get("cache-control"), "no-store", path)
                self.assertEqual(headers.get("age", "0"), "0", path)
        lines, _ = self.origin_lines(start)
        for method, path, _ in refusals:
            self.assertEqual(sum(f"{method} {path} " in line for line in lines), 3, lines)


if __name__ == "__main__":
    unittest.main()
