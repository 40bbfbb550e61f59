#!/usr/bin/env python3
"""make soak: run Arbor long and many times, and count what happened. Not part of make test.

Two parts, each counted and reported with nothing dropped:

1. The boot matrix (tools/matrix.py) ROUNDS times in a row (default 5). Every row that ever
   failed is listed with the rounds it failed in and its reason, and the log of each failure
   is kept in build/soak/round<N>/ (matrix.py reuses build/run/ for the next round).
2. A soak boot per architecture: role pair (dom0 + xen,enhanced domU, both the self-test
   image) with bootarg selftest.soak, under which the self-tests use their long counts and
   print `selftest:   soak: ...` lines (docs/testing.md): 100,000 event-channel round trips
   each way between the two domains, 10,000 thread create/join, about 1,000,000 page
   allocations and frees with the free count back to its start, 10,000 xenstore write/read
   pairs. The run must pass (every self-test of both guests) and every figure must show
   nothing lost.

Prints the figures and ends with `soak: N passed, M failed`. Exit status 1 if anything failed.

    tools/soak.py [--rounds N] [--arch arm64|arm32]... [--skip-matrix]

Python 3 standard library only.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

TOOLS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(TOOLS)
OUT = os.path.join(REPO, "build", "soak")
ROW = re.compile(r"^(PASS|FAIL) (.*?) \(\d+\.\d s\)(?:: (.*?))?(?:; log (\S+))?$")
SOAK_LINE = re.compile(r"^(dom0|domU)\| selftest:   soak: (.*)$")
# What a figure must say for nothing to be lost: (what it starts with, a check on its numbers).
CHECKS = [
    ("evtchn domU-driven", r"(\d+) notifications sent, (\d+) received, (\d+) lost",
     lambda n: n[0] == n[1] and n[2] == 0 and n[0] >= 100000),
    ("evtchn dom0-driven", r"dom0 sent (\d+), domU echoed (\d+), (\d+) back, (\d+) lost",
     lambda n: n[0] == n[1] == n[2] and n[3] == 0 and n[0] >= 100000),
    ("threads", r"(\d+) created and joined, (\d+) failed, (\d+) wrong; free (\d+) -> (\d+) pages",
     lambda n: n[0] >= 10000 and n[1] == 0 and n[2] == 0 and n[3] == n[4]),
    ("pages", r"(\d+) allocs, (\d+) frees; free (\d+) -> (\d+) pages, (\d+) -> (\d+) blocks",
     lambda n: n[0] >= 1000000 and n[0] == n[1] and n[2] == n[3] and n[4] == n[5]),
    ("xenstore", r"(\d+) write/read pairs, (\d+) read back, (\d+) failed",
     lambda n: n[0] >= 10000 and n[0] == n[1] and n[2] == 0),
]
# Which guest must print which figure in role pair (dom0 runs the thread and page tests too).
EXPECTED = {"domU": [c[0] for c in CHECKS], "dom0": ["threads", "pages"]}


def matrix_rounds(rounds):
    """Run the matrix `rounds` times; returns (passed rounds, {row: [(round, reason, log)]})."""
    failures = {}
    clean = 0
    for n in range(1, rounds + 1):
        start = time.monotonic()
        r = subprocess.run([sys.executable, os.path.join(TOOLS, "matrix.py")],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True)
        rows = passed = failed = 0
        for line in r.stdout.splitlines():
            m = ROW.match(line)
            if not m:
                continue
            rows += 1
            if m.group(1) == "PASS":
                passed += 1
                continue
            failed += 1
            log = m.group(4)
            kept = None
            if log and os.path.isfile(os.path.join(REPO, log)):
                kept = os.path.join(OUT, "round%d" % n, os.path.basename(log))
                os.makedirs(os.path.dirname(kept), exist_ok=True)
                shutil.copyfile(os.path.join(REPO, log), kept)
            failures.setdefault(m.group(2), []).append((n, m.group(3) or "", kept))
        if rows == 0 or r.returncode not in (0, 1):
            print("soak: matrix round %d did not run (exit %d):\n%s" %
                  (n, r.returncode, (r.stdout + r.stderr)[-2000:]))
            failures.setdefault("(the matrix itself)", []).append((n, "exit %d" % r.returncode,
                                                                   None))
        elif failed == 0:
            clean += 1
        print("soak: matrix round %d: %d rows, %d passed, %d failed (%.0f s)" %
              (n, rows, passed, failed, time.monotonic() - start), flush=True)
    return clean, failures


def soak_boot(arch):
    """The soak boot of one architecture; returns (problems, figures lines)."""
    log = os.path.join(OUT, "%s-pair-soak.log" % arch)
    argv = [sys.executable, os.path.join(TOOLS, "run.py"), "--arch", arch, "--role", "pair",
            "--bootargs", "selftest.soak", "--timeout", "1200", "--log", log]
    if arch != "arm64":
        argv += ["--kernel", os.path.join(REPO, "build", arch, "arbor.img")]
    start = time.monotonic()
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    seconds = time.monotonic() - start
    problems, figures, seen = [], [], {"dom0": set(), "domU": set()}
    for line in r.stdout.splitlines():
        m = SOAK_LINE.match(line)
        if not m:
            continue
        guest, text = m.group(1), m.group(2)
        figures.append("%s %s: %s" % (arch, guest, text))
        for name, pattern, ok in CHECKS:
            if text.startswith(name + ":"):
                seen[guest].add(name)
                nums = re.search(pattern, text)
                if not nums or not ok([int(x) for x in nums.groups()]):
                    problems.append("%s %s: %s" % (arch, guest, text))
    for guest, names in EXPECTED.items():
        for name in names:
            if name not in seen[guest]:
                problems.append("%s %s: no '%s' figure" % (arch, guest, name))
    if r.returncode != 0:
        problems += ["%s: %s" % (arch, l) for l in r.stdout.splitlines()
                     if l.startswith("run: FAIL")] or ["%s: run.py exit %d" % (arch, r.returncode)]
    figures.append("%s: the soak boot took %.0f s of host time (log %s)" %
                   (arch, seconds, os.path.relpath(log, REPO)))
    return problems, figures


def main():
    p = argparse.ArgumentParser(description="Soak Arbor and report the figures.")
    p.add_argument("--rounds", type=int, default=5, help="matrix rounds (default 5; 0: none)")
    p.add_argument("--arch", action="append", choices=["arm64", "arm32"],
                   help="soak boots for this architecture (default both)")
    p.add_argument("--skip-matrix", action="store_true", help="only the soak boots")
    args = p.parse_args()
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)

    passed = failed = 0
    if not args.skip_matrix and args.rounds > 0:
        clean, failures = matrix_rounds(args.rounds)
        print("soak: matrix: %d of %d rounds with every row passing" % (clean, args.rounds))
        for row, fails in sorted(failures.items()):
            print("soak: FAIL %s: in %d of %d rounds" % (row, len(fails), args.rounds))
            for n, reason, kept in fails:
                print("soak:   round %d: %s%s" % (n, reason, "; log " +
                                                  os.path.relpath(kept, REPO) if kept else ""))
        if clean == args.rounds:
            passed += 1
        else:
            failed += 1
    for arch in args.arch or ["arm64", "arm32"]:
        problems, figures = soak_boot(arch)
        for f in figures:
            print("soak: " + f)
        for problem in problems:
            print("soak: FAIL " + problem)
        if problems:
            failed += 1
        else:
            passed += 1
    print("soak: %d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
