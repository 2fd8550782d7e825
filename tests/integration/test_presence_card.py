"""The presence card through nginx (the built programs and the static ones) and as plain CGI:
the note, the time zone, the usual hours and the badge options; every browser-facing body is
parsed as JSON or XML."""
import datetime
import json
import sqlite3
import time
import unittest
import xml.etree.ElementTree as ET
import zoneinfo

from harness import ROOT
from harness.cgi_case import CgiCase
from harness.local_stack import LocalStack
from harness.programs import JSON_TYPE


SVG = "{http://www.w3.org/2000/svg}"
BADGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'"
STATIC_DIR = ROOT / "build" / "static"
# Every character that means something to HTML, a <script>, JavaScript or HTTP, that a note may hold.
HOSTILE = "</script><img src=x onerror=alert(1)>&amp;\"' \u2028\u2029 end"


def strict_json(body):
    """The body as JSON, refusing the constants Python would otherwise accept."""
    def refuse(name):
        raise ValueError(name)
    return json.loads(body.decode("utf-8"), parse_constant=refuse)


def svg_root(body):
    root = ET.fromstring(body)
    assert root.tag == SVG + "svg", root.tag
    return root


class CardThroughNginx(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.stack = LocalStack(config_extra="timezone = Europe/Berlin\nhistory_days = 30\n"
                                             "allow_origin = https://me.example\n").start()

    @classmethod
    def tearDownClass(cls):
        cls.stack.stop()

    def get(self, query="", headers=None):
        return self.stack.request("GET", "/cgi-bin/status.fcgi" + query, headers)

    def test_note_set_shown_escaped_and_cleared(self):
        until = int(time.time() * 1000) + 3_600_000
        status, _, body = self.stack.post_heartbeat(
            {"note": {"text": HOSTILE, "busy": True, "until": until}})
        self.assertEqual(status, 200, body)
        status, headers, body = self.get()
        self.assertEqual(status, 200)
        for raw in (b"<", b">", b"&", "\u2028".encode(), "\u2029".encode()):
            self.assertNotIn(raw, body)
        data = strict_json(body)
        self.assertEqual(data["note"]["text"], HOSTILE)
        self.assertIs(data["note"]["busy"], True)
        expected_until = datetime.datetime.fromtimestamp(until // 1000, datetime.timezone.utc)
        self.assertEqual(data["note"]["until"], expected_until.strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.assertEqual(data["timezone"], "Europe/Berlin")
        etag = headers["etag"]
        # The badge and shields do not carry the note.
        self.assertNotIn(b"onerror", self.get("?format=svg")[2])
        self.assertNotIn(b"onerror", self.get("?format=shields")[2])

        self.assertEqual(self.stack.post_heartbeat({"note": None})[0], 200)
        status, headers, body = self.get()
        self.assertNotIn("note", strict_json(body))
        self.assertNotEqual(headers["etag"], etag)

    def test_bad_notes_are_400(self):
        for note in ({"text": ""}, {"text": "x" * 141}, {"text": "a\u0007"},
                     {"text": "x", "until": 1}, {"text": "x", "busy": "yes"}, "text"):
            with self.subTest(note=note):
                status, headers, body = self.stack.post_heartbeat({"note": note})
                self.assertEqual(status, 400, body)
                self.assertEqual(strict_json(body)["error"], "bad_request")

    def test_hours_json_and_svg(self):
        self.assertEqual(self.stack.post_heartbeat({})[0], 200)
        status, headers, body = self.get("?format=hours", {"Origin": "https://me.example"})
        self.assertEqual(status, 200, body)
        self.assertEqual(headers["content-type"], JSON_TYPE)
        self.assertEqual(headers["access-control-allow-origin"], "https://me.example")
        self.assertEqual(headers["cache-control"], "public, max-age=300")
        data = strict_json(body)
        self.assertEqual(data["timezone"], "Europe/Berlin")
        self.assertEqual(data["days"], 1)
        self.assertEqual(len(data["hours"]), 7)
        self.assertTrue(all(len(row) == 24 for row in data["hours"]))
        self.assertNotIn("usually", data)  # one day is too little
        # One minute is not an active hour (five are needed): every share is still 0.
        self.assertEqual({share for row in data["hours"] for share in row}, {0})

        status, headers, body = self.get("?format=hours.svg&theme=dark")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-type"], "image/svg+xml")
        self.assertEqual(headers["content-security-policy"], BADGE_POLICY)
        root = svg_root(body)
        self.assertEqual(root.find(SVG + "title").text, "Usual hours (Europe/Berlin)")
        self.assertIn("from 1 day of data", root.find(SVG + "desc").text)
        self.assertEqual(len([r for r in root.iter(SVG + "rect") if r.get("class") == "c0"]), 7 * 24)
        status, headers, _ = self.get("?format=hours.svg", {"If-None-Match": headers["etag"]})
        self.assertEqual(status, 200)  # auto differs from dark
        self.assertEqual(self.get("?format=hours.svg&theme=blue")[0], 400)

    def test_badge_label_and_theme(self):
        status, headers, body = self.get("?format=svg&label=%3CAnn%3E+%26+co&theme=auto")
        self.assertEqual(status, 200)
        self.assertEqual(headers["content-security-policy"], BADGE_POLICY)
        root = svg_root(body)
        self.assertTrue(root.find(SVG + "title").text.startswith("<Ann> & co: "))
        self.assertIn("prefers-color-scheme", root.find(SVG + "style").text)
        self.assertNotIn("prefers-color-scheme", svg_root(self.get("?format=svg&theme=light")[2])
                         .find(SVG + "style").text)
        status, _, body = self.get("?format=shields&label=%E6%97%A5%E6%9C%AC")
        self.assertEqual(strict_json(body)["label"], "日本")
        for query in ("?format=svg&label=", "?format=svg&label=" + "a" * 33,
                      "?format=svg&label=a%0D%0ASet-Cookie:x", "?format=svg&theme=neon",
                      "?format=shields&label=%FF"):
            with self.subTest(query=query):
                status, headers, body = self.get(query)
                self.assertEqual(status, 400, body)
                self.assertNotIn("set-cookie", headers)


class CardConfig(unittest.TestCase):
    def test_defaults_reveal_nothing_new_and_hours_are_404(self):
        with LocalStack() as stack:
            self.assertEqual(stack.post_heartbeat({})[0], 200)
            _, _, data = stack.status()
            self.assertEqual(set(data), {"isOnline", "state"})
            for query in ("?format=hours", "?format=hours.svg"):
                status, _, body = stack.request("GET", "/cgi-bin/status.fcgi" + query)
                self.assertEqual(status, 404)
                self.assertEqual(strict_json(body)["error"], "not_found")

    def test_an_unknown_or_unsafe_timezone_is_config_invalid(self):
        for zone in ("Europe/Atlantis", "../../../etc/passwd", "/etc/localtime", "localtime"):
            with self.subTest(zone=zone), LocalStack(config_extra=f"timezone = {zone}\n") as stack:
                status, headers, body = stack.request("GET", "/cgi-bin/status.fcgi")
                self.assertEqual(status, 503)
                data = strict_json(body)
                self.assertEqual(data["error"], "config_invalid")
                self.assertIn("line 3: timezone", data["message"])
                self.assertEqual(stack.post_heartbeat({})[0], 503)


class StaticBinaries(unittest.TestCase):
    """The fully static dist programs read the host's zoneinfo for the time zone and the hours."""

    def test_hours_in_local_time_from_the_static_programs(self):
        zone = "America/New_York"
        extra = f"timezone = {zone}\nhistory_days = 7\n"
        with LocalStack(bin_dir=STATIC_DIR, config_extra=extra) as stack:
            # Five distinct minutes make an active hour: stamp them straight into the file
            # as the heartbeats of five minutes of the hour before would (the server's own rows;
            # the hour before, so that all five have passed whatever minute it is now).
            self.assertEqual(stack.post_heartbeat({})[0], 200)
            _, _, data = stack.status()
            self.assertEqual(data["timezone"], zone)
            with sqlite3.connect(stack.dir / "heartbeat.db") as db:
                (hour,), = db.execute("SELECT hour_s - 3600 FROM active_minutes").fetchall()
                db.execute("UPDATE active_minutes SET hour_s = ?, minutes = 31", (hour,))  # 0-4
            status, _, body = stack.request("GET", "/cgi-bin/status.fcgi?format=hours")
            data = strict_json(body)
            # Python's own reading of the zone says where that hour falls locally.
            start = datetime.datetime.fromtimestamp(hour, zoneinfo.ZoneInfo(zone))
            self.assertEqual(data["hours"][start.weekday()][start.hour], 1, start)
            self.assertEqual(sum(share for row in data["hours"] for share in row), 1)


class CardAsCgi(CgiCase):
    config_lines = "timezone = Asia/Kolkata\nhistory_days = 3\n"

    def test_every_new_field_and_format(self):
        status, _, body, _ = self.post_json({"note": {"text": HOSTILE}})
        self.assertEqual(status, 200, body)
        status, headers, body, _ = self.get()
        self.assertNotIn(b"<", body)
        data = strict_json(body)
        self.assertEqual((data["note"]["text"], data["note"]["busy"]), (HOSTILE, False))
        self.assertNotIn("until", data["note"])
        self.assertEqual(data["timezone"], "Asia/Kolkata")

        status, headers, body, _ = self.get(QUERY_STRING="format=hours")
        self.assertEqual(status, 200)
        self.assertEqual(strict_json(body)["timezone"], "Asia/Kolkata")
        for query in ("format=hours.svg", "format=svg&label=Me&theme=dark"):
            with self.subTest(query=query):
                status, headers, body, _ = self.get(QUERY_STRING=query)
                self.assertEqual(status, 200)
                self.assertEqual(headers["content-security-policy"], BADGE_POLICY)
                svg_root(body)
        status, _, body, _ = self.get(QUERY_STRING="format=shields&label=Me")
        self.assertEqual(strict_json(body)["label"], "Me")
        self.assertEqual(self.get(QUERY_STRING="format=svg&label=" + "x" * 40)[0], 400)
        self.assertEqual(self.post_json({"note": {"text": " "}})[0], 400)
        self.assertEqual(self.post_json({"note": None})[0], 200)
        self.assertNotIn("note", strict_json(self.get()[2]))


if __name__ == "__main__":
    unittest.main()
