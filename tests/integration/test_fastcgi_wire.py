"""The FastCGI wire as a raw client speaks it, record by record: what once froze or killed a
program (a second BEGIN_REQUEST, GET_VALUES inside a request), the records the protocol answers
(GET_VALUES_RESULT, UNKNOWN_TYPE, UNKNOWN_ROLE, CANT_MPX_CONN, ABORT_REQUEST), requests
pipelined in one write, a 413 on a kept connection, a body in parts, and connections that say
nothing. Each time, a probe on another connection is answered within 1.5 s by the same
process."""
import os
import pathlib
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest

from harness import BIN_DIR
from harness.fastcgi import (FCGI_ABORT_REQUEST, FCGI_CANT_MPX_CONN, FCGI_END_REQUEST,
                             FCGI_GET_VALUES, FCGI_GET_VALUES_RESULT, FCGI_PARAMS,
                             FCGI_REQUEST_COMPLETE, FCGI_STDIN, FCGI_UNKNOWN_ROLE,
                             FCGI_UNKNOWN_TYPE, RecordReader, decode_pairs, fcgi_begin,
                             fcgi_message, fcgi_pairs, fcgi_record, fcgi_request,
                             parse_cgi_output)
from harness.processes import free_port, unix_socket_open, wait_for, wait_for_port
from harness.programs import new_token

GET = {"REQUEST_METHOD": "GET"}
PROBE_SECONDS = 1.5


class RawWire(unittest.TestCase):
    """Each test has its own status.fcgi and heartbeat.fcgi, so that one that dies shows."""

    processes = 1
    tcp = ()  # the programs that listen on a loopback TCP port (self.ports) instead

    def setUp(self):
        tmp = tempfile.TemporaryDirectory()
        self.addCleanup(tmp.cleanup)
        self.dir = pathlib.Path(tmp.name)
        self.dir.chmod(0o755)  # a web server's own user reaches the sockets
        self.token, line = new_token(BIN_DIR)
        (self.dir / "heartbeat.conf").write_text(f"{line}\ndatabase = {self.dir}/heartbeat.db\n")
        self.programs = {}
        self.ports = {}
        for name in ("status", "heartbeat"):
            sock = self.dir / f"{name}.sock"
            log = open(self.dir / f"{name}.log", "wb")
            self.addCleanup(log.close)
            listen = str(sock)
            if name in self.tcp:
                self.ports[name] = free_port()
                listen = f"127.0.0.1:{self.ports[name]}"
            args = [str(BIN_DIR / f"{name}.fcgi"), "--listen", listen]
            if self.processes > 1:
                args += ["--processes", str(self.processes)]
            proc = subprocess.Popen(args, stderr=log, env=dict(
                os.environ, HEARTBEAT_CONFIG=str(self.dir / "heartbeat.conf")))
            self.addCleanup(self.stop, proc)
            if name in self.tcp:
                wait_for_port(self.ports[name], what=f"{name} port")
            else:
                wait_for(lambda: unix_socket_open(sock), what=f"{name} socket")
            self.programs[name] = (proc, sock)
        self.status_sock = self.programs["status"][1]
        self.heartbeat_sock = self.programs["heartbeat"][1]

    @staticmethod
    def stop(proc):
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def connect(self, sock=None):
        s = socket.socket(socket.AF_UNIX)
        s.settimeout(5)
        s.connect(str(sock or self.status_sock))
        self.addCleanup(s.close)
        return s

    def assert_probe_answered(self, sock=None, expected=200):
        """A GET on a new connection, answered within PROBE_SECONDS (200; heartbeat.fcgi's
        answer to a GET is 405)."""
        started = time.monotonic()
        try:
            code = fcgi_request(sock or self.status_sock, GET, timeout=PROBE_SECONDS)[0]
        except (OSError, IndexError, ValueError) as error:
            self.fail(f"probe not answered: {error!r}")
        self.assertEqual(code, expected)
        self.assertLess(time.monotonic() - started, PROBE_SECONDS)

    def assert_alive(self):
        for name, (proc, _) in self.programs.items():
            self.assertIsNone(proc.poll(), f"{name}.fcgi ended")

    def heartbeat_params(self, length):
        return {"REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/json",
                "HTTP_AUTHORIZATION": f"Bearer {self.token}", "CONTENT_LENGTH": str(length)}


