#!/usr/bin/env python3
"""Host rows of make bench: what dtprobe costs per byte of device tree.

For every real board's DTB that make check-boards compiled (${ARBOR_CACHE}/boards/dtb/) and
every DTB compiled from dts/ (build/host/dtb/), runs

    valgrind --tool=callgrind --toggle-collect=main build/host/dtprobe FILE

and reads the instructions callgrind collected. --toggle-collect=main counts only what runs
inside main() and what it calls: the process start-up (the dynamic loader, libc's set-up,
about 0.2 M instructions) is left out, as are exit handlers. Callgrind counts instructions,
not seconds, so the figures repeat on a loaded machine.

The size a figure is divided by is the DTB's content: header, memory reservation block,
structure block and strings block, as its header gives them; not the file, which QEMU pads
to 1 MiB. Prints one row per DTB with its size, instructions and instructions per byte, then
for the boards the best and the worst, named, their ratio, and the targets (<= 40 per byte,
worst <= 2x best). A board dtprobe refuses (exit 1: rpi4-b.dtb has no memory until
check-boards fills it in) stops early, so it is listed but left out of best and worst. Exits 1 when a run could not be measured, 0 otherwise: benchmarks report.

    tools/bench-host.py [--dtprobe PATH] [--boards-only] [--max-rows N]

Python 3 standard library only.
"""

import argparse
import glob
import os
import re
import struct
import subprocess
import sys
import tempfile

TOOLS = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(TOOLS)
CACHE = os.environ.get("ARBOR_CACHE") or os.path.expanduser("~/.cache/arbor")
FDT_MAGIC = 0xd00dfeed
TARGET_PER_BYTE = 40
TARGET_SPREAD = 2.0
COLLECTED = re.compile(r"^==\d+== Collected : (\d+)$", re.M)


def content_size(path):
    """Bytes of the DTB's blocks (header to the end of the last block), or None when the
    file does not start with a DTB header."""
    with open(path, "rb") as f:
        head = f.read(40)
    if len(head) < 40:
        return None
    magic, total, off_struct, off_strings, off_rsv, _, _, _, size_strings, size_struct = \
        struct.unpack(">10I", head)
    if magic != FDT_MAGIC:
        return None
    end = max(off_struct + size_struct, off_strings + size_strings, off_rsv + 16)
    return min(end, total)


def measure(dtprobe, path):
    """(instructions inside main, dtprobe's exit status) for one DTB, or (None, why)."""
    with tempfile.NamedTemporaryFile(prefix="callgrind.", suffix=".out") as out:
        r = subprocess.run(["valgrind", "--tool=callgrind", "--toggle-collect=main",
                            "--callgrind-out-file=" + out.name, dtprobe, path],
                           stdin=subprocess.DEVNULL, capture_output=True, text=True)
    m = COLLECTED.search(r.stderr)
    if not m:
        return None, "no 'Collected' line from callgrind (status %d)" % r.returncode
    return int(m.group(1)), r.returncode


def main():
    p = argparse.ArgumentParser(description="dtprobe's instructions per DTB byte.")
    p.add_argument("--dtprobe", default=os.path.join(REPO, "build", "host", "dtprobe"))
    p.add_argument("--boards-only", action="store_true", help="only the real boards' DTBs")
    args = p.parse_args()
    if not os.path.isfile(args.dtprobe):
        print("bench-host: error: %s not found (make host)" % args.dtprobe, file=sys.stderr)
        return 2
    boards = sorted(glob.glob(os.path.join(CACHE, "boards", "dtb", "*.dtb")))
    if not boards:
        print("bench-host: error: no board DTBs in %s (make check-boards)"
              % os.path.join(CACHE, "boards", "dtb"), file=sys.stderr)
        return 2
    groups = [("real boards (make check-boards)", boards)]
    if not args.boards_only:
        dts = sorted(glob.glob(os.path.join(REPO, "build", "host", "dtb", "**", "*.dtb"),
                               recursive=True))
        groups.append(("dts/ (make host; malformed ones stop early)", dts))

    print("host: dtprobe FILE (its summary), instructions inside main() (callgrind --toggle-collect=main)")
    print("%-44s %9s %13s %9s  %s" % ("DTB", "bytes", "instructions", "per byte", "exit"))
    problems = 0
    board_rows = []
    for title, files in groups:
        print("  " + title)
        for path in files:
            size = content_size(path)
            name = os.path.relpath(path, os.path.join(CACHE, "boards", "dtb")) \
                if path in boards else os.path.relpath(path, os.path.join(REPO, "build", "host", "dtb"))
            if size is None:
                print("  %-42s %9s %13s %9s  %s" % (name, "-", "-", "-", "not a DTB"))
                continue
            instr, status = measure(args.dtprobe, path)
            if instr is None:
                problems += 1
                print("  %-42s %9d %13s %9s  %s" % (name, size, "-", "-", status))
                continue
            per = instr / size
            print("  %-42s %9s %13s %9.1f  %d" % (name, "{:,}".format(size),
                                                   "{:,}".format(instr), per, status))
            if path in boards and status == 0:
                board_rows.append((per, name, status))
    if board_rows:
        best, worst = min(board_rows), max(board_rows)
        spread = worst[0] / best[0]
        print("boards: best %.1f per byte (%s), worst %.1f (%s), worst/best %.2f"
              % (best[0], best[1], worst[0], worst[1], spread))
        print("targets: <= %d per byte on every board: %s; worst <= %.0fx best: %s"
              % (TARGET_PER_BYTE, "met" if worst[0] <= TARGET_PER_BYTE else
                 "missed by %.1f per byte (%s)" % (worst[0] - TARGET_PER_BYTE, worst[1]),
                 TARGET_SPREAD, "met" if spread <= TARGET_SPREAD else
                 "missed (%.2fx)" % spread))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
