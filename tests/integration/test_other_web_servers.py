"""The programs behind the other peers a host may run: lighttpd's mod_fastcgi (on the programs'
sockets, and starting a program itself with `bin-path`, the socket on descriptor 0), lighttpd's
mod_cgi (the same binaries as CGI), h2o (`fastcgi.connect`, and `fastcgi.spawn` starting them)
and `cgi-fcgi` (libfcgi's bridge from CGI). The same requests as through nginx: status, the
badge path, a heartbeat, a 413 then a request on the same connection, 100 requests on one
connection, 50 clients at once, a body in two parts 2.5 s apart; the error log stays free of
warnings."""
import concurrent.futures
import json
import os
import pwd
import shutil
import subprocess

from harness import BIN_DIR
from harness.fastcgi import parse_cgi_output
from harness.h2o import H2o
from harness.lighttpd import Lighttpd
from harness.web_client import WebClient
from tests.integration.test_fastcgi_wire import RawWire


class ThroughAWebServer(WebClient):
    """The requests every web server here must pass; `self.port` is the server's."""

    def test_status_badge_and_a_heartbeat(self):
        connection = self.connection()
        status, _, body = self.get(connection, "/cgi-bin/status.fcgi")
        self.assertEqual((status, json.loads(body)["state"]), (200, "offline"))
        self.assertEqual(self.post(connection, b'{"device":"laptop"}')[0], 200)
        status, _, body = self.get(connection, "/cgi-bin/status.fcgi")
        self.assertEqual((status, json.loads(body)["state"]), (200, "online"))
        status, content_type, _ = self.get(connection, "/cgi-bin/status.fcgi/badge.svg")
        self.assertEqual(status, 200)
        self.assertIn("svg", content_type)
        connection.close()
        self.assert_log_clean()

    def test_a_413_then_a_request_on_the_same_connection(self):
        connection = self.connection()
        for _ in range(3):
            status, body = self.post(connection, b"x" * 5000)
            self.assertEqual((status, json.loads(body)["error"]), (413, "payload_too_large"))
            self.assertEqual(self.post(connection, b'{"device":"laptop"}')[0], 200)
        connection.close()
        self.assert_log_clean()

    def test_100_requests_on_one_connection_and_50_clients_at_once(self):
        connection = self.connection()
        for _ in range(100):
            self.assertEqual(self.get(connection, "/cgi-bin/status.fcgi")[0], 200)
        connection.close()

        def one(_):
            c = self.connection()
            try:
                return self.get(c, "/cgi-bin/status.fcgi")[0]
            finally:
                c.close()
        with concurrent.futures.ThreadPoolExecutor(50) as pool:
            self.assertEqual(list(pool.map(one, range(50))), [200] * 50)
        self.assert_log_clean()

    def test_a_body_in_two_parts_2_5_s_apart_gets_200(self):
        connection = self.connection()
        self.assertEqual(self.post(connection, b'{"device":"laptop"}', parts=2, pause=2.5)[0], 200)
        connection.close()
        self.assert_log_clean()


class LighttpdOnTheSockets(ThroughAWebServer, RawWire):
    tcp = ("heartbeat",)
    SERVERS = """\
  "/cgi-bin/status.fcgi" => (( "socket" => "{status_sock}", "check-local" => "disable" )),
  "/cgi-bin/heartbeat.fcgi" => (( "host" => "127.0.0.1", "port" => {heartbeat_port},
                                  "check-local" => "disable" )),"""

    def setUp(self):
        super().setUp()
        self.server = Lighttpd(self.dir / "lighttpd", self.SERVERS.format(
            status_sock=self.status_sock, heartbeat_port=self.ports["heartbeat"])).start()
        self.addCleanup(self.server.stop)
        self.port = self.server.port

    def assert_log_clean(self):
        bad = [line for line in self.server.log().splitlines()
               if "server started" not in line and "server stopped" not in line]
        self.assertEqual(bad, [])


class LighttpdStartingThePrograms(LighttpdOnTheSockets):
    """`bin-path`: lighttpd starts each program with its listening socket on descriptor 0."""
    SERVERS = """\
  "/cgi-bin/status.fcgi" => (( "socket" => "{dir}/spawned-status.sock", "bin-path" => "{bin}/status.fcgi",
                               "max-procs" => 1, "check-local" => "disable",
                               "bin-environment" => ( "HEARTBEAT_CONFIG" => "{config}" ) )),
  "/cgi-bin/heartbeat.fcgi" => (( "socket" => "{dir}/spawned-heartbeat.sock", "bin-path" => "{bin}/heartbeat.fcgi",
                                  "max-procs" => 1, "check-local" => "disable",
                                  "bin-environment" => ( "HEARTBEAT_CONFIG" => "{config}" ) )),"""

    def setUp(self):
        RawWire.setUp(self)
        self.server = Lighttpd(self.dir / "lighttpd", self.SERVERS.format(
            dir=self.dir, bin=BIN_DIR.resolve(), config=self.dir / "heartbeat.conf")).start()
        self.addCleanup(self.server.stop)
        self.port = self.server.port


