"""How the programs handle their FastCGI connections: connections kept open for the next
request (nginx's fastcgi_keep_conn), many connections at once, idle ones that must not hold
up the others, connections that end abruptly, and the web-server address list."""
import os
import pathlib
import resource
import signal
import socket
import subprocess
import tempfile
import time
import unittest

from harness import BIN_DIR
from harness.fastcgi import FastCgiConnection, fcgi_message, fcgi_request
from harness.local_stack import LocalStack
from harness.processes import (free_port, open_descriptors, proc_stat, signal_pending,
                               unix_socket_open, wait_for, wait_for_port)
from harness.programs import json_body
from harness.stack_case import StackTestCase


GET = {"REQUEST_METHOD": "GET"}
ONLINE = {"isOnline": True, "state": "online"}
OFFLINE = {"isOnline": False, "state": "offline"}


class KeptConnections(StackTestCase):
    def setUp(self):
        self.status_sock = self.stack.dir / "status.sock"
        self.heartbeat_sock = self.stack.dir / "heartbeat.sock"

    def post(self, connection, device="laptop", keep=True):
        return connection.request({
            "REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/json",
            "HTTP_AUTHORIZATION": f"Bearer {self.stack.token}",
            "CONTENT_LENGTH": str(len(b'{"device":"%s"}' % device.encode()))},
            b'{"device":"%s"}' % device.encode(), keep=keep)

    def test_a_kept_connection_answers_request_after_request(self):
        status = FastCgiConnection(self.status_sock)
        writer = FastCgiConnection(self.heartbeat_sock)
        try:
            for _ in range(3):
                code, _, body = status.request(GET)
                self.assertEqual(code, 200)
            self.assertEqual(self.post(writer)[0], 200)
            code, _, body = status.request(GET)  # the same connection sees the new heartbeat
            self.assertEqual((code, json_body(body)), (200, ONLINE))
            self.assertEqual(self.post(writer, "desk")[0], 200)
            # Without FCGI_KEEP_CONN the program answers and then closes the connection.
            code, _, _ = status.request(GET, keep=False)
            self.assertEqual(code, 200)
            self.assertTrue(status.at_eof())
        finally:
            status.close()
            writer.close()

    def test_idle_connections_do_not_hold_up_the_others(self):
        # Connections that nginx keeps in its pool sit idle; a one-at-a-time program would wait
        # on the first of them forever. Here 40 stay idle (some never say a word, some after a
        # first request) while requests on other connections are answered at once.
        silent = [socket.socket(socket.AF_UNIX) for _ in range(20)]
        kept = [FastCgiConnection(self.status_sock, timeout=5) for _ in range(20)]
        try:
            for s in silent:
                s.connect(str(self.status_sock))
            for connection in kept:
                self.assertEqual(connection.request(GET)[0], 200)
            started = time.monotonic()
            for _ in range(20):
                self.assertEqual(fcgi_request(self.status_sock, GET, timeout=5)[0], 200)
            self.assertLess(time.monotonic() - started, 5)
            for connection in reversed(kept):  # and the idle ones still work, in any order
                self.assertEqual(connection.request(GET)[0], 200)
        finally:
            for s in silent:
                s.close()
            for connection in kept:
                connection.close()

    def test_requests_interleaved_over_many_connections(self):
        connections = [FastCgiConnection(self.status_sock) for _ in range(8)]
        try:
            for round_number in range(5):
                # Send on every connection first, then read every answer.
                for connection in connections:
                    connection.send(GET)
                for connection in connections:
                    code, headers, body = connection.receive()
                    self.assertEqual(code, 200, (round_number, body))
                    self.assertIn("etag", headers)
        finally:
            for connection in connections:
                connection.close()

    def test_a_body_too_large_gets_413_after_it_is_read_and_the_kept_connection_goes_on(self):
        # The program keeps 4097 bytes of a 100 kB body and reads the rest away; the answer
        # comes once the body has ended, so the web server's connection stays in step, and the
        # next request on the same kept connection is answered.
        writer = FastCgiConnection(self.heartbeat_sock)
        try:
            for _ in range(3):
                code, _, body = writer.request({
                    "REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/json",
                    "HTTP_AUTHORIZATION": f"Bearer {self.stack.token}",
                    "CONTENT_LENGTH": "100000"}, b"x" * 100000)
                self.assertEqual((code, json_body(body)["error"]), (413, "payload_too_large"))
                self.assertEqual(self.post(writer)[0], 200)
        finally:
            writer.close()

    def test_connections_that_end_abruptly(self):
        # Closed after the request, before the answer; closed mid-request; reset.
        for cut in (None, 12, 30):
            s = socket.socket(socket.AF_UNIX)
            s.connect(str(self.status_sock))
            message = fcgi_message(GET, keep=True)
            s.sendall(message if cut is None else message[:cut])
            s.close()
        s = socket.socket(socket.AF_UNIX)
        s.connect(str(self.heartbeat_sock))
        s.sendall(fcgi_message({"REQUEST_METHOD": "POST", "CONTENT_LENGTH": "10"}, keep=True)[:-8])
        s.close()
        connection = FastCgiConnection(self.status_sock)
        try:
            self.assertEqual(connection.request(GET)[0], 200)
            writer = FastCgiConnection(self.heartbeat_sock)
            self.assertEqual(self.post(writer)[0], 200)
            writer.close()
        finally:
            connection.close()

    def test_a_connection_that_goes_quiet_mid_request_is_dropped(self):
        # A peer that stops halfway must hold no one up, and is dropped 2 s after its first byte.
        stalled = socket.socket(socket.AF_UNIX)
        stalled.connect(str(self.status_sock))
        stalled.sendall(fcgi_message(GET, keep=True)[:30])
        sent = time.monotonic()
        try:
            started = time.monotonic()
            self.assertEqual(fcgi_request(self.status_sock, GET, timeout=10)[0], 200)
            self.assertLess(time.monotonic() - started, 1)
            stalled.settimeout(10)
            self.assertTrue(_closed_by_peer(stalled))
            self.assertGreater(time.monotonic() - sent, 1.5)
        finally:
            stalled.close()

    def test_a_request_sent_a_byte_at_a_time_holds_no_one_up_and_is_dropped(self):
        # One byte every 0.3 s: each read would be quick, the whole request never arrives.
        # Meanwhile other connections are answered at once; it is dropped 2 s after it began.
        message = fcgi_message(GET, keep=True)
        slow = socket.socket(socket.AF_UNIX)
        slow.connect(str(self.status_sock))
        slow.settimeout(0.3)
        began = time.monotonic()
        closed_after = None
        try:
            for i in range(len(message) - 1):
                try:
                    slow.sendall(message[i:i + 1])
                except (BrokenPipeError, ConnectionResetError):
                    closed_after = time.monotonic() - began
                    break
                started = time.monotonic()
                self.assertEqual(fcgi_request(self.status_sock, GET, timeout=5)[0], 200)
                self.assertLess(time.monotonic() - started, 0.5)
                try:
                    if slow.recv(1) == b"":
                        closed_after = time.monotonic() - began
                        break
                except socket.timeout:
                    pass
                except ConnectionResetError:
                    closed_after = time.monotonic() - began
                    break
        finally:
            slow.close()
        self.assertIsNotNone(closed_after, "the dribbling connection was never dropped")
        self.assertGreater(closed_after, 1.5)
        self.assertLess(closed_after, 4)

    def test_answers_that_are_not_taken_do_not_block_the_program(self):
        # A peer that sends request after request and reads no answer: once its socket holds
        # as many answers as it can take, a blocking write would stop the program for good.
        # The program stops reading from that peer instead, serves the others, and drops it
        # once its answers have waited 2 s.
        greedy = socket.socket(socket.AF_UNIX)
        greedy.connect(str(self.status_sock))
        greedy.setblocking(False)
        message = fcgi_message(GET, keep=True)
        sent = 0
        for _ in range(600):  # one at a time, as a client would send them
            try:
                greedy.send(message)
                sent += 1
            except (BlockingIOError, BrokenPipeError, ConnectionResetError):
                break
            time.sleep(0.002)
        sent_all = time.monotonic()  # by now its answers have filled its socket
        try:
            self.assertGreater(sent, 238)
            for _ in range(5):
                started = time.monotonic()
                self.assertEqual(fcgi_request(self.status_sock, GET, timeout=5)[0], 200)
                self.assertLess(time.monotonic() - started, 1)
            # Only once its answers have waited past 2 s does it take one.
            time.sleep(max(0.0, 2.5 - (time.monotonic() - sent_all)))
            greedy.setblocking(True)
            greedy.settimeout(10)
            self.assertTrue(_closed_by_peer(greedy, drain=True))
        finally:
            greedy.close()

    def test_through_nginx_many_requests_on_few_connections(self):
        # The stack's nginx keeps its connections (as nginx.conf.example): every answer right.
        for _ in range(50):
            code, _, body = self.stack.status()
            self.assertEqual(code, 200)
            self.assertIn(body["state"], ("online", "offline", "away"))


