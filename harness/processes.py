"""Ports, processes and waiting: waits poll a condition until a deadline instead of sleeping a
guessed time, so a slow (sanitizer) build only waits longer, never fails for it."""
import os
import pathlib
import signal
import socket
import subprocess
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(predicate, timeout=10.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.02)
    raise TimeoutError(f"timed out waiting for {what}")


def port_open(port):
    """True when something accepts connections on 127.0.0.1:port."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


def unix_socket_open(path):
    """True when something accepts connections on the unix socket at `path` (its file appears
    at bind(), before the program listens)."""
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(0.2)
            s.connect(str(path))
            return True
    except OSError:
        return False


def wait_for_port(port, what, timeout=10.0):
    wait_for(lambda: port_open(port), timeout=timeout, what=what)


def stop_process_group(proc, timeout=10):
    """SIGTERM to a server started with start_new_session=True, then SIGKILL to its whole
    process group, so that no worker it started is left behind."""
    if proc is None:
        return
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def proc_stat(pid):
    """The fields of /proc/<pid>/stat after the command name: [0] is the state, [11] and [12]
    user and system time in clock ticks. Raises FileNotFoundError once the process is reaped."""
    return pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def open_descriptors(pid):
    """How many file descriptors the process has open (a connection it accepted is one more)."""
    return len(os.listdir(f"/proc/{pid}/fd"))


def signal_pending(pid, signal_number):
    """Whether `signal_number` waits for the process to take it (blocked or not yet run)."""
    bit = 1 << (signal_number - 1)
    for line in pathlib.Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, mask = line.partition(":\t")
        if name in ("SigPnd", "ShdPnd") and int(mask, 16) & bit:
            return True
    return False
