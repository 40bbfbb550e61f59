#!/usr/bin/env python3
"""Make hostile DTBs from QEMU's own tree, one fault each, for bare boots of Arbor.

    hostile-dtbs.py --arch arm64|arm32 --gic 2|3 [--mem 128M] [--kernel IMG] --out DIR
    hostile-dtbs.py --list

A broken DTB reaches Arbor only when QEMU's virt machine runs it bare (tools/run.py --role
bare --dtb FILE, QEMU's -dtb): on Xen, Xen reads the tree first and builds the guest's own.
QEMU itself reads a -dtb tree before the guest does (hw/arm/boot.c): it refuses one it
cannot parse, replaces every node named memory or memory@... with one built from -m, and
writes /chosen. So each tree here starts from QEMU's own dumped DTB for the configuration
(-machine dumpdtb=) and applies ONE fault somewhere QEMU leaves alone.

Each case is then given to QEMU exactly as a boot would (-kernel IMG -dtb CASE), with
dumpdtb= again: QEMU either refuses it (its message is kept) or dumps the tree it would
hand the kernel, which must still carry the fault (the case's `survives` check). A case that
QEMU refuses, or whose fault QEMU erases, is reported as such and written to the manifest
with "qemu": "refused" or "erased" and no boot; nothing is dropped silently.

DIR/manifest.json lists every case: name, file, what it breaks, what the boot must end with
("crash" with the exact error line, "poweroff" with lines the self-tests' boot must print, or
"silent": nothing can be printed, QEMU must exit by itself), and QEMU's verdict. The expected
lines are written here by hand from the fault, with addresses and paths taken from the tree
the case was built from, never from Arbor's output.

The format is the Devicetree Specification's flattened form (v0.4, chapter 5). Python 3
standard library only, plus QEMU and dtc (dtc only to print a case: --dts).
"""
import argparse
import json
import os
import re
import struct
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
QEMU = {"arm64": ("qemu-system-aarch64", "cortex-a57"), "arm32": ("qemu-system-arm", "cortex-a15")}
FDT_MAGIC = 0xD00DFEED
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9
MiB = 1 << 20
sys.setrecursionlimit(10000)     # the 1,000-deep case: parse() and write() recurse per level


# ---------------------------------------------------------------------------------------
# A DTB as a tree: parse, edit, write back

class Node:
    def __init__(self, name, props=None, children=None):
        self.name = name
        self.props = props or []        # [name, bytes] in order; name may be an int nameoff
        self.children = children or []

    def prop(self, name):
        for p in self.props:
            if p[0] == name:
                return p[1]
        return None

    def set(self, name, value):
        for p in self.props:
            if p[0] == name:
                p[1] = value
                return
        self.props.append([name, value])

    def delete(self, name):
        self.props = [p for p in self.props if p[0] != name]

    def child(self, name):
        for c in self.children:
            if c.name == name:
                return c
        return None

    def walk(self, path="/"):
        yield path, self
        for c in self.children:
            yield from c.walk(path.rstrip("/") + "/" + c.name)


class Tree:
    def __init__(self, root, rsv, boot_cpuid):
        self.root, self.rsv, self.boot_cpuid = root, rsv, boot_cpuid

    def node(self, path):
        n = self.root
        for part in path.strip("/").split("/") if path != "/" else []:
            n = n.child(part)
            if n is None:
                raise KeyError(path)
        return n

    def find(self, pred):
        """The first node (in tree order) pred accepts: (path, node)."""
        for path, n in self.root.walk():
            if pred(n):
                return path, n
        raise KeyError("no such node")

    def parent_of(self, path):
        return self.node(path.rsplit("/", 1)[0] or "/")


def u32(v):
    return struct.pack(">I", v)


def cells(*vs):
    return b"".join(u32(v) for v in vs)


def strz(*ss):
    return b"".join(s.encode() + b"\0" for s in ss)