class StoppingWithOpenConnections(unittest.TestCase):
    def test_sigterm_with_idle_and_kept_connections_exits_0_quickly(self):
        with LocalStack() as stack:
            sock = stack.dir / "status.sock"
            kept = FastCgiConnection(sock)
            self.assertEqual(kept.request(GET)[0], 200)
            # Connections whose other end stays open: closing them must not wait on it.
            pid = stack.processes["status"].pid
            before = open_descriptors(pid)
            silent = [socket.socket(socket.AF_UNIX) for _ in range(8)]
            for s in silent:
                s.connect(str(sock))
            wait_for(lambda: open_descriptors(pid) >= before + 8, what="8 connections accepted")
            started = time.monotonic()
            self.assertEqual(stack.stop_program("status", signal.SIGTERM), 0)
            self.assertLess(time.monotonic() - started, 2)
            self.assertFalse(sock.exists())
            self.assertTrue(kept.at_eof())
            kept.close()
            for s in silent:
                s.close()


    def test_sigterm_while_a_body_is_arriving_finishes_that_request(self):
        # The program is stopped (SIGSTOP) while half of a request reaches it, on a kept
        # connection and on a new one still in the listen backlog; SIGTERM is pending when it
        # goes on. Both requests are finished once the rest arrives.
        with LocalStack() as stack:
            sock = stack.dir / "heartbeat.sock"
            kept = FastCgiConnection(sock)
            def message(device):
                body = b'{"device":"%s","state":"active"}' % device
                return fcgi_message({
                    "REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/json",
                    "HTTP_AUTHORIZATION": f"Bearer {stack.token}",
                    "CONTENT_LENGTH": str(len(body))}, body, keep=True), body
            first, _ = message(b"warmup")
            kept.socket.sendall(first)
            self.assertEqual(kept.receive()[0], 200)
            proc = stack.processes["heartbeat"]
            proc.send_signal(signal.SIGSTOP)
            fresh = socket.socket(socket.AF_UNIX)
            fresh.settimeout(10)
            fresh.connect(str(sock))
            halves = []
            for connection, device in ((kept.socket, b"kept"), (fresh, b"fresh")):
                whole, body = message(device)
                half = whole.index(body) + len(body) // 2
                connection.sendall(whole[:half])
                halves.append((connection, whole[half:]))
            proc.send_signal(signal.SIGTERM)
            proc.send_signal(signal.SIGCONT)
            # The stop is seen (the handler has taken SIGTERM, the program waits on the rest) with
            # both requests still arriving.
            wait_for(lambda: not signal_pending(proc.pid, signal.SIGTERM)
                     and proc_stat(proc.pid)[0] == "S", what="SIGTERM taken")
            for connection, rest in halves:
                connection.sendall(rest)
            self.assertEqual(kept.receive()[0], 200)
            kept.close()
            answer = b""
            try:
                while chunk := fresh.recv(65536):
                    answer += chunk
            except ConnectionResetError:
                pass
            fresh.close()
            self.assertIn(b'"device":"fresh"', answer)
            self.assertEqual(stack.stop_program("heartbeat"), 0)


