#!/usr/bin/env python3
"""The agent built for macOS on Linux: what `make agent` runs on a Mac, against Apple's headers.

Usage: build-for-mac.py ZIG OUT_DIR

1. `make -n -B agent AGENT_OS=Darwin PKG_CONFIG=false` prints every command a Mac runs (a Mac
   has no pkg-config); nothing here lists the files or the flags a second time.
2. Each compile command runs with ZIG's clang for arm64 macOS 11.0 and 13.0 and x86_64 10.15,
   against Apple's libc headers and libc++ from the Zig package, the Apple frameworks'
   declarations of tests/apple/include and libcurl's own header. clang is called directly, not
   through `zig c++`, which would turn libc++'s availability annotations off: so a call that
   needs a newer macOS than the deployment target is an error here as on a Mac.
3. No object may be empty (Apple's ar warns "has no symbols"); the archives are made as the
   Makefile says.
4. The link command links a Mach-O executable with Zig's linker, against Zig's libSystem and stub
   libraries for what a Mac provides besides: libcurl, the frameworks and libc++. A stub holds
   only names that the code imports AND that belong to that library (curl's header, a
   framework's declarations, the C++ runtime's names), so a symbol of the project that no
   object defines stays undefined and fails the link.
5. Control files (tests/apple/controls) must be refused by the same compile and link, for the
   oldest target.

Prints one line per check and "N passed, N failed"; exits 1 if any check failed.
"""
import concurrent.futures
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
APPLE_INCLUDE = ROOT / "tests/apple/include"
CONTROLS = ROOT / "tests/apple/controls"
# (name, clang arch, zig arch, deployment target)
TARGETS = [
    ("arm64-macos11.0", "arm64", "aarch64", "11.0"),
    ("arm64-macos13.0", "arm64", "aarch64", "13.0"),
    ("x86_64-macos10.15", "x86_64", "x86_64", "10.15"),
]
# Zig ships the SDK headers and libSystem of macOS 11, 12 and 13; an older deployment target
# uses the oldest (as Xcode's SDK is newer than the oldest macOS it builds for).
SDK_MAJORS = (11, 12, 13)
# What Apple's libc++ __config_site sets (Zig's libc++ has no __config_site of its own).
LIBCXX_CONFIG = ["-D_LIBCPP_ABI_VERSION=1", "-D_LIBCPP_ABI_NAMESPACE=__1"]
# The names of the C++ runtime (libc++ and libc++abi, both in /usr/lib/libc++.1.dylib on a Mac):
# std:: and what the compiler emits for new, delete, exceptions and type information.
# A thunk (__ZTv..._, __ZTh..._, __ZTc..._) counts as the name that follows it.
CXX_RUNTIME = re.compile(
    r"^__Z(T[vhc][0-9n]+_(?:[0-9n]+_)?)?(N|NK|TV|TI|TS)?N?St|^__Z(St|nw|na|dl|da)|^___cxa_"
    r"|^___gxx_personality|^__ZT[VIS]N10__cxxabiv1")
# Symbols that no header declares because the compiler makes the reference itself.
COMPILER_MADE = {"___CFConstantStringClassReference": "CoreFoundation"}
JOBS = int(os.environ.get("JOBS", "2"))

results = {"passed": 0, "failed": 0}


def check(ok, what, detail=""):
    results["passed" if ok else "failed"] += 1
    print(f"mac {what}: {'ok' if ok else 'FAILED'}")
    if not ok and detail:
        print("  " + detail.strip().replace("\n", "\n  "))
    return ok


def make_plan():
    """The commands `make agent` runs on a Mac, as make prints them."""
    proc = subprocess.run(
        ["make", "-n", "-B", "--no-print-directory", "AGENT_OS=Darwin", "PKG_CONFIG=false", "CXX=c++",
         "agent"], cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"make -n agent failed:\n{proc.stderr}")
    compiles, archives, links = [], [], []
    for line in proc.stdout.splitlines():
        words = shlex.split(line)
        if not words or words[0] in ("mkdir", "rm"):
            continue
        if words[-1] == "build/release/flags":  # the record of the release flags (the Makefile)
            continue
        if words[0] == "ar":
            archives.append(words)
        elif words[0] == "c++" and "-c" in words:
            compiles.append(words)
        elif words[0] == "c++":
            links.append(words)
        else:
            sys.exit(f"make -n agent prints a command this script does not know: {line}")
    if not compiles or len(links) != 1:
        sys.exit(f"expected compiles and one link in:\n{proc.stdout}")
    return compiles, archives, links[0]


def sdk_major(version):
    major = int(version.split(".")[0])
    return min((m for m in SDK_MAJORS if m >= major), default=SDK_MAJORS[-1])