class LighttpdRunningThemAsCgi(LighttpdOnTheSockets):
    """mod_cgi: the same binaries as plain CGI programs in the document root, one process per
    request, the config named by mod_setenv's environment."""

    def setUp(self):
        RawWire.setUp(self)
        server_dir = self.dir / "lighttpd"
        cgi_bin = server_dir / "www" / "cgi-bin"
        cgi_bin.mkdir(parents=True)
        for name in ("status.fcgi", "heartbeat.fcgi"):
            shutil.copy(BIN_DIR / name, cgi_bin / name)
        settings = (f'cgi.assign = ( ".fcgi" => "" )\n'
                    f'setenv.add-environment = ( "HEARTBEAT_CONFIG" => "{self.dir}/heartbeat.conf" )')
        self.server = Lighttpd(server_dir, modules=("mod_cgi", "mod_setenv"),
                               settings=settings).start()
        self.addCleanup(self.server.stop)
        self.port = self.server.port


class H2oConnecting(ThroughAWebServer, RawWire):
    """h2o's `fastcgi.connect` through `file.custom-handler` on the programs' folder: a plain
    path mapping sends an empty SCRIPT_NAME and the whole path as PATH_INFO (404), and
    `file.file` sends no PATH_INFO at all (the badge path answers JSON). heartbeat.fcgi, which
    needs no PATH_INFO, is the one file of the folder with a handler of its own."""
    tcp = ("heartbeat",)
    PATHS = """\
"/cgi-bin":
  file.dir: {www}
  file.custom-handler:
    extension: .fcgi
    fastcgi.connect:
      port: {status_sock}
      type: unix
"/cgi-bin/heartbeat.fcgi":
  file.file: {www}/heartbeat.fcgi
  file.custom-handler:
    extension: .fcgi
    fastcgi.connect:
      host: 127.0.0.1
      port: {heartbeat_port}
      type: tcp
"""

    def setUp(self):
        super().setUp()
        www = self.dir / "www"
        www.mkdir()
        for name in ("status.fcgi", "heartbeat.fcgi"):
            (www / name).write_text("")  # what the handler is chosen by; never run
        self.server = H2o(self.dir / "h2o", self.PATHS.format(
            www=www, status_sock=self.status_sock, heartbeat_port=self.ports["heartbeat"])).start()
        self.addCleanup(self.server.stop)
        self.port = self.server.port

    def assert_log_clean(self):
        bad = [line for line in self.server.log().splitlines() if "is ready to serve" not in line]
        self.assertEqual(bad, [])


class H2oStartingThePrograms(H2oConnecting):
    """`fastcgi.spawn`: h2o starts each program itself (through /bin/sh) with a listening unix
    socket on descriptor 0, and stops it when h2o stops. Started by root, h2o runs them as
    `nobody` (its `user` setting): their database folder is that user's, as DEPLOY.md says."""
    PATHS = """\
"/cgi-bin":
  file.dir: {www}
  file.custom-handler:
    extension: .fcgi
    fastcgi.spawn: "exec env HEARTBEAT_CONFIG={config} {bin}/status.fcgi"
"/cgi-bin/heartbeat.fcgi":
  file.file: {www}/heartbeat.fcgi
  file.custom-handler:
    extension: .fcgi
    fastcgi.spawn: "exec env HEARTBEAT_CONFIG={config} {bin}/heartbeat.fcgi"
"""

    def setUp(self):
        RawWire.setUp(self)
        www = self.dir / "www"
        www.mkdir()
        for name in ("status.fcgi", "heartbeat.fcgi"):
            (www / name).write_text("")  # what the handler is chosen by; never run
        data = self.dir / "spawned-data"
        data.mkdir()
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(data, nobody.pw_uid, nobody.pw_gid)
        config = self.dir / "spawned.conf"
        config.write_text((self.dir / "heartbeat.conf").read_text().replace(
            f"database = {self.dir}/heartbeat.db", f"database = {data}/heartbeat.db"))
        self.server = H2o(self.dir / "h2o", self.PATHS.format(
            www=www, bin=BIN_DIR.resolve(), config=config)).start()
        self.addCleanup(self.server.stop)
        self.port = self.server.port


class CgiFcgiBridge(RawWire):
    """`cgi-fcgi -bind -connect SOCKET`: a CGI request (environment and stdin) passed on to the
    program's socket, the answer written out as CGI."""

    def run_bridge(self, sock, env, body=b""):
        out = subprocess.run(["cgi-fcgi", "-bind", "-connect", str(sock)], input=body,
                             env=dict(env, GATEWAY_INTERFACE="CGI/1.1"), capture_output=True,
                             timeout=10)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stderr, b"")
        return parse_cgi_output(out.stdout)

    def test_status_and_a_heartbeat_through_cgi_fcgi(self):
        code, _, body = self.run_bridge(self.status_sock, {"REQUEST_METHOD": "GET"})
        self.assertEqual((code, json.loads(body)["state"]), (200, "offline"))
        heartbeat = b'{"device":"laptop"}'
        code, _, _ = self.run_bridge(self.heartbeat_sock, {
            "REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/json",
            "CONTENT_LENGTH": str(len(heartbeat)), "HTTP_AUTHORIZATION": f"Bearer {self.token}"},
            heartbeat)
        self.assertEqual(code, 200)
        code, headers, _ = self.run_bridge(self.status_sock, {"REQUEST_METHOD": "GET",
                                                              "PATH_INFO": "/badge.svg"})
        self.assertEqual(code, 200)
        self.assertIn("svg", headers["content-type"])
        code, _, body = self.run_bridge(self.heartbeat_sock, {
            "REQUEST_METHOD": "POST", "CONTENT_TYPE": "application/json", "CONTENT_LENGTH": "5000",
            "HTTP_AUTHORIZATION": f"Bearer {self.token}"}, b"x" * 5000)
        self.assertEqual((code, json.loads(body)["error"]), (413, "payload_too_large"))



if __name__ == "__main__":
    import unittest
    unittest.main()
