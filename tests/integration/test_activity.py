"""What the owner is doing, through nginx and as plain CGI: the heartbeat's `activity` is checked
whatever the config, kept and shown only with `activity = on`, shown only while online and from a
device active right now, never on the badge or shields; every body is parsed as strict JSON."""
import sqlite3
import time
import unittest

from harness.cgi_case import CgiCase
from harness.local_stack import LocalStack
from harness.processes import wait_for
from tests.integration.test_presence_card import HOSTILE, strict_json

LISTENING = {"kind": "listening", "title": "Reckoner", "artist": "Radiohead", "app": "Spotify"}
CODING = {"kind": "coding", "app": "Xcode"}
CALL = {"kind": "call"}
# Each breaks one rule of the field; all are 400 whether the config shows activities or not.
BAD_ACTIVITIES = (
    "listening", 1, [], True, {}, {"kind": None}, {"kind": "gaming"}, {"kind": "Call"},
    {"kind": "call", "app": "Zoom"}, {"kind": "coding", "title": "x"},
    {"kind": "coding", "app": None}, {"kind": "coding", "app": 5}, {"kind": "coding", "app": ""},
    {"kind": "coding", "app": "x" * 33}, {"kind": "coding", "app": "a\u0007b"},
    {"kind": "coding", "app": "\u202eedoCSV"}, {"kind": "coding", "app": " \u200b "},
    {"kind": "listening", "app": "Spotify"}, {"kind": "listening", "title": "x"},
    {"kind": "listening", "title": "x" * 101, "app": "Spotify"},
    {"kind": "listening", "title": "x", "artist": "y" * 101, "app": "Spotify"},
    {"kind": "listening", "title": "x", "artist": None, "app": "Spotify"},
    {"kind": "listening", "title": "x", "artist": " ", "app": "Spotify"},
    {"kind": "listening", "title": "x\u0085", "app": "Spotify"},
    {"kind": "listening", "title": "x", "app": "Spotify", "album": "In Rainbows"},
)


def stored_activities(directory):
    """Each device's stored activity columns, by name."""
    with sqlite3.connect(directory / "heartbeat.db") as db:
        rows = db.execute("SELECT name, activity_kind, activity_title, activity_artist,"
                          " activity_app FROM devices ORDER BY name").fetchall()
    return {row[0]: row[1:] for row in rows}


