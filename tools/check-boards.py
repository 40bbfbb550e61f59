#!/usr/bin/env python3
"""Check dtprobe against real boards' device trees, decoded a second, independent way.

    tools/check-boards.py [--dtprobe build/host/dtprobe] [--only NAME ...] [--verbose]

Arbor's own DTBs come from Xen; real boards are where the device-tree decoding meets trees
written by other people: several memory nodes, GICs behind simple-bus ranges, timers given
by interrupts-extended, firmware that fills /memory at boot. This script takes such trees
from the Linux 6.1 sources in Debian's linux-source-6.1 package, which tools/deps.sh extracts
with libfdt's, and from QEMU's virt machine (-machine dumpdtb), compiles them with cpp and dtc,
and compares what `dtprobe --json` says with what a small decoder written here from the
Devicetree Specification finds. The decoder shares no code with fdt/ or platform/ (it is
Python, parsing the blob's bytes itself), so agreement means something.

The sources are in ${ARBOR_CACHE:-~/.cache/arbor}/boards/linux/ and the compiled DTBs in
boards/dtb/, never in the repository. One line per board: PASS or FAIL with the keys that
differ, and notes where a board's tree legitimately lacks something. The last line is
`boards: N passed, M failed`; the exit status is 0 when nothing failed.
"""

import argparse
import json
import os
import shutil
import struct
import subprocess
import sys

LINUX_PKG = "linux-source-6.1"

# (name, arch of the Arbor build to act as, source path inside the Linux tree)
DTS_BOARDS = [
    ("juno", "arm64", "arch/arm64/boot/dts/arm/juno.dts"),
    ("fvp-base-revc", "arm64", "arch/arm64/boot/dts/arm/fvp-base-revc.dts"),
    ("rpi4-b", "arm64", "arch/arm64/boot/dts/broadcom/bcm2711-rpi-4-b.dts"),
    ("r-car-h3-salvator-x", "arm64", "arch/arm64/boot/dts/renesas/r8a77951-salvator-x.dts"),
    ("vexpress-ca15-tc1", "arm32", "arch/arm/boot/dts/vexpress-v2p-ca15-tc1.dts"),
    ("xenvm-4.2", "arm32", "arch/arm/boot/dts/xenvm-4.2.dts"),
]

# (name, arch, QEMU command line before -machine's dumpdtb)
QEMU_BOARDS = [
    ("qemu-virt-gicv2-2g", "arm64", ["qemu-system-aarch64", "-machine", "virt,gic-version=2",
                                     "-cpu", "cortex-a57", "-m", "2G", "-smp", "2"]),
    ("qemu-virt-gicv3-2g", "arm64", ["qemu-system-aarch64", "-machine", "virt,gic-version=3",
                                     "-cpu", "cortex-a57", "-m", "2G"]),
    ("qemu-virt-gicv2-6g", "arm64", ["qemu-system-aarch64", "-machine", "virt,gic-version=2",
                                     "-cpu", "cortex-a57", "-m", "6G"]),
    ("qemu-virt-gicv3-6g", "arm64", ["qemu-system-aarch64", "-machine", "virt,gic-version=3",
                                     "-cpu", "cortex-a57", "-m", "6G", "-smp", "4"]),
]

# What each build's identity map reaches (dtprobe --arch; platform.h's addr_limit).
ADDR_LIMIT = {"arm64": 1 << 48, "arm32": 1 << 32}

# Compatible strings of the kinds of node compared, from the kernel's bindings
# (interrupt-controller/arm,gic.yaml and arm,gic-v3.yaml, timer/arm,arch_timer.yaml,
# arm/psci.yaml, serial/pl011.yaml and arm_sbsa_uart.txt, Xen's guest.txt).
GICV2 = {"arm,arm11mp-gic", "arm,cortex-a15-gic", "arm,cortex-a7-gic", "arm,cortex-a5-gic",
         "arm,cortex-a9-gic", "arm,eb11mp-gic", "arm,gic-400", "arm,pl390", "arm,tc11mp-gic",
         "qcom,msm-8660-qgic", "qcom,msm-qgic2", "arm,gic-v2"}
