"""`--listen ADDR --processes N`: N workers on one socket, looked after by their parent. A worker
held up does not hold up the others, a lost worker is replaced, SIGTERM stops them all cleanly,
and none outlives its parent."""
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import BIN_DIR
from harness.fastcgi import fcgi_message, fcgi_request
from harness.processes import open_descriptors, proc_stat, wait_for

GET = {"REQUEST_METHOD": "GET"}


def children(pid):
    return [int(p) for p in pathlib.Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]


def alive(pid):
    try:
        return proc_stat(pid)[0] != "Z"
    except FileNotFoundError:
        return False


class SeveralProcesses(unittest.TestCase):
    def start(self, processes):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = pathlib.Path(tmp.name)
        (self.dir / "heartbeat.conf").write_text(f"database = {self.dir}/heartbeat.db\n")
        self.sock = self.dir / "status.sock"
        self.log = self.dir / "status.log"
        with open(self.log, "wb") as log:
            proc = subprocess.Popen(
                [str(BIN_DIR / "status.fcgi"), "--listen", str(self.sock), "--processes", str(processes)],
                env=dict(os.environ, HEARTBEAT_CONFIG=str(self.dir / "heartbeat.conf")), stderr=log)
        self.addCleanup(lambda: (proc.kill(), proc.wait()))
        wait_for(self.sock.exists, what="status socket")
        wait_for(lambda: len(children(proc.pid)) == processes, what=f"{processes} workers")
        return proc

    def test_a_worker_held_up_does_not_hold_up_the_others(self):
        # One process waits up to its 2 s stall limit on a request that stops halfway (see
        # test_connections); with three, the other two answer meanwhile.
        workers = children(self.start(3).pid)
        before = sum(open_descriptors(pid) for pid in workers)
        stalled = socket.socket(socket.AF_UNIX)
        stalled.connect(str(self.sock))
        stalled.sendall(fcgi_message(GET, keep=True)[:30])
        self.addCleanup(stalled.close)
        wait_for(lambda: sum(open_descriptors(pid) for pid in workers) > before,
                 what="a worker to take the stalled connection")
        started = time.monotonic()
        for _ in range(5):
            self.assertEqual(fcgi_request(self.sock, GET, timeout=10)[0], 200)
        self.assertLess(time.monotonic() - started, 1.5)

    def test_a_lost_worker_is_replaced_and_sigterm_stops_them_all(self):
        proc = self.start(3)
        first = children(proc.pid)
        os.kill(first[0], signal.SIGKILL)
        wait_for(lambda: len(children(proc.pid)) == 3 and first[0] not in children(proc.pid),
                 what="a replacement worker", timeout=5)
        self.assertEqual(set(first[1:]) - set(children(proc.pid)), set())  # the others untouched
        for _ in range(6):
            self.assertEqual(fcgi_request(self.sock, GET)[0], 200)
        self.assertIn(f"worker {first[0]} ended (killed by signal 9), starting another",
                      self.log.read_text())

        workers = children(proc.pid)
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        self.assertEqual(proc.wait(timeout=5), 0)
        self.assertLess(time.monotonic() - started, 5)
        self.assertFalse(self.sock.exists())
        self.assertFalse(any(alive(pid) for pid in workers))

    def test_a_worker_that_keeps_dying_is_replaced_at_most_once_a_second(self):
        proc = self.start(2)
        started = time.monotonic()
        while time.monotonic() - started < 3:
            for pid in children(proc.pid):
                os.kill(pid, signal.SIGKILL)
            time.sleep(0.05)
        ended = self.log.read_text().count("starting another")
        self.assertGreaterEqual(ended, 2)
        self.assertLessEqual(ended, 2 + 4)  # the two first, then about one a second

    def test_workers_stop_when_their_parent_is_killed(self):
        proc = self.start(2)
        workers = children(proc.pid)
        proc.kill()
        proc.wait()
        wait_for(lambda: not any(alive(pid) for pid in workers), what="workers gone", timeout=5)

    def test_bad_process_counts(self):
        for args in (["--processes", "0"], ["--processes", "65"], ["--processes", "two"],
                     ["--processes", "1"], ["--processes", "2"]):  # the last two without --listen
            listen = ["--listen", "/nonexistent/status.sock"] if args[1] not in ("1", "2") else []
            out = subprocess.run([str(BIN_DIR / "status.fcgi"), *listen, *args],
                                 capture_output=True, text=True, timeout=10)
            self.assertEqual(out.returncode, 2, args)
            self.assertIn("--processes", out.stderr)


if __name__ == "__main__":
    unittest.main()
