#!/usr/bin/env python3
"""Run Arbor's benchmarks on real Xen under QEMU and print one table.

Boots the benchmark application (apps/bench, built with `make ARCH=<arch> APP=apps/bench
kernel`) as a dom0less domU with bootarg `quiet`, under QEMU's `-icount shift=0,sleep=off`,
once per architecture and GIC version, through tools/run.py. Under -icount shift=0 one
nanosecond of virtual time is one instruction executed, so the guest's counter-based figures
are instruction counts (Arbor's and Xen's on its behalf) and repeat exactly from run to run.
The guest prints `bench: <name> <value> <unit>` lines; this collects them into one table.

The event-channel round trip between two Arbor instances comes from a second boot per
configuration: role pair (dom0 + a xen,enhanced domU), same -icount, with the default
self-test image (build/<arch>/arbor.img, `make ARCH=<arch> kernel`), whose dom0 serves
xenstore and answers the domU's interdomain self-test (docs/interdomain.md); the domU prints
`bench: evtchn_round_trip` (domU -> dom0 -> domU) and `bench: evtchn_round_trip_dom0`
(dom0 -> domU -> dom0, as dom0 timed it).

It also reads Xen's own clock: under --icount, run.py gives Xen `console_timestamps=boot`,
which prefixes every console line (guests' included) with Xen's time since boot in
microseconds -- an outside ruler in thousands of instructions. The table adds, from it, the
time from Xen's hand-over (its `Freed ...kB init memory.` line) to the guest's first line,
which in quiet mode is the first benchmark line, printed at the start of app_main().

A complete run (every architecture and GIC version) writes the table to docs/bench-results.md
with the commit, the date, and the Xen and QEMU versions read from the run itself; the docs
link to that file instead of carrying copies. --output FILE writes any run's table elsewhere.

Benchmarks report; they do not pass or fail. The exit status is 1 only when a boot failed
or a guest did not print its figures, 2 on a setup error (an image missing).

    tools/bench.py [--arch arm64|arm32]... [--gic 2|3]... [--jobs N] [--timeout S] [--output F]

Python 3 standard library only.
"""

import argparse
import concurrent.futures
import os
import re
import subprocess
import sys
import time

TOOLS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(TOOLS)
ARCHES = ["arm64", "arm32"]
GICS = [2, 3]

BENCH_LINE = re.compile(r"^(?:domU|dom0)\| bench: (\S+) (\d+) (\S+)$")
# Raw log lines with console_timestamps=boot: "(XEN) [    1.234567] text"; the domU's lines are
# "(d1) [ ... ] text" through console_io, "(XEN) [ ... ] DOM1: text" through its vpl011.
XEN_STAMPED = re.compile(r"^\(XEN\) \[\s*(\d+)\.(\d+)\] (.*)$")
GUEST_STAMPED = re.compile(r"^(?:\(d1\) \[\s*(\d+)\.(\d+)\] |\(XEN\) \[\s*(\d+)\.(\d+)\] DOM1: )(.*)$")
XEN_HANDOVER = re.compile(r"^Freed \d+kB init memory")

# Rows of the table: (name the guest prints, what it measures). The guest's own description
# of each is at the top of apps/bench/main.c.
ROWS = [
    ("boot_to_app_main", "boot: head.S entry -> app_main"),
    ("sgi_round_trip", "SGI to self: send -> handler -> back"),
    ("sgi_send_to_handler", "  of which send -> handler"),
    ("sgi_handler_to_return", "  of which handler -> back"),
    ("timer_busy_avg", "timer deadline -> handler, busy (avg)"),
    ("timer_busy_min", "  min"),
    ("timer_busy_max", "  max"),
    ("timer_idle_avg", "timer deadline -> handler, in WFI (avg)"),
    ("timer_idle_min", "  min"),
    ("timer_idle_max", "  max"),
    ("page_alloc_free_order0", "page alloc+free, 1 page (avg)"),
    ("page_alloc_free_order4", "page alloc+free, 16 pages (avg)"),
    ("context_switch", "context switch, yield between two threads (avg)"),
    ("thread_create_join", "thread create+join (avg)"),
]
# From the role-pair boot (the self-test image's interdomain test).
PAIR_ROWS = [
    ("evtchn_round_trip", "event channel round trip between two Arbor instances"),
    ("evtchn_round_trip_dom0", "  the same, driven by dom0 (dom0 -> domU -> dom0)"),
]
XEN_ROWS = [
    ("xen_handover_to_first_line", "Xen hand-over -> first guest line"),
    ("xen_first_to_last_line", "first -> last benchmark line"),
]


def image(arch):
    return os.path.join(REPO, "build", arch, "apps", "bench", "arbor.img")


