"""`--help` works everywhere: `heartbeat-agent --help`, `heartbeat-agent help [COMMAND]` and
`heartbeat-agent COMMAND --help` print that usage on stdout and exit 0, with no config, no
server and nothing read from the terminal; `help` with an unknown word is a usage error."""
import subprocess
import tempfile
import unittest

from harness.agent_case import AGENT

COMMANDS = ["once", "run", "offline", "status", "idle", "activity", "note", "setup"]


def run(*args):
    with tempfile.TemporaryDirectory() as home:  # no agent.conf anywhere
        return subprocess.run([str(AGENT), *args], env={"HOME": home, "PATH": "/usr/bin:/bin"},
                              capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=10)


class Help(unittest.TestCase):
    def test_the_programs_usage_lists_every_command(self):
        for args in (["--help"], ["-h"], ["help"], ["help", "--help"]):
            with self.subTest(args=args):
                proc = run(*args)
                self.assertEqual((proc.returncode, proc.stderr), (0, ""))
                self.assertTrue(proc.stdout.startswith("Usage: heartbeat-agent COMMAND"), proc.stdout)
                for command in COMMANDS:
                    self.assertIn(f"\n  heartbeat-agent {command} ", proc.stdout)
                self.assertIn("Exit codes:", proc.stdout)

    def test_each_commands_own_usage_three_ways(self):
        for command in COMMANDS:
            with self.subTest(command=command):
                answers = [run("help", command), run(command, "--help"), run(command, "-h")]
                for proc in answers:
                    self.assertEqual((proc.returncode, proc.stderr), (0, ""))
                    self.assertTrue(proc.stdout.startswith(f"Usage: heartbeat-agent {command} "),
                                    proc.stdout)
                self.assertEqual({proc.stdout for proc in answers}, {answers[0].stdout})
                # Its own text, not the program's list.
                self.assertNotIn("Commands:", answers[0].stdout)

    def test_help_after_the_commands_own_arguments(self):
        proc = run("note", "Back at 3", "--for", "2h", "--help")
        self.assertEqual(proc.returncode, 0)
        self.assertIn("--for DURATION", proc.stdout)
        proc = run("setup", "--no-install", "--help")  # never starts asking
        self.assertEqual(proc.returncode, 0)
        self.assertTrue(proc.stdout.startswith("Usage: heartbeat-agent setup"))

    def test_help_for_an_unknown_command_is_a_usage_error(self):
        proc = run("help", "dance")
        self.assertEqual((proc.returncode, proc.stdout), (2, ""))
        self.assertIn("unknown command 'dance'", proc.stderr)
        self.assertEqual(run("dance").returncode, 2)


if __name__ == "__main__":
    unittest.main()
