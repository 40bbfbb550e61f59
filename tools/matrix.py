#!/usr/bin/env python3
"""Boot Arbor in every supported configuration and count the results.

Runs tools/run.py once per configuration of the table below, at most two at a time
(QEMU's TCG is CPU bound and build machines have two cores), prints one line per
configuration (`PASS arm64 domU gic3 mem=128M ...` or `FAIL ...` with the failing run's
log), and ends with the line `boot: N passed, M failed`. Exit status 1 if any failed.

    tools/matrix.py [--arch arm64|arm32] [--quick] [--jobs N] [--timeout S]
                    [--kernel ARCH=PATH]...

--arch keeps one architecture, --quick the rows marked quick, --kernel boots another image
for one architecture (default build/<arch>/arbor.img) in the self-test rows. Rows of another
application (the app column) or C library (the libc column: LIBC=newlib on arm32) boot
the image make puts in build/<arch>[-<libc>]/[apps/<name>/], which the matrix builds first,
and run.py checks the lines each application must print (its --app). Every configuration that is
expected to power off also runs with --check-probe (bootargs and RAM banks checked against
Xen's own log) and, without -icount, --check-wallclock (each guest's wall clock within a second
of the host's clock, or of Xen's own where no dom0 sets it). Python 3 standard library only.
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import time

TOOLS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TOOLS)
sys.path.insert(0, TOOLS)
sys.dont_write_bytecode = True  # no tools/__pycache__ from importing run.py
import run  # noqa: E402  (tools/run.py: used to know where each run leaves its log)

# One row per configuration. arch "*" means one run for arm64 and one for arm32.
# mem is the Arbor guest's memory (dom0's in role dom0, the domU's in domU and pair;
# dom0 in pair has run.py's default 64M). bootargs: "-" for none, "," between words.
# quick: part of --quick. The console each guest must choose follows from role and vpl011
# (run.py's check_console): a domU's vpl011 when it has one, else console_io; the pair row
# without vpl011 is the enhanced domU asking Xen for a PV console through its hypervisor node.
# expect: the halt line (poweroff, crash), or a harness check (HARNESS_ROWS below): the row's
# image is judged as the self-test image and run.py must fail it, for that reason.
# Role bare (no Xen, QEMU virt runs Arbor itself: run.py --role bare) has no vpl011; its
# vpl011 column says where Arbor is entered instead: el1 (EL1/SVC) or el2 (EL2/HYP, QEMU's
# virtualization=on, run.py --el2). Its console must be QEMU's PL011, and --check-probe checks
# its bank against -m at the RAM base of QEMU's own DTB; no --check-wallclock (Xen's clock).
TABLE = """
# arch  role  gic  mem   cpus  vpl011  icount  expect    bootargs                  app              libc      quick
  *     dom0  2    128M  1     1       0       poweroff  -                         -                -         -
  *     dom0  3    128M  1     1       0       poweroff  -                         -                -         -
  *     domU  2    128M  1     1       0       poweroff  -                         -                -         quick
  *     domU  3    128M  1     1       0       poweroff  -                         -                -         -
  *     pair  2    128M  1     1       0       poweroff  -                         -                -         -
  *     pair  3    128M  1     1       0       poweroff  -                         -                -         quick
  *     domU  3    4G    1     1       0       poweroff  -                         -                -         -
  *     dom0  3    192M  1     1       0       poweroff  -                         -                -         -
  *     domU  3    128M  2     0       0       poweroff  -                         -                -         -
  *     domU  2    128M  2     1       0       poweroff  -                         -                -         -
  *     domU  3    128M  4     1       0       poweroff  -                         -                -         -
  *     domU  2    128M  4     1       0       poweroff  -                         -                -         -
  *     dom0  3    128M  2     1       0       poweroff  -                         -                -         -
  *     domU  3    128M  2     1       0       poweroff  selftest.idle=3           -                -         -
  *     pair  3    128M  1     0       0       poweroff  -                         -                -         -
  *     domU  3    128M  1     1       0       crash     selftest.fault=data       -                -         quick
  *     domU  2    128M  1     1       0       crash     selftest.fault=exec       -                -         -
  *     dom0  3    128M  1     1       0       crash     selftest.fault=text-write -                -         -
  *     domU  3    128M  1     1       0       crash     selftest.fault=undef      -                -         -
  *     domU  2    128M  1     1       0       crash     selftest.fault=stack      -                -         -
  *     domU  3    40M   1     0       1       poweroff  quiet                     -                -         -
  *     domU  2    128M  1     1       0       poweroff  selftest.idle=3           -                -         -
  *     domU  3    128M  1     1       0       poweroff  -                         apps/hello       -         quick
  *     domU  3    128M  1     1       0       poweroff  -                         apps/ticker      -         -
  *     domU  3    128M  1     1       0       poweroff  -                         apps/dtexplorer  -         -
  arm32 domU  3    128M  1     1       0       poweroff  -                         -                newlib    -
  arm32 dom0  2    128M  1     1       0       poweroff  -                         -                newlib    -
  arm32 domU  3    128M  1     1       0       poweroff  -                         apps/hello       newlib    -
  *     domU  3    128M  1     1       0       no-summary  -                       tests/apps/silent -        quick
  *     domU  2    128M  1     1       0       none-passed -                       tests/apps/zero  -         -
  *     bare  2    128M  1     el1     0       poweroff  -                         -                -         quick
  *     bare  3    128M  1     el1     0       poweroff  -                         -                -         -
  *     bare  2    128M  1     el2     0       poweroff  -                         -                -         -
  *     bare  3    128M  1     el2     0       poweroff  -                         -                -         quick
  *     bare  3    128M  1     el1     0       poweroff  -                         apps/hello       -         -
  *     bare  3    128M  2     el1     0       poweroff  -                         -                -         -
  *     bare  2    128M  2     el2     0       poweroff  -                         -                -         -
