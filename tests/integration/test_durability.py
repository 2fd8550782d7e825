"""An acknowledged heartbeat is never lost: heartbeat.fcgi is killed with SIGKILL at random
moments while heartbeats are posted; every one that got 200 is in the database afterwards,
and the database passes PRAGMA integrity_check."""
import random
import sqlite3
import threading
import time
import unittest

from harness.local_stack import LocalStack



class Durability(unittest.TestCase):
    def test_kill_9_never_loses_an_acknowledged_heartbeat(self):
        with LocalStack() as stack:
            acknowledged, stop = [], threading.Event()

            def poster(worker):
                n = 0
                while not stop.is_set():
                    device = f"w{worker}-{n}"
                    n += 1
                    try:
                        status, _, _ = stack.post_heartbeat({"device": device}, headers=None)
                    except OSError:
                        continue
                    if status == 200:
                        acknowledged.append(device)

            threads = [threading.Thread(target=poster, args=(i,)) for i in range(3)]
            for t in threads:
                t.start()
            rng = random.Random(7)
            kills = 0
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline:
                time.sleep(rng.uniform(0.05, 0.4))
                stack.processes["heartbeat"].kill()  # SIGKILL, mid-request or not
                stack.processes.pop("heartbeat").wait()
                kills += 1
                stack.start_program("heartbeat")
            stop.set()
            for t in threads:
                t.join()
            # and the web server too
            stack.processes["nginx"].kill()

            self.assertGreater(kills, 10)
            self.assertGreater(len(acknowledged), 100)
            db = sqlite3.connect(stack.dir / "heartbeat.db")
            try:
                self.assertEqual(db.execute("PRAGMA integrity_check").fetchone()[0], "ok")
                stored = {row[0] for row in db.execute("SELECT name FROM devices")}
            finally:
                db.close()
            lost = [d for d in acknowledged if d not in stored]
            self.assertEqual(lost, [], f"{len(lost)} of {len(acknowledged)} acknowledged heartbeats lost")
            print(f"\n  durability: {len(acknowledged)} acknowledged heartbeats, {kills} kills, 0 lost",
                  end=" ")


if __name__ == "__main__":
    unittest.main()