def curl_include(out_root):
    """libcurl's own header (the Mac's SDK has one), in a folder that holds nothing else: the
    folder Debian puts it in also holds Linux-only headers (sys/epoll.h...)."""
    for folder in ("/usr/include/x86_64-linux-gnu", "/usr/include"):
        real = pathlib.Path(folder) / "curl"
        if (real / "curl.h").is_file():
            include = out_root / "include-curl"
            include.mkdir(parents=True, exist_ok=True)
            if not (include / "curl").exists():
                (include / "curl").symlink_to(real)
            return include
    sys.exit("no curl/curl.h (libcurl4-openssl-dev)")


def compiler(zig, arch, version, curl_dir):
    lib = pathlib.Path(zig).resolve().parent / "lib"
    libc = lib / "libc/include"
    major = sdk_major(version)
    zig_arch = "aarch64" if arch == "arm64" else arch
    headers = [lib / "libcxx/include", lib / "libcxxabi/include", lib / "include",
               libc / f"{zig_arch}-macos.{major}-none", libc / f"any-macos.{major}-any",
               libc / "any-macos-any", curl_dir, APPLE_INCLUDE]
    flags = [zig, "clang", "-target", f"{arch}-apple-macosx{version}", "-nostdinc", "-nostdinc++"]
    for folder in headers:
        flags += ["-isystem", str(folder)]
    # Availability: anything newer than the deployment target is an error, as on a Mac.
    return flags + LIBCXX_CONFIG + ["-Werror=unguarded-availability"]


def moved(word, out):
    """A path of the Makefile's build moved into this target's folder."""
    if word.startswith("build/release/"):
        return str(out / word[len("build/release/"):])
    if word == "agent/heartbeat-agent":
        return str(out / "heartbeat-agent")
    return word


def run(command):
    proc = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    return proc.returncode == 0, proc.stdout + proc.stderr


def compile_all(zig_clang, compiles, out, extra=()):
    jobs = []
    for words in list(compiles) + list(extra):
        command = zig_clang + [moved(w, out) for w in words[1:]]
        target = pathlib.Path(command[command.index("-o") + 1])
        target.parent.mkdir(parents=True, exist_ok=True)
        jobs.append((words[words.index("-c") + 1], command))
    with concurrent.futures.ThreadPoolExecutor(JOBS) as pool:
        return list(zip([s for s, _ in jobs], pool.map(lambda job: run(job[1]), jobs)))


def symbols(objects, *flags):
    proc = subprocess.run(["llvm-nm", "--just-symbol-name", *flags, *map(str, objects)],
                          capture_output=True, text=True, check=True)
    return {l for l in proc.stdout.splitlines() if l and not l.endswith(":")}


def declared_names(folder):
    """Every identifier of a folder's headers, comments aside."""
    text = " ".join(p.read_text() for p in sorted(folder.rglob("*.h")))
    text = re.sub(r"//[^\n]*|/\*.*?\*/", " ", text, flags=re.S)
    return set(re.findall(r"[A-Za-z_]\w*", text))


def tbd(install_name, names):
    listed = ", ".join(f"'{n}'" for n in sorted(names))
    return ("--- !tapi-tbd\ntbd-version: 4\ntargets: [ x86_64-macos, arm64-macos ]\n"
            f"install-name: '{install_name}'\nexports:\n  - targets: [ x86_64-macos, arm64-macos ]\n"
            f"    symbols: [ {listed} ]\n...\n")


def write_stubs(stubs, undefined, libsystem, curl_dir, frameworks):
    """Stub libraries holding the imported names that belong to each library a Mac has."""
    if stubs.exists():
        shutil.rmtree(stubs)
    stubs.mkdir(parents=True)
    curl_names = declared_names(curl_dir / "curl")
    framework_names = {f: declared_names(APPLE_INCLUDE / f) for f in frameworks}
    libraries = {"curl": set(), "c++": set(), **{f: set() for f in frameworks}}
    for symbol in undefined - libsystem:
        name = symbol[1:]  # Mach-O prefixes C names with '_'
        owner = COMPILER_MADE.get(symbol)
        owner = owner or next((f for f in frameworks if name in framework_names[f]), None)
        if not owner and name.startswith("curl_") and name in curl_names:
            owner = "curl"
        if not owner and CXX_RUNTIME.search(symbol):
            owner = "c++"
        if owner:
            libraries[owner].add(symbol)
    (stubs / "libcurl.tbd").write_text(tbd("/usr/lib/libcurl.4.dylib", libraries["curl"]))
    (stubs / "libc++.1.tbd").write_text(tbd("/usr/lib/libc++.1.dylib", libraries["c++"]))
    for framework in frameworks:
        folder = stubs / f"{framework}.framework"
        folder.mkdir()
        install = f"/System/Library/Frameworks/{framework}.framework/Versions/A/{framework}"
        (folder / f"{framework}.tbd").write_text(tbd(install, libraries[framework]))