"""

# What the exception report must say for each deliberate fault (both architectures word
# their reports alike): the class of exception and, for aborts, the decoded cause.
FAULT_REPORTS = {
    "data": [r"unhandled exception: .*data abort", r"cause: translation fault.*on a write",
             r"fault address"],
    "exec": [r"unhandled exception: .*(instruction|prefetch) abort",
             r"cause: permission fault.*on a fetch"],
    "text-write": [r"unhandled exception: .*data abort", r"cause: permission fault.*on a write"],
    "undef": [r"unhandled exception: .*(BRK|undefined instruction)"],
    "stack": [r"unhandled exception: .*data abort", r"cause: translation fault.*on a write",
              r"stack overflow: the fault address is in the guard page of thread 'overflow'"],
}
COLUMNS = ["arch", "role", "gic", "mem", "cpus", "vpl011", "icount", "expect", "bootargs",
           "app", "libc", "quick"]
DEFAULT_APP = "apps/selftest"
DEFAULT_LIBC = "picolibc"

# Rows that check the harness itself: an image that does not run the self-tests, judged as
# the self-test image, must fail, with this reason from run.py. Such a row passes only then.
HARNESS_ROWS = {
    "no-summary": "no self-test summary line",
    "none-passed": "the self-test summary says no test passed",
}
ARCHES = ["arm64", "arm32"]

# Hostile DTBs (docs/testing.md, "Hostile trees"): tools/hostile-dtbs.py builds them from
# QEMU's own tree for each of these bare configurations, with the image the rows boot, and
# every case it lists becomes a row: booted bare with -dtb, ending within HOSTILE_TIMEOUT s
# with its exact error line and no exception report (crash), passing the self-tests
# (poweroff), or, with no console to print on, QEMU exiting by itself (silent: run.py
# --expect exit, which judges nothing else). A case QEMU refuses passes only when the
# generator says QEMU refuses it (its QEMU_REFUSES); one not applicable bare (QEMU rewrites
# /memory) is listed, not counted. Not part of --quick.
HOSTILE = [("arm64", "3"), ("arm32", "2")]
HOSTILE_TIMEOUT = 10
NO_EXCEPTION = "unhandled exception"


def hostile_rows(arches, kernels):
    """Generate the hostile DTBs and return their rows, or None after the generator's error."""
    rows = []
    for arch, gic in HOSTILE:
        if arch not in arches:
            continue
        out = os.path.join(ROOT, "build", "hostile", "%s-gic%s" % (arch, gic))
        cmd = [sys.executable, os.path.join(TOOLS, "hostile-dtbs.py"), "--arch", arch,
               "--gic", gic, "--out", out]
        if arch in kernels:
            cmd += ["--kernel", kernels[arch]]
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if r.returncode:
            print((r.stdout + r.stderr).rstrip())
            print("matrix: tools/hostile-dtbs.py --arch %s --gic %s failed" % (arch, gic))
            return None
        with open(os.path.join(out, "manifest.json")) as f:
            for case in json.load(f)["cases"]:
                rows.append(dict(arch=arch, role="bare", gic=gic, mem="128M", cpus="1",
                                 vpl011="el1", icount="0", expect="hostile", bootargs="",
                                 app=DEFAULT_APP, libc=DEFAULT_LIBC, quick=False,
                                 hostile=case))
    return rows


