"""A private h2o on a free loopback port, in the foreground, with its config and logs in one
folder of its own; the caller gives the `paths` of its one host."""
import shutil
import subprocess
import textwrap

from harness.processes import free_port, port_open, stop_process_group, wait_for

H2O = shutil.which("h2o") or "/usr/bin/h2o"


class H2o:
    def __init__(self, directory, paths):
        self.dir = directory
        self.paths = paths
        self.port = free_port()
        self.proc = None

    def start(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        config = (f"listen:\n  host: 127.0.0.1\n  port: {self.port}\n"
                  f"error-log: {self.dir}/error.log\n"
                  f"hosts:\n  default:\n    paths:\n"
                  + textwrap.indent(textwrap.dedent(self.paths).strip() + "\n", "      "))
        (self.dir / "h2o.conf").write_text(config)
        self.proc = subprocess.Popen([H2O, "-c", str(self.dir / "h2o.conf")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                     start_new_session=True)

        def listening():
            if self.proc.poll() is not None:
                raise RuntimeError("h2o exited: " + self.log())
            return port_open(self.port)
        wait_for(listening, what="h2o")
        return self

    def log(self):
        path = self.dir / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self):
        stop_process_group(self.proc)
