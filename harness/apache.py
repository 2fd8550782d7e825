"""A private Apache on a free loopback port: its own config, pid file, logs and mutexes, with
either mod_fcgid (event MPM), only mod_cgi (prefork MPM), only mod_cgid (event MPM) or
mod_proxy_fcgi (event MPM, `extra` holds its ProxyPass lines). Debian's modules, nothing else."""
import os
import pathlib
import pwd
import shutil
import subprocess

from harness.processes import free_port, port_open, stop_process_group, wait_for

MODULES = pathlib.Path("/usr/lib/apache2/modules")
HTTPD = shutil.which("apache2") or "/usr/sbin/apache2"

CONFIG = """\
ServerName 127.0.0.1
Listen 127.0.0.1:{port}
PidFile {dir}/httpd.pid
ErrorLog {dir}/error.log
LogLevel warn
DefaultRuntimeDir {dir}/run
Mutex file:{dir}/run default
User {user}
Group {group}
{modules}
TypesConfig /etc/mime.types
DocumentRoot {dir}/www
<Directory />
    AllowOverride None
    Require all denied
</Directory>
<Directory {dir}/www>
    AllowOverride All
    Require all granted
</Directory>
{extra}
"""

COMMON_MODULES = ["authz_core", "mime", "env", "dir"]


class Apache:
    def __init__(self, directory, module, extra=""):
        assert module in ("fcgid", "cgi", "cgid", "proxy_fcgi")
        self.dir = pathlib.Path(directory)
        self.module = module
        self.extra = extra
        self.port = free_port()
        self.user = "www-data"
        self.proc = None

    def start(self):
        (self.dir / "run").mkdir(parents=True, exist_ok=True)
        (self.dir / "www").mkdir(exist_ok=True)
        if self.module == "fcgid":
            modules = ["mpm_event"] + COMMON_MODULES + ["fcgid"]
            extra = (f"FcgidIPCDir {self.dir}/run/fcgid\n"
                     f"FcgidProcessTableFile {self.dir}/run/fcgid_shm\n")
        elif self.module == "proxy_fcgi":
            modules = ["mpm_event"] + COMMON_MODULES + ["proxy", "proxy_fcgi", "setenvif"]
            extra = self.extra
        elif self.module == "cgid":
            modules = ["mpm_event"] + COMMON_MODULES + ["cgid"]
            extra = f"ScriptSock {self.dir}/run/cgid.sock\n"
        else:
            modules = ["mpm_prefork"] + COMMON_MODULES + ["cgi"]
            extra = ""
        lines = "\n".join(f"LoadModule {m}_module {MODULES}/mod_{m}.so" for m in modules)
        (self.dir / "httpd.conf").write_text(CONFIG.format(
            port=self.port, dir=self.dir, user=self.user, group=self.user, modules=lines, extra=extra))
        uid = pwd.getpwnam(self.user).pw_uid
        os.chown(self.dir / "run", uid, -1)
        self.proc = subprocess.Popen([HTTPD, "-f", str(self.dir / "httpd.conf"), "-DFOREGROUND"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
                                     env=dict(os.environ, APACHE_RUN_DIR=str(self.dir / "run")),
                                     start_new_session=True)
        def listening():
            if self.proc.poll() is not None:
                raise RuntimeError("apache exited: " + self.log() + self.check_config())
            return port_open(self.port)
        wait_for(listening, what="apache")
        return self

    def check_config(self):
        return subprocess.run([HTTPD, "-f", str(self.dir / "httpd.conf"), "-t"],
                              capture_output=True, text=True).stderr

    def log(self):
        path = self.dir / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self):
        stop_process_group(self.proc)
