#!/usr/bin/env python3
"""Check that no kernel source names Xen's guest memory map: everything comes from the DTB.

Xen's public header (xen/arch-arm.h, from libxen-dev) defines the guest map it happens to
use (GUEST_GICD_BASE, GUEST_RAM0_BASE, ...) and says guests must not rely on it. This reads
every GUEST_*_BASE value from that header (never a copy of them) and fails on any kernel
source, comments included, that writes one of those addresses (as a hex number, any
padding, any case) or uses a GUEST_* macro of the header. Host tools, tests, DTS samples and
docs may name them: they describe Xen's map, they do not rely on it.

Usage: tools/check-literals.py [--header PATH] [--root DIR]; exit status 1 on any finding.
"""
import argparse
import os
import re
import sys

KERNEL_DIRS = ["boot", "fdt", "platform", "irq", "time", "xen", "mm", "sched", "smp",
               "console", "lib", "rt", "include", "apps"]
SOURCE = re.compile(r"\.(c|h|S|ld)$")
BASE = re.compile(r"#define\s+(GUEST_\w*_BASE)\s+xen_mk_ullong\((0x[0-9a-fA-F]+)\)")
HEX = re.compile(r"\b0x([0-9a-fA-F_]+)\b")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--header", default="/usr/include/xen/arch-arm.h")
    p.add_argument("--root", default=os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    args = p.parse_args()
    try:
        with open(args.header) as f:
            bases = {int(v, 16): name for name, v in BASE.findall(f.read())}
    except OSError as e:
        print("check-literals: %s (install libxen-dev: make deps)" % e, file=sys.stderr)
        return 2
    bases.pop(0, None)
    if not bases:
        print("check-literals: no GUEST_*_BASE found in %s" % args.header, file=sys.stderr)
        return 2
    macros = re.compile(r"\bGUEST_[A-Z0-9_]+\b")
    findings = 0
    for top in KERNEL_DIRS:
        for dirpath, _, files in os.walk(os.path.join(args.root, top)):
            for name in sorted(files):
                if not SOURCE.search(name):
                    continue
                path = os.path.join(dirpath, name)
                with open(path, errors="replace") as f:
                    for n, line in enumerate(f, 1):
                        hits = [m.group(0) for m in HEX.finditer(line)
                                if int(m.group(1).replace("_", ""), 16) in bases]
                        hits += macros.findall(line)
                        for h in hits:
                            findings += 1
                            what = bases.get(int(h[2:].replace("_", ""), 16)) \
                                if h.startswith("0x") else "Xen's guest-map macro"
                            print("%s:%d: %s (%s): take it from the DTB" %
                                  (os.path.relpath(path, args.root), n, h, what))
    if findings:
        print("check-literals: %d guest-map address(es) in kernel sources" % findings)
        return 1
    print("check-literals: no Xen guest-map address in kernel sources (%d checked)" % len(bases))
    return 0


if __name__ == "__main__":
    sys.exit(main())
