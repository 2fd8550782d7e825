#!/usr/bin/env python3
"""Writes bench/results.md: the run's table and handler figures, then the hand-written reading."""
import datetime
import pathlib
import platform
import subprocess
import sys


def main(handler, table, reading):
    cpu = subprocess.run(["sh", "-c", "grep -m1 'model name' /proc/cpuinfo | cut -d: -f2"],
                         capture_output=True, text=True).stdout.strip()
    handler_lines = [l for l in pathlib.Path(handler).read_text().splitlines() if l.startswith("BM_")]
    print(f"# Benchmark results\n\nA run of `make bench` on {datetime.date.today()}: "
          f"{platform.system()} {platform.machine()}, {cpu}, {subprocess.run(['nproc'], capture_output=True, text=True).stdout.strip()} cores "
          "shared by wrk, nginx and the programs. Figures are for this machine only; the ratios "
          "within one run are what carries over.\n")
    print("## Through nginx (loopback: wrk, then fixed_rate)\n")
    print(pathlib.Path(table).read_text())
    print("## In-process handler (Google Benchmark)\n\n```")
    print("\n".join(handler_lines))
    print("```\n")
    print(pathlib.Path(reading).read_text())


if __name__ == "__main__":
    main(*sys.argv[1:4])