GICV3 = {"arm,gic-v3"}
TIMERS = {"arm,armv7-timer", "arm,armv8-timer"}
PSCI = {"arm,psci", "arm,psci-0.2", "arm,psci-1.0"}
UARTS = {"arm,pl011", "arm,sbsa-uart"}


class Untranslatable(Exception):
    pass


# ---- a device-tree blob decoder (Devicetree Specification v0.4, chapter 5) ----

class Node:
    def __init__(self, name, parent):
        self.name, self.parent, self.props, self.children = name, parent, {}, []

    @property
    def path(self):
        if self.parent is None:
            return "/"
        return (self.parent.path.rstrip("/") + "/" + self.name)

    def walk(self):
        """This node and every node below it, in the blob's order."""
        yield self
        for c in self.children:
            yield from c.walk()


def parse_dtb(blob):
    """The tree and the /memreserve/ entries of a blob: (root, [(base, size)])."""
    (magic, _total, off_struct, off_strings, off_rsv, _version, _last, _cpu, size_strings,
     size_struct) = struct.unpack(">10I", blob[:40])
    if magic != 0xD00DFEED:
        raise ValueError("not a DTB")
    reserved = []
    pos = off_rsv
    while True:
        base, size = struct.unpack(">QQ", blob[pos:pos + 16])
        pos += 16
        if base == 0 and size == 0:
            break
        reserved.append((base, size))

    strings = blob[off_strings:off_strings + size_strings]
    pos, end = off_struct, off_struct + size_struct
    root, node = None, None
    while pos < end:
        (token,) = struct.unpack(">I", blob[pos:pos + 4])
        pos += 4
        if token == 1:          # FDT_BEGIN_NODE
            nul = blob.index(b"\0", pos)
            name = blob[pos:nul].decode("latin-1")
            pos = (nul + 4) & ~3
            child = Node(name, node)
            if node is None:
                root = child
            else:
                node.children.append(child)
            node = child
        elif token == 2:        # FDT_END_NODE
            node = node.parent
        elif token == 3:        # FDT_PROP
            length, nameoff = struct.unpack(">II", blob[pos:pos + 8])
            pos += 8
            name = strings[nameoff:strings.index(b"\0", nameoff)].decode("latin-1")
            node.props[name] = blob[pos:pos + length]
            pos = (pos + length + 3) & ~3
        elif token == 4:        # FDT_NOP
            continue
        elif token == 9:        # FDT_END
            break
        else:
            raise ValueError("bad token %d" % token)
    return root, reserved


