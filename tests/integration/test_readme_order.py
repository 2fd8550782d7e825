"""README's table of heartbeat answers lists the checks in the order the program makes them.
The table is read from README.md, and for each row and the row after it the program is given
one request that fails both checks (and none before them): the answer must be the first row's.
So a README that lists two checks the wrong way round fails here, whatever the code says."""
import json
import re
import unittest

from harness import ROOT
from harness.cgi_case import CgiCase

LOCKED = "198.51.100.7"  # an address that sent 10 wrong tokens


def readme_order():
    """The statuses of README's heartbeat answer table, top to bottom."""
    text = (ROOT / "README.md").read_text()
    table = text[text.index("### `POST /cgi-bin/heartbeat.fcgi`"):text.index("### `GET|HEAD|OPTIONS")]
    return [int(status) for status in re.findall(r"^\| (\d{3}) \|", table, re.M)]


class ReadmeOrderOfChecks(CgiCase):
    def request(self, broken):
        """A heartbeat that passes every check but those named in `broken`."""
        body = json.dumps({"device": "laptop"}).encode()
        env, token, content_type = {}, None, "application/json"
        if 413 in broken:
            body = b'{"device":"laptop","pad":"' + b"x" * 4096 + b'"}'
        if 400 in broken:
            body = b'{"device": '
        if 415 in broken:
            content_type = "text/plain"
        if 401 in broken:
            token = False
        if 429 in broken:
            env["REMOTE_ADDR"] = LOCKED
            token = token if token is False else "wrong-" + self.token
        if 503 in broken:
            env["HEARTBEAT_CONFIG"] = str(self.dir / "missing.conf")
        if 405 in broken:
            env["REQUEST_METHOD"] = "GET"
        return self.post(body, token=token, content_type=content_type, **env)

    def test_each_check_comes_before_the_next_one_in_the_table(self):
        order = readme_order()
        self.assertEqual(order[-1], 200)
        self.assertEqual(sorted(order[:-1]), [400, 401, 405, 413, 415, 429, 503])
        for _ in range(10):
            self.assertEqual(self.post(b"{}", token="wrong", REMOTE_ADDR=LOCKED)[0], 401)
        for status in order[:-1]:
            with self.subTest(alone=status):
                self.assertEqual(self.request({status})[0], status)
        for first, second in zip(order, order[1:-1]):
            with self.subTest(first=first, second=second):
                self.assertEqual(self.request({first, second})[0], first)
        self.assertEqual(self.request(set())[0], 200)


if __name__ == "__main__":
    unittest.main()