class TwoRequestsOnOneConnection(RawWire):
    def test_a_second_begin_gets_cant_mpx_conn_and_freezes_no_one(self):
        # Request 1's params never end; request 2 comes whole; then a byte every second of
        # request 1, which must not keep it alive past its 2 s.
        attacker = self.connect()
        attacker.sendall(fcgi_begin(1) + fcgi_record(FCGI_PARAMS, fcgi_pairs(GET)[:-1], 1)
                         + fcgi_begin(2) + fcgi_record(FCGI_PARAMS, b"", 2)
                         + fcgi_record(FCGI_STDIN, b"", 2))
        stop = threading.Event()

        def dribble():
            while not stop.wait(1.0):
                try:
                    attacker.send(b"T")
                except OSError:
                    return
        dribbler = threading.Thread(target=dribble)
        dribbler.start()
        try:
            reader = RecordReader(attacker)
            kind, request_id, content = reader.next(PROBE_SECONDS)
            self.assertEqual((kind, request_id, content[4]), (FCGI_END_REQUEST, 2, FCGI_CANT_MPX_CONN))
            for _ in range(3):
                time.sleep(0.5)
                self.assert_probe_answered()
            self.assertIsNone(reader.next(3))  # dropped 2 s after its first byte
        finally:
            stop.set()
            dribbler.join()
        self.assert_alive()


class TwoRequestsOnOneConnectionWithWorkers(RawWire):
    processes = 3

    def test_eight_such_connections_leave_every_probe_answered(self):
        attackers = []
        for _ in range(8):
            time.sleep(0.1)  # one after the other, as each worker becomes free to take one
            s = self.connect()
            s.sendall(fcgi_begin(1) + fcgi_record(FCGI_PARAMS, fcgi_pairs(GET)[:-1], 1)
                      + fcgi_begin(2) + fcgi_record(FCGI_PARAMS, b"", 2)
                      + fcgi_record(FCGI_STDIN, b"", 2))
            attackers.append(s)
        stop = threading.Event()

        def dribble():  # a byte of each request 1 every second
            while not stop.wait(1.0):
                for s in attackers:
                    try:
                        s.send(b"T")
                    except OSError:
                        pass
        dribbler = threading.Thread(target=dribble)
        dribbler.start()
        try:
            for _ in range(4):
                time.sleep(0.5)
                self.assert_probe_answered()
        finally:
            stop.set()
            dribbler.join()
        self.assert_alive()


class ManagementRecords(RawWire):
    NAMES = ["FCGI_MAX_CONNS", "FCGI_MAX_REQS", "FCGI_MPXS_CONNS"]

    def get_values(self, names):
        return fcgi_record(FCGI_GET_VALUES, fcgi_pairs([(n, "") for n in names]), 0)

    def test_get_values_inside_a_request_is_answered_and_kills_no_process(self):
        # Once a stack overflow in libfcgi (64 bytes for the answer, any number of names).
        pid = self.programs["status"][0].pid
        s = self.connect()
        whole = fcgi_message(GET, keep=True)
        begin = len(fcgi_begin(1))
        s.sendall(whole[:begin] + self.get_values(self.NAMES * 4) + whole[begin:])
        reader = RecordReader(s)
        request_id, status, out, others = reader.answer(PROBE_SECONDS)
        self.assertEqual((request_id, status, parse_cgi_output(out)[0]), (1, FCGI_REQUEST_COMPLETE, 200))
        self.assertEqual([(kind, rid) for kind, rid, _ in others], [(FCGI_GET_VALUES_RESULT, 0)])
        self.assertEqual(dict(decode_pairs(others[0][2])),
                         {"FCGI_MAX_CONNS": "256", "FCGI_MAX_REQS": "256", "FCGI_MPXS_CONNS": "0"})
        self.assert_probe_answered()
        self.assert_alive()
        self.assertEqual(self.programs["status"][0].pid, pid)

    def test_get_values_before_a_request_and_an_unknown_type_are_answered(self):
        s = self.connect()
        reader = RecordReader(s)
        s.sendall(self.get_values(self.NAMES + ["SOMETHING_ELSE"]))
        kind, request_id, content = reader.next(PROBE_SECONDS)
        self.assertEqual((kind, request_id), (FCGI_GET_VALUES_RESULT, 0))
        self.assertEqual(decode_pairs(content), [("FCGI_MAX_CONNS", "256"), ("FCGI_MAX_REQS", "256"),
                                                 ("FCGI_MPXS_CONNS", "0")])
        s.sendall(fcgi_record(12, b"what is this", 0))
        kind, request_id, content = reader.next(PROBE_SECONDS)
        self.assertEqual((kind, request_id, content), (FCGI_UNKNOWN_TYPE, 0, b"\x0c" + b"\0" * 7))
        # The connection stays usable.
        s.sendall(fcgi_message(GET, keep=True))
        request_id, status, out, _ = reader.answer(PROBE_SECONDS)
        self.assertEqual(parse_cgi_output(out)[0], 200)
        self.assert_alive()

    def test_an_unknown_role_and_an_aborted_request_are_ended(self):
        s = self.connect()
        reader = RecordReader(s)
        s.sendall(fcgi_begin(3, role=2) + fcgi_record(FCGI_PARAMS, b"", 3)
                  + fcgi_record(FCGI_STDIN, b"", 3))
        self.assertEqual(reader.answer(PROBE_SECONDS)[:2], (3, FCGI_UNKNOWN_ROLE))
        s.sendall(fcgi_begin(4) + fcgi_record(FCGI_PARAMS, fcgi_pairs(GET), 4)
                  + fcgi_record(FCGI_ABORT_REQUEST, b"", 4))
        self.assertEqual(reader.answer(PROBE_SECONDS)[:3], (4, FCGI_REQUEST_COMPLETE, b""))
        s.sendall(fcgi_message(GET, keep=True))
        self.assertEqual(parse_cgi_output(reader.answer(PROBE_SECONDS)[2])[0], 200)