def _closed_by_peer(s, drain=False):
    """Whether the other end closes `s` before its timeout (an end of file or a reset);
    with `drain`, answers still waiting are read past first."""
    try:
        while True:
            chunk = s.recv(65536)
            if chunk == b"":
                return True
            if not drain:
                return False
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


class OutOfDescriptors(unittest.TestCase):
    def test_accept_failing_for_want_of_descriptors_neither_spins_nor_stops_the_program(self):
        with tempfile.TemporaryDirectory() as tmp:
            config = pathlib.Path(tmp) / "heartbeat.conf"
            config.write_text(f"database = {tmp}/heartbeat.db\n")
            sock = pathlib.Path(tmp) / "status.sock"
            log = open(pathlib.Path(tmp) / "status.log", "wb")
            log_text = (pathlib.Path(tmp) / "status.log").read_text
            self.addCleanup(log.close)
            proc = subprocess.Popen(
                [str(BIN_DIR / "status.fcgi"), "--listen", str(sock)],
                env=dict(os.environ, HEARTBEAT_CONFIG=str(config)), stderr=log,
                preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (16, 16)))
            try:
                wait_for(lambda: unix_socket_open(sock), what="status socket")
                self.assertEqual(fcgi_request(sock, GET)[0], 200)  # the database is open
                idle = []
                for _ in range(30):  # more than 16 descriptors allow
                    s = socket.socket(socket.AF_UNIX)
                    s.connect(str(sock))
                    idle.append(s)
                wait_for(lambda: "accept failed, pausing" in log_text(), what="accept to fail")
                before = _cpu_seconds(proc.pid)
                time.sleep(1.5)  # a window to measure the CPU time in, not a wait for a state
                self.assertLess(_cpu_seconds(proc.pid) - before, 0.3)  # paused, not spinning
                for s in idle:
                    s.close()
                self.assertEqual(fcgi_request(sock, GET, timeout=10)[0], 200)
            finally:
                proc.send_signal(signal.SIGTERM)
                self.assertEqual(proc.wait(timeout=5), 0)
            pauses = (pathlib.Path(tmp) / "status.log").read_text().count("accept failed, pausing")
            self.assertGreaterEqual(pauses, 1)
            self.assertLessEqual(pauses, 5)


