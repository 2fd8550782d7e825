"""Fault injection against the real programs behind a real nginx: what breaks gets a clear 503
and a log line, nothing crashes, and service comes back by itself once the fault is gone."""
import json
import os
import pathlib
import resource
import socket
import sqlite3
import subprocess
import threading
import time
import unittest

from harness.local_stack import LocalStack
from harness.processes import wait_for


# The programs look at their files again at most once a second, on the next request: a test
# waits that second once, then asserts the very next answer. (Polling instead would also pass
# a program that took far longer to notice.)
RECHECK = 1.1


def body(response):
    return json.loads(response[2]) if response[2] else None


class FaultCase(unittest.TestCase):
    def alive(self, stack):
        for name in ("status", "heartbeat"):
            self.assertIsNone(stack.processes[name].poll(), f"{name}.fcgi died")

    def log(self, stack, name):
        return (stack.dir / f"{name}.log").read_text()


class DatabaseFaults(FaultCase):
    def test_database_deleted_while_running(self):
        with LocalStack() as stack:
            self.assertEqual(stack.post_heartbeat({"device": "a"})[0], 200)
            self.assertEqual(stack.status()[2]["state"], "online")  # both programs have it open
            for suffix in ("", "-wal", "-shm"):
                pathlib.Path(f"{stack.dir}/heartbeat.db{suffix}").unlink(missing_ok=True)
            time.sleep(RECHECK)
            status, _, data = stack.status()
            self.assertEqual((status, data["state"]), (200, "offline"))  # a fresh, empty file
            self.assertEqual(stack.post_heartbeat({"device": "a"})[0], 200)
            self.assertEqual(stack.status()[2]["state"], "online")
            self.assertTrue((stack.dir / "heartbeat.db").exists())
            for name in ("status", "heartbeat"):
                self.assertIn("was deleted or replaced; opening it again", self.log(stack, name))
            self.alive(stack)

    def test_database_replaced_by_garbage_then_restored(self):
        with LocalStack() as stack:
            self.assertEqual(stack.post_heartbeat({"device": "a"})[0], 200)
            db = stack.dir / "heartbeat.db"
            backup = stack.dir / "backup.db"
            source = sqlite3.connect(db)
            target = sqlite3.connect(backup)
            source.backup(target)
            source.close()
            target.close()
            garbage = stack.dir / "garbage"
            garbage.write_bytes(os.urandom(64 * 1024))
            for suffix in ("-wal", "-shm"):
                pathlib.Path(f"{db}{suffix}").unlink(missing_ok=True)
            os.replace(garbage, db)
            time.sleep(RECHECK)
            for response in (stack.request("GET", "/cgi-bin/status.fcgi"), stack.post_heartbeat({})):
                self.assertEqual(response[0], 503, response[2])
                self.assertEqual(body(response)["error"], "storage_unavailable")
            self.assertIn("not a database", self.log(stack, "status") + self.log(stack, "heartbeat"))
            os.replace(backup, db)  # fixed: recovery without a restart
            time.sleep(RECHECK)
            self.assertEqual(stack.status()[0], 200)
            self.assertEqual(stack.post_heartbeat({"device": "b"})[0], 200)
            self.alive(stack)

    def test_database_folder_made_read_only(self):
        with LocalStack(config_extra="database = data/heartbeat.db") as stack:
            data = stack.dir / "data"
            data.mkdir()
            self.assertEqual(stack.post_heartbeat({})[0], 200)
            subprocess.run(["mount", "--bind", str(data), str(data)], check=True)
            try:
                subprocess.run(["mount", "-o", "remount,ro,bind", str(data)], check=True)
                # A process that has the file open keeps its descriptors; a new one (every CGI
                # request, or a restarted program) cannot open the database for writing.
                stack.stop_program("heartbeat")
                stack.start_program("heartbeat")
                response = stack.post_heartbeat({})
                self.assertEqual(response[0], 503, response[2])
                self.assertEqual(body(response)["error"], "storage_unavailable")
                self.assertIn("attempt to write a readonly database", self.log(stack, "heartbeat"))
                self.assertEqual(stack.status()[0], 200)  # reading still works
            finally:
                subprocess.run(["umount", "-l", str(data)], check=True)
            self.assertEqual(stack.post_heartbeat({})[0], 200)  # writable again: recovered
            self.alive(stack)

    def test_disk_full(self):
        with LocalStack(config_extra="database = small/heartbeat.db") as stack:
            small = stack.dir / "small"
            small.mkdir()
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(small)], check=True)
            try:
                self.assertEqual(stack.post_heartbeat({"device": "first"})[0], 200)
                filler = small / "filler"
                with open(filler, "wb", buffering=0) as f:
                    try:
                        while True:
                            f.write(b"x" * 4096)
                            f.flush()
                    except OSError:
                        pass  # the disk is full
                statuses = set()
                acknowledged = []
                for i in range(40):  # new devices need new pages: the writes must fail
                    response = stack.post_heartbeat({"device": f"d{i}-" + "x" * 50})
                    statuses.add(response[0])
                    if response[0] == 200:
                        acknowledged.append(f"d{i}-" + "x" * 50)
                self.assertIn(503, statuses)
                self.assertLessEqual(statuses, {200, 503})
                self.assertEqual(stack.status()[0], 200)
                filler.unlink()  # space again
                self.assertEqual(stack.post_heartbeat({"device": "after"})[0], 200)
                db = sqlite3.connect(small / "heartbeat.db")
                try:
                    self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
                    names = {row[0] for row in db.execute("SELECT name FROM devices")}
                finally:
                    db.close()
                self.assertLessEqual({"first", "after", *acknowledged}, names)  # nothing acknowledged lost
            finally:
                subprocess.run(["umount", "-l", str(small)], check=True)
            self.alive(stack)


