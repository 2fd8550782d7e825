"""Garbage never crashes a program and always gets a JSON error: malformed HTTP through nginx,
and malformed FastCGI requests sent straight to the programs' sockets."""
import os
import random
import socket
import unittest

from harness.fastcgi import fcgi_request
from harness.stack_case import StackTestCase



class BadInput(StackTestCase):
    def tearDown(self):
        # After every kind of garbage both programs still run and still answer.
        for name in ("status", "heartbeat"):
            self.assertIsNone(self.stack.processes[name].poll(), f"{name}.fcgi died")
        self.assertEqual(self.stack.status()[0], 200)
        self.assertEqual(self.stack.post_heartbeat({})[0], 200)

    def raw(self, data):
        # No half-close: nginx takes a client's EOF for an aborted request and answers nothing.
        with socket.create_connection(("127.0.0.1", self.stack.port), timeout=10) as s:
            s.sendall(data)
            out = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    return out
                out += chunk

    def test_garbage_headers_and_escapes_through_nginx(self):
        token = self.stack.token
        cases = [
            ("GET", "/cgi-bin/status.fcgi?format=%ZZ&x=%", {"If-None-Match": "\"\x01garbage"}, None, 400),
            ("GET", "/cgi-bin/status.fcgi?%%%%", {}, None, 400),
            ("GET", "/cgi-bin/status.fcgi?format=svg%00", {}, None, 400),
            ("POST", "/cgi-bin/heartbeat.fcgi", {"Authorization": "Bearer " + "A" * 3000}, None, 401),
            ("POST", "/cgi-bin/heartbeat.fcgi", {"Authorization": "Bearer\t\t"}, None, 401),
            ("POST", "/cgi-bin/heartbeat.fcgi", {"Authorization": f"Bearer {token}",
                                                 "Content-Type": "application/json"},
             os.urandom(3000), 400),
            ("POST", "/cgi-bin/heartbeat.fcgi", {"Authorization": f"Bearer {token}",
                                                 "Content-Type": "application/json"},
             b'{"device":"' + b"\xc3\x28" * 10 + b'"}', 400),
            ("POST", "/cgi-bin/heartbeat.fcgi", {"Authorization": f"Bearer {token}",
                                                 "Content-Type": "\x7f\x01;;;"}, b"{}", 415),
        ]
        for method, path, headers, body, expected in cases:
            with self.subTest(path=path, headers=headers):
                status, got, data = self.stack.request(method, path, headers, body)
                self.assertJsonError((status, got, data), expected)

    def test_binary_and_oversized_bodies_over_raw_http(self):
        token = self.stack.token
        body = os.urandom(1 << 20)
        request = (f"POST /cgi-bin/heartbeat.fcgi HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n"
                   f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
                   "Connection: close\r\n\r\n").encode() + body
        reply = self.raw(request)
        self.assertTrue(reply.startswith(b"HTTP/1.1 413"), reply[:100])
        self.assertIn(b'"error":"payload_too_large"', reply)

    def test_body_shorter_than_content_length_is_never_recorded(self):
        request = (f"POST /cgi-bin/heartbeat.fcgi HTTP/1.1\r\nHost: x\r\n"
                   f"Authorization: Bearer {self.stack.token}\r\nContent-Type: application/json\r\n"
                   'Content-Length: 100\r\n\r\n{"device":"half-sent"}').encode()
        with socket.create_connection(("127.0.0.1", self.stack.port), timeout=10) as s:
            s.sendall(request)
            s.settimeout(0.5)
            with self.assertRaises(socket.timeout):  # nginx waits for the rest
                s.recv(100)
        import sqlite3
        db = sqlite3.connect(self.stack.dir / "heartbeat.db")
        try:
            names = [row[0] for row in db.execute("SELECT name FROM devices")]
        finally:
            db.close()
        self.assertNotIn("half-sent", names)

    def test_malformed_fastcgi_requests_straight_to_the_programs(self):
        heartbeat = self.stack.dir / "heartbeat.sock"
        status_sock = self.stack.dir / "status.sock"
        auth = f"Bearer {self.stack.token}"
        # A body shorter than its CONTENT_LENGTH, a non-numeric length, a binary method.
        status, headers, body = fcgi_request(heartbeat, {
            "REQUEST_METHOD": "POST", "CONTENT_LENGTH": "100", "CONTENT_TYPE": "application/json",
            "HTTP_AUTHORIZATION": auth}, b"{}")
        self.assertJsonError((status, headers, body), 400)
        status, headers, body = fcgi_request(heartbeat, {
            "REQUEST_METHOD": "POST", "CONTENT_LENGTH": "-5", "HTTP_AUTHORIZATION": auth})
        self.assertJsonError((status, headers, body), 400)
        status, headers, body = fcgi_request(status_sock, {"REQUEST_METHOD": "\xff\x00GET"})
        self.assertJsonError((status, headers, body), 405)
        status, headers, body = fcgi_request(status_sock, {
            "REQUEST_METHOD": "GET", "QUERY_STRING": "format=" + "%" * 5000,
            "HTTP_IF_NONE_MATCH": "," * 10000, "HTTP_ORIGIN": "\x00" * 100})
        self.assertJsonError((status, headers, body), 400)
        status, headers, body = fcgi_request(status_sock, {})  # no method at all
        self.assertJsonError((status, headers, body), 405)

    def test_random_bytes_on_the_fastcgi_sockets(self):
        rng = random.Random(42)
        for sock_path in (self.stack.dir / "status.sock", self.stack.dir / "heartbeat.sock"):
            for size in (1, 7, 8, 100, 5000):
                with socket.socket(socket.AF_UNIX) as s:
                    s.settimeout(5)
                    s.connect(str(sock_path))
                    s.sendall(bytes(rng.randrange(256) for _ in range(size)))
                    s.shutdown(socket.SHUT_WR)
                    try:
                        while s.recv(4096):
                            pass
                    except ConnectionResetError:  # dropped with the garbage unread
                        pass
                    except socket.timeout:
                        self.fail(f"{sock_path.name} hung on {size} random bytes")
        self.assertEqual(self.stack.status()[0], 200)  # and both still serve


if __name__ == "__main__":
    unittest.main()