def pair_image(arch):
    return os.path.join(REPO, "build", arch, "arbor.img")


def log_path(arch, gic, pair=False):
    return os.path.join(REPO, "build", "bench",
                        "%s-gic%d%s.log" % (arch, gic, "-pair" if pair else ""))


def xen_ruler(path):
    """Figures from Xen's timestamps in the raw log: {name: microseconds}."""
    handover = first = last = None
    try:
        with open(path, errors="replace") as f:
            for line in f:
                line = line.rstrip("\n")
                m = XEN_STAMPED.match(line)
                if m and XEN_HANDOVER.match(m.group(3)) and handover is None:
                    handover = int(m.group(1)) * 1000000 + int(m.group(2))
                m = GUEST_STAMPED.match(line)
                if m:
                    sec, usec = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
                    t = int(sec) * 1000000 + int(usec)
                    if first is None:
                        first = t
                    if m.group(5).startswith("bench: "):
                        last = t
    except OSError:
        return {}
    ruler = {}
    if handover is not None and first is not None:
        ruler["xen_handover_to_first_line"] = first - handover
    if first is not None and last is not None:
        ruler["xen_first_to_last_line"] = last - first
    return ruler


def run_one(arch, gic, timeout):
    """Boot one configuration. Returns (figures {name: (value, unit)}, ruler, problem)."""
    os.makedirs(os.path.dirname(log_path(arch, gic)), exist_ok=True)
    argv = [sys.executable, os.path.join(TOOLS, "run.py"), "--arch", arch, "--role", "domU",
            "--gic", str(gic), "--icount", "1", "--kernel", image(arch), "--app",
            "apps/bench", "--bootargs", "quiet", "--log", log_path(arch, gic), "--timeout", str(timeout)]
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    figures = {}
    done = False
    for line in r.stdout.splitlines():
        m = BENCH_LINE.match(line)
        if m:
            figures[m.group(1)] = (int(m.group(2)), m.group(3))
        elif line == "domU| bench: done":
            done = True
    problem = None
    if r.returncode != 0:
        fails = [l for l in (r.stdout + r.stderr).splitlines()
                 if l.startswith(("run: FAIL", "run: error", "domU| bench: "))
                 and not BENCH_LINE.match(l)]
        problem = "; ".join(fails) or "run.py exit status %d" % r.returncode
    elif not done:
        problem = "the guest did not print 'bench: done'"
    return figures, xen_ruler(log_path(arch, gic)), problem


def run_pair(arch, gic, timeout):
    """Boot role pair with the self-test image. Returns (figures, problem)."""
    os.makedirs(os.path.dirname(log_path(arch, gic, True)), exist_ok=True)
    argv = [sys.executable, os.path.join(TOOLS, "run.py"), "--arch", arch, "--role", "pair",
            "--gic", str(gic), "--icount", "1", "--kernel", pair_image(arch), "--log",
            log_path(arch, gic, True), "--timeout", str(timeout)]
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    figures = {}
    for line in r.stdout.splitlines():
        m = BENCH_LINE.match(line)
        if m:
            figures[m.group(1)] = (int(m.group(2)), m.group(3))
    problem = None
    if r.returncode != 0:
        fails = [l for l in (r.stdout + r.stderr).splitlines()
                 if l.startswith(("run: FAIL", "run: error"))]
        problem = "role pair: " + ("; ".join(fails) or "run.py exit status %d" % r.returncode)
    elif any(name not in figures for name, _ in PAIR_ROWS):
        problem = "role pair: the domU did not print every evtchn_round_trip figure"
    return figures, problem


# Boot time against guest memory: the page allocator and the page tables must not make it
# grow with RAM. A 5 GiB domU gets a second bank above 4 GiB (arm32 reports and skips it).
MEM_SIZES = ["64M", "1G", "5G"]
# The phases of kernel_main() (include/arbor/kernel.h), as apps/bench names them.
PHASES = ["head", "dtb", "probe", "detect", "page_tables", "allocator", "console", "gic", "timer",
          "sched", "xen", "to_app_main"]
PHASE_COLUMNS = MEM_SIZES + ["dom0"]
MEM_GIC = 3