def hostile_argv(cfg, kernels):
    """run.py's command line for a hostile case that QEMU loads."""
    case = cfg["hostile"]
    argv = ["--arch", cfg["arch"], "--role", "bare", "--gic", cfg["gic"], "--mem", cfg["mem"],
            "--dtb", os.path.join(ROOT, case["file"]), "--timeout", str(HOSTILE_TIMEOUT)]
    if cfg["arch"] in kernels:
        argv += ["--kernel", kernels[cfg["arch"]]]
    if case["expect"] == "silent":
        return argv + ["--expect", "exit"]
    argv += ["--expect", case["expect"], "--forbid-output", NO_EXCEPTION]
    for line in case["lines"]:
        argv += ["--expect-output", line]
    return argv


def run_py(argv):
    """Run tools/run.py with argv. Returns (the completed process, seconds, the lines run.py
    explains a failure with or its error message, the run's log path)."""
    log = os.path.relpath(run.parse_args(argv).run_log)
    start = time.monotonic()
    r = subprocess.run([sys.executable, os.path.join(TOOLS, "run.py")] + argv,
                       stdin=subprocess.DEVNULL, capture_output=True, text=True)
    reasons = [l[len("run: FAIL: "):] if l.startswith("run: FAIL: ") else l[len("run: "):]
               for l in (r.stdout + r.stderr).splitlines()
               if l.startswith(("run: FAIL: ", "run: error: "))]
    return r, time.monotonic() - start, reasons, log


def run_hostile(cfg, kernels):
    """One hostile row: (passed, seconds, reason, log)."""
    case = cfg["hostile"]
    if case["qemu"] == "not-applicable":
        return None, 0.0, case["qemu_message"], None
    if case["qemu"] != case.get("qemu_expected"):
        return False, 0.0, "QEMU %s it (%s), expected: QEMU %s it" % (
            case["qemu"], case.get("qemu_message", ""), case.get("qemu_expected")), None
    if case["qemu"] == "refused":
        return True, 0.0, "QEMU refuses it: " + case["qemu_message"], None
    r, seconds, reasons, log = run_py(hostile_argv(cfg, kernels))
    if r.returncode == 0:
        return True, seconds, "", log
    return False, seconds, "; ".join(reasons) or "exit status %d" % r.returncode, \
        None if r.returncode == 2 else log


def configurations():
    """The table as a list of dicts, with "*" expanded to each arch."""
    rows = []
    for line in TABLE.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        row = dict(zip(COLUMNS, line.split()))
        assert len(row) == len(COLUMNS), "bad matrix row: " + line
        row["bootargs"] = "" if row["bootargs"] == "-" else row["bootargs"].replace(",", " ")
        row["quick"] = row["quick"] == "quick"
        row["app"] = DEFAULT_APP if row["app"] == "-" else row["app"]
        row["libc"] = DEFAULT_LIBC if row["libc"] == "-" else row["libc"]
        for arch in (ARCHES if row["arch"] == "*" else [row["arch"]]):
            rows.append(dict(row, arch=arch))
    return rows


