"""Debian's Varnish on a free loopback port, in front of an HTTP origin on another one.

Its VCL is Varnish's built-in behaviour (Cache-Control, Vary, conditional requests; requests
with Authorization and POSTs passed) with one addition for counting only: each request Varnish
sends to the origin carries `User-Agent: cache-fill origin=<Origin>`, so that the origin's
access log tells the Vary variants apart."""
import os
import pathlib
import shutil
import subprocess

from harness.processes import free_port, port_open, stop_process_group, wait_for


VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
VCL = """\
vcl 4.1;
backend origin {{ .host = "127.0.0.1"; .port = "{port}"; }}
sub vcl_backend_fetch {{
    set bereq.http.User-Agent = "cache-fill origin=" + bereq.http.Origin;
}}
"""


class Varnish:
    def __init__(self, directory, origin_port):
        self.dir = pathlib.Path(directory)
        self.origin_port = origin_port
        self.port = free_port()
        self.proc = None

    def start(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o755)  # varnishd reads the VCL as its own user, not root
        vcl = self.dir / "origin.vcl"
        vcl.write_text(VCL.format(port=self.origin_port))
        self.log = open(self.dir / "varnishd.log", "wb")
        self.proc = subprocess.Popen(
            [VARNISHD, "-F", "-a", f"127.0.0.1:{self.port}", "-f", str(vcl), "-n", str(self.dir / "instance"),
             "-s", "malloc,32m", "-T", "none"],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

        def listening():
            if self.proc.poll() is not None:
                raise RuntimeError("varnishd exited: " + (self.dir / "varnishd.log").read_text())
            return port_open(self.port)
        wait_for(listening, timeout=30, what="varnish")
        return self

    def stop(self):
        stop_process_group(self.proc)  # the child that does the work goes with its manager
        if self.proc:
            self.log.close()