class Pipelining(RawWire):
    def test_requests_in_one_write_are_all_answered_in_order(self):
        s = self.connect()
        s.sendall(fcgi_message(GET, keep=True, request_id=1)
                  + fcgi_message({"REQUEST_METHOD": "GET", "QUERY_STRING": "format=svg"},
                                 keep=True, request_id=2)
                  + fcgi_message(GET, keep=False, request_id=3))
        reader = RecordReader(s)
        answers = [reader.answer(PROBE_SECONDS) for _ in range(3)]
        self.assertEqual([a[0] for a in answers], [1, 2, 3])
        self.assertEqual([parse_cgi_output(a[2])[0] for a in answers], [200, 200, 200])
        self.assertIn("svg", parse_cgi_output(answers[1][2])[1]["content-type"])
        self.assertIsNone(reader.next(PROBE_SECONDS))  # the last asked for no keep


    def test_five_hundred_requests_in_one_write_are_all_answered(self):
        # Far more answers than the program lets wait at once: it writes, then reads on.
        s = self.connect()
        sender = threading.Thread(target=s.sendall, args=(fcgi_message(GET, keep=True) * 500,))
        sender.start()
        reader = RecordReader(s)
        codes = [parse_cgi_output(reader.answer(5)[2])[0] for _ in range(500)]
        sender.join()
        self.assertEqual(codes, [200] * 500)
        self.assert_probe_answered()


class Bodies(RawWire):
    def test_a_413_keeps_the_connection_for_the_next_request(self):
        s = self.connect(self.heartbeat_sock)
        reader = RecordReader(s)
        s.sendall(fcgi_message(self.heartbeat_params(50000), b"x" * 50000, keep=True))
        _, _, out, _ = reader.answer(PROBE_SECONDS)
        self.assertEqual(parse_cgi_output(out)[0], 413)
        body = b'{"device":"laptop"}'
        s.sendall(fcgi_message(self.heartbeat_params(len(body)), body, keep=True))
        _, _, out, _ = reader.answer(PROBE_SECONDS)
        self.assertEqual(parse_cgi_output(out)[0], 200)

    def test_a_body_in_two_parts_2_5_s_apart_is_answered(self):
        # As Apache's mod_proxy_fcgi passes on a body while its client sends it.
        body = b'{"device":"laptop"}'
        whole = fcgi_message(self.heartbeat_params(len(body)), body, keep=True)
        half = whole.index(body) + len(body) // 2
        s = self.connect(self.heartbeat_sock)
        s.sendall(whole[:half])
        time.sleep(2.5)
        self.assert_probe_answered(self.heartbeat_sock, expected=405)
        s.sendall(whole[half:])
        _, _, out, _ = RecordReader(s).answer(PROBE_SECONDS)
        self.assertEqual(parse_cgi_output(out)[0], 200)

    def test_a_body_whose_next_part_never_comes_is_dropped_after_5_s(self):
        body = b'{"device":"laptop"}'
        whole = fcgi_message(self.heartbeat_params(len(body)), body, keep=True)
        s = self.connect(self.heartbeat_sock)
        s.sendall(whole[:whole.index(body) + 4])
        sent = time.monotonic()
        self.assertIsNone(RecordReader(s).next(10))
        self.assertGreater(time.monotonic() - sent, 4.5)
        self.assertLess(time.monotonic() - sent, 7)


class SilentConnections(RawWire):
    def test_a_new_connection_is_answered_at_once_with_300_silent_ones_open(self):
        silent = [self.connect() for _ in range(300)]
        self.assertEqual(len(silent), 300)
        self.assert_probe_answered()
        self.assert_alive()

    def test_the_longest_idle_kept_connection_makes_room(self):
        oldest = self.connect()
        oldest.sendall(fcgi_message(GET, keep=True))
        reader = RecordReader(oldest)
        self.assertEqual(parse_cgi_output(reader.answer(PROBE_SECONDS)[2])[0], 200)
        others = []
        for _ in range(255):
            s = self.connect()
            s.sendall(fcgi_message(GET, keep=True))
            others.append(s)
        for s in others:
            RecordReader(s).answer(5)
        self.assert_probe_answered()  # the 257th: the oldest is closed for it
        self.assertIsNone(reader.next(PROBE_SECONDS))

    def test_a_connection_that_never_says_a_word_is_closed(self):
        s = self.connect()
        opened = time.monotonic()
        self.assertIsNone(RecordReader(s).next(10))
        self.assertGreater(time.monotonic() - opened, 4)


if __name__ == "__main__":
    unittest.main()