def run_argv(cfg, kernels, timeout):
    """The tools/run.py command line for one configuration."""
    argv = ["--arch", cfg["arch"], "--role", cfg["role"], "--gic", cfg["gic"],
            "--mem", cfg["mem"], "--cpus", cfg["cpus"], "--icount", cfg["icount"],
            "--expect", "poweroff" if cfg["expect"] in HARNESS_ROWS else cfg["expect"]]
    if cfg["role"] == "bare":
        argv += ["--el2"] if cfg["vpl011"] == "el2" else []
    else:
        argv += ["--vpl011", cfg["vpl011"]]
    # selftest.idle=N is run.py's --check-idle N, which adds it and measures QEMU meanwhile.
    words = cfg["bootargs"].split()
    for word in words:
        if word.startswith("selftest.idle="):
            argv += ["--check-idle", word.partition("=")[2]]
    bootargs = " ".join(w for w in words if not w.startswith("selftest.idle="))
    if bootargs:
        argv += ["--bootargs", bootargs]
    if cfg["expect"] == "poweroff":
        argv.append("--check-probe")
        # Under -icount the guests' time is virtual, not the host's; the wall-clock line
        # is one the self-tests print.
        if cfg["icount"] == "0" and cfg["app"] == DEFAULT_APP and cfg["role"] != "bare":
            argv.append("--check-wallclock")
    for word in cfg["bootargs"].split():
        if word.startswith("selftest.fault="):
            for pattern in FAULT_REPORTS[word.partition("=")[2]]:
                argv += ["--expect-output", pattern]
    # run.py knows what each application must print (its APP_OUTPUT, the self-tests'
    # summary). A harness row boots another image but has it judged as the self-tests.
    argv += ["--app", DEFAULT_APP if cfg["expect"] in HARNESS_ROWS else cfg["app"]]
    if own_build(cfg):
        argv += ["--kernel", app_image(cfg["arch"], cfg["app"], cfg["libc"])]
    elif cfg["arch"] in kernels:
        argv += ["--kernel", kernels[cfg["arch"]]]
    if timeout:
        argv += ["--timeout", str(timeout)]
    return argv


def own_build(cfg):
    """Whether a row boots an image the matrix builds itself: another application than the
    self-tests, or another C library. The default images are make boot-test's (or --kernel's)."""
    return cfg["app"] != DEFAULT_APP or cfg["libc"] != DEFAULT_LIBC


def app_image(arch, app, libc):
    """Where make ARCH=<arch> APP=<app> LIBC=<libc> puts its image (the Makefile's IMG)."""
    build = os.path.join(ROOT, "build", arch + ("" if libc == DEFAULT_LIBC else "-" + libc))
    if app == DEFAULT_APP:
        return os.path.join(build, "arbor.img")
    return os.path.join(build, "apps", os.path.basename(app), "arbor.img")


def build_apps(todo):
    """make ARCH=<arch> APP=<app> LIBC=<libc> kernel for every image of own_build() rows.
    False on failure, after make's output."""
    for arch, app, libc in sorted({(c["arch"], c["app"], c["libc"]) for c in todo
                                   if own_build(c)}):
        r = subprocess.run(["make", "--no-print-directory", "-C", ROOT, "ARCH=" + arch,
                            "APP=" + app, "LIBC=" + libc, "kernel"],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True)
        if r.returncode:
            print((r.stdout + r.stderr).rstrip())
            print("matrix: make ARCH=%s APP=%s LIBC=%s kernel failed" % (arch, app, libc))
            return False
    return True


def describe(cfg):
    """e.g. 'arm64 domU gic3 mem=128M cpus=1 vpl011=1'."""
    if "hostile" in cfg:
        case = cfg["hostile"]
        return "%s bare gic%s hostile=%s %s" % (cfg["arch"], cfg["gic"], case["name"],
                                               "expect=" + case.get("expect", "-")
                                               if case["qemu"] == "loads" else
                                               "qemu=" + case["qemu"])
    if cfg["role"] == "bare":
        text = "%s bare gic%s mem=%s cpus=%s %s" % (
            cfg["arch"], cfg["gic"], cfg["mem"], cfg["cpus"], cfg["vpl011"])
    else:
        text = "%s %s gic%s mem=%s cpus=%s vpl011=%s" % (
            cfg["arch"], cfg["role"], cfg["gic"], cfg["mem"], cfg["cpus"], cfg["vpl011"])
    if cfg["icount"] != "0":
        text += " icount=1"
    if cfg["bootargs"]:
        text += ' bootargs="%s"' % cfg["bootargs"]
    if cfg["expect"] != "poweroff":
        text += " expect=" + cfg["expect"]
    if cfg["app"] != DEFAULT_APP:
        text += " app=" + cfg["app"]
    if cfg["libc"] != DEFAULT_LIBC:
        text += " libc=" + cfg["libc"]
    return text