def parse(blob):
    """A (well-formed, or only nameoff-damaged) DTB -> Tree. A property whose name offset
    lies outside the strings block keeps the offset as its name (an int)."""
    magic, total, off_struct, off_strings, off_rsv, version, _, cpuid, size_strings, \
        size_struct = struct.unpack_from(">10I", blob)
    if magic != FDT_MAGIC:
        raise ValueError("not a DTB")
    rsv, off = [], off_rsv
    while True:
        base, size = struct.unpack_from(">QQ", blob, off)
        off += 16
        if base == 0 and size == 0:
            break
        rsv.append((base, size))
    stack, root, off = [], None, off_struct
    while True:
        tag = struct.unpack_from(">I", blob, off)[0]
        off += 4
        if tag == FDT_BEGIN_NODE:
            end = blob.index(b"\0", off)
            node = Node(blob[off:end].decode())
            off = (end + 4) & ~3
            if stack:
                stack[-1].children.append(node)
            else:
                root = node
            stack.append(node)
        elif tag == FDT_END_NODE:
            stack.pop()
        elif tag == FDT_PROP:
            length, nameoff = struct.unpack_from(">II", blob, off)
            value = bytes(blob[off + 8:off + 8 + length])
            off = (off + 8 + length + 3) & ~3
            if nameoff < size_strings:
                s = off_strings + nameoff
                name = blob[s:blob.index(b"\0", s)].decode()
            else:
                name = nameoff
            stack[-1].props.append([name, value])
        elif tag == FDT_NOP:
            pass
        elif tag == FDT_END:
            break
        else:
            raise ValueError("bad token 0x%x at 0x%x" % (tag, off - 4))
    return Tree(root, rsv, cpuid)


def write(tree):
    """Tree -> DTB (version 17), strings shared. An int property name is written as that
    name offset, as is."""
    strings, offsets = bytearray(), {}
    out = bytearray()

    def emit(node):
        out.extend(u32(FDT_BEGIN_NODE))
        name = node.name.encode() + b"\0"
        out.extend(name + b"\0" * (-len(name) % 4))
        for name, value in node.props:
            if isinstance(name, int):
                nameoff = name
            else:
                if name not in offsets:
                    offsets[name] = len(strings)
                    strings.extend(name.encode() + b"\0")
                nameoff = offsets[name]
            out.extend(u32(FDT_PROP) + u32(len(value)) + u32(nameoff))
            out.extend(value + b"\0" * (-len(value) % 4))
        for c in node.children:
            emit(c)
        out.extend(u32(FDT_END_NODE))

    emit(tree.root)
    out.extend(u32(FDT_END))
    rsv = b"".join(struct.pack(">QQ", b, s) for b, s in tree.rsv) + struct.pack(">QQ", 0, 0)
    off_rsv = 40
    off_struct = off_rsv + len(rsv)
    off_strings = off_struct + len(out)
    total = off_strings + len(strings)
    total += -total % 8
    header = struct.pack(">10I", FDT_MAGIC, total, off_struct, off_strings, off_rsv, 17, 16,
                         tree.boot_cpuid, len(strings), len(out))
    blob = header + rsv + bytes(out) + bytes(strings)
    return blob + b"\0" * (total - len(blob))


def header_field(blob, index):
    return struct.unpack_from(">I", blob, 4 * index)[0]


# ---------------------------------------------------------------------------------------
# QEMU

def qemu_args(args):
    machine = "virt,gic-version=%d" % args.gic
    return [QEMU[args.arch][0], "-machine", machine, "-cpu", QEMU[args.arch][1], "-smp", "1",
            "-m", args.mem, "-nographic", "-nic", "none"]


def qemu_dump(args, dtb, out):
    """QEMU's tree for this machine, given dtb (-dtb, with -kernel as a boot has it) or its
    own (dtb None): (True, bytes) or (False, QEMU's message)."""
    cmd = qemu_args(args) + ["-machine", "dumpdtb=" + out]
    if dtb:
        cmd += ["-kernel", args.kernel, "-dtb", dtb]
    if os.path.exists(out):
        os.unlink(out)
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                       timeout=30)
    if r.returncode != 0 or not os.path.exists(out):
        msg = " ".join(l.strip() for l in (r.stderr + r.stdout).splitlines()
                       if l.strip() and "dtb dumped" not in l)
        return False, msg or "exit status %d" % r.returncode
    with open(out, "rb") as f:
        return True, f.read()


def qemu_dtb_address(args, dtb):
    """Where QEMU loads dtb in guest memory, and its size there, from its own ROM list
    (monitor `info roms`), the machine stopped before the first instruction (-S)."""
    cmd = qemu_args(args) + ["-kernel", args.kernel, "-dtb", dtb, "-S", "-monitor", "stdio",
                             "-serial", "none"]
    cmd.remove("-nographic")
    cmd += ["-display", "none"]
    r = subprocess.run(cmd, input="info roms\nquit\n", capture_output=True, text=True, timeout=30)
    m = re.search(r"addr=([0-9a-f]+) size=0x([0-9a-f]+) mem=ram name=\"dtb\"", r.stdout)
    if not m:
        raise RuntimeError("QEMU's `info roms` shows no dtb:\n" + r.stdout + r.stderr)
    return int(m.group(1), 16), int(m.group(2), 16)


