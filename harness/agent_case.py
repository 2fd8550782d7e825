"""The base class of the agent's tests against the real server: the agent binary, a HOME of
its own for each test with agent.conf and a token file, and runs that must never print the
token."""
import os
import subprocess
import time

from harness import ROOT
from harness.stack_case import StackTestCase

AGENT = ROOT / "agent" / "heartbeat-agent"


class AgentCase(StackTestCase):
    """One stack for the class; each test gets a fresh HOME with an agent.conf."""

    def setUp(self):
        self.home = self.temp_dir("heartbeat-agent-home-")
        (self.home / ".config" / "heartbeat").mkdir(parents=True)
        self.token_file = self.home / "token"
        self.token_file.write_text(self.stack.token + "\n")
        os.chmod(self.token_file, 0o600)
        self.write_agent_conf(url=self.stack.heartbeat_url)

    def write_agent_conf(self, **settings):
        settings.setdefault("token_file", str(self.token_file))
        settings.setdefault("device", "test-mac")
        text = "".join(f"{k} = {v}\n" for k, v in settings.items())
        (self.home / ".config" / "heartbeat" / "agent.conf").write_text(text)

    def env(self, **extra):
        env = {"HOME": str(self.home), "PATH": os.environ.get("PATH", "/usr/bin:/bin")}
        # A clock moved for the whole run (tests/any_day.py) moves the agent's too.
        env.update({key: value for key, value in os.environ.items()
                    if key in ("LD_PRELOAD", "FAKETIME")})
        env.update(extra)
        return env

    def agent(self, *args, timeout=60, **env):
        started = time.monotonic()
        proc = subprocess.run([str(AGENT), *args], env=self.env(**env), capture_output=True,
                              text=True, timeout=timeout)
        proc.elapsed = time.monotonic() - started
        self.assertNotIn(self.stack.token, proc.stdout + proc.stderr)
        return proc

    def state(self):
        return self.stack.status()[2]["state"]