def libsystem_names(zig, major):
    text = (pathlib.Path(zig).resolve().parent / f"lib/libc/darwin/libSystem.{major}.tbd").read_text()
    return set(re.findall(r"(?<=[\s\[,'])(_[A-Za-z0-9_$.]+)", text))


def build_target(zig, name, arch, zig_arch, version, plan, curl_dir, out_root):
    compiles, archives, link = plan
    out = out_root / name
    if out.exists():
        shutil.rmtree(out)
    zig_clang = compiler(zig, arch, version, curl_dir)
    compiled = compile_all(zig_clang, compiles, out)
    for source, (ok, output) in compiled:
        check(ok, f"{name} compile {source}", output)
    if not all(ok for _, (ok, _) in compiled):
        return
    objects = [pathlib.Path(moved(w[w.index("-o") + 1], out)) for w in compiles]
    for obj in objects:
        check(bool(symbols([obj], "--defined-only")), f"{name} {obj.relative_to(out)} has symbols",
              "an empty object: Apple's ar warns \"has no symbols\"; leave the file out on Darwin")
    for words in archives:
        ok, output = run([zig, "ar", "rcs"] + [moved(w, out) for w in words[2:]])
        check(ok, f"{name} archive {pathlib.Path(words[2]).name}", output)

    frameworks = [link[i + 1] for i, w in enumerate(link) if w == "-framework"]
    major = sdk_major(version)
    write_stubs(out / "stubs", symbols(objects, "--undefined-only"), libsystem_names(zig, major),
                curl_dir, frameworks)
    # Zig adds its libSystem by itself for macOS 11 and later, and none for an older target.
    libsystem = []
    if int(version.split(".")[0]) < SDK_MAJORS[0]:
        libsystem = [str(pathlib.Path(zig).resolve().parent / f"lib/libc/darwin/libSystem.{major}.tbd")]

    def linker(words):
        return ([zig, "cc", "-target", f"{zig_arch}-macos.{version}"] +
                [moved(w, out) for w in words[1:]] +
                ["-L", str(out / "stubs"), "-F", str(out / "stubs"), str(out / "stubs/libc++.1.tbd")] +
                libsystem)

    program = out / "heartbeat-agent"
    ok, output = run(linker(link))
    if check(ok, f"{name} link {program.relative_to(ROOT)}", output):
        kind = subprocess.run(["file", "-b", str(program)], capture_output=True, text=True).stdout
        wanted = "Mach-O 64-bit " + ("arm64" if arch == "arm64" else "x86_64") + " executable"
        check(kind.startswith(wanted), f"{name} file says {kind.strip()!r}", f"wanted {wanted}")
    return zig_clang, linker, out


def refuse_controls(zig_clang, linker, out, plan):
    """Each control must be refused by the same compile (and link) as the agent's files."""
    compiles, _, link = plan
    template = compiles[0]
    source_at = template.index("-c") + 1
    for control in sorted(CONTROLS.glob("*.cc")):
        rel = str(control.relative_to(ROOT))
        words = list(template)
        words[source_at] = rel
        obj = f"build/release/controls/{control.stem}.o"
        words[words.index("-o") + 1] = obj
        [(_, (compiled, output))] = compile_all(zig_clang, [], out, [words])
        how = "compile"
        refused = not compiled
        if compiled:
            # A control that compiles must fail the link.
            # The same link, with the control's object added and its own output (a failed link
            # leaves an empty file behind).
            with_control = link[:1] + [obj] + link[1:]
            with_control[with_control.index("-o") + 1] = "build/release/controls/heartbeat-agent"
            linked, output = run(linker(with_control))
            refused, how = not linked, "link"
        check(refused, f"control {rel} is refused ({how})",
              f"{rel} built for macOS, but must not:\n{output}")
        if refused:
            first = next((l for l in output.splitlines() if "error" in l), "")
            print(f"  {first.strip()}")


def main():
    zig, out_root = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
    os.environ.setdefault("ZIG_GLOBAL_CACHE_DIR", str(out_root / "zig-cache"))
    os.environ.setdefault("ZIG_LOCAL_CACHE_DIR", str(out_root / "zig-cache"))
    plan = make_plan()
    print(f"make -n agent on Darwin: {len(plan[0])} translation units, {len(plan[1])} archives, 1 link")
    curl_dir = curl_include(out_root)
    built = [build_target(zig, *target, plan, curl_dir, out_root) for target in TARGETS]
    # The controls on the oldest deployment target (the last), where availability bites most.
    if built[-1]:
        refuse_controls(*built[-1], plan)
    else:
        check(False, "controls", f"{TARGETS[-1][0]} did not build, so no control was tried")
    print(f"{results['passed']} passed, {results['failed']} failed")
    return 1 if results["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
