"""Many readers while heartbeats are written: status through nginx from several threads, plain
CGI status processes and CGI heartbeat writers on the same file, for a bounded time. No 5xx
and no SQLITE_BUSY ever reaches a client."""
import concurrent.futures
import json
import threading
import time
import unittest

from harness.local_stack import LocalStack
from harness.programs import run_cgi



class Concurrency(unittest.TestCase):
    def test_readers_and_writers_share_the_file_without_errors(self):
        with LocalStack() as stack:
            stop = threading.Event()
            counts = {"status": 0, "heartbeat": 0, "cgi": 0}
            failures = []
            lock = threading.Lock()

            def record(kind, status, body):
                with lock:
                    counts[kind] += 1
                    if status != 200:
                        failures.append((kind, status, body[:200]))

            def reader():
                while not stop.is_set():
                    status, _, body = stack.request("GET", "/cgi-bin/status.fcgi")
                    record("status", status, body)

            def writer():
                n = 0
                while not stop.is_set():
                    status, _, body = stack.post_heartbeat(
                        {"device": f"writer{n % 5}", "state": "active" if n % 2 else "idle"})
                    n += 1
                    record("heartbeat", status, body)

            env = {"HEARTBEAT_CONFIG": str(stack.dir / "heartbeat.conf"), "REMOTE_ADDR": "127.0.0.1"}

            def cgi_worker(i):
                while not stop.is_set():
                    if i % 2:
                        status, _, body, _ = run_cgi("status.fcgi", dict(env, REQUEST_METHOD="GET"))
                    else:
                        body_bytes = json.dumps({"device": f"cgi{i}"}).encode()
                        status, _, body, _ = run_cgi("heartbeat.fcgi", dict(
                            env, REQUEST_METHOD="POST", CONTENT_TYPE="application/json",
                            CONTENT_LENGTH=str(len(body_bytes)),
                            HTTP_AUTHORIZATION=f"Bearer {stack.token}"), body_bytes)
                    record("cgi", status, body)

            with concurrent.futures.ThreadPoolExecutor(max_workers=10) as pool:
                jobs = [pool.submit(reader) for _ in range(4)]
                jobs += [pool.submit(writer) for _ in range(2)]
                jobs += [pool.submit(cgi_worker, i) for i in range(4)]
                time.sleep(6)
                stop.set()
                for job in jobs:
                    job.result()

            self.assertEqual(failures, [])
            self.assertGreater(counts["status"], 200)
            self.assertGreater(counts["heartbeat"], 50)
            self.assertGreater(counts["cgi"], 20)
            logs = "".join((stack.dir / f"{p}.log").read_text() for p in ("status", "heartbeat"))
            self.assertNotIn("locked", logs)
            self.assertNotIn("busy", logs.lower())
            print(f"\n  concurrency: {counts}, 0 errors", end=" ")

    def test_every_acknowledged_heartbeat_is_in_the_next_status_under_load(self):
        """Readers keep the status process busy, so that its reads are shared and given again
        while the file shows no commit; each heartbeat answered 200 (through nginx, or by a
        CGI process of its own) is in the very next status."""
        with LocalStack() as stack:
            stop = threading.Event()
            loads = []

            def reader():
                n = 0
                while not stop.is_set():
                    stack.request("GET", "/cgi-bin/status.fcgi")
                    n += 1
                loads.append(n)

            env = {"HEARTBEAT_CONFIG": str(stack.dir / "heartbeat.conf"), "REMOTE_ADDR": "127.0.0.1",
                   "REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/json",
                   "HTTP_AUTHORIZATION": f"Bearer {stack.token}"}

            def beat(state, through_cgi):
                if through_cgi:
                    body = json.dumps({"device": "solo", "state": state}).encode()
                    return run_cgi("heartbeat.fcgi", dict(env, CONTENT_LENGTH=str(len(body))), body)[0]
                return stack.post_heartbeat({"device": "solo", "state": state})[0]

            wrong = []
            with concurrent.futures.ThreadPoolExecutor(max_workers=3) as pool:
                jobs = [pool.submit(reader) for _ in range(3)]
                try:
                    for i in range(120):
                        state = "active" if i % 2 == 0 else "offline"
                        self.assertEqual(beat(state, through_cgi=i % 4 >= 2), 200)
                        status, _, body = stack.request("GET", "/cgi-bin/status.fcgi")
                        online = json.loads(body)["isOnline"] if status == 200 else None
                        if online != (state == "active"):
                            wrong.append((i, state, status, body[:120]))
                finally:
                    stop.set()
                    for job in jobs:
                        job.result()
            self.assertEqual(wrong, [])
            self.assertGreater(sum(loads), 240)


if __name__ == "__main__":
    unittest.main()
