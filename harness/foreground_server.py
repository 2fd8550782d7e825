"""A web server of the tests' own, run in the foreground on a free loopback port, its config
and error log in one folder: what lighttpd and h2o have in common here."""
import subprocess

from harness.processes import free_port, port_open, stop_process_group, wait_for


class ForegroundServer:
    name = "server"

    def __init__(self, directory):
        self.dir = directory
        self.port = free_port()
        self.proc = None

    def run(self, args):
        """Starts the server and waits until its port answers (or says why it exited)."""
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                     start_new_session=True)

        def listening():
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited: " + self.log())
            return port_open(self.port)
        wait_for(listening, what=self.name)
        return self

    def log(self):
        path = self.dir / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self):
        stop_process_group(self.proc)
