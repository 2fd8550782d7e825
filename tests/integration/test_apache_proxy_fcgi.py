"""Behind Apache's mod_proxy_fcgi, the FastCGI module of a host that runs PHP-FPM: over TCP and a
unix socket with enablereuse=on, as DEPLOY.md sets it up. It passes a body on while its client
sends it, so a body in two parts 2.5 s apart must still be answered; a 413 must leave the kept
connection to the program usable; and the error log must stay free of warnings."""
import json

from harness.apache import Apache
from harness.web_client import WebClient
from tests.integration.test_fastcgi_wire import RawWire

PROXY = """\
SetEnvIf Request_URI . proxy-fcgi-pathinfo=1
<Location "/cgi-bin/">
    CGIPassAuth On
</Location>
ProxyPass "/cgi-bin/heartbeat.fcgi" "fcgi://127.0.0.1:{heartbeat_port}" enablereuse=on
ProxyPass "/cgi-bin/status.fcgi" "unix:{status_sock}|fcgi://localhost" enablereuse=on
"""


class BehindModProxyFcgi(WebClient, RawWire):
    tcp = ("heartbeat",)

    def setUp(self):
        super().setUp()
        self.apache = Apache(self.dir / "apache", "proxy_fcgi", PROXY.format(
            heartbeat_port=self.ports["heartbeat"], status_sock=self.status_sock)).start()
        self.addCleanup(self.apache.stop)
        self.port = self.apache.port

    def assert_log_clean(self):
        bad = [line for line in self.apache.log().splitlines()
               if any(level in line for level in (":warn]", ":error]", ":crit]", ":alert]"))]
        self.assertEqual(bad, [])

    def test_a_body_in_two_parts_2_5_s_apart_gets_200(self):
        connection = self.connection()
        body = b'{"device":"laptop","state":"active"}'
        self.assertEqual(self.post(connection, body, parts=2, pause=2.5)[0], 200)
        status, _, answer = self.get(connection, "/cgi-bin/status.fcgi")
        self.assertEqual((status, json.loads(answer)["state"]), (200, "online"))
        connection.close()
        self.assert_log_clean()

    def test_a_413_then_a_request_on_the_same_connection(self):
        connection = self.connection()
        for _ in range(3):
            status, answer = self.post(connection, b"x" * 5000)
            self.assertEqual((status, json.loads(answer)["error"]), (413, "payload_too_large"))
            self.assertEqual(self.post(connection, b'{"device":"laptop"}')[0], 200)
        connection.close()
        self.assert_log_clean()

    def test_100_requests_on_one_kept_connection_and_the_badge_path(self):
        connection = self.connection()
        for _ in range(100):
            self.assertEqual(self.get(connection, "/cgi-bin/status.fcgi")[0], 200)
        status, content_type, body = self.get(connection, "/cgi-bin/status.fcgi/badge.svg")
        self.assertEqual(status, 200)
        self.assertIn("svg", content_type)
        self.assertEqual(self.get(connection, "/cgi-bin/status.fcgi/nothing-here")[0], 404)
        connection.close()
        self.assert_log_clean()


if __name__ == "__main__":
    import unittest
    unittest.main()