def run_mem(arch, mem, timeout):
    """Boot the benchmark domU with this much memory ("dom0": as dom0, with run.py's default
    memory); returns ({name: value} of its boot figures, problem or None)."""
    role = "dom0" if mem == "dom0" else "domU"
    log = os.path.join(REPO, "build", "bench", "%s-mem%s.log" % (arch, mem))
    os.makedirs(os.path.dirname(log), exist_ok=True)
    argv = [sys.executable, os.path.join(TOOLS, "run.py"), "--arch", arch, "--role", role,
            "--gic", str(MEM_GIC), "--icount", "1", "--kernel", image(arch),
            "--app", "apps/bench", "--bootargs", "quiet", "--log", log, "--timeout", str(timeout)]
    if role == "domU":
        argv += ["--mem", mem]
    r = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    figures = {}
    for line in r.stdout.splitlines():
        m = BENCH_LINE.match(line)
        if m and m.group(1).startswith("boot_"):
            figures[m.group(1)] = int(m.group(2))
    if "boot_to_app_main" in figures:
        return figures, None
    return figures, "%s %s: no boot figure (run.py exit %d, log %s)" % (
        arch, mem, r.returncode, os.path.relpath(log))


def run_both(arch, gic, timeout):
    """Both boots of one configuration, the benchmark domU and the pair."""
    figures, ruler, problem = run_one(arch, gic, timeout)
    pair_figures, pair_problem = run_pair(arch, gic, timeout)
    figures.update(pair_figures)
    return figures, ruler, "; ".join(p for p in (problem, pair_problem) if p) or None


def fmt(value):
    return "-" if value is None else "{:,}".format(value)


# The table with where it came from, rewritten by every complete run: docs link to it rather
# than carry copies that go stale.
RESULTS = os.path.join(REPO, "docs", "bench-results.md")
XEN_VERSION = re.compile(r"^\(XEN\) (?:\[[ 0-9.]+\] )?Xen version (\S+) \(([^)]*)\)")


def provenance(log):
    """[(what, value)]: the commit, the date, and the Xen and QEMU versions of this run (Xen's
    from its own banner in a run's log, QEMU's from the binary the runs used)."""
    def cmd(*argv):
        try:
            r = subprocess.run(argv, cwd=REPO, stdin=subprocess.DEVNULL, capture_output=True,
                               text=True)
            return r.stdout.strip() if r.returncode == 0 else None
        except FileNotFoundError:
            return None
    commit = cmd("git", "rev-parse", "--short=12", "HEAD") or "unknown (not a git checkout)"
    if cmd("git", "status", "--porcelain", "--untracked-files=no"):
        commit += " with uncommitted changes"
    xen = "unknown (no banner in %s)" % os.path.relpath(log)
    try:
        with open(log, errors="replace") as f:
            for line in f:
                m = XEN_VERSION.match(line)
                if m:
                    xen = "%s (%s)" % (m.group(1), m.group(2))
                    break
    except OSError:
        pass
    qemu = (cmd(run_qemu(), "--version") or "unknown").splitlines()[0]
    date = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    return [("commit", commit), ("date", date), ("Xen", xen), ("QEMU", qemu)]


def run_qemu():
    sys.path.insert(0, TOOLS)
    sys.dont_write_bytecode = True  # no tools/__pycache__ from importing run.py
    import run  # noqa: E402  (tools/run.py: the QEMU binary it boots with)
    return run.QEMU


def write_results(path, table, log):
    lines = ["# `make bench`: the latest figures", "",
             "Written by `tools/bench.py` at the end of a complete `make bench`; not edited "
             "by hand. What each row measures and how: [performance.md](performance.md).", ""]
    lines += ["- %s: %s" % (what, value) for what, value in provenance(log)]
    lines += ["", "```"] + table + ["```", ""]
    with open(path, "w") as f:
        f.write("\n".join(lines))


