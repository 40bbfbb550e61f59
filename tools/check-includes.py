#!/usr/bin/env python3
"""Check that every #include in Arbor follows the layering table below (docs/testing.md).

Each source file belongs to a layer (its top directory; per-architecture subdirectories
such as mm/arm64/ belong to their parent), and each header to the layer that owns it. An
include is an edge from the includer's layer to the header's; an edge not in ALLOWED fails
the check, with the file, the line and the header. Headers under include/ are checked too,
as their owner's, and may never include libfdt: only fdt/ sees it. The table itself must
have no cycle, so that the layers can be read, and built, bottom up.

Usage: tools/check-includes.py [--root DIR]; exit status 1 on any violation.
"""
import argparse
import os
import re
import sys

# Who owns each public header. include/<arch>/arch/*.h are "arch"'s; <libfdt.h> and the
# Xen public headers (<xen/...>) are outside Arbor; system headers are not checked.
OWNERS = {
    "types.h": "base", "hidden.h": "base",
    "arch.h": "arch", "irqflags.h": "arch", "spinlock.h": "arch", "image.h": "arch",
    "format.h": "lib", "bootargs.h": "lib", "printk.h": "lib", "selftest.h": "lib",
    "dt.h": "fdt",
    "platform.h": "platform", "driver.h": "platform", "explain.h": "platform",
    "mmu.h": "mm", "page_alloc.h": "mm",
    "irq.h": "irq", "gic.h": "irq",
    "time.h": "time",
    "sched.h": "sched",
    "xen.h": "xen", "smccc.h": "xen", "service.h": "xen", "evtchn.h": "xen", "evtchn_2l.h": "xen",
    "gnttab.h": "xen", "gnttab_v1.h": "xen", "xenstore.h": "xen", "xenstore_ring.h": "xen",
    "console.h": "console",
    "libc.h": "rt",
    "smp.h": "smp",
    "kernel.h": "boot",
}

KERNEL = ["base", "arch", "lib", "fdt", "platform", "mm", "irq", "time", "sched", "xen",
          "smp", "console", "rt", "boot"]

# Layer -> the layers it may include from (itself always). Read bottom up: nothing below
# names anything above it. fdt/ is the only reader of the DTB (libfdt); irq/, time/, xen/,
# mm/, sched/ and console/ learn about the platform only from platform.h.
ALLOWED = {
    "base": [],
    "arch": ["base"],
    "lib": ["base"],
    "fdt": ["base", "lib", "libfdt"],
    "platform": ["base", "lib", "fdt"],
    "mm": ["base", "arch", "lib", "platform"],
    "irq": ["base", "arch", "lib", "platform", "mm"],
    "time": ["base", "arch", "lib", "platform", "irq"],
    "sched": ["base", "arch", "lib", "mm", "irq", "time"],
    "xen": ["base", "arch", "lib", "platform", "mm", "irq", "time", "sched", "xen-public"],
    "smp": ["base", "arch", "lib", "platform", "mm", "irq", "time", "xen"],
    "console": ["base", "arch", "lib", "platform", "mm", "xen", "xen-public"],
    "rt": ["base", "arch", "lib", "mm", "time", "sched", "xen", "console"],
    "boot": KERNEL + ["xen-public"],
    # Applications: the kernel's interfaces; dtexplorer prints the raw DTB with libfdt.
    "apps": KERNEL + ["xen-public", "libfdt"],
    # Tests and host tools may look at anything, libfdt included (an independent reader).
    "tests": KERNEL + ["apps", "xen-public", "libfdt"],
    "tools": KERNEL + ["xen-public", "libfdt"],
    "libfdt": [],
    "xen-public": [],
}

SOURCE_DIRS = ["boot", "fdt", "platform", "mm", "irq", "time", "sched", "xen", "smp", "console",
               "lib", "rt", "apps", "tests", "tools", "include"]

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def header_layer(name):
    """The layer owning an included header, or None for system and local headers."""
    if name == "libfdt.h" or name in ("fdt.h", "libfdt_env.h"):
        return "libfdt"
    if name.startswith("arbor/"):
        base = name[len("arbor/"):]
        if base not in OWNERS:
            raise KeyError(name)
        return OWNERS[base]
    if name.startswith("arch/"):
        return "arch"
    if name.startswith("xen/"):
        return "xen-public"
    return None


def file_layer(rel):
    parts = rel.split(os.sep)
    if parts[0] == "include":
        if parts[1] == "arbor":
            return OWNERS.get(parts[2])
        return "arch"	# include/<arch>/arch/*.h
    return parts[0]


def find_cycle(graph):
    """A cycle in graph (a list of layers) or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in (n for n in graph.get(node, []) if n != node):
            if state.get(nxt) == "open":
                return path + [node, nxt]
            if nxt not in state:
                found = visit(nxt, path + [node])
                if found:
                    return found
        state[node] = "done"
        return None

    for node in graph:
        if node not in state:
            found = visit(node, [])
            if found:
                return found[found.index(found[-1]):]
    return None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=os.path.join(os.path.dirname(__file__), ".."))
    args = ap.parse_args()
    root = os.path.abspath(args.root)

    cycle = find_cycle(ALLOWED)
    if cycle:
        print("check-includes: the layering table has a cycle: " + " -> ".join(cycle))
        return 1

    bad = 0
    for top in SOURCE_DIRS:
        for dirpath, _, files in os.walk(os.path.join(root, top)):
            for f in sorted(files):
                if not f.endswith((".c", ".h", ".S")):
                    continue
                path = os.path.join(dirpath, f)
                rel = os.path.relpath(path, root)
                layer = file_layer(rel)
                if layer is None:
                    print(f"{rel}: a header no layer owns: add it to OWNERS")
                    bad += 1
                    continue
                with open(path, errors="replace") as fh:
                    for lineno, line in enumerate(fh, 1):
                        m = INCLUDE.match(line)
                        if not m or m.group(1) == '"':
                            continue
                        try:
                            target = header_layer(m.group(2))
                        except KeyError:
                            print(f"{rel}:{lineno}: <{m.group(2)}> is owned by no layer: "
                                  "add it to OWNERS")
                            bad += 1
                            continue
                        if target is None or target == layer:
                            continue
                        if rel.startswith("include" + os.sep) and target == "libfdt":
                            print(f"{rel}:{lineno}: a public header includes <{m.group(2)}>: "
                                  "only fdt/ sees libfdt")
                            bad += 1
                        elif target not in ALLOWED.get(layer, []):
                            print(f"{rel}:{lineno}: {layer}/ includes <{m.group(2)}> "
                                  f"({target}), which the layering table does not allow")
                            bad += 1
    if bad:
        print(f"check-includes: {bad} include{'s' if bad != 1 else ''} outside the table "
              "(tools/check-includes.py)")
        return 1
    print("check-includes: every include follows the layering table")
    return 0


if __name__ == "__main__":
    sys.exit(main())
