"""The path of `make agent` on a Mac: GNU make 3.81 (what Xcode ships) and BSD tools.

No Mac and no make 3.81 run here (Debian has only make 4.3), so this checks what can be checked:
1. the makefiles use no feature that GNU make's NEWS lists as added after 3.81;
2. `make -n -B agent`, run with `uname` saying Darwin and a PATH that holds only recording
   stand-ins (no pkg-config, no nproc: Xcode has neither), calls only tools it may, with
   flags that BSD tools have too, and every command it would run is of that kind as well;
3. no file that `make agent` builds by a pattern rule matches two of the makefiles' pattern
   rules (make 3.81 takes the first one defined, later versions the most specific one).
"""
import pathlib
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import ROOT

MAKEFILES = [ROOT / "Makefile", *sorted(ROOT.glob("*/*.mk"))]

# From /usr/share/doc/make/NEWS: what 3.82, 4.0, 4.1, 4.2 and 4.3 added to the makefile language.
NEWER_THAN_381 = {
    r"^\s*undefine\b": "undefine (3.82)",
    r"^\s*(override\s+|export\s+)?private\s": "private (3.82)",
    r"\.ONESHELL\b": ".ONESHELL (3.82)",
    r"\.RECIPEPREFIX\b": ".RECIPEPREFIX (3.82)",
    r"\.SHELLFLAGS\b": ".SHELLFLAGS (3.82)",
    r"^\s*define\s+\S+\s*(\+|\?|:|::|!)?=": "define with an operator (3.82)",
    r"^[^\t#=]*[^:!=]!=": "!= shell assignment (4.0)",
    r"::=": "::= assignment (4.0)",
    r"\$\(file\s": "$(file ...) (4.0)",
    r"\$\(guile\s": "$(guile ...) (4.0)",
    r"^\s*-?load\s": "load (4.0)",
    r"\.SHELLSTATUS\b": ".SHELLSTATUS (4.2)",
    r"&:": "grouped targets &: (4.3)",
    r"\.EXTRA_PREREQS\b": ".EXTRA_PREREQS (4.3)",
}

# GNU-only tool flags (or tools a Mac does not have).
GNU_ONLY = {
    r"\bnproc\b": "nproc",
    r"\bsed\b[^|;&]*\s-i": "sed -i",
    r"\binstall\b[^|;&]*\s-D": "install -D",
    r"\breadlink\b[^|;&]*\s-f": "readlink -f",
    r"\brealpath\b": "realpath",
    r"\bstat\b[^|;&]*\s-c": "stat -c",
    r"\bdate\b[^|;&]*\s-d": "date -d",
    r"\bxargs\b[^|;&]*\s-r": "xargs -r",
    r"\bfind\b[^|;&]*\s-printf": "find -printf",
    r"\bcp\b[^|;&]*\s-[a-zA-Z]*[tu]": "cp -t/-u",
    r"\b(cp|mv|rm|mkdir|ln|ar|touch|find|grep|sed|awk|tar|xargs|install|uname|cat|head|tail)\b[^|;&]*\s--[a-z]": "a GNU long option",
}

# What the recipes of `make agent` may run, with the flags they may use.
ALLOWED_RECIPES = [
    r"mkdir -p \S+",
    r"rm -f \S+",
    r"ar rcs \S+( \S+)+",
    r"(g\+\+|c\+\+|clang\+\+) .*",
    # build/release/flags (the top Makefile): POSIX echo and cmp, no option beyond -s.
    r"echo '[^']*' \| cmp -s - \S+ \|\| echo '[^']*' > \S+",
]


def recipe_lines(makefile_text):
    return [l for l in makefile_text.splitlines() if l.startswith("\t")]


def non_recipe_lines(makefile_text):
    return [l for l in makefile_text.splitlines()
            if not l.startswith("\t") and not l.lstrip().startswith("#")]


class MakefileLanguage(unittest.TestCase):
    def test_no_feature_newer_than_make_3_81(self):
        for makefile in MAKEFILES:
            for line in non_recipe_lines(makefile.read_text()):
                for pattern, what in NEWER_THAN_381.items():
                    with self.subTest(makefile=makefile.name, line=line):
                        self.assertIsNone(re.search(pattern, line), what)

    def test_no_number_sign_inside_a_function_call(self):
        # make 4.3 changed how '#' inside $(...) is read; 3.81 reads it as a comment.
        for makefile in MAKEFILES:
            for line in non_recipe_lines(makefile.read_text()):
                code = line.split(" #", 1)[0]
                self.assertNotRegex(code, r"\$\([^)]*#", f"{makefile.name}: {line}")


