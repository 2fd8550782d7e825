"""A private lighttpd on a free loopback port, in the foreground, with its config, logs and
document root in one folder of its own; the caller gives its fastcgi.server entries, or other
modules and their settings (mod_cgi's cgi.assign, say)."""
import shutil

from harness.foreground_server import ForegroundServer

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


class Lighttpd(ForegroundServer):
    name = "lighttpd"

    def __init__(self, directory, servers=None, modules=("mod_fastcgi",), settings=""):
        super().__init__(directory)
        self.modules = ", ".join(f'"{name}"' for name in modules)
        self.settings = FASTCGI.format(servers=servers) if servers is not None else settings

    def start(self):
        (self.dir / "www").mkdir(parents=True, exist_ok=True)
        (self.dir / "lighttpd.conf").write_text(
            CONFIG.format(dir=self.dir, port=self.port, modules=self.modules,
                          settings=self.settings))
        return self.run([LIGHTTPD, "-D", "-f", str(self.dir / "lighttpd.conf")])
