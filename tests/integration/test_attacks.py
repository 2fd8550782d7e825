"""What an attacker tries, through the real nginx and on the programs' own sockets: locking
the owner out from a web page, flooding the lockout table, naming another config, listening
off loopback; and the modes of the files the programs create."""
import os
import pathlib
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest

from harness import BIN_DIR
from harness.fastcgi import FastCgiConnection, fcgi_request
from harness.local_stack import LocalStack
from harness.processes import free_port, port_open, wait_for
from harness.programs import json_body, new_token



def post_params(token=None, remote_addr="192.0.2.50", config=None):
    params = {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": "0", "REMOTE_ADDR": remote_addr}
    if token is not None:
        params["HTTP_AUTHORIZATION"] = f"Bearer {token}"
    if config is not None:
        params["HEARTBEAT_CONFIG"] = str(config)
    return params


class LockoutThroughNginx(unittest.TestCase):
    def setUp(self):
        self.stack = LocalStack().start()
        self.addCleanup(self.stack.stop)

    def post(self, token):
        headers = {"Content-Type": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        status, _, _ = self.stack.request("POST", "/cgi-bin/heartbeat.fcgi", headers, b"{}")
        return status

    def test_requests_a_web_page_can_send_never_lock_the_owner_out(self):
        # fetch(url, {method: "POST", mode: "no-cors"}) sends no Authorization: a burst of
        # them from the owner's own address, then the owner's agent.
        for _ in range(30):
            self.assertEqual(self.post(None), 401)
        status, _, _ = self.stack.request("POST", "/cgi-bin/heartbeat.fcgi",
                                          {"Authorization": "Basic b3duZXI6cHc="}, b"")
        self.assertEqual(status, 401)
        self.assertEqual(self.post(self.stack.token), 200)

    def test_ten_wrong_tokens_lock_out_wrong_and_missing_ones_but_not_the_right_one(self):
        for _ in range(10):
            self.assertEqual(self.post("wrong"), 401)
        status, headers, _ = self.stack.request(
            "POST", "/cgi-bin/heartbeat.fcgi",
            {"Authorization": "Bearer wrong", "Content-Type": "application/json"}, b"{}")
        self.assertEqual(status, 429)
        self.assertGreater(int(headers["retry-after"]), 500)
        self.assertEqual(self.post(None), 429)
        self.assertEqual(self.post(self.stack.token), 200)
        self.assertEqual(self.stack.status()[2]["state"], "online")


class FloodOnTheSocket(unittest.TestCase):
    def test_wrong_tokens_from_100000_ipv6_networks_keep_the_database_small(self):
        with LocalStack() as stack:
            sock = stack.dir / "heartbeat.sock"
            connections = [FastCgiConnection(sock, timeout=30) for _ in range(8)]
            owner = FastCgiConnection(sock, timeout=30)
            owner_answers = []
            total = 100_000
            for start in range(0, total, len(connections)):
                for offset, connection in enumerate(connections):
                    i = start + offset
                    connection.send(post_params("wrong", f"2001:db8:{i >> 16:x}:{i & 0xffff:x}::1"))
                for connection in connections:
                    self.assertEqual(connection.receive()[0], 401)
                if start % 20_000 == 0:  # the owner's agent, in the middle of the flood
                    began = time.monotonic()
                    owner_answers.append((owner.request(post_params(stack.token))[0],
                                          time.monotonic() - began))
            for connection in connections + [owner]:
                connection.close()
            self.assertEqual([code for code, _ in owner_answers], [200] * 5)
            self.assertLess(max(seconds for _, seconds in owner_answers), 2)
            files = [stack.dir / name for name in ("heartbeat.db", "heartbeat.db-wal", "heartbeat.db-shm")]
            size = sum(f.stat().st_size for f in files if f.exists())
            self.assertLess(size, 8 * 1024 * 1024, f"database files hold {size} bytes")


class ForgedConfigCase(unittest.TestCase):
    """The owner's stack, and an attacker's config beside it: the attacker's own token hash
    and the owner's database."""

    def setUp(self):
        self.stack = LocalStack().start()
        self.addCleanup(self.stack.stop)
        self.attacker_dir = pathlib.Path(tempfile.mkdtemp(prefix="heartbeat-mine-"))
        self.attacker_token, line = new_token(BIN_DIR)
        self.forged = self.attacker_dir / "mine.conf"
        self.forged.write_text(f"{line}\ndatabase = {self.stack.dir / 'heartbeat.db'}\n")


class WhoChoosesTheConfig(ForgedConfigCase):

    def test_a_peer_on_the_socket_cannot_name_its_own_config(self):
        code, _, body = fcgi_request(self.stack.dir / "heartbeat.sock",
                                     post_params(self.attacker_token, config=self.forged))
        self.assertEqual((code, json_body(body)["error"]), (503, "config_refused"))
        self.assertEqual(self.stack.status()[2]["state"], "offline")
        code, _, body = fcgi_request(self.stack.dir / "status.sock",
                                     {"REQUEST_METHOD": "GET", "HEARTBEAT_CONFIG": "/etc/passwd"})
        self.assertEqual((code, json_body(body)["error"]), (503, "config_refused"))
        self.assertNotIn(b"line 1", body)  # never opened: no parse error as an oracle
        self.assertNotIn(b"root", body)
        # The start-up config, named as nginx.conf.example names it, still works.
        code, _, _ = fcgi_request(self.stack.dir / "status.sock",
                                  {"REQUEST_METHOD": "GET",
                                   "HEARTBEAT_CONFIG": str(self.stack.dir / "heartbeat.conf")})
        self.assertEqual(code, 200)

    def test_config_dir_allows_the_configs_inside_it(self):
        sites = pathlib.Path(tempfile.mkdtemp(prefix="heartbeat-sites-"))
        token, line = new_token(BIN_DIR)
        (sites / "site.conf").write_text(f"{line}\ndatabase = {sites / 'site.db'}\n")
        sock = sites / "heartbeat.sock"
        proc = subprocess.Popen([str(BIN_DIR / "heartbeat.fcgi"), "--listen", str(sock),
                                 "--config-dir", str(sites)],
                                env=dict(os.environ, HEARTBEAT_CONFIG=str(self.stack.dir / "heartbeat.conf")),
                                stderr=subprocess.DEVNULL)
        self.addCleanup(lambda: (proc.send_signal(signal.SIGTERM), proc.wait(timeout=5)))
        wait_for(sock.exists, what="heartbeat socket")
        code, _, _ = fcgi_request(sock, post_params(token, config=sites / "site.conf"))
        self.assertEqual(code, 200)
        code, _, body = fcgi_request(sock, post_params(self.attacker_token, config=self.forged))
        self.assertEqual((code, json_body(body)["error"]), (503, "config_refused"))


    def test_a_symbolic_link_swapped_between_check_and_open_never_lets_a_forged_config_in(self):
        # A link flipped between the owner's config and the forged one as fast as a process
        # can, while a peer names it with a new spelling on each try.
        flip = self.attacker_dir / "flip"
        flipper = subprocess.Popen([sys.executable, "-c", FLIPPER, str(flip),
                                    str(self.stack.dir / "heartbeat.conf"), str(self.forged)])
        self.addCleanup(lambda: (flipper.kill(), flipper.wait()))
        wait_for(lambda: os.path.islink(flip), what="the flipping link")
        connection = FastCgiConnection(self.stack.dir / "heartbeat.sock", timeout=30)
        self.addCleanup(connection.close)
        answers = {}
        tries = 3000
        for i in range(tries):
            spelling = str(self.attacker_dir) + "/." * (i % 60) + "/" * (i // 60 + 1) + "flip"
            code = connection.request(post_params(self.attacker_token, config=spelling))[0]
            answers[code] = answers.get(code, 0) + 1
        self.assertIsNone(flipper.poll(), "the link stopped flipping")
        self.assertEqual(answers.get(200, 0), 0, f"answers to the forged tries: {answers}")
        self.assertEqual(self.stack.status()[2]["state"], "offline")
        # The refusals are logged, but not once per try.
        log = (self.stack.dir / "heartbeat.log").read_text(errors="replace")
        refusals = log.count("refused a config")
        self.assertGreaterEqual(refusals, 1)
        self.assertLess(refusals, 10, log[-2000:])
        self.assertLess(len(log.splitlines()), 30, log[-2000:])

    def test_a_relative_database_is_taken_from_the_resolved_configs_folder(self):
        # The owner's config names its database relatively, as the example config does; a
        # link to it from the attacker's folder must not put the database there.
        self.stack.write_config("database = heartbeat.db")
        time.sleep(1.1)  # the programs look at a config at most once a second
        self.assertEqual(self.stack.post_heartbeat({})[0], 200)
        link = self.attacker_dir / "heartbeat.conf"
        link.symlink_to(self.stack.dir / "heartbeat.conf")
        code, _, body = fcgi_request(self.stack.dir / "status.sock",
                                     {"REQUEST_METHOD": "GET", "HEARTBEAT_CONFIG": str(link)})
        self.assertEqual(code, 200, body)
        self.assertEqual(json_body(body)["state"], "online")
        self.assertEqual(sorted(p.name for p in self.attacker_dir.iterdir()),
                         ["heartbeat.conf", "mine.conf"])


# Swaps `link` between two targets forever, each time atomically (a new link renamed over it).
FLIPPER = """
import os, sys
link, targets = sys.argv[1], sys.argv[2:]
new = link + ".new"
while True:
    for target in targets:
        try:
            os.symlink(target, new)
        except FileExistsError:
            os.remove(new)
            os.symlink(target, new)
        os.replace(new, link)
"""


class SocketHandedOver(ForgedConfigCase):
    """spawn-fcgi opens the socket and hands it to the program on descriptor 0."""


    def spawn(self, *where):
        log = open(self.stack.dir / "spawned.log", "ab")
        self.addCleanup(log.close)
        proc = subprocess.Popen(["spawn-fcgi", "-n", *where, "--", str(BIN_DIR / "heartbeat.fcgi")],
                                env=dict(os.environ, HEARTBEAT_CONFIG=str(self.stack.dir / "heartbeat.conf")),
                                stdout=log, stderr=log)
        self.addCleanup(lambda: (proc.send_signal(signal.SIGTERM), proc.wait(timeout=5)))
        return proc

    def test_a_tcp_socket_on_descriptor_0_is_treated_like_listen(self):
        # Any local user can connect to 127.0.0.1:PORT, as to a --listen socket.
        port = free_port()
        self.spawn("-a", "127.0.0.1", "-p", str(port))
        wait_for(lambda: port_open(port), what="spawn-fcgi's port")
        code, _, body = fcgi_request(("127.0.0.1", port), post_params(self.attacker_token, config=self.forged))
        self.assertEqual((code, json_body(body)["error"]), (503, "config_refused"))
        self.assertEqual(self.stack.status()[2]["state"], "offline")
        # The start-up config, named or not, is served as before.
        self.assertEqual(fcgi_request(("127.0.0.1", port), post_params(self.stack.token))[0], 200)
        self.assertEqual(fcgi_request(("127.0.0.1", port), post_params(
            self.stack.token, config=self.stack.dir / "heartbeat.conf"))[0], 200)
        self.assertIn("TCP socket on descriptor 0",
                      (self.stack.dir / "spawned.log").read_text(errors="replace"))

    def test_a_unix_socket_on_descriptor_0_stays_the_process_managers(self):
        # A unix socket is protected by its folder: its peer is the web server, whose
        # HEARTBEAT_CONFIG parameter is trusted (a second site's config, here).
        site = pathlib.Path(tempfile.mkdtemp(prefix="heartbeat-site-"))
        token, line = new_token(BIN_DIR)
        (site / "site.conf").write_text(f"{line}\ndatabase = {site / 'site.db'}\n")
        sock = self.stack.dir / "spawned.sock"
        self.spawn("-s", str(sock))
        wait_for(sock.exists, what="spawn-fcgi's socket")
        code, _, _ = fcgi_request(sock, post_params(token, config=site / "site.conf"))
        self.assertEqual(code, 200)


class ListeningOffLoopback(unittest.TestCase):
    def run_listen(self, address, env_extra=None):
        env = dict(os.environ, HEARTBEAT_CONFIG="/nonexistent/heartbeat.conf")
        env.pop("FCGI_WEB_SERVER_ADDRS", None)
        env.update(env_extra or {})
        return subprocess.Popen([str(BIN_DIR / "status.fcgi"), "--listen", address], env=env,
                                stderr=subprocess.PIPE)

    def test_a_tcp_address_off_loopback_needs_the_web_server_list(self):
        port = free_port()
        for address in (f"0.0.0.0:{port}", f":{port}"):
            with self.subTest(address=address):
                proc = self.run_listen(address)
                _, err = proc.communicate(timeout=10)
                self.assertEqual(proc.returncode, 2)
                self.assertIn(b"FCGI_WEB_SERVER_ADDRS", err)
        proc = self.run_listen(f"0.0.0.0:{port}", {"FCGI_WEB_SERVER_ADDRS": "127.0.0.1"})
        try:
            wait_for(lambda: proc.poll() is not None or port_open(port), what="listener")
            self.assertIsNone(proc.poll())
        finally:
            proc.send_signal(signal.SIGTERM)
            self.assertEqual(proc.wait(timeout=5), 0)
            proc.stderr.close()


class FileModes(unittest.TestCase):
    def test_the_database_files_are_0600_whatever_the_umask(self):
        with LocalStack() as stack:
            self.assertEqual(stack.post_heartbeat()[0], 200)
            for name in ("heartbeat.db", "heartbeat.db-wal", "heartbeat.db-shm"):
                with self.subTest(name=name):
                    mode = stat.S_IMODE((stack.dir / name).stat().st_mode)
                    self.assertEqual(mode, 0o600, oct(mode))
            mode = stat.S_IMODE((stack.dir / "status.sock").stat().st_mode)
            self.assertEqual(mode, 0o666)  # sockets: guarded by their folder (DEPLOY.md)


if __name__ == "__main__":
    unittest.main()
