"""A private nginx: everything in one folder of its own (config, pid file, logs, temp folders),
nothing shared with the system's nginx. `config()` writes the part every private nginx here has
the same; the caller gives the `http` block's own lines (upstreams, servers)."""
import shutil
import subprocess
import textwrap

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TEMP_KINDS = ("client_body", "fastcgi", "proxy", "uwsgi", "scgi")


def config(directory, http, *, log_level="warn", connections=1024, access_log=True):
    """A whole nginx.conf that keeps its files in `directory`, with `http` inside `http {}`."""
    d = directory
    lines = [f"access_log {d / 'nginx-access.log' if access_log else 'off'};"]
    lines += [f"{kind}_temp_path {d}/tmp/{kind};" for kind in TEMP_KINDS]
    body = textwrap.indent("\n".join(lines) + "\n" + textwrap.dedent(http).strip() + "\n", "    ")
    return (f"daemon off;\nworker_processes 2;\npid {d}/nginx.pid;\n"
            f"error_log {d}/nginx-error.log {log_level};\n"
            f"events {{ worker_connections {connections}; }}\nhttp {{\n{body}}}\n")


def fastcgi_pass(upstream, params=(), keep=True):
    """A location's body that hands the request to a FastCGI program, as nginx.conf.example
    does: Debian's fastcgi_params, then `params` ((name, value) pairs); `keep` reuses the
    connection (fastcgi_keep_conn), as nginx.conf.example does with our programs."""
    parts = ["include /etc/nginx/fastcgi_params;"]
    parts += [f"fastcgi_param {name} {value};" for name, value in params]
    if keep:
        parts.append("fastcgi_keep_conn on;")
    parts.append(f"fastcgi_pass {upstream};")
    return " ".join(parts)


def start(directory, text, output=subprocess.DEVNULL):
    """Writes `text` as directory/nginx.conf and starts nginx on it in its own process group
    (so that its workers can be stopped with it). Returns the master's Popen."""
    (directory / "tmp").mkdir(exist_ok=True)
    (directory / "nginx.conf").write_text(text)
    return subprocess.Popen([NGINX, "-p", str(directory), "-e", str(directory / "nginx-error.log"),
                             "-c", str(directory / "nginx.conf")],
                            stdout=output, stderr=output, start_new_session=True)
