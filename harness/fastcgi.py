"""FastCGI spoken directly to a program's socket, as nginx speaks it, and the parser of the
CGI-style answer (status line, headers, body) that both FastCGI and plain CGI runs return."""
import socket
import struct

FCGI_BEGIN_REQUEST, FCGI_END_REQUEST, FCGI_PARAMS, FCGI_STDIN, FCGI_STDOUT = 1, 3, 4, 5, 6


def _record(kind, content, request_id=1):
    return struct.pack(">BBHHBB", 1, kind, request_id, len(content), 0, 0) + content


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