def main():
    p = argparse.ArgumentParser(description="Run Arbor's benchmarks and print one table.")
    p.add_argument("--arch", action="append", choices=ARCHES, help="only this (repeatable)")
    p.add_argument("--gic", action="append", type=int, choices=GICS,
                   help="only this GIC version (repeatable)")
    p.add_argument("--jobs", type=int, default=2,
                   help="boots at a time (default 2; -icount figures do not depend on load)")
    p.add_argument("--timeout", type=float, default=120, help="seconds per boot (default 120)")
    p.add_argument("--output",
                   help="where the table goes with its provenance (default, after a run of "
                        "every configuration: %s)" % os.path.relpath(RESULTS, REPO))
    args = p.parse_args()
    configs = [(a, g) for a in (args.arch or ARCHES) for g in (args.gic or GICS)]
    missing = sorted({(image(a), "make ARCH=%s APP=apps/bench kernel" % a) for a, _ in configs
                      if not os.path.isfile(image(a))} |
                     {(pair_image(a), "make ARCH=%s kernel" % a) for a, _ in configs
                      if not os.path.isfile(pair_image(a))})
    if missing:
        for path, how in missing:
            print("bench: error: %s not found (%s)" % (os.path.relpath(path), how),
                  file=sys.stderr)
        return 2

    results = {}
    mem_results = {}
    arches = sorted({a for a, _ in configs})
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(run_both, a, g, args.timeout): (a, g) for a, g in configs}
        mem_futures = {pool.submit(run_mem, a, m, args.timeout): (a, m)
                       for a in arches for m in PHASE_COLUMNS}
        for future in concurrent.futures.as_completed(futures):
            results[futures[future]] = future.result()
        for future in concurrent.futures.as_completed(mem_futures):
            mem_results[mem_futures[future]] = future.result()

    table = []

    def out(line=""):
        print(line, flush=True)
        table.append(line)

    heads = ["%s GICv%d" % c for c in configs]
    width = max(len(d) for _, d in ROWS + PAIR_ROWS + XEN_ROWS) + 2
    colw = max(12, max(len(h) for h in heads) + 2)
    out("Arbor benchmarks: dom0less domU on Xen 4.17, QEMU -icount shift=0 "
          "(1 ns = 1 instruction), bootargs quiet;")
    out("event channel rows: role pair (dom0 + xen,enhanced domU), the self-test image")
    out("guest counter (ns = instructions)".ljust(width) + "".join(h.rjust(colw) for h in heads))
    for name, desc in ROWS + PAIR_ROWS:
        cells = [results[c][0].get(name, (None, ""))[0] for c in configs]
        out(desc.ljust(width) + "".join(fmt(v).rjust(colw) for v in cells))
    ticks = {results[c][0].get("counter_tick", (None, ""))[0] for c in configs} - {None}
    if ticks:
        out("(counter resolution: %s ns per tick; single readings are rounded to it, "
              "averages are over many)" % "/".join(str(t) for t in sorted(ticks)))
    out("Xen's ruler (console_timestamps=boot, us = thousands of instructions)")
    for name, desc in XEN_ROWS:
        cells = [results[c][1].get(name) for c in configs]
        out(("  " + desc).ljust(width) + "".join(fmt(v).rjust(colw) for v in cells))

    out("boot: head.S entry -> app_main by guest memory (domU, GICv%d)" % MEM_GIC)
    out("  ".ljust(width) + "".join(m.rjust(colw) for m in MEM_SIZES) +
          "largest/smallest".rjust(colw + 4))
    for a in arches:
        cells = [mem_results[(a, m)][0].get("boot_to_app_main") for m in MEM_SIZES]
        known = [c for c in cells if c]
        ratio = "%.3f" % (max(known) / min(known)) if len(known) == len(cells) else "-"
        out(("  " + a).ljust(width) + "".join(fmt(v).rjust(colw) for v in cells) +
            ratio.rjust(colw + 4))

    out("boot by phase of kernel_main() (GICv%d; domUs by memory, and dom0)" % MEM_GIC)
    cols = [(a, m) for a in arches for m in PHASE_COLUMNS]
    out("  ".ljust(width) + "".join(("%s %s" % c).rjust(colw) for c in cols))
    for phase in PHASES + ["total"]:
        key = "boot_to_app_main" if phase == "total" else "boot_phase." + phase
        out(("  " + phase).ljust(width) +
            "".join(fmt(mem_results[c][0].get(key)).rjust(colw) for c in cols))
    mem_failed = [p for _, p in mem_results.values() if p]
    for problem in mem_failed:
        out("bench: FAIL %s" % problem)

    failed = [(c, results[c][2]) for c in configs if results[c][2]]
    for (arch, gic), problem in failed:
        out("bench: FAIL %s GICv%d: %s (logs %s, %s)"
              % (arch, gic, problem, os.path.relpath(log_path(arch, gic)),
                 os.path.relpath(log_path(arch, gic, True))))
    # The image sizes (tools/image_size.py) and the host rows (tools/bench-host.py: dtprobe
    # under callgrind) join the table.
    for tool, what in (("image_size.py", "image sizes"), ("bench-host.py", "host rows")):
        r = subprocess.run([sys.executable, os.path.join(TOOLS, tool)],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True)
        out("")
        for line in r.stdout.rstrip().splitlines():
            out(line)
        if r.returncode:
            mem_failed.append("%s: %s" % (what, r.stderr.strip() or
                                          "exit status %d" % r.returncode))
            out("bench: FAIL " + mem_failed[-1])

    # Only a run of every configuration replaces the published table.
    output = args.output or (None if args.arch or args.gic else RESULTS)
    if failed or mem_failed:
        if output:
            print("bench: %s not written: a run failed" % os.path.relpath(output))
        return 1
    if output:
        write_results(output, table, log_path(configs[0][0], configs[0][1]))
        print("bench: figures written to %s" % os.path.relpath(output))
    return 0


if __name__ == "__main__":
    sys.exit(main())