class DryRunAsOnAMac(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = pathlib.Path(tempfile.mkdtemp(prefix="heartbeat-make-"))
        bin_dir = cls.tmp / "bin"
        bin_dir.mkdir()
        record = cls.tmp / "calls"
        # Stand-ins: each records its arguments; uname says Darwin; the others run the real tool.
        for tool in ("cat", "find", "grep", "mkdir", "rm", "ar", "sh"):
            real = shutil.which(tool)
            (bin_dir / tool).write_text(
                f'#!/bin/sh\necho "{tool} $*" >> "{record}"\nexec {real} "$@"\n')
        (bin_dir / "uname").write_text(f'#!/bin/sh\necho "uname $*" >> "{record}"\necho Darwin\n')
        for tool in bin_dir.iterdir():
            tool.chmod(0o755)
        make = shutil.which("make")
        cls.proc = subprocess.run(
            [make, "-n", "-B", "agent"], cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={"PATH": str(bin_dir), "HOME": str(cls.tmp), "LC_ALL": "C"})
        cls.calls = record.read_text().splitlines() if record.exists() else []
        cls.database = subprocess.run(
            [make, "-r", "-p", "-n", "-B", "agent"], cwd=ROOT, capture_output=True, text=True, timeout=120,
            env={"PATH": str(bin_dir), "HOME": str(cls.tmp), "LC_ALL": "C"}).stdout

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_it_plans_the_mac_link(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        self.assertIn("uname -s", self.calls)
        self.assertRegex(self.proc.stdout, r"-o agent/heartbeat-agent .*-framework IOKit")
        self.assertIn("agent/idle_iokit.cc", self.proc.stdout)
        # Only the files a Mac uses: logind's sleep watcher would be an empty object there.
        self.assertIn("agent/sleep_iokit.cc", self.proc.stdout)
        self.assertNotIn("agent/sleep_logind.cc", self.proc.stdout)

    def test_no_tool_missing_on_a_mac_is_asked_for(self):
        # "not found" would mean make ran something the stand-in PATH (a bare Mac) lacks.
        missing = [l for l in self.proc.stderr.splitlines() if "not found" in l and "pkg-config" not in l]
        self.assertEqual(missing, [])

    def test_tools_called_while_reading_the_makefiles(self):
        for call in self.calls:
            with self.subTest(call=call):
                for pattern, what in GNU_ONLY.items():
                    self.assertIsNone(re.search(pattern, call), what)

    def test_every_recipe_line_is_a_portable_command(self):
        lines = [l for l in self.proc.stdout.splitlines() if l.strip()]
        self.assertGreater(len(lines), 10)
        for line in lines:
            with self.subTest(line=line):
                self.assertTrue(any(re.fullmatch(p, line) for p in ALLOWED_RECIPES), line)
                for pattern, what in GNU_ONLY.items():
                    self.assertIsNone(re.search(pattern, line), what)

    def test_no_built_file_matches_two_pattern_rules(self):
        # In `make -p`, a file made by a pattern rule says "Implicit rule search has been done";
        # one made by an explicit or static pattern rule (the same in every version) does not.
        patterns, by_pattern, in_files, current = [], set(), False, None
        for line in self.database.splitlines():
            if line.startswith("# Files"):
                in_files = True
            elif line.startswith("# Implicit Rules"):
                in_files = False
            m = re.match(r"^([^\s#:][^:]*?):(?![=:])", line)
            if m and " := " not in line and " = " not in line:
                current = m.group(1)
                if "%" in current and not in_files:
                    patterns.extend(current.split())
            elif in_files and current and line.startswith("#  Implicit rule search has been done"):
                by_pattern.add(current)
        self.assertIn("build/release/%.o", patterns)
        built = re.findall(r" -o (\S+)", self.proc.stdout)
        self.assertIn("build/release/lib/core/key_value.o", built)
        self.assertIn("build/release/lib/core/key_value.o", by_pattern)
        for target in built:
            if target not in by_pattern:
                continue
            matching = [p for p in patterns
                        if re.fullmatch(re.escape(p).replace("%", ".+"), target)]
            self.assertLessEqual(len(matching), 1, f"{target}: {matching}")

if __name__ == "__main__":
    unittest.main()