def u32s(data):
    return list(struct.unpack(">%dI" % (len(data) // 4), data[:len(data) // 4 * 4]))


def join_cells(cells):
    v = 0
    for c in cells:
        v = (v << 32) | c
    return v


def strlist(node, name):
    data = node.props.get(name)
    if data is None:
        return []
    return [s.decode("latin-1") for s in data.split(b"\0")[:-1]]


def string(node, name):
    data = node.props.get(name)
    if data is None or not data.endswith(b"\0"):
        return None
    return data[:-1].decode("latin-1")


def cell(node, name, default=None):
    data = node.props.get(name)
    if data is None or len(data) != 4:
        return default
    return u32s(data)[0]


def enabled(node):
    status = string(node, "status")
    return status is None or status in ("okay", "ok")


class Tree:
    def __init__(self, blob):
        self.root, self.memreserve = parse_dtb(blob)
        self.by_phandle = {}
        for n in self.root.walk():
            ph = cell(n, "phandle", cell(n, "linux,phandle"))
            if ph is not None:
                self.by_phandle[ph] = n

    def find(self, path):
        node = self.root
        for part in [p for p in path.split("/") if p]:
            matches = [c for c in node.children
                       if c.name == part or c.name.split("@")[0] == part]
            if not matches:
                return None
            node = matches[0]
        return node

    # -- reg and ranges (2.3.6, 2.3.8) --

    @staticmethod
    def cells_of(bus):
        """#address-cells and #size-cells a bus gives its children (defaults 2 and 1)."""
        return cell(bus, "#address-cells", 2), cell(bus, "#size-cells", 1)

    def reg_raw(self, node):
        ac, sc = self.cells_of(node.parent)
        vals = u32s(node.props.get("reg", b""))
        return [(join_cells(vals[i:i + ac]), join_cells(vals[i + ac:i + ac + sc]))
                for i in range(0, len(vals) - (ac + sc) + 1, ac + sc)]

    def translate(self, node, addr):
        """A reg address as the CPU sees it, through the ranges of every bus above."""
        bus = node.parent
        while bus is not None and bus.parent is not None:
            if "ranges" not in bus.props:
                raise Untranslatable("%s has no ranges" % bus.path)
            data = bus.props["ranges"]
            if data:
                cac, csc = self.cells_of(bus)
                pac, _ = self.cells_of(bus.parent)
                vals, step = u32s(data), cac + pac + csc
                for i in range(0, len(vals) - step + 1, step):
                    child = join_cells(vals[i:i + cac])
                    parent = join_cells(vals[i + cac:i + cac + pac])
                    size = join_cells(vals[i + cac + pac:i + step])
                    if child <= addr < child + size:
                        addr = addr - child + parent
                        break
                else:
                    raise Untranslatable("%s: no ranges entry covers 0x%x" % (bus.path, addr))
            bus = bus.parent
        return addr

    def reg(self, node):
        return [(self.translate(node, a), s) for a, s in self.reg_raw(node)]

    # -- interrupts (2.4), the way Linux's of_irq_parse_raw resolves them --

    def irq_parent(self, node):
        """The interrupt parent: follow interrupt-parent, or the tree parent, to a node that
        has #interrupt-cells (an interrupt controller or a nexus)."""
        n = node
        while True:
            ph = cell(n, "interrupt-parent")
            n = self.by_phandle.get(ph) if ph is not None else n.parent
            if n is None or "#interrupt-cells" in n.props:
                return n

    def resolve(self, node, ctrl, spec):
        """Follow interrupt-map nexus nodes until a real controller: (controller, spec). The
        first nexus matches node's unit address (its reg's first cells); each later one the
        parent unit address the previous map entry gave, as Linux's of_irq_parse_raw does."""
        unit = None
        for _ in range(16):
            if ctrl is None or "interrupt-controller" in ctrl.props:
                return ctrl, spec
            if "interrupt-map" not in ctrl.props:
                return None, spec
            ac = cell(ctrl, "#address-cells", 0)
            ic = cell(ctrl, "#interrupt-cells")
            if unit is None:
                unit = u32s(node.props.get("reg", b""))[:ac] if ac else []
                unit += [0] * (ac - len(unit))
            key = unit + spec
            mask = u32s(ctrl.props.get("interrupt-map-mask", b"")) or [0xFFFFFFFF] * len(key)
            key = [k & m for k, m in zip(key, mask)]
            vals, i, found = u32s(ctrl.props["interrupt-map"]), 0, None
            while i < len(vals):
                child = vals[i:i + ac + ic]
                parent = self.by_phandle.get(vals[i + ac + ic])
                pac = cell(parent, "#address-cells", 0)
                pic = cell(parent, "#interrupt-cells")
                paddr = vals[i + ac + ic + 1:i + ac + ic + 1 + pac]
                pspec = vals[i + ac + ic + 1 + pac:i + ac + ic + 1 + pac + pic]
                i += ac + ic + 1 + pac + pic
                if [c & m for c, m in zip(child, mask)] == key:
                    found = (parent, paddr, pspec)
                    break
            if found is None:
                return None, spec
            ctrl, unit, spec = found
        return None, spec

    def irqs(self, node):
        """Every interrupt of node as (controller node, specifier cells)."""
        out = []
        if "interrupts-extended" in node.props:
            vals, i = u32s(node.props["interrupts-extended"]), 0
            while i < len(vals):
                ctrl = self.by_phandle.get(vals[i])
                n = cell(ctrl, "#interrupt-cells")
                out.append(self.resolve(node, ctrl, vals[i + 1:i + 1 + n]))
                i += 1 + n
            return out
        if "interrupts" not in node.props:
            return out
        ctrl = self.irq_parent(node)
        n = cell(ctrl, "#interrupt-cells") if ctrl is not None else None
        if not n:
            return out
        vals = u32s(node.props["interrupts"])
        for i in range(0, len(vals) - n + 1, n):
            out.append(self.resolve(node, ctrl, vals[i:i + n]))
        return out


# ---- what Arbor should find, computed from the decoded tree ----

def first_match(tree, compats):
    """The first enabled node, in blob order, whose compatible list names one of compats,
    and the most specific of its strings that does."""
    for n in tree.root.walk():
        for c in strlist(n, "compatible"):
            if c in compats:
                if enabled(n):
                    return n, c
                break
    return None, None


def gic_intid(gic_node, ctrl, spec):
    """A GIC specifier (type, number, flags) as an INTID, or None when not the GIC's."""
    if gic_node is None or ctrl is not gic_node or len(spec) < 3:
        return None
    return {0: 32, 1: 16}.get(spec[0], 0) + spec[1] if spec[0] in (0, 1) else None


def expected_facts(tree, arch):
    """(facts in dtprobe --json's shape, notes, refusal): refusal is the reason Arbor must
    refuse the tree, when it must."""
    notes, limit = [], ADDR_LIMIT[arch]
    root = tree.root

    memory = []
    for n in root.children:
        if string(n, "device_type") == "memory" and enabled(n):
            for base, size in tree.reg(n):
                if size:
                    memory.append({"base": base, "size": size, "usable": base + size <= limit})
    reserved = [{"base": b, "size": s} for b, s in tree.memreserve if s]
    rmem = tree.find("/reserved-memory")
    for n in (rmem.children if rmem else []):
        if enabled(n) and "reg" in n.props:
            reserved += [{"base": b, "size": s} for b, s in tree.reg(n) if s]

    facts = {"memory": memory, "reserved": reserved, "gic": None, "timer": None,
             "hypervisor": None, "psci": None}

    gic, compat = first_match(tree, GICV2 | GICV3)
    if gic is not None:
        regs = tree.reg(gic)
        v3 = compat in GICV3
        g = {"version": 3 if v3 else 2, "compatible": compat,
             "dist": {"base": regs[0][0], "size": regs[0][1]}, "cpu": None, "redist": [],
             "redist_stride": None}
        if v3:
            nregions = cell(gic, "#redistributor-regions", 1)
            g["redist"] = [{"base": b, "size": s} for b, s in regs[1:1 + nregions]]
            stride = gic.props.get("redistributor-stride")
            g["redist_stride"] = join_cells(u32s(stride)) if stride else None
        else:
            g["cpu"] = {"base": regs[1][0], "size": regs[1][1]}
        facts["gic"] = g

    timer, compat = first_match(tree, TIMERS)
    if timer is not None:
        ids = [gic_intid(gic, c, s) for c, s in tree.irqs(timer)] + [None] * 4
        facts["timer"] = {"compatible": compat, "sec_irq": ids[0], "phys_irq": ids[1],
                          "virt_irq": ids[2], "hyp_irq": ids[3],
                          "clock_frequency": cell(timer, "clock-frequency")}
    else:
        notes.append("no arch timer node")

    xen, _ = first_match(tree, {"xen,xen"})
    if xen is not None:
        first = strlist(xen, "compatible")[0]
        version = None
        if first.startswith("xen,xen-") and "." in first:
            major, _, minor = first[len("xen,xen-"):].partition(".")
            if major.isdigit() and minor.isdigit():
                version = "%d.%d" % (int(major), int(minor))
        regs = tree.reg(xen)
        irqs = tree.irqs(xen)
        facts["hypervisor"] = {
            "compatible": first, "version": version,
            "gnttab": {"base": regs[0][0], "size": regs[0][1]} if regs else None,
            "extended": [{"base": b, "size": s} for b, s in regs[1:]],
            "evtchn_irq": gic_intid(gic, *irqs[0]) if irqs else None}

    psci, _ = first_match(tree, PSCI)
    if psci is not None:
        facts["psci"] = {"compatible": strlist(psci, "compatible")[0],
                         "method": string(psci, "method")}
    else:
        notes.append("no PSCI node")

    cpus = tree.find("/cpus")
    mpidrs = []
    for n in (cpus.children if cpus else []):
        if string(n, "device_type") == "cpu" and enabled(n):
            mpidrs.append(tree.reg_raw(n)[0][0])
    facts["cpus"] = len(mpidrs)
    facts["mpidrs"] = mpidrs

    facts["console"] = expected_console(tree, gic)
    if facts["console"] is None:
        notes.append("no PL011/SBSA UART")
    chosen = tree.find("/chosen")
    facts["bootargs"] = string(chosen, "bootargs") if chosen else None
    if chosen is not None and chosen.props.get("bootargs") == b"":
        facts["bootargs"] = ""

    refusal = None
    if not any(m["usable"] for m in memory):
        refusal = "memory"
        has_node = any(string(n, "device_type") == "memory" for n in root.children)
        notes.append("/memory has size 0 (the firmware fills it in)" if has_node and not memory
                     else "no usable memory")
    elif gic is None:
        refusal = "interrupt controller"
    elif timer is None:
        refusal = "timer"
    return facts, notes, refusal


def expected_console(tree, gic):
    uarts = []
    for n in tree.root.walk():
        compat = next((c for c in strlist(n, "compatible") if c in UARTS), None)
        if compat and enabled(n):
            uarts.append((n, compat))
    if not uarts:
        return None
    chosen = tree.find("/chosen")
    target = None
    spath = (string(chosen, "stdout-path") or string(chosen, "linux,stdout-path")
             if chosen else None)
    if spath:
        spath = spath.split(":")[0]
        if not spath.startswith("/"):
            aliases = tree.find("/aliases")
            alias, _, rest = spath.partition("/")
            spath = string(aliases, alias) if aliases else None
            if spath and rest:
                spath += "/" + rest
        target = tree.find(spath) if spath else None
    node, compat = next(((n, c) for n, c in uarts if n is target), uarts[0])
    base, size = tree.reg(node)[0]
    irqs = tree.irqs(node)
    return {"compatible": compat, "path": node.path, "base": base, "size": size,
            "irq": gic_intid(gic, *irqs[0]) if irqs else None}


# ---- comparing ----

def flatten(value, key=""):
    """{"gic": {"dist": {"base": 1}}} -> {"gic.dist.base": 1}; lists by index."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            out.update(flatten(v, key + "." + k if key else k))
        return out or {key: {}}
    if isinstance(value, list):
        out = {key + ".len": len(value)}
        for i, v in enumerate(value):
            out.update(flatten(v, "%s[%d]" % (key, i)))
        return out
    return {key: value}


def show(v):
    return "0x%x" % v if isinstance(v, int) and not isinstance(v, bool) and v > 4096 else \
        json.dumps(v)


def differences(expected, got):
    e, g = flatten(expected), flatten({k: got.get(k) for k in expected})
    return ["%s: dtprobe %s, expected %s" % (k, show(g.get(k)), show(e.get(k)))
            for k in sorted(set(e) | set(g)) if e.get(k) != g.get(k)]


def summary(facts):
    parts = ["%d bank%s" % (len(facts["memory"]), "" if len(facts["memory"]) == 1 else "s")]
    if facts["gic"]:
        parts.append("GICv%d@0x%x" % (facts["gic"]["version"], facts["gic"]["dist"]["base"]))
    if facts["timer"]:
        t = facts["timer"]
        parts.append("timer %s" % "/".join(str(t[k]) for k in
                                           ("sec_irq", "phys_irq", "virt_irq", "hyp_irq")
                                           if t[k] is not None))
    if facts["hypervisor"]:
        parts.append(facts["hypervisor"]["compatible"])
    if facts["psci"]:
        parts.append("psci %s" % facts["psci"]["method"])
    parts.append("%d cpu%s" % (facts["cpus"], "" if facts["cpus"] == 1 else "s"))
    if facts["console"]:
        parts.append("console@0x%x" % facts["console"]["base"])
    return ", ".join(parts)


def run_dtprobe(dtprobe, dtb, arch):
    p = subprocess.run([dtprobe, "--json", "--arch", arch, dtb], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr.strip()


def fill_memory(dtb, tree, out):
    """A copy of dtb whose first /memory node has 1 GiB at its reg's first base."""
    node = next(n for n in tree.root.children if string(n, "device_type") == "memory")
    ac, sc = Tree.cells_of(tree.root)
    base = tree.reg_raw(node)[0][0] if tree.reg_raw(node) else 0
    cells = [(base >> (32 * i)) & 0xFFFFFFFF for i in reversed(range(ac))]
    cells += [((1 << 30) >> (32 * i)) & 0xFFFFFFFF for i in reversed(range(sc))]
    shutil.copyfile(dtb, out)
    subprocess.run(["fdtput", "-t", "x", out, node.path, "reg"] + ["%x" % c for c in cells],
                   check=True)
    return out


def check(name, arch, dtb, dtprobe, verbose):
    """Compare one DTB; returns (passed, line)."""
    with open(dtb, "rb") as f:
        tree = Tree(f.read())
    facts, notes, refusal = expected_facts(tree, arch)
    rc, out, err = run_dtprobe(dtprobe, dtb, arch)
    label = "%s (%s)" % (name, arch)
    lacks = " [DTB has %s]" % "; ".join(notes) if notes else ""

    if refusal:
        if rc != 1 or refusal not in err:
            return False, "FAIL %s: DTB has no %s, so dtprobe should refuse it; exit %d %s%s" % (
                label, refusal, rc, err, lacks)
        said = err.split(": ", 2)[-1]
        if refusal != "memory" or facts["gic"] is None:
            return True, "PASS %s: refused as it should be (%s)%s" % (label, said, lacks)
        # The firmware fills /memory at boot: check the rest with a bank put in.
        filled = fill_memory(dtb, tree, dtb[:-4] + "-with-memory.dtb")
        ok, line = check(name, arch, filled, dtprobe, verbose)
        return ok, "%s [as given: refused as it should be (%s); checked with 1 GiB put in]" % (
            line, said)

    if rc != 0:
        return False, "FAIL %s: dtprobe exit %d: %s%s" % (label, rc, err, lacks)
    try:
        got = json.loads(out)
    except ValueError as e:
        return False, "FAIL %s: dtprobe --json is not JSON: %s" % (label, e)
    diffs = differences(facts, got)
    if diffs:
        return False, "FAIL %s: %s" % (label, "; ".join(diffs))
    line = "PASS %s: %s%s" % (label, summary(facts), lacks)
    if verbose:
        line += "\n" + json.dumps(facts, indent=1)
    return True, line


# ---- getting the trees ----

def linux_tree(cache):
    """The DTS parts of the Linux 6.1 sources: the DTS trees and what their #includes reach,
    which tools/deps.sh extracts (its BOARD_DIRS) and stamps as complete once they are all in."""
    top = os.path.join(cache, "linux")
    if not os.path.exists(os.path.join(top, ".complete")):
        sys.exit("boards: the Linux 6.1 device-tree sources are not in %s: run tools/deps.sh"
                 % top)
    return os.path.join(top, LINUX_PKG)


def build_dts(src, rel, out):
    """cpp then dtc, as Linux's scripts/Makefile.lib does for a .dtb."""
    path = os.path.join(src, rel)
    incs = [os.path.dirname(path), os.path.join(src, "include"),
            os.path.join(src, "scripts/dtc/include-prefixes"),
            os.path.join(src, os.path.dirname(rel).split("/boot/dts")[0] + "/boot/dts")]
    pre = out + ".pre.dts"
    run(["cpp", "-nostdinc"] + ["-I" + i for i in incs] +
        ["-undef", "-D__DTS__", "-x", "assembler-with-cpp", path, "-o", pre])
    run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-i", os.path.dirname(path), "-o", out, pre])
    os.remove(pre)


def run(cmd):
    """Run a build step; a failure raises CalledProcessError carrying its stderr."""
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode:
        raise subprocess.CalledProcessError(p.returncode, cmd[0], stderr=p.stderr)


def dump_qemu(cmd, out):
    machine = cmd.index("-machine") + 1
    args = list(cmd)
    args[machine] += ",dumpdtb=" + out
    # -net none: the default NIC needs a ROM file QEMU's Debian package leaves out.
    run(args + ["-display", "none", "-net", "none"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dtprobe", default="build/host/dtprobe")
    ap.add_argument("--only", nargs="*", help="board names to check (default: all)")
    ap.add_argument("--verbose", "-v", action="store_true", help="print the expected facts")
    args = ap.parse_args()

    if not os.access(args.dtprobe, os.X_OK):
        sys.exit("boards: %s not built (make build/host/dtprobe)" % args.dtprobe)
    cache = os.path.join(os.environ.get("ARBOR_CACHE") or
                         os.path.expanduser("~/.cache/arbor"), "boards")
    dtbs = os.path.join(cache, "dtb")
    os.makedirs(dtbs, exist_ok=True)
    wanted = lambda name: not args.only or name in args.only

    passed = failed = skipped = 0
    boards = [b for b in DTS_BOARDS if wanted(b[0])]
    src = linux_tree(cache) if boards else None
    jobs = [(name, arch, lambda out, rel=rel: build_dts(src, rel, out))
            for name, arch, rel in boards]
    jobs += [(name, arch, lambda out, cmd=cmd: dump_qemu(cmd, out))
             for name, arch, cmd in QEMU_BOARDS if wanted(name)]
    for name, arch, make in jobs:
        dtb = os.path.join(dtbs, name + ".dtb")
        try:
            make(dtb)
        except FileNotFoundError as e:
            print("SKIP %s (%s): %s not installed" % (name, arch, e.filename))
            skipped += 1
            continue
        except subprocess.CalledProcessError as e:
            why = (e.stderr or "").strip().splitlines()
            print("FAIL %s (%s): could not make its DTB: %s exited %d%s" % (
                name, arch, e.cmd, e.returncode, ": " + why[-1] if why else ""))
            failed += 1
            continue
        try:
            ok, line = check(name, arch, dtb, args.dtprobe, args.verbose)
        except (Untranslatable, ValueError, IndexError, KeyError, struct.error) as e:
            ok, line = False, "FAIL %s (%s): the reference decoder failed: %r" % (name, arch, e)
        print(line)
        passed, failed = passed + ok, failed + (not ok)
    print("boards: %d passed, %d failed%s" % (passed, failed,
                                             ", %d skipped" % skipped if skipped else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
