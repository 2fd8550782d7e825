"""`make dist`: everything an upload needs, in a tarball that the same sources make again byte
for byte (elsewhere, later, from files with other mtimes), with checksums and the libfcgi
check that refuses a build without the CVE-2025-23016 fix."""
import gzip
import os
import pathlib
import shutil
import subprocess
import tarfile
import tempfile
import unittest

from harness import ROOT
from harness.guide import DIST_DIR, TARBALL


EXPECTED = {".htaccess", "BUILD-INFO", "DEPLOY.md", "README", "SHA256SUMS", "heartbeat.conf.example",
            "heartbeat.fcgi", "heartbeat@.service", "nginx.conf.example", "status.fcgi"}
EXECUTABLE = {"heartbeat.fcgi", "status.fcgi"}


def epoch():
    return int(os.environ["SOURCE_DATE_EPOCH"])


def libfcgi_version():
    return subprocess.run(["dpkg-query", "-W", "-f=${Version}", "libfcgi-dev"], capture_output=True,
                          text=True, check=True).stdout


def source_tree_copy(into):
    """The working tree's files (tracked and new, not ignored), copied with fresh mtimes."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, capture_output=True, check=True).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        source = ROOT / name
        if source.is_file():
            target = into / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, target)  # contents and mode, not the mtime


class Dist(unittest.TestCase):
    def test_tarball_holds_everything_an_upload_needs(self):
        with tarfile.open(TARBALL) as tar:
            members = tar.getmembers()
        top = DIST_DIR.name
        self.assertEqual(members[0].name, top)
        names = [m.name for m in members[1:]]
        self.assertEqual(names, sorted(names))
        self.assertEqual({n.removeprefix(top + "/") for n in names}, EXPECTED)
        for member in members:
            self.assertEqual((member.uid, member.gid, member.uname, member.gname), (0, 0, "", ""), member.name)
            self.assertEqual(member.mtime, epoch(), member.name)
            base = member.name.rpartition("/")[2]
            wanted = 0o755 if member.isdir() or base in EXECUTABLE else 0o644
            self.assertEqual(member.mode, wanted, member.name)
        with open(TARBALL, "rb") as raw:
            header = raw.read(10)
        self.assertEqual(header[4:8], b"\0\0\0\0")  # gzip -n: no time stamp
        self.assertEqual(header[3] & 0x08, 0)  # and no file name

        with tempfile.TemporaryDirectory() as tmp:
            with tarfile.open(TARBALL) as tar:
                tar.extractall(tmp)
            folder = pathlib.Path(tmp) / top
            checked = subprocess.run(["sha256sum", "--strict", "-c", "SHA256SUMS"], cwd=folder,
                                     capture_output=True, text=True)
            self.assertEqual(checked.returncode, 0, checked.stdout + checked.stderr)
            listed = {line.split("  ", 1)[1] for line in (folder / "SHA256SUMS").read_text().splitlines()}
            self.assertEqual(listed, EXPECTED - {"SHA256SUMS"})
            readme = (folder / "README").read_text()
            for step in ("--new-token", "OUTSIDE the document root", "chmod 755", "SetEnv HEARTBEAT_CONFIG"):
                self.assertIn(step, readme)
            version = (ROOT / "VERSION").read_text().strip()
            self.assertIn(f"heartbeat {version} ", readme)
            self.assertIn(f"libfcgi-dev {libfcgi_version()}\n", (folder / "BUILD-INFO").read_text())
            self.assertEqual((folder / "nginx.conf.example").read_bytes(), (ROOT / "nginx.conf.example").read_bytes())
            self.assertEqual((folder / ".htaccess").read_bytes(), (ROOT / "htaccess.example").read_bytes())
            self.assertEqual((folder / "heartbeat@.service").read_bytes(),
                             (ROOT / "deploy" / "heartbeat@.service").read_bytes())

    def test_same_sources_same_bytes_and_no_build_without_the_libfcgi_fix(self):
        with tempfile.TemporaryDirectory(prefix="heartbeat-dist-again-") as tmp:
            copy = pathlib.Path(tmp) / "elsewhere"
            source_tree_copy(copy)
            make = ["make", "--no-print-directory", "-j2", "dist", f"SOURCE_DATE_EPOCH={epoch()}"]
            built = subprocess.run(make, cwd=copy, capture_output=True, text=True)
            self.assertEqual(built.returncode, 0, built.stdout[-3000:] + built.stderr[-3000:])
            again = copy / "dist" / TARBALL.name
            self.assertEqual(again.read_bytes(), TARBALL.read_bytes(), "the tarball differs")

            # The same build, with a libfcgi-dev changelog that lacks the fix, is refused.
            unfixed = pathlib.Path(tmp) / "changelog.Debian.gz"
            with gzip.open(unfixed, "wt") as out:
                out.write("libfcgi (2.4.2-2) unstable; urgency=medium\n\n  * no security fix\n")
            again.unlink()
            refused = subprocess.run(make + [f"LIBFCGI_CHANGELOG={unfixed}"], cwd=copy,
                                     capture_output=True, text=True)
            self.assertNotEqual(refused.returncode, 0)
            self.assertIn("does not mention CVE-2025-23016", refused.stderr)
            self.assertFalse(again.exists())

    def test_libfcgi_check_names_the_version_it_passed(self):
        out = subprocess.run([str(ROOT / "deploy" / "check-libfcgi.sh")], capture_output=True, text=True)
        self.assertEqual(out.returncode, 0, out.stderr)
        self.assertEqual(out.stdout.strip(),
                         f"libfcgi-dev {libfcgi_version()} (its changelog names CVE-2025-23016)")


if __name__ == "__main__":
    unittest.main()
