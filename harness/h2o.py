"""A private h2o on a free loopback port, in the foreground, with its config and logs in one
folder of its own; the caller gives the `paths` of its one host."""
import shutil
import textwrap

from harness.foreground_server import ForegroundServer

H2O = shutil.which("h2o") or "/usr/bin/h2o"


class H2o(ForegroundServer):
    name = "h2o"

    def __init__(self, directory, paths):
        super().__init__(directory)
        self.paths = paths

    def start(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        config = (f"listen:\n  host: 127.0.0.1\n  port: {self.port}\n"
                  f"error-log: {self.dir}/error.log\n"
                  f"hosts:\n  default:\n    paths:\n"
                  + textwrap.indent(textwrap.dedent(self.paths).strip() + "\n", "      "))
        (self.dir / "h2o.conf").write_text(config)
        return self.run([H2O, "-c", str(self.dir / "h2o.conf")])
