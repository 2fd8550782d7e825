"""Runs a test body as if on a fresh Debian machine, without touching this one.

`run_in_sandbox(body)` calls `body()` in a child with private mount, network and PID
namespaces: /etc, /var, /run, /usr/local, /home and /root are copy-on-write (overlayfs whose
writes go to a tmpfs), so the stock Debian files of nginx and Apache are there and everything
the guide writes vanishes with the child; the network has only its own loopback, so port 80 is
the sandbox's alone; and the child is PID 1 of its namespace, so every program started in it
(daemons included) dies with it. A failure inside is raised again in the caller, with the
child's traceback.
"""
import ctypes
import os
import pathlib
import pickle
import shutil
import subprocess
import tempfile
import traceback

CLONE_NEWNS = 0x00020000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
COPY_ON_WRITE = ["/etc", "/var", "/run", "/usr/local", "/home", "/root"]


class SandboxFailure(AssertionError):
    pass


def _unshare(flags):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(flags) != 0:
        raise OSError(ctypes.get_errno(), "unshare")


def _run(*argv):
    subprocess.run(argv, check=True)


def _prepare(scratch):
    """Inside the namespaces: the overlays, /proc of this PID namespace, loopback up."""
    _run("mount", "--make-rprivate", "/")
    _run("mount", "-t", "tmpfs", "-o", "mode=0755", "sandbox", str(scratch))
    for folder in COPY_ON_WRITE:
        name = folder.strip("/").replace("/", "_")
        upper, work = scratch / "overlay" / name / "upper", scratch / "overlay" / name / "work"
        upper.mkdir(parents=True)
        work.mkdir(parents=True)
        _run("mount", "-t", "overlay", "overlay",
             "-o", f"lowerdir={folder},upperdir={upper},workdir={work}", folder)
    _run("mount", "-t", "proc", "proc", "/proc")
    _run("ip", "link", "set", "lo", "up")
    work = scratch / "work"
    work.mkdir()
    return work


def run_in_sandbox(body):
    """Calls body(work_dir) in the sandbox; work_dir is an empty folder on its tmpfs."""
    scratch = pathlib.Path(tempfile.mkdtemp(prefix="heartbeat-sandbox-"))
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: becomes PID 1 of a new PID namespace through a second fork
        os.close(read_end)
        outcome = None
        try:
            _unshare(CLONE_NEWNS | CLONE_NEWNET | CLONE_NEWPID)
            inner = os.fork()
            if inner == 0:
                try:
                    body(_prepare(scratch))
                    outcome = None
                except BaseException:  # noqa: B902 - every failure goes back to the caller
                    outcome = traceback.format_exc()
                os.write(write_end, pickle.dumps(outcome))
                os._exit(0)
            _, status = os.waitpid(inner, 0)
            os._exit(0 if os.waitstatus_to_exitcode(status) == 0 else 1)
        except BaseException:  # noqa: B902
            os.write(write_end, pickle.dumps(traceback.format_exc()))
            os._exit(1)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    _, status = os.waitpid(pid, 0)
    shutil.rmtree(scratch, ignore_errors=True)
    if not data:
        raise SandboxFailure(f"the sandbox ended without a report (status {status})")
    outcome = pickle.loads(data)
    if outcome is not None:
        raise SandboxFailure("in the sandbox:\n" + outcome)