class ConfigFaults(FaultCase):
    def test_config_replaced_while_running_is_picked_up_whole(self):
        with LocalStack(config_extra="offline_max_age = 11") as stack:
            stop = threading.Event()
            seen, bad = set(), []

            def reader():
                while not stop.is_set():
                    status, headers, data = stack.request("GET", "/cgi-bin/status.fcgi")
                    if status != 200:
                        bad.append((status, data))
                    else:
                        seen.add(headers["cache-control"])

            threads = [threading.Thread(target=reader) for _ in range(3)]
            for t in threads:
                t.start()
            # Rewrite it, by rename, a hundred times a second: 11 for 1.5 s, then 22, then 11.
            # The programs look at most once a second, so each phase is seen at least once.
            for value in (11, 22, 11):
                phase_end = time.monotonic() + 1.5
                while time.monotonic() < phase_end:
                    stack.write_config(f"offline_max_age = {value}\n# " + "x" * 2000)
                    time.sleep(0.01)
            stop.set()
            for t in threads:
                t.join()
            self.assertEqual(bad, [])
            self.assertEqual(seen, {"public, max-age=11", "public, max-age=22"})

    def test_config_broken_then_fixed(self):
        with LocalStack() as stack:
            stack.write_config("online_window = 0")
            time.sleep(RECHECK)
            response = stack.request("GET", "/cgi-bin/status.fcgi")
            self.assertEqual((response[0], body(response)["error"]), (503, "config_invalid"))
            stack.write_config("")
            time.sleep(RECHECK)
            self.assertEqual(stack.status()[0], 200)
            self.alive(stack)


class ServerFaults(FaultCase):
    def test_nginx_restarted_while_the_programs_run(self):
        with LocalStack() as stack:
            self.assertEqual(stack.post_heartbeat({})[0], 200)
            nginx = stack.processes.pop("nginx")
            nginx.kill()
            nginx.wait()
            os.killpg(nginx.pid, 9)  # and its workers, which still hold the port

            def group_gone():
                try:
                    os.killpg(nginx.pid, 0)
                    return False
                except ProcessLookupError:
                    return True
            wait_for(group_gone, what="old nginx workers to exit")
            stack.start_nginx()
            self.assertEqual(stack.status()[2]["state"], "online")
            self.assertEqual(stack.post_heartbeat({"state": "offline"})[0], 200)
            self.alive(stack)

    def test_a_stalled_half_request_does_not_hold_up_others(self):
        with LocalStack() as stack:
            with socket.create_connection(("127.0.0.1", stack.port)) as stalled:
                stalled.sendall(b"POST /cgi-bin/heartbeat.fcgi HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"dev")
                started = time.monotonic()
                for _ in range(20):
                    self.assertEqual(stack.status()[0], 200)
                self.assertLess(time.monotonic() - started, 5)
            # Straight at the program's socket, half a FastCGI record: the program waits for the
            # rest of that connection (the web server never does this), then serves on.
            with socket.socket(socket.AF_UNIX) as half:
                half.connect(str(stack.dir / "status.sock"))
                half.sendall(b"\x01\x01\x00\x01\x00\x08")
            self.assertEqual(stack.status()[0], 200)
            self.alive(stack)

    def test_a_thousand_slow_clients(self):
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, 4096), max(hard, 4096)))
        with LocalStack() as stack:
            clients = []
            try:
                for _ in range(1000):
                    s = socket.create_connection(("127.0.0.1", stack.port), timeout=5)
                    s.sendall(b"GET /cgi-bin/status.fcgi HTTP/1.1\r\nHost: x\r\n")  # never finished
                    clients.append(s)
                started = time.monotonic()
                for _ in range(20):
                    self.assertEqual(stack.status()[0], 200)
                self.assertEqual(stack.post_heartbeat({})[0], 200)
                self.assertLess(time.monotonic() - started, 10)
            finally:
                for s in clients:
                    s.close()
            self.alive(stack)


if __name__ == "__main__":
    unittest.main()