def run_one(cfg, kernels, timeout):
    """Run one configuration; returns (passed, seconds, reason, log path): passed None for a
    hostile case that cannot be booted bare (listed, not counted)."""
    if "hostile" in cfg:
        return run_hostile(cfg, kernels)
    r, seconds, reasons, log = run_py(run_argv(cfg, kernels, timeout))
    if cfg["expect"] in HARNESS_ROWS:
        # The harness must have failed this run, for exactly the expected reason.
        want = HARNESS_ROWS[cfg["expect"]]
        if r.returncode == 1 and any(want in reason for reason in reasons):
            return True, seconds, "", log
        got = "it passed" if r.returncode == 0 else "; ".join(reasons) or \
            "exit status %d" % r.returncode
        return False, seconds, "run.py should fail with %r: %s" % (want, got), log
    if r.returncode == 0:
        return True, seconds, "", log
    reason = reasons[0] if reasons else "exit status %d" % r.returncode
    # Status 2 is a setup error: QEMU never ran, so there is no log of this run.
    return False, seconds, reason, None if r.returncode == 2 else log


def main():
    p = argparse.ArgumentParser(description="Boot Arbor in every configuration.")
    p.add_argument("--arch", choices=ARCHES, help="only this architecture")
    p.add_argument("--quick", action="store_true", help="only the rows marked quick")
    p.add_argument("--no-hostile", action="store_true",
                   help="without the hostile-DTB rows (tools/hostile-dtbs.py)")
    p.add_argument("--hostile-only", action="store_true", help="only the hostile-DTB rows")
    p.add_argument("--jobs", type=int, default=2, help="runs at a time (default 2)")
    p.add_argument("--timeout", type=float, help="per-run timeout (run.py's default: 60)")
    p.add_argument("--kernel", action="append", default=[], metavar="ARCH=PATH",
                   help="boot this image for ARCH instead of build/ARCH/arbor.img")
    args = p.parse_args()
    kernels = {}
    for item in args.kernel:
        arch, sep, path = item.partition("=")
        if not sep or arch not in ARCHES:
            p.error("--kernel wants ARCH=PATH with ARCH one of %s" % ", ".join(ARCHES))
        kernels[arch] = os.path.abspath(path)

    todo = [c for c in configurations()
            if (not args.arch or c["arch"] == args.arch) and (c["quick"] or not args.quick)]
    if not build_apps(todo):
        return 1
    if args.hostile_only:
        todo = []
    if (not args.quick or args.hostile_only) and not args.no_hostile:
        hostile = hostile_rows([args.arch] if args.arch else ARCHES, kernels)
        if hostile is None:
            return 1
        todo += hostile
    passed = failed = listed = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(run_one, c, kernels, args.timeout): c for c in todo}
        for future in concurrent.futures.as_completed(futures):
            cfg = futures[future]
            ok, seconds, reason, log = future.result()
            if ok is None:
                listed += 1
                print("LIST %s: not booted: %s" % (describe(cfg), reason), flush=True)
            elif ok:
                passed += 1
                print("PASS %s (%.1f s)%s" % (describe(cfg), seconds,
                                              ": " + reason if reason else ""), flush=True)
            else:
                failed += 1
                print("FAIL %s (%.1f s): %s%s" % (describe(cfg), seconds, reason,
                                                  "; log " + log if log else ""), flush=True)
    if listed:
        print("boot: %d hostile case%s listed, not booted (see LIST lines)" % (
            listed, "" if listed == 1 else "s"))
    print("boot: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