class ActivityThroughNginx(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = LocalStack(config_extra="activity = on\n").start()
        assert cls.stack.post_heartbeat({})[0] == 200  # the file and its tables exist

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop()

    def setUp(self):
        # Every test starts with no device (the programs keep their connection; rows go).
        with sqlite3.connect(self.stack.dir / "heartbeat.db") as db:
            db.execute("DELETE FROM devices")

    def post(self, device, activity=None, state="active"):
        payload = {"device": device, "state": state}
        if activity is not None:
            payload["activity"] = activity
        status, _, body = self.stack.post_heartbeat(payload)
        self.assertEqual(status, 200, body)
        return strict_json(body)

    def get(self, query=""):
        status, headers, body = self.stack.request("GET", "/cgi-bin/status.fcgi" + query)
        self.assertEqual(status, 200, body)
        return headers, body

    def shown(self):
        return strict_json(self.get()[1]).get("activity")

    def test_each_kind_is_stored_and_shown_as_sent(self):
        for activity in (LISTENING, CODING, CALL, {"kind": "coding"},
                         {"kind": "listening", "title": HOSTILE, "app": "Music"},
                         {"kind": "listening", "title": "t", "artist": "", "app": "Music"}):
            with self.subTest(activity=activity):
                self.post("mac", activity)
                _, body = self.get()
                self.assertNotIn(b"<", body)
                data = strict_json(body)
                expected = {k: v for k, v in activity.items() if v != ""}
                self.assertEqual(data["activity"], expected)
                self.assertEqual((data["isOnline"], data["state"]), (True, "online"))

    def test_text_is_trimmed_and_counted_in_code_points(self):
        title = "\U0001F3B5" * 100  # 100 code points, 400 bytes
        self.post("mac", {"kind": "listening", "title": f"  {title} ", "app": " Music\u3000"})
        self.assertEqual(self.shown(), {"kind": "listening", "title": title, "app": "Music"})
        self.assertEqual(stored_activities(self.stack.dir)["mac"],
                         ("listening", title, None, "Music"))

    def test_a_heartbeat_without_activity_ends_it(self):
        self.post("mac", LISTENING)
        self.assertEqual(stored_activities(self.stack.dir)["mac"],
                         ("listening", "Reckoner", "Radiohead", "Spotify"))
        self.post("mac")
        self.assertIsNone(self.shown())
        self.assertEqual(stored_activities(self.stack.dir)["mac"], (None,) * 4)
        self.post("mac", CALL)
        # An explicit null is the same.
        status, _, body = self.stack.post_heartbeat({"device": "mac", "activity": None})
        self.assertEqual(status, 200, body)
        self.assertIsNone(self.shown())

    def test_absent_while_away_or_offline(self):
        self.post("mac", LISTENING, state="idle")
        data = strict_json(self.get()[1])
        self.assertEqual(data["state"], "away")
        self.assertNotIn("activity", data)
        self.assertEqual(stored_activities(self.stack.dir)["mac"], (None,) * 4)
        self.post("mac", CODING)
        self.post("mac", CODING, state="offline")
        data = strict_json(self.get()[1])
        self.assertEqual(data, {"isOnline": False, "state": "offline"})

    def test_the_newest_among_devices_active_now(self):
        self.post("laptop", LISTENING)
        time.sleep(0.01)  # distinct milliseconds: the newer heartbeat is the later one
        self.post("desktop", CODING)
        self.assertEqual(self.shown(), CODING)
        # A newer heartbeat without one does not hide the activity of another active device.
        time.sleep(0.01)
        self.post("phone")
        self.assertEqual(self.shown(), CODING)
        # The desktop steps away: the laptop, still active, is what the owner is doing.
        self.post("desktop", CODING, state="idle")
        self.assertEqual(self.shown(), LISTENING)
        # A device whose active heartbeat is older than the window no longer counts, though
        # another device keeps the owner online.
        with sqlite3.connect(self.stack.dir / "heartbeat.db") as db:
            db.execute("UPDATE devices SET at_ms = at_ms - 600000 WHERE name = 'laptop'")
        data = strict_json(self.get()[1])
        self.assertEqual(data["state"], "online")
        self.assertNotIn("activity", data)

    def test_the_cache_never_keeps_an_activity_past_its_device_window(self):
        self.post("laptop", CALL)
        with sqlite3.connect(self.stack.dir / "heartbeat.db") as db:  # 170 of 180 s gone
            db.execute("UPDATE devices SET at_ms = at_ms - 170000 WHERE name = 'laptop'")
        self.post("desktop")
        headers, body = self.get()
        self.assertEqual(strict_json(body)["activity"], CALL)
        max_age = int(headers["cache-control"].split("max-age=")[1])
        self.assertLessEqual(max_age, 10)

    def test_etag_changes_with_the_activity(self):
        tags = []
        for activity in (None, LISTENING, {**LISTENING, "title": "Nude"}, CALL):
            self.post("mac", activity)
            headers, _ = self.get()
            tags.append(headers["etag"])
            status, _, body = self.stack.request("GET", "/cgi-bin/status.fcgi",
                                                 {"If-None-Match": headers["etag"]})
            self.assertEqual((status, body), (304, b""))
        self.assertEqual(len(set(tags)), 4, tags)

    def test_badge_and_shields_never_show_it(self):
        self.post("mac", {"kind": "listening", "title": "Reckoner", "artist": "Radiohead",
                          "app": "Spotify"})
        plain = {}
        for query in ("?format=svg", "?format=shields", "?format=svg&theme=dark"):
            with self.subTest(query=query):
                headers, body = self.get(query)
                for word in (b"Reckoner", b"Radiohead", b"Spotify", b"listening"):
                    self.assertNotIn(word, body)
                plain[query] = headers["etag"]
        self.assertEqual(strict_json(self.get("?format=shields")[1])["message"], "online")
        # The same answer as with no activity at all.
        self.post("mac")
        for query, etag in plain.items():
            self.assertEqual(self.get(query)[0]["etag"], etag, query)

    def test_bad_activities_are_400_and_change_nothing(self):
        self.post("mac", CODING)
        for activity in BAD_ACTIVITIES:
            with self.subTest(activity=activity):
                status, headers, body = self.stack.post_heartbeat(
                    {"device": "mac", "state": "offline", "activity": activity})
                self.assertEqual(status, 400, body)
                self.assertEqual(headers["cache-control"], "no-store")
                data = strict_json(body)
                self.assertEqual(data["error"], "bad_request")
                self.assertIn("activity", data["message"])
        self.assertEqual(self.shown(), CODING)


class ActivityConfig(unittest.TestCase):
    def test_off_by_default_checks_and_drops(self):
        with LocalStack() as stack:
            status, _, body = stack.post_heartbeat({"device": "mac", "activity": LISTENING})
            self.assertEqual(status, 200, body)
            _, _, data = stack.status()
            self.assertEqual(set(data), {"isOnline", "state"})
            self.assertEqual(stored_activities(stack.dir)["mac"], (None,) * 4)
            status, _, body = stack.post_heartbeat({"activity": {"kind": "gaming"}})
            self.assertEqual(status, 400, body)
            self.assertEqual(strict_json(body)["error"], "bad_request")
            files = b"".join(p.read_bytes() for p in stack.dir.glob("heartbeat.db*"))
            self.assertNotIn(b"Reckoner", files)

    def test_turning_it_off_forgets_every_device_activity(self):
        with LocalStack(config_extra="activity = on\n") as stack:
            self.assertEqual(stack.post_heartbeat({"device": "a", "activity": LISTENING})[0], 200)
            self.assertEqual(stack.status()[2]["activity"], LISTENING)
            stack.write_config("activity = off\n")
            # Hidden as soon as the programs see the new config (they look once a second).
            wait_for(lambda: "activity" not in stack.status()[2], what="activity hidden")
            self.assertEqual(stack.post_heartbeat({"device": "b", "activity": CODING})[0], 200)
            self.assertEqual(stored_activities(stack.dir), {"a": (None,) * 4, "b": (None,) * 4})

    def test_a_bad_value_is_config_invalid(self):
        for value in ("yes", "On", "1", ""):
            with self.subTest(value=value), LocalStack(config_extra=f"activity = {value}\n") as stack:
                status, _, body = stack.request("GET", "/cgi-bin/status.fcgi")
                self.assertEqual(status, 503)
                data = strict_json(body)
                self.assertEqual(data["error"], "config_invalid")
                self.assertIn("line 3", data["message"])
                self.assertEqual(stack.post_heartbeat({})[0], 503)


class ActivityAsCgi(CgiCase):
    config_lines = "activity = on\n"

    def shown(self):
        status, _, body, _ = self.get()
        self.assertEqual(status, 200, body)
        return strict_json(body).get("activity")

    def test_stored_shown_and_ended(self):
        status, _, body, _ = self.post_json({"device": "mac", "activity": LISTENING})
        self.assertEqual(status, 200, body)
        self.assertEqual(self.shown(), LISTENING)
        for query in ("format=svg", "format=shields"):
            status, _, body, _ = self.get(QUERY_STRING=query)
            self.assertNotIn(b"Reckoner", body)
        self.assertEqual(self.post_json({"device": "mac"})[0], 200)
        self.assertIsNone(self.shown())

    def test_bad_activity_is_400(self):
        status, _, body, _ = self.post_json({"activity": {"kind": "call", "x": 1}})
        self.assertEqual(status, 400, body)
        self.assertEqual(strict_json(body)["error"], "bad_request")


class ActivityOffAsCgi(CgiCase):
    def test_dropped(self):
        status, _, body, _ = self.post_json({"activity": CALL})
        self.assertEqual(status, 200, body)
        status, _, body, _ = self.get()
        self.assertEqual(strict_json(body), {"isOnline": True, "state": "online"})
        self.assertEqual(self.post_json({"activity": {"kind": "call", "x": 1}})[0], 400)


if __name__ == "__main__":
    unittest.main()