# ---------------------------------------------------------------------------------------
# The cases. Each takes the good tree (QEMU's) and the generator's context, changes the tree
# (or returns bytes, for a fault below the tree's level) and returns a dict with what it
# broke ("fault"), how the boot must end ("expect": crash/poweroff/silent) and the lines
# ("lines", regexes anchored on the whole line) the kernel must print.

def gic(tree):
    return tree.find(lambda n: n.prop("interrupt-controller") is not None and
                     n.prop("compatible") is not None and b"gic" in n.prop("compatible"))


def timer(tree):
    return tree.find(lambda n: n.prop("compatible") is not None and
                     re.search(rb"arm,armv[78]-timer", n.prop("compatible")))


def uart(tree):
    path = tree.node("/chosen").prop("stdout-path").rstrip(b"\0").decode().split(":")[0]
    return path, tree.node(path)


def phandle_of(node):
    return struct.unpack(">I", node.prop("phandle"))[0]


def esc(text):
    return re.escape(text)


def crash(fault, line):
    return {"fault": fault, "expect": "crash", "lines": ["^" + line + "$"]}


def c_no_gic(t, ctx):
    path, g = gic(t)
    t.parent_of(path).children.remove(g)
    ph = phandle_of(g)
    for _, n in t.root.walk():
        if n.prop("interrupt-parent") == u32(ph):
            n.delete("interrupt-parent")
    return crash("no interrupt controller node (QEMU's GIC " + path + " removed, with every "
                 "interrupt-parent naming it)",
                 esc("error: no interrupt controller in the device tree"))


def c_gic_reg_short(t, ctx):
    path, g = gic(t)
    reg = g.prop("reg")
    g.set("reg", reg[:16])      # the distributor only, 2 + 2 cells
    if ctx.gic == 3:
        return crash(path + "'s reg has only the distributor, no redistributor region",
                     esc("error: " + path + ": reg has 1 entry, GICv3 needs 2"))
    return crash(path + "'s reg has only the distributor, no CPU interface",
                 esc("error: " + path + ": reg has 1 entry, GICv2 needs 2"))


