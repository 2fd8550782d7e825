"""A bounded soak: status at full speed (wrk) and a heartbeat every few milliseconds through
nginx, plus failed tokens from many addresses straight at heartbeat.fcgi, for SOAK_SECONDS.
Zero errors; each program's RSS and open descriptors flat after warm-up; the database bounded."""
import os
import pathlib
import random
import re
import subprocess
import threading
import time
import unittest

from harness.fastcgi import fcgi_request
from harness.local_stack import LocalStack
from harness.processes import wait_for


SECONDS = int(os.environ.get("SOAK_SECONDS", "30"))


def rss_kb(pid):
    return int(re.search(r"VmRSS:\s+(\d+)", pathlib.Path(f"/proc/{pid}/status").read_text()).group(1))


def fd_count(pid):
    """Open descriptors other than sockets (database, WAL, logs), and sockets. A busy program
    also holds the connection it is answering, so sockets may be the listener plus one."""
    files = sockets = 0
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except FileNotFoundError:
            continue
        if target.startswith("socket:"):
            sockets += 1
        else:
            files += 1
    return files, sockets


class Soak(unittest.TestCase):
    def test_soak(self):
        with LocalStack() as stack:
            pids = {name: stack.processes[name].pid for name in ("status", "heartbeat")}
            stop = threading.Event()
            errors, counts = [], {"heartbeats": 0, "failed_tokens": 0}

            def heartbeats():
                n = 0
                while not stop.is_set():
                    status, _, data = stack.post_heartbeat(
                        {"device": f"dev{n % 7}", "state": ("active", "idle", "offline")[n % 3]})
                    if status != 200:
                        errors.append(("heartbeat", status, data[:100]))
                    counts["heartbeats"] += 1
                    n += 1
                    time.sleep(0.003)

            def failed_tokens():
                rng = random.Random(1)
                while not stop.is_set():
                    address = f"198.51.{rng.randrange(256)}.{rng.randrange(256)}"
                    status, _, _ = fcgi_request(stack.dir / "heartbeat.sock", {
                        "REQUEST_METHOD": "POST", "REMOTE_ADDR": address,
                        "HTTP_AUTHORIZATION": "Bearer wrong"})
                    if status not in (401, 429):
                        errors.append(("failed token", status))
                    counts["failed_tokens"] += 1
                    time.sleep(0.01)

            workers = [threading.Thread(target=heartbeats), threading.Thread(target=failed_tokens)]
            for w in workers:
                w.start()
            wrk = subprocess.Popen(["wrk", "-t2", "-c16", f"-d{SECONDS}s", "--timeout", "5s",
                                    stack.status_url], stdout=subprocess.PIPE, text=True)
            # Warm-up under the full load: caches and buffers reach their working size.
            time.sleep(max(5, SECONDS // 5))
            rss_start = {n: rss_kb(p) for n, p in pids.items()}
            fds_start = {n: fd_count(p) for n, p in pids.items()}
            wrk_out, _ = wrk.communicate(timeout=SECONDS + 60)
            wrk = wrk_out
            stop.set()
            for w in workers:
                w.join()
            rss_end = {n: rss_kb(p) for n, p in pids.items()}
            fds_end = {n: fd_count(p) for n, p in pids.items()}
            requests = int(re.search(r"(\d+) requests in", wrk).group(1))
            non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", wrk)
            socket_errors = re.search(r"Socket errors: (.*)", wrk)
            db_size = sum(os.path.getsize(p) for p in stack.dir.glob("heartbeat.db*"))
            print(f"\n  soak {SECONDS} s: {requests} status requests, {counts['heartbeats']} heartbeats, "
                  f"{counts['failed_tokens']} failed tokens; RSS kB {rss_start} -> {rss_end}; "
                  f"fds {fds_start} -> {fds_end}; database {db_size // 1024} kB", end=" ")
            self.assertEqual(errors, [])
            self.assertIsNone(non_2xx, wrk)
            self.assertIsNone(socket_errors, wrk)
            self.assertGreater(requests, 1000)
            # Sockets: the listener and the connections nginx keeps in its pools (16 per worker
            # for status, 4 for heartbeat); once nginx is gone, only the listener is left.
            pool = {"status": 2 * 16, "heartbeat": 2 * 4}
            for name in pids:
                self.assertLess(rss_end[name] - rss_start[name], 1024, f"{name} grew")
                self.assertEqual(fds_end[name][0], fds_start[name][0], f"{name} file descriptors")
                self.assertLessEqual(fds_end[name][1], 1 + pool[name], f"{name} sockets")
            stack.stop_program("nginx")
            for name, pid in pids.items():
                wait_for(lambda: fd_count(pid)[1] == 1, what=f"{name} closing nginx's connections")
            # Seven devices and a few thousand addresses: the file stays small (WAL included).
            self.assertLess(db_size, 8 * 1024 * 1024)
            logs = (stack.dir / "status.log").read_text() + (stack.dir / "heartbeat.log").read_text()
            self.assertNotIn("database", logs)  # no storage error was ever logged


if __name__ == "__main__":
    unittest.main()
