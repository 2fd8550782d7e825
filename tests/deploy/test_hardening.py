"""The hardening of what `make` and `make dist` produce, read from the ELF files themselves
(binutils' readelf): position-independent (the programs and their libraries load at random
addresses), BIND_NOW with a GNU_RELRO segment (full RELRO: the GOT is read-only once loaded),
the stack protector's __stack_chk_fail and the checked (_FORTIFY_SOURCE) forms of C library
calls. The dist programs are static PIE."""
import re
import subprocess
import unittest

from harness import ROOT
from harness.guide import DIST_DIR

PROGRAMS = [ROOT / "cgi-bin" / "heartbeat.fcgi", ROOT / "cgi-bin" / "status.fcgi",
            ROOT / "agent" / "heartbeat-agent"]
# The dist programs are stripped; the unstripped links beside them keep the symbols.
DIST = ["heartbeat.fcgi", "status.fcgi"]


def readelf(*args):
    return subprocess.run(["readelf", "-W", *map(str, args)], check=True, capture_output=True,
                          text=True).stdout


class Hardening(unittest.TestCase):
    def check_layout(self, path):
        self.assertRegex(readelf("-h", path), r"Type:\s+DYN", f"{path} is not position-independent")
        dynamic = readelf("-d", path)
        self.assertRegex(dynamic, r"\(FLAGS_1\)[^\n]*\bPIE\b", path)
        self.assertRegex(dynamic, r"\(BIND_NOW\)|\(FLAGS\)[^\n]*\bBIND_NOW\b|\(FLAGS_1\)[^\n]*\bNOW\b",
                         f"{path} is not linked with -z now")
        self.assertRegex(readelf("-l", path), r"\bGNU_RELRO\b", f"{path} has no RELRO segment")

    def check_symbols(self, path):
        symbols = readelf("-s", path)
        self.assertRegex(symbols, r"\b__stack_chk_fail\b", f"{path} has no stack protector")
        self.assertRegex(symbols, r"\b__\w+_chk\b(?<!__stack_chk_fail)",
                         f"{path} calls no checked C library function (_FORTIFY_SOURCE)")

    def test_the_programs_and_the_agent_of_make(self):
        for path in PROGRAMS:
            with self.subTest(program=path.name):
                self.check_layout(path)
                self.check_symbols(path)
                self.assertIn("INTERP", readelf("-l", path))  # dynamically linked, as built

    def test_the_dist_programs_are_static_pie(self):
        for name in DIST:
            with self.subTest(program=name):
                shipped = DIST_DIR / name
                self.check_layout(shipped)
                segments = readelf("-l", shipped)
                self.assertNotIn("INTERP", segments)  # static: no loader, no library of the host
                self.assertNotIn("NEEDED", readelf("-d", shipped))
                full = ROOT / "build" / "static" / f"{name}.full"
                self.check_symbols(full)
                # The shipped file is that link, stripped: the same entry point and segments.
                entry = re.compile(r"Entry point address:\s+(\S+)")
                self.assertEqual(entry.search(readelf("-h", shipped)).group(1),
                                 entry.search(readelf("-h", full)).group(1))


if __name__ == "__main__":
    unittest.main()
