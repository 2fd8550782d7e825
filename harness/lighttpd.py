"""A private lighttpd on a free loopback port, in the foreground, with its config, logs and
document root in one folder of its own; the caller gives its fastcgi.server entries, or other
modules and their settings (mod_cgi's cgi.assign, say)."""
import shutil
import subprocess

from harness.processes import free_port, port_open, stop_process_group, wait_for

LIGHTTPD = shutil.which("lighttpd") or "/usr/sbin/lighttpd"

CONFIG = """\
server.document-root = "{dir}/www"
server.bind = "127.0.0.1"
server.port = {port}
server.errorlog = "{dir}/error.log"
server.modules = ({modules})
{settings}
"""

FASTCGI = """\
fastcgi.debug = 0
fastcgi.server = (
{servers}
)"""


class Lighttpd:
    def __init__(self, directory, servers=None, modules=("mod_fastcgi",), settings=""):
        self.dir = directory
        self.modules = ", ".join(f'"{name}"' for name in modules)
        self.settings = FASTCGI.format(servers=servers) if servers is not None else settings
        self.port = free_port()
        self.proc = None

    def start(self):
        (self.dir / "www").mkdir(parents=True, exist_ok=True)
        (self.dir / "lighttpd.conf").write_text(
            CONFIG.format(dir=self.dir, port=self.port, modules=self.modules,
                          settings=self.settings))
        self.proc = subprocess.Popen([LIGHTTPD, "-D", "-f", str(self.dir / "lighttpd.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                     start_new_session=True)

        def listening():
            if self.proc.poll() is not None:
                raise RuntimeError("lighttpd exited: " + self.log())
            return port_open(self.port)
        wait_for(listening, what="lighttpd")
        return self

    def log(self):
        path = self.dir / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self):
        stop_process_group(self.proc)