def c_gic_reg_partial(t, ctx):
    path, g = gic(t)
    reg = g.prop("reg")[:-4]
    g.set("reg", reg)
    return crash(path + "'s reg is one cell short of whole (2 address + 2 size)-cell entries",
                 esc("error: %s: reg is %d bytes (%d cells), not a whole number of 16-byte "
                     "entries (#address-cells = 2 from /, #size-cells = 2 from /) "
                     "(FDT_ERR_BADVALUE)" % (path, len(reg), len(reg) // 4)))


def c_no_timer(t, ctx):
    path, n = timer(t)
    t.parent_of(path).children.remove(n)
    return crash("no arm,armv8-timer / arm,armv7-timer node (" + path + " removed)",
                 esc("error: no timer in the device tree"))


def c_timer_short(t, ctx):
    path, n = timer(t)
    n.set("interrupts", n.prop("interrupts")[:8])
    return crash(path + "'s interrupts is 2 cells, one short of the GIC's #interrupt-cells (3)",
                 esc("error: %s: interrupts is 8 bytes, not a whole number of 12-byte "
                     "specifiers (#interrupt-cells = 3 from %s): bad property value "
                     "(FDT_ERR_BADVALUE)" % (path, gic(t)[0])))


def c_irq_parent_loop(t, ctx):
    path, n = timer(t)
    a, b = 0x4b1d0001, 0x4b1d0002
    t.root.children.append(Node("bridge-a", [["phandle", u32(a)], ["interrupt-parent", u32(b)]]))
    t.root.children.append(Node("bridge-b", [["phandle", u32(b)], ["interrupt-parent", u32(a)]]))
    n.set("interrupt-parent", u32(a))
    return crash(path + "'s interrupt-parent is /bridge-a, whose is /bridge-b, whose is "
                 "/bridge-a: neither an interrupt controller",
                 esc("error: %s: interrupts: interrupt-parent <0x%x>: interrupt-parent or "
                     "interrupt-map links form a loop (DT_ERR_IRQLOOP)" % (path, a)))


def c_irq_parent_dangling(t, ctx):
    path, n = timer(t)
    n.set("interrupt-parent", u32(0x1234))
    return crash(path + "'s interrupt-parent is phandle 0x1234, which no node has",
                 esc("error: " + path + ": interrupts: interrupt-parent <0x1234>: phandle "
                     "names no node (FDT_ERR_BADPHANDLE)"))


def c_gic_disabled(t, ctx):
    path, g = gic(t)
    g.set("status", strz("disabled"))
    first = g.prop("compatible").split(b"\0")[0].decode()
    return crash(path + " has status = \"disabled\"",
                 esc('error: no interrupt controller: %s (%s) is present but disabled '
                     '(status = "disabled")' % (path, first)))


def c_gic_unknown(t, ctx):
    path, g = gic(t)
    g.set("compatible", strz("arm,gic-v5"))
    return crash(path + "'s compatible is \"arm,gic-v5\", which no driver lists",
                 esc("error: no interrupt controller: %s's compatible \"arm,gic-v5\" matches "
                     "no driver (drivers know: " % path) + ".*")


def c_gicv3_dist_4k(t, ctx):
    if ctx.gic != 3:
        return None     # a GICv2's distributor is 4 KiB
    path, g = gic(t)
    reg = bytearray(g.prop("reg"))
    reg[8:16] = cells(0, 0x1000)
    g.set("reg", bytes(reg))
    return crash(path + "'s distributor is 4 KiB (GICv3's span 64 KiB)",
                 esc("error: %s: the GICv3 distributor region is 0x1000 bytes, its registers "
                     "need 0x10000" % path))


def c_compatible_unterminated(t, ctx):
    path, g = gic(t)
    comp = g.prop("compatible")
    g.set("compatible", comp.split(b"\0")[0])     # the first string, without its NUL
    return crash(path + "'s compatible is " + str(len(comp.split(b"\0")[0])) + " bytes "
                 "with no terminating NUL: not a string list",
                 esc("error: " + path + ": compatible is not a list of strings"))


def c_bootargs_unterminated(t, ctx):
    t.node("/chosen").set("bootargs", b"abc")
    return crash("/chosen/bootargs is the three bytes \"abc\" with no NUL",
                 esc("error: /chosen: bootargs is not a NUL-terminated string: bad property "
                     "value (FDT_ERR_BADVALUE)"))


def c_address_cells(value):
    """QEMU rewrites /memory for the root's cells (or refuses), so every other reg, the
    UART's too, is no longer whole entries: the console cannot be located, and the boot
    can only power off without a word."""
    def case(t, ctx):
        t.root.set("#address-cells", u32(value))
        return {"fault": "the root's #address-cells is %d; every reg but QEMU's /memory is "
                         "written for 2, the UART's too, so nothing can be printed" % value,
                "expect": "silent", "lines": []}
    return case


def bus_case(ranges, what, line):
    """Move the GIC under a new simple-bus /soc (2 address, 2 size cells, as the root) whose
    ranges is `ranges` (None: none); line: the error, %(gic)s the GIC's new path, %(addr)s
    its distributor's bus address."""
    def case(t, ctx):
        path, g = gic(t)
        t.parent_of(path).children.remove(g)
        props = [["compatible", strz("simple-bus")], ["#address-cells", u32(2)],
                 ["#size-cells", u32(2)]]
        if ranges is not None:
            props.append(["ranges", ranges(g)])
        t.root.children.append(Node("soc", props, [g]))
        addr = struct.unpack(">Q", g.prop("reg")[:8])[0]
        return crash("the GIC moved under /soc, a simple-bus " + what,
                     esc("error: " + line % {"gic": "/soc/" + g.name, "addr": "0x%x" % addr}))
    return case


def c_memory_overlap_named(t, ctx):
    _, mem = t.find(lambda n: n.prop("device_type") == strz("memory"))
    reg = mem.prop("reg")
    base = struct.unpack(">Q", reg[:8])[0]
    t.root.children.append(Node("ram@%x" % (base + 0x400000),
                                [["device_type", strz("memory")],
                                 ["reg", struct.pack(">QQ", base + 0x400000, 0x800000)]]))
    b0 = struct.unpack(">QQ", reg[:16])
    return crash("a second memory node, /ram@%x (not named memory, so QEMU keeps it), overlaps "
                 "QEMU's bank" % (base + 0x400000),
                 esc("error: memory: banks 0x%x-0x%x and 0x%x-0x%x overlap" % (
                     b0[0], b0[0] + b0[1] - 1, base + 0x400000, base + 0xbfffff)))


def c_deep(t, ctx):
    n = t.root
    for _ in range(1000):
        d = Node("deep")
        n.children.append(d)
        n = d
    nodes = sum(1 for _ in t.root.walk())
    props = sum(len(x.props) for _, x in t.root.walk())
    return crash("a node nested 1,000 deep (/deep/deep/...)",
                 r"panic: boot: the DTB at 0x[0-9a-f]+ is not usable: " +
                 esc("nodes nested deeper than DT_MAX_DEPTH (32) levels (DT_ERR_TOODEEP); it "
                     "has %d nodes, %d properties, depth 1000" % (nodes, props)))


def c_nomap_image(t, ctx):
    base, size = ctx.image
    t.root.children.append(Node("reserved-memory", [
        ["#address-cells", u32(2)], ["#size-cells", u32(2)], ["ranges", b""]], [
        Node("firmware@%x" % base, [["reg", struct.pack(">QQ", base, 2 * MiB)],
                                    ["no-map", b""]])]))
    return crash("/reserved-memory/firmware@%x, no-map, 0x%x-0x%x, covers the kernel image" %
                 (base, base, base + 2 * MiB - 1),
                 esc("panic: mm: reserved range 0x%x-0x%x (/reserved-memory/firmware@%x) is "
                     "no-map, but the kernel image 0x%x-" % (base, base + 2 * MiB - 1, base,
                                                            base)) +
                 # where the image ends (its .bss) is not in QEMU's ROM list
                 r"0x[0-9a-f]+ lies in it")


def c_reserved_image(t, ctx):
    """Not a fault: a reserved range (without no-map) over the image only keeps those pages
    from the allocator. It moved the boot's page tables out of the image's window, and a
    later block split faulted on its own table (mm/mmu.c): this boot must pass."""
    base, size = ctx.image
    t.root.children.append(Node("reserved-memory", [
        ["#address-cells", u32(2)], ["#size-cells", u32(2)], ["ranges", b""]], [
        Node("firmware@%x" % base, [["reg", struct.pack(">QQ", base, 2 * MiB)]])]))
    return {"fault": "none: /reserved-memory/firmware@%x (not no-map) covers the kernel image"
                     % base, "expect": "poweroff",
            "lines": ["^" + esc("  reserved: 0x%x-0x%x (2 MiB)" % (base, base + 2 * MiB - 1))
                      + "$"]}


def c_nameoff(t, ctx):
    path, n = timer(t)
    return {"fault": path + "'s compatible names a string 64 KiB past the strings block",
            "expect": "crash", "nameoff": path}


def c_no_uart(t, ctx):
    path, u = uart(t)
    t.parent_of(path).children.remove(u)
    t.node("/chosen").delete("stdout-path")
    t.node("/").delete("serial0") if False else None
    aliases = t.root.child("aliases")
    if aliases:
        aliases.props = [p for p in aliases.props if p[1].rstrip(b"\0").decode() != path]
    return {"fault": "no UART: " + path + " and /chosen/stdout-path removed",
            "expect": "silent", "lines": []}


def c_large(t, ctx):
    base = 0x20000000
    for i in range(2000):
        t.root.children.append(Node("hostile@%x" % (base + i * 0x1000), [
            ["compatible", strz("arbor,hostile-sibling")],
            ["reg", struct.pack(">QQ", base + i * 0x1000, 0x1000)]]))
    return {"fault": "none: 2,000 sibling nodes under the root", "expect": "poweroff",
            "lines": []}


def c_big_prop(t, ctx):
    t.root.children.append(Node("hostile-blob", [
        ["compatible", strz("arbor,hostile-blob")],
        ["data", bytes((i * 7) & 0xff for i in range(512 * 1024))]]))
    return {"fault": "none: /hostile-blob has a 512 KiB property", "expect": "poweroff",
            "lines": []}


def c_memreserve_dtb(t, ctx):
    return {"fault": "none: a /memreserve/ entry covering the DTB itself, as U-Boot writes it",
            "expect": "poweroff", "lines": [], "memreserve_dtb": True}


CASES = [
    # name, function, origin
    ("address-cells-1", c_address_cells(1), "dts/malformed/address-cells-1.dts"),
    ("address-cells-3", c_address_cells(3), "dts/malformed/address-cells-3.dts"),
    ("bootargs-unterminated", c_bootargs_unterminated, "dts/malformed/bootargs-unterminated.dts"),
    ("compatible-unterminated", c_compatible_unterminated,
     "dts/malformed/compatible-unterminated.dts; issue 12"),
    ("gic-disabled", c_gic_disabled, "dts/malformed/gic-disabled.dts"),
    ("gic-reg-partial", c_gic_reg_partial, "dts/malformed/gic-reg-partial.dts"),
    ("gic-unknown-compatible", c_gic_unknown, "dts/malformed/gic-unknown-compatible.dts"),
    ("gic-reg-short", c_gic_reg_short,
     "dts/malformed/gicv2-one-reg.dts, gicv3-redist-missing.dts; issue 12"),
    ("gicv3-dist-4k", c_gicv3_dist_4k, "dts/malformed/gicv3-dist-4k.dts"),
    ("irq-parent-loop", c_irq_parent_loop, "dts/malformed/irq-parent-loop.dts; issue 12"),
    ("irq-parent-dangling", c_irq_parent_dangling,
     "dts/malformed/irq-parent-missing.dts; issue 12"),
    ("memory-overlap", c_memory_overlap_named, "dts/malformed/memory-overlap.dts"),
    ("no-gic", c_no_gic, "dts/malformed/no-interrupt-controller.dts; issue 12"),
    ("no-timer", c_no_timer, "dts/malformed/no-timer.dts; issue 12"),
    ("timer-interrupts-short", c_timer_short, "dts/malformed/timer-interrupts-short.dts; issue 12"),
    ("simple-bus-no-ranges", bus_case(None, "without ranges",
                                      "%(gic)s: reg entry 0 (distributor): bus address "
                                      "%(addr)s cannot be translated: bus /soc has no ranges, "
                                      "so its children are not memory mapped "
                                      "(DT_ERR_UNTRANSLATABLE)"),
     "dts/malformed/simple-bus-no-ranges.dts"),
    ("simple-bus-outside-ranges",
     bus_case(lambda g: cells(0, 0, 0, 0, 0, 0x100000), "whose only window (bus 0 -> CPU 0, "
              "1 MiB) does not hold the GIC",
              "%(gic)s: reg entry 0 (distributor): bus address %(addr)s lies outside every "
              "window of /soc's ranges (0x0-0xfffff -> 0x0) (DT_ERR_UNTRANSLATABLE)"),
     "dts/malformed/simple-bus-outside-ranges.dts"),
    ("simple-bus-ranges-partial",
     bus_case(lambda g: cells(0, 0, 0, 0, 0), "whose ranges is 5 cells, not whole 6-cell entries",
              "%(gic)s: reg entry 0 (distributor): the fault is bus /soc's ranges: 20 bytes, "
              "not a whole number of 24-byte entries (child #address-cells = 2 from /soc, "
              "parent #address-cells = 2 from /, #size-cells = 2 from /soc) "
              "(FDT_ERR_BADVALUE)"),
     "dts/malformed/simple-bus-ranges-partial.dts"),
    ("deep-1000", c_deep, "issue 12"),
    ("nomap-over-image", c_nomap_image, "issue 12"),
    ("nameoff-past-strings", c_nameoff, "issue 12"),
    ("reserved-over-image", c_reserved_image, "found with nomap-over-image"),
    ("no-uart", c_no_uart, "issue 12"),
    ("large-2000-nodes", c_large, "issue 12"),
    ("property-512k", c_big_prop, "issue 12"),
    ("memreserve-dtb", c_memreserve_dtb, "issue 12"),
]

# Cases QEMU 7.2 itself refuses to load, with the start of its message: the matrix fails a
# case whose QEMU verdict is not the one written here (a refusal that appears or goes away).
QEMU_REFUSES = {
    "address-cells-3": "couldn't add /memory@",   # fdt_add_memory_node: cells past 2
}

# dts/malformed/ cases that cannot reach the kernel bare, and why (reported, not dropped).
NOT_APPLICABLE = {
    "memory-17-banks": "QEMU replaces every node named memory or memory@... with one built "
                       "from -m (hw/arm/boot.c), so the fault never reaches the kernel",
    "memory-reg-partial": "QEMU replaces /memory (as above)",
    "memory-wraps": "QEMU replaces /memory (as above)",
    "memory-zero-size": "QEMU replaces /memory (as above)",
    "no-memory": "QEMU adds /memory@<RAM base> from -m (as above)",
}


def comparable(tree):
    """A tree's content as QEMU's dump must keep it: everything but /chosen and /memory@...,
    which QEMU writes itself."""
    out = []
    for path, n in tree.root.walk():
        if path == "/chosen" or re.fullmatch(r"/memory(@.*)?", path):
            continue
        out.append((path, [(p[0], p[1]) for p in n.props]))
    return out


def build_case(name, fn, origin, good, args, outdir):
    tree = parse(good)
    info = fn(tree, args)
    if info is None:
        return {"name": name, "origin": origin, "qemu": "not-applicable",
                "qemu_message": "a GICv3 fault: this configuration has GICv%d" % args.gic}
    info.update(name=name, origin=origin)
    if info.pop("memreserve_dtb", False):
        # Where QEMU will load this very tree: the reserved entry must not change it, so
        # ask with a placeholder entry of the same size first, then fill it in.
        tree.rsv.append((0, 0x1000))
        probe = os.path.join(outdir, name + ".probe.dtb")
        with open(probe, "wb") as f:
            f.write(write(tree))
        addr, size = qemu_dtb_address(args, probe)
        os.unlink(probe)
        tree.rsv[-1] = (addr, size)
        info["fault"] += " (0x%x-0x%x)" % (addr, addr + size - 1)
        info["lines"] = ["^  reserved: " + esc("0x%x-0x%x" % (addr, addr + size - 1)) + r"\b.*"]
    blob = bytearray(write(tree))
    if "nameoff" in info:
        # The timer's compatible: its FDT_PROP names a string 64 KiB past the strings block.
        path = info.pop("nameoff")
        bad = header_field(blob, 8) + 0x10000
        blob = bytearray(patch_nameoff(bytes(blob), path, "compatible", bad)[0])
        info["nameoff"] = (path, bad)
    dtb = os.path.join(outdir, name + ".dtb")
    with open(dtb, "wb") as f:
        f.write(blob)
    info["file"] = os.path.relpath(dtb, REPO)
    info["qemu_expected"] = "refused" if name in QEMU_REFUSES else "loads"
    info["size"] = len(blob)
    ok, dumped = qemu_dump(args, dtb, os.path.join(outdir, name + ".qemu.dtb"))
    if ok and "nameoff" in info:
        # The offset the kernel meets is in the tree QEMU hands it (QEMU rewrites /memory
        # and /chosen, which moves what follows), so it is read from QEMU's dump.
        path, bad = info.pop("nameoff")
        token = patch_nameoff(dumped, path, bad, bad)[1]
        info["lines"] = ["^" + r"panic: boot: the DTB at 0x[0-9a-f]+ is not usable: " +
                         esc("offset out of bounds or at the wrong kind of tag "
                             "(FDT_ERR_BADOFFSET), at structure block offset 0x%x in node %s"
                             % (token, path)) + "$"]
    if not ok:
        info["qemu"] = "refused"
        info["qemu_message"] = dumped
    else:
        after, tree = parse(dumped), parse(bytes(blob))
        keep = comparable(tree) == comparable(after) and \
            (not tree.rsv or tree.rsv == after.rsv) and \
            tree.node("/chosen").prop("bootargs") == after.node("/chosen").prop("bootargs")
        info["qemu"] = "loads" if keep else "erased"
        if not keep:
            info["qemu_message"] = "QEMU loads the tree but its dump no longer has the fault"
        os.unlink(os.path.join(outdir, name + ".qemu.dtb"))
    return info


def patch_nameoff(blob, path, prop, nameoff):
    """Set the name offset of property prop (a name, or an int: the name offset it has) of
    the node at path: (blob, the property token's offset in the structure block)."""
    off_struct, off_strings = header_field(blob, 2), header_field(blob, 3)
    off, stack = off_struct, []
    while True:
        tag = struct.unpack_from(">I", blob, off)[0]
        if tag == FDT_BEGIN_NODE:
            end = blob.index(b"\0", off + 4)
            stack.append(blob[off + 4:end].decode())
            off = (end + 4) & ~3
        elif tag == FDT_END_NODE:
            stack.pop()
            off += 4
        elif tag == FDT_PROP:
            length, no = struct.unpack_from(">II", blob, off + 4)
            here = "/" + "/".join(stack[1:])
            if isinstance(prop, int):
                match = no == prop
            else:
                s = off_strings + no
                match = no < header_field(blob, 8) and blob[s:blob.index(b"\0", s)].decode() == prop
            if here == path and match:
                out = bytearray(blob)
                struct.pack_into(">I", out, off + 8, nameoff)
                return bytes(out), off - off_struct
            off = (off + 12 + length + 3) & ~3
        elif tag == FDT_NOP:
            off += 4
        else:
            raise KeyError("%s has no property %s" % (path, prop))


def image_range(args):
    """Where QEMU loads the kernel image (its ROM list), for the no-map case."""
    good = os.path.join(args.out, "qemu.dtb")
    cmd = qemu_args(args) + ["-kernel", args.kernel, "-dtb", good, "-S", "-monitor", "stdio",
                             "-serial", "none", "-display", "none"]
    cmd.remove("-nographic")
    r = subprocess.run(cmd, input="info roms\nquit\n", capture_output=True, text=True, timeout=30)
    m = re.search(r"addr=([0-9a-f]+) size=0x([0-9a-f]+) mem=ram name=\"[^\"]*arbor[^\"]*\"",
                  r.stdout)
    if not m:
        raise RuntimeError("QEMU's `info roms` shows no kernel image:\n" + r.stdout + r.stderr)
    return int(m.group(1), 16), int(m.group(2), 16)


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--arch", choices=sorted(QEMU), default="arm64")
    p.add_argument("--gic", type=int, choices=[2, 3], default=3)
    p.add_argument("--mem", default="128M")
    p.add_argument("--kernel", help="the image QEMU will boot (default build/<arch>/arbor.img)")
    p.add_argument("--out", help="directory (default build/hostile/<arch>-gic<N>)")
    p.add_argument("--only", action="append", help="only this case (repeatable)")
    p.add_argument("--list", action="store_true", help="print the case names and stop")
    args = p.parse_args(argv)
    if args.list:
        for name, _, origin in CASES:
            print("%-28s %s" % (name, origin))
        for name, why in NOT_APPLICABLE.items():
            print("%-28s not generated: %s" % (name, why))
        return 0
    args.kernel = os.path.abspath(args.kernel or os.path.join(REPO, "build", args.arch,
                                                               "arbor.img"))
    args.out = args.out or os.path.join(REPO, "build", "hostile", "%s-gic%d" % (args.arch,
                                                                                args.gic))
    if not os.path.isfile(args.kernel):
        print("hostile-dtbs: error: no image %s" % args.kernel, file=sys.stderr)
        return 2
    os.makedirs(args.out, exist_ok=True)
    ok, good = qemu_dump(args, None, os.path.join(args.out, "qemu.dtb"))
    if not ok:
        print("hostile-dtbs: error: QEMU would not dump its DTB: " + good, file=sys.stderr)
        return 2
    args.image = image_range(args)
    cases = []
    for name, fn, origin in CASES:
        if args.only and name not in args.only:
            continue
        info = build_case(name, fn, origin, good, args, args.out)
        cases.append(info)
        if info["qemu"] == "not-applicable":
            print("hostile: %-26s not generated: %s" % (name, info["qemu_message"]))
            continue
        verdict = {"loads": "QEMU loads it", "refused": "QEMU REFUSES it: ",
                   "erased": "QEMU ERASES the fault: "}[info["qemu"]] + info.get("qemu_message", "")
        print("hostile: %-26s %-8s %s; %s" % (name, info["expect"], info["fault"], verdict))
    for name, why in NOT_APPLICABLE.items():
        if not args.only or name in args.only:
            cases.append({"name": name, "origin": "dts/malformed/%s.dts" % name,
                          "qemu": "not-applicable", "qemu_message": why})
            print("hostile: %-26s not generated: %s" % (name, why))
    manifest = {"arch": args.arch, "gic": args.gic, "mem": args.mem,
                "kernel": os.path.relpath(args.kernel, REPO), "cases": cases}
    with open(os.path.join(args.out, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=1)
    n = {k: sum(1 for c in cases if c["qemu"] == k)
         for k in ("loads", "refused", "erased", "not-applicable")}
    print("hostile: %d trees QEMU loads, %d it refuses, %d whose fault it erases, %d not "
          "applicable (%s)" % (n["loads"], n["refused"], n["erased"], n["not-applicable"],
                               os.path.relpath(os.path.join(args.out, "manifest.json"), REPO)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
