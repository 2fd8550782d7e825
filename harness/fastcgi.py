"""FastCGI spoken directly to a program's socket, as nginx speaks it (and record by record, as
an attacker would), and the parser of the CGI-style answer (status line, headers, body) that
both FastCGI and plain CGI runs return."""
import socket
import struct
import time

FCGI_BEGIN_REQUEST, FCGI_ABORT_REQUEST, FCGI_END_REQUEST, FCGI_PARAMS, FCGI_STDIN, FCGI_STDOUT = (
    1, 2, 3, 4, 5, 6)
FCGI_GET_VALUES, FCGI_GET_VALUES_RESULT, FCGI_UNKNOWN_TYPE = 9, 10, 11
FCGI_REQUEST_COMPLETE, FCGI_CANT_MPX_CONN, FCGI_UNKNOWN_ROLE = 0, 1, 3


def _record(kind, content, request_id=1, padding=0):
    return (struct.pack(">BBHHBB", 1, kind, request_id, len(content), padding, 0) + content
            + b"\0" * padding)


def fcgi_record(kind, content=b"", request_id=1, padding=0):
    """One record, as raw as a test wants it."""
    return _record(kind, content, request_id, padding)


def fcgi_begin(request_id=1, keep=True, role=1):
    return _record(FCGI_BEGIN_REQUEST, struct.pack(">HB5x", role, FCGI_KEEP_CONN if keep else 0),
                   request_id)


def fcgi_pairs(pairs):
    """Name-value pairs (a dict, or a list of (name, value) to repeat names) as encoded."""
    items = pairs.items() if isinstance(pairs, dict) else pairs
    encoded = b""
    for name, value in items:
        name = name.encode() if isinstance(name, str) else name
        value = value.encode() if isinstance(value, str) else value
        encoded += _length(len(name)) + _length(len(value)) + name + value
    return encoded


def decode_pairs(data):
    pairs, at = [], 0
    while at < len(data):
        lengths = []
        for _ in range(2):
            if data[at] < 128:
                lengths.append(data[at])
                at += 1
            else:
                lengths.append(struct.unpack(">I", data[at:at + 4])[0] & 0x7fffffff)
                at += 4
        name = data[at:at + lengths[0]]
        value = data[at + lengths[0]:at + lengths[0] + lengths[1]]
        at += lengths[0] + lengths[1]
        pairs.append((name.decode(), value.decode()))
    return pairs


def _length(n):
    return bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)


FCGI_KEEP_CONN = 1


def fcgi_message(params, stdin=b"", keep=False, request_id=1):
    """The records of one FastCGI request, as nginx sends them."""
    encoded = b"".join(_length(len(k)) + _length(len(v)) + k + v for k, v in
                       ((k.encode(), v if isinstance(v, bytes) else v.encode()) for k, v in params.items()))
    flags = FCGI_KEEP_CONN if keep else 0
    message = _record(FCGI_BEGIN_REQUEST, struct.pack(">HB5x", 1, flags), request_id)
    for i in range(0, len(encoded), 65535):
        message += _record(FCGI_PARAMS, encoded[i:i + 65535], request_id)
    message += _record(FCGI_PARAMS, b"", request_id)
    for i in range(0, len(stdin), 65535):
        message += _record(FCGI_STDIN, stdin[i:i + 65535], request_id)
    message += _record(FCGI_STDIN, b"", request_id)
    return message


def fcgi_request(sock_path, params, stdin=b"", timeout=10):
    """Sends one FastCGI request to a unix socket's path, or to a (host, port) pair over TCP;
    returns (status, headers dict lower-cased, body bytes)."""
    tcp = isinstance(sock_path, tuple)
    with socket.socket(socket.AF_INET if tcp else socket.AF_UNIX) as s:
        s.settimeout(timeout)
        s.connect(sock_path if tcp else str(sock_path))
        s.sendall(fcgi_message(params, stdin))
        return parse_cgi_output(_read_stdout(s))


class FastCgiConnection:
    """One connection to a program's socket that stays open between requests, as nginx's
    `fastcgi_keep_conn on` uses it."""

    def __init__(self, sock_path, timeout=10):
        self.socket = socket.socket(socket.AF_UNIX)
        self.socket.settimeout(timeout)
        self.socket.connect(str(sock_path))
        self.pending = b""

    def request(self, params, stdin=b"", keep=True):
        self.send(params, stdin, keep)
        return self.receive()

    def send(self, params, stdin=b"", keep=True):
        self.socket.sendall(fcgi_message(params, stdin, keep=keep))

    def receive(self):
        """The answer to the oldest request sent and not yet answered."""
        return parse_cgi_output(self._read_answer())

    def at_eof(self):
        """Whether the program has closed its end (waits up to the timeout)."""
        return self.socket.recv(1) == b""

    def close(self):
        self.socket.close()

    def _read_answer(self):
        """Reads records up to this request's FCGI_END_REQUEST, and not a byte further."""
        out = b""
        while True:
            header = self._read_exactly(8)
            _, kind, _, length, padding, _ = struct.unpack(">BBHHBB", header)
            content = self._read_exactly(length + padding)[:length]
            if kind == FCGI_STDOUT:
                out += content
            elif kind == FCGI_END_REQUEST:
                return out

    def _read_exactly(self, n):
        while len(self.pending) < n:
            chunk = self.socket.recv(65536)
            if not chunk:
                raise ConnectionError("the program closed the connection mid-answer")
            self.pending += chunk
        data, self.pending = self.pending[:n], self.pending[n:]
        return data


class RecordReader:
    """The records a program writes on a raw socket, one at a time, each within a deadline."""

    def __init__(self, sock):
        self.socket = sock
        self.pending = b""

    def next(self, timeout):
        """(type, request id, content), or None when the program closed the connection."""
        deadline = time.monotonic() + timeout
        while True:
            if len(self.pending) >= 8:
                _, kind, request_id, length, padding, _ = struct.unpack(">BBHHBB", self.pending[:8])
                if len(self.pending) >= 8 + length + padding:
                    content = self.pending[8:8 + length]
                    self.pending = self.pending[8 + length + padding:]
                    return kind, request_id, content
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no record within %.1f s" % timeout)
            self.socket.settimeout(left)
            try:
                chunk = self.socket.recv(65536)
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                return None
            self.pending += chunk

    def answer(self, timeout):
        """The records up to the next END_REQUEST: (its request id, its protocol status, the
        STDOUT joined), and the other records met on the way."""
        out, others = b"", []
        while True:
            record = self.next(timeout)
            if record is None:
                raise ConnectionError("closed before END_REQUEST")
            kind, request_id, content = record
            if kind == FCGI_STDOUT:
                out += content
            elif kind == FCGI_END_REQUEST:
                return request_id, content[4], out, others
            else:
                others.append(record)


def _read_stdout(s):
    data, out = b"", b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    while len(data) >= 8:
        _, kind, _, length, padding, _ = struct.unpack(">BBHHBB", data[:8])
        content = data[8:8 + length]
        data = data[8 + length + padding:]
        if kind == FCGI_STDOUT:
            out += content
        elif kind == FCGI_END_REQUEST:
            break
    return out


def parse_cgi_output(out):
    head, _, body = out.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body
