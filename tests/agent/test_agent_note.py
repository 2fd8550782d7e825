"""heartbeat-agent note and status against the real server (nginx + both programs)."""
import calendar
import datetime
import socket
import time
import unittest
import zoneinfo

from harness.agent_case import AgentCase


LOG_LINE = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ heartbeat-agent: note: "


def unix_s(iso):
    return calendar.timegm(time.strptime(iso, "%Y-%m-%dT%H:%M:%SZ"))


class Note(AgentCase):
    stack_args = {"config_extra": "timezone = Europe/Berlin"}

    def setUp(self):
        super().setUp()
        # One stack for the class: each test starts without a note.
        self.stack.post_heartbeat({"device": "test-mac", "state": "offline", "note": None})

    def note(self, *args, **env):
        return self.agent("note", *args, "--idle-source", "none", **env)

    def test_a_note_reaches_the_status_json_with_the_state_of_once(self):
        proc = self.note("In a meeting")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stderr, LOG_LINE +
                         r'active as test-mac with the note "In a meeting" sent \(HTTP 200\)\n$')
        status, _, body = self.stack.status()
        self.assertEqual(status, 200)
        self.assertEqual(body["state"], "online")
        self.assertEqual(body["note"], {"text": "In a meeting", "busy": False})
        self.assertEqual(body["timezone"], "Europe/Berlin")

    def test_the_idle_decision_is_the_one_once_makes(self):
        proc = self.agent("note", "Back soon", "--idle-command", "echo 5000")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertIn("idle as test-mac with the note", proc.stderr)
        _, _, body = self.stack.status()
        self.assertEqual(body["state"], "away")
        self.assertEqual(body["note"]["text"], "Back soon")

    def test_busy_and_for_set_busy_and_until_about_now_plus_the_duration(self):
        before = time.time()
        proc = self.note("Deep work", "--busy", "--for", "1h30m")
        after = time.time()
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stderr, r'the note "Deep work" \(busy, until '
                                      r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\) sent \(HTTP 200\)')
        note = self.stack.status()[2]["note"]
        self.assertTrue(note["busy"])
        until = unix_s(note["until"])  # to the second, rounded down
        self.assertGreaterEqual(until, int(before) + 5400)
        self.assertLessEqual(until, after + 5400)

    def test_until_in_local_time_and_with_an_offset(self):
        # The owner's machine in New York: 09:00 there is 14:00 UTC in winter.
        year = time.gmtime().tm_year + 1
        proc = self.note("Travelling", "--until", f"{year}-01-15T09:00", TZ="America/New_York")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.stack.status()[2]["note"]["until"], f"{year}-01-15T14:00:00Z")
        proc = self.note("Travelling", "--until", f"{year}-07-15T09:00:30+02:00")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(self.stack.status()[2]["note"]["until"], f"{year}-07-15T07:00:30Z")

    def test_clear_removes_the_note(self):
        self.assertEqual(self.note("On holiday").returncode, 0)
        self.assertIn("note", self.stack.status()[2])
        proc = self.note("--clear")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertRegex(proc.stderr, LOG_LINE +
                         r"active as test-mac with the note cleared sent \(HTTP 200\)\n$")
        _, _, body = self.stack.status()
        self.assertNotIn("note", body)
        self.assertEqual(body["state"], "online")

    def test_usage_errors_exit_2_and_send_nothing(self):
        self.assertEqual(self.note("Standing note").returncode, 0)
        past = time.strftime("%Y-%m-%dT%H:%M", time.gmtime(time.time() - 3600)) + "Z"
        with socket.socket() as listener:
            listener.bind(("127.0.0.1", 0))
            listener.listen(4)
            listener.setblocking(False)
            url = f"http://127.0.0.1:{listener.getsockname()[1]}/heartbeat.fcgi"
            for args, message in (
                    (["In a meeting", "--for", "2x"], "--for '2x': expected a duration"),
                    (["In a meeting", "--for", "0m"], "must be more than 0"),
                    (["In a meeting", "--until", past], "is not in the future"),
                    (["In a meeting", "--until", "next week"], "expected YYYY-MM-DDTHH:MM"),
                    (["In a meeting", "--for", "1h", "--until", "2099-01-01T00:00Z"],
                     "--for or --until, not both"),
                    ([""], "the note is empty"),
                    (["x" * 141], "longer than 140"),
                    (["tab\there"], "control character"),
                    (["--clear", "--busy"], "--clear takes no text"),
                    ([], "note needs a TEXT"),
                    (["two", "words"], "note takes one TEXT"),
            ):
                with self.subTest(args=args):
                    proc = self.agent("note", *args, "--idle-source", "none", "--url", url)
                    self.assertEqual(proc.returncode, 2, proc.stderr)
                    self.assertIn(message, proc.stderr)
            proc = self.agent("once", "--busy", "--idle-source", "none", "--url", url)
            self.assertEqual(proc.returncode, 2, proc.stderr)
            self.assertIn("--busy is only for the note command", proc.stderr)
            with self.assertRaises(BlockingIOError):  # nobody ever connected
                listener.accept()
        self.assertEqual(self.stack.status()[2]["note"]["text"], "Standing note")

    def test_a_wrong_token_exits_3_like_the_other_commands(self):
        self.token_file.write_text("not-the-token\n")
        proc = self.note("In a meeting")
        self.assertEqual(proc.returncode, 3, proc.stderr)
        self.assertIn('with the note "In a meeting" refused by the server (HTTP 401)', proc.stderr)
        self.assertNotIn("note", self.stack.status()[2])

    def test_status_prints_the_note_and_the_owners_local_time(self):
        self.assertEqual(self.note("In a meeting", "--busy",
                                   "--until", f"{time.gmtime().tm_year + 1}-01-15T09:00Z")
                         .returncode, 0)
        proc = self.agent("status")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        lines = proc.stdout.splitlines()
        self.assertEqual(len(lines), 3, proc.stdout)
        self.assertIn('"note":{"text":"In a meeting","busy":true', lines[0])  # the JSON first
        self.assertEqual(lines[1], f"note: In a meeting (busy, until "
                                   f"{time.gmtime().tm_year + 1}-01-15 10:00 Europe/Berlin)")
        self.assertRegex(lines[2], r"^local time: \d{4}-\d\d-\d\d \d\d:\d\d Europe/Berlin "
                                   r"\(UTC\+0[12]:00\)$")
        # Berlin's time now or a minute ago (the minute may have turned since the agent ran).
        zone = zoneinfo.ZoneInfo("Europe/Berlin")
        berlin = [datetime.datetime.fromtimestamp(time.time() - ago, zone).strftime("%Y-%m-%d %H:%M")
                  for ago in (0, 60)]
        self.assertIn(lines[2][len("local time: "):][:16], berlin)


class StatusWithoutTheCard(AgentCase):
    def test_status_prints_only_the_json_when_there_is_no_note_or_timezone(self):
        self.assertEqual(self.agent("once", "--idle-source", "none").returncode, 0)
        proc = self.agent("status")
        self.assertEqual(proc.returncode, 0, proc.stderr)
        self.assertEqual(proc.stdout, '{"isOnline":true,"state":"online"}\n')


if __name__ == "__main__":
    unittest.main()