def _cpu_seconds(pid):
    fields = proc_stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class WebServerAddresses(unittest.TestCase):
    """FCGI_WEB_SERVER_ADDRS, the address list that libfcgi's own accept honours."""

    def serve_tcp(self, allowed):
        port = free_port()
        env = {"FCGI_WEB_SERVER_ADDRS": allowed, "HEARTBEAT_CONFIG": "/nonexistent/heartbeat.conf"}
        proc = subprocess.Popen([str(BIN_DIR / "status.fcgi"), "--listen", f"127.0.0.1:{port}"],
                                env=env, stderr=subprocess.DEVNULL)
        self.addCleanup(lambda: (proc.send_signal(signal.SIGTERM), proc.wait(timeout=5)))
        wait_for_port(port, what="tcp listener")
        return port

    def ask(self, port):
        """The program's whole answer; empty when it closed the connection unanswered."""
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(fcgi_message(GET))
            data = b""
            try:
                while chunk := s.recv(65536):
                    data += chunk
            except ConnectionResetError:  # closed with our request unread
                pass
            return data

    def test_a_listed_address_is_served_and_another_is_refused(self):
        answer = self.ask(self.serve_tcp("10.1.2.3,127.0.0.1"))
        self.assertIn(b"Status: 503", answer)  # served: the config is missing
        self.assertEqual(self.ask(self.serve_tcp("10.1.2.3")), b"")  # closed unanswered


if __name__ == "__main__":
    unittest.main()
