#!/usr/bin/env python3
"""Boot Arbor under real Xen in QEMU and turn the run into a verdict.

This is Arbor's run harness. It takes QEMU's own device tree for the `virt` machine
(dumped with `dumpdtb=`), adds the /chosen entries Xen reads at boot (Xen's command line
and one boot module per Arbor guest), then boots QEMU + Xen 4.17 arm64 + Arbor in one of
three roles:

    dom0   Arbor is Xen's hardware domain (dom0)
    domU   Arbor is a dom0less domU and there is no dom0
    pair   Arbor is dom0 and also a dom0less "enhanced" domU (xen,enhanced), same image
    bare   no Xen: QEMU's virt runs Arbor itself (-kernel, QEMU's own DTB or --dtb FILE),
           at EL1/SVC, or at EL2/HYP with --el2 (virtualization=on); arm32 on
           qemu-system-arm -cpu cortex-a15. The guest is named "bare"; its lines are
           everything on the serial line (the PL011) but QEMU's own messages. It must end
           QEMU itself (PSCI SYSTEM_OFF): the harness never stops a passing bare run.

Everything QEMU prints goes through one serial line, so the harness tells the domains
apart by Xen's prefixes: `(XEN) DOM1: ` is the domU's vpl011 UART, `(d1) ` the domU's
console_io, other `(XEN) ` lines are Xen itself, and anything else is dom0's console_io
(or QEMU, when there is no dom0). Guest lines are echoed as `dom0| ...` / `domU| ...`.

The harness knows only Arbor's end protocol: a guest's last line is
`arbor: halt: poweroff` or `arbor: halt: crash`, optionally preceded by
`selftest: N passed, M failed`; with bootarg probe=json it prints `probe: begin`, lines
that joined form one JSON object, and `probe: end`; with probe=dtb, its DTB in hex between
`dtb: begin` and `dtb: end`. A guest passes when its halt word is
the one --expect names and it printed what its application must print (--app: the
self-tests' `selftest: N passed, M failed` line with N >= 1 and M = 0 when it powers off,
an example application's lines from APP_OUTPUT), and, when it printed its `console: ` line,
that console is the one the configuration offers (a domU's vpl011, else console_io) and
its later lines came that way. With --check-probe (probe=json,dtb) the JSON
is compared with what was passed (bootargs), with what Xen itself logs about the RAM banks
it gave each domain (the memory oracle; in role bare: one bank of --mem at the RAM base
QEMU's own dumped DTB gives), and with the host's dtprobe run on the very DTB the
guest dumped (same sources, two builds: they must agree key for key). QEMU is stopped as soon as every guest has
halted; a timeout, a Xen panic or QEMU exiting early fail the run.

Exit status: 0 all guests passed, 1 a guest failed or the boot went wrong, 2 usage or
setup error. Generated files (DTBs, logs) go to build/run/<configuration>/ and
build/run/<configuration>.log. Python 3 standard library only.

Example:
    tools/run.py --arch arm64 --role pair --gic 3 --mem 128M --cpus 1 --vpl011 1 \\
                 --icount 0 --check-probe
"""

import argparse
import hashlib
import json
import os
import re
import selectors
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CACHE = os.environ.get("ARBOR_CACHE") or os.path.expanduser("~/.cache/arbor")
XEN = os.path.join(CACHE, "xen", "boot", "xen-4.17-arm64")
QEMU = "qemu-system-aarch64"
# Role bare: the QEMU and the CPU for each architecture.
BARE_QEMU = {"arm64": ("qemu-system-aarch64", "cortex-a57"), "arm32": ("qemu-system-arm", "cortex-a15")}
BARE_EXIT_GRACE = 5.0       # seconds QEMU may take to exit (PSCI SYSTEM_OFF) after the halt line
DTPROBE = os.path.join(REPO, "build", "host", "dtprobe")

MiB = 1 << 20
GiB = 1 << 30
MODULE_BASE = 0x50000000    # first boot module; QEMU puts its DTB at 0x48000000
MODULE_ALIGN = 2 * MiB
FAIL_TAIL = 40              # raw log lines shown when a run fails

# What each application must print for a run to pass: for each regex, a line of every Arbor
# guest's output must match (--expect-output adds more). The self-tests (apps/selftest) are
# judged by their summary line instead: see verdict(). An application not listed here is
# judged by its halt line alone, and the verdict says so.
SELFTEST_APP = "apps/selftest"
APP_OUTPUT = {
    "apps/hello": [r"hello, world from Arbor$", r"hello: up \d+\.\d{3} s, the wall clock says \d+$"],
    "apps/ticker": [r"ticker: fast +tick 5/5 at", r"ticker: medium tick 5/5 at",
                    r"ticker: slow +tick 5/5 at", r"ticker: 3 threads, 15 ticks, \d+ late"],
    "apps/dtexplorer": [r"dtexplorer: DTB of \d+ bytes, version 17", r"^/ \{$",
                        r"^  cpus \{$", r'compatible = "arm,gic-v[23]";$',
                        r"dtexplorer: \d+ nodes, \d+ properties$"],
    "apps/bench": [r"^bench: boot_to_app_main \d+ "],
}
STOP_GRACE = 0.5            # seconds QEMU may take to exit by itself once all guests halted
PANIC_GRACE = 0.5           # seconds to keep reading after a Xen panic (it explains itself)

# Which guests run in each role, and the Xen domain id each one gets.
ROLE_GUESTS = {"dom0": ["dom0"], "domU": ["domU"], "pair": ["dom0", "domU"], "bare": ["bare"]}
DOMID = {"dom0": 0, "domU": 1}


def out(text):
    """Print a line now. If our reader went away (tools/run.py ... | head), keep going
    without output: QEMU must still be stopped and the exit status still counts."""
    try:
        print(text, flush=True)
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")


class SetupError(Exception):
    """A problem with the command line or the host: exit status 2."""


# ---------------------------------------------------------------------------------------
# Command line

def parse_size(text):
    """'128M', '4G', '65536K' -> bytes. A whole number of MiB is required (Xen's
    dom0_mem and the domU's memory property are given in MiB/KiB)."""
    m = re.fullmatch(r"\s*(\d+)\s*([KMGT]?)(i?B)?\s*", text, re.IGNORECASE)
    if not m:
        raise argparse.ArgumentTypeError("bad size %r (use e.g. 128M or 4G)" % text)
    value = int(m.group(1)) << {"": 0, "K": 10, "M": 20, "G": 30, "T": 40}[m.group(2).upper()]
    if value == 0 or value % MiB:
        raise argparse.ArgumentTypeError("size %r is not a positive whole number of MiB" % text)
    return value


def fmt_size(nbytes):
    """Bytes -> the shortest of '4G' / '192M'."""
    return "%dG" % (nbytes // GiB) if nbytes % GiB == 0 else "%dM" % (nbytes // MiB)


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        description="Boot Arbor under Xen in QEMU and report the guests' verdict.")
    p.add_argument("--arch", choices=["arm64", "arm32"], default="arm64")
    p.add_argument("--role", choices=["dom0", "domU", "pair", "bare"], default="domU")
    p.add_argument("--gic", type=int, choices=[2, 3], default=3)
    p.add_argument("--mem", type=parse_size, default=parse_size("128M"),
                   help="memory of the Arbor guest of the role (dom0 in role dom0, else the domU)")
    p.add_argument("--dom0-mem", type=parse_size, default=parse_size("64M"),
                   help="dom0's memory in role pair (default 64M)")
    p.add_argument("--cpus", type=int, default=1, help="vCPUs of the Arbor guest")
    p.add_argument("--vpl011", type=int, choices=[0, 1], default=1,
                   help="give the domU an emulated PL011 (domU only)")
    p.add_argument("--el2", action="store_true",
                   help="role bare: enter Arbor at EL2 (arm64) / HYP (arm32): virtualization=on")
    p.add_argument("--dtb", help="role bare: give QEMU this DTB instead of its own (-dtb)")
    p.add_argument("--icount", type=int, choices=[0, 1], default=0,
                   help="deterministic instruction counting (forces -smp 1)")
    p.add_argument("--bootargs", default="", help="extra bootargs passed to every Arbor guest")
    p.add_argument("--timeout", type=float, default=60, help="seconds (default 60)")
    p.add_argument("--kernel", help="Arbor image (default build/<arch>/arbor.img)")
    p.add_argument("--app", default=SELFTEST_APP,
                   help="the application the image runs, which says what it must print "
                        "(default %s: the self-test summary)" % SELFTEST_APP)
    p.add_argument("--expect", choices=["poweroff", "crash", "exit"], default="poweroff",
                   help="the halt line every guest must end with; exit (role bare): nothing "
                        "is judged but that QEMU exited by itself within --timeout, for a "
                        "machine that has no console to print on")
    p.add_argument("--forbid-output", action="append", default=[], metavar="REGEX",
                   help="no guest line may match REGEX (repeatable)")
    p.add_argument("--check-probe", action="store_true",
                   help="add probe=json and check the guests' probe output")
    p.add_argument("--check-wallclock", action="store_true",
                   help="compare each guest's wall clock with the host's clock (roles with a "
                        "dom0, which sets Xen's clock from the RTC) or with Xen's own clock "
                        "(a lone domU, where nothing sets it); not with --icount 1")
    p.add_argument("--check-idle", type=int, metavar="SECONDS",
                   help="add selftest.idle=SECONDS and check QEMU's CPU time stays flat while "
                        "the guest sleeps")
    p.add_argument("--expect-output", action="append", default=[], metavar="REGEX",
                   help="each guest must print a line matching REGEX (repeatable)")
    p.add_argument("--debug", action="store_true",
                   help="boot with QEMU's gdb stub waiting and print the gdb-multiarch command "
                        "that attaches with arbor.elf at the image's run address (make debug)")
    p.add_argument("--debug-guest", choices=["dom0", "domU"],
                   help="with --debug in role pair, which Arbor guest gets the symbols "
                        "(default: the domU)")
    p.add_argument("--gdb-port", type=int, default=1234, help="with --debug (default 1234)")
    p.add_argument("--verbose", action="store_true", help="also print Xen's lines")
    p.add_argument("--log", help="also save the raw log here")
    args = p.parse_args(argv)
    if args.cpus < 1:
        p.error("--cpus must be at least 1")
    if args.timeout <= 0:
        p.error("--timeout must be positive")
    if args.expect == "exit" and (args.role != "bare" or args.check_probe or
                                  args.expect_output or args.forbid_output):
        p.error("--expect exit is for role bare and judges nothing but QEMU's own exit")
    if args.role != "bare" and (args.el2 or args.dtb):
        p.error("--el2 and --dtb are for role bare (Xen's runs build their own DTB)")
    if args.role == "bare" and args.check_wallclock:
        p.error("--check-wallclock compares with Xen's clock: not for role bare")
    if args.role == "bare" and args.debug:
        p.error("--debug finds the image's address in Xen's log: not for role bare yet")
    if args.kernel is None:
        args.kernel = os.path.join(REPO, "build", args.arch, "arbor.img")
    # What every guest is given: the user's bootargs, plus probe=json when checking it.
    # The user's string is passed as is (odd spacing included), so the probe check
    # compares exactly what the guest was given.
    args.guest_bootargs = args.bootargs
    if args.check_probe and not any(w.startswith("probe=") for w in args.bootargs.split()):
        args.guest_bootargs = (args.bootargs + " " if args.bootargs else "") + "probe=json,dtb"
    if args.check_idle:
        args.guest_bootargs = ((args.guest_bootargs + " ") if args.guest_bootargs else "") + \
            "selftest.idle=%d" % args.check_idle
    args.guests = ROLE_GUESTS[args.role]
    args.name = config_name(args)
    args.workdir = os.path.join(REPO, "build", "run", args.name)
    args.run_log = os.path.join(REPO, "build", "run", args.name + ".log")
    return args


def config_name(args):
    """A file-name-safe name for one configuration, so parallel runs of different
    configurations never share generated files: e.g. arm64-pair-gic3-mem128M-dom0mem64M-
    cpus1-vpl1-ic0, plus a hash of anything else that changes what is booted."""
    parts = [args.arch, args.role, "gic%d" % args.gic, "mem" + fmt_size(args.mem)]
    if args.role == "pair":
        parts.append("dom0mem" + fmt_size(args.dom0_mem))
    if args.role == "bare":
        parts += ["cpus%d" % args.cpus, "el%d" % (2 if args.el2 else 1), "ic%d" % args.icount]
    else:
        parts += ["cpus%d" % args.cpus, "vpl%d" % args.vpl011, "ic%d" % args.icount]
    extra = "\0".join([args.guest_bootargs, os.path.abspath(args.kernel),
                       os.path.abspath(args.dtb) if args.dtb else ""])
    default_kernel = os.path.join(REPO, "build", args.arch, "arbor.img")
    if args.guest_bootargs or os.path.abspath(args.kernel) != default_kernel or args.dtb:
        parts.append(hashlib.sha1(extra.encode()).hexdigest()[:8])
    return "-".join(parts)


# ---------------------------------------------------------------------------------------
# Boot DTB

def run_tool(cmd, what):
    """Run a host tool, failing with a setup error (exit 2) if it fails."""
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    except FileNotFoundError:
        raise SetupError("%s: %s not found (see tools/deps.sh)" % (what, cmd[0]))
    if r.returncode != 0:
        raise SetupError("%s failed (%s):\n%s" % (what, " ".join(cmd), r.stderr.strip()))
    return r.stdout


def qemu_binary(args):
    """The QEMU that runs this role: Xen's roles always the arm64 one (Xen is arm64)."""
    return BARE_QEMU[args.arch][0] if args.role == "bare" else QEMU


def qemu_machine_args(args):
    """The options that shape the machine: shared by the DTB dump and the real boot."""
    if args.role == "bare":
        machine = "virt,gic-version=%d" % args.gic
        if args.el2:
            machine += ",virtualization=on"
        smp = 1 if args.icount else args.cpus
        return ["-machine", machine, "-cpu", BARE_QEMU[args.arch][1], "-smp", str(smp),
                "-m", "%dM" % (args.mem // MiB)]
    guest_mem = args.mem + (args.dom0_mem if args.role == "pair" else 0)
    # Room for Xen, the guests and the boot modules: at least 2G, and the guests + 1G.
    ram = max(2 * GiB, guest_mem + GiB)
    # -smp covers the guest's vCPUs, except under icount where only -smp 1 works
    # (with -smp 2 and icount Xen stops making progress after its P2M lines).
    smp = 1 if args.icount else args.cpus
    return ["-machine", "virt,virtualization=on,gic-version=%d" % args.gic,
            "-cpu", "cortex-a57", "-smp", str(smp), "-m", "%dM" % (ram // MiB)]


def find_uart(host_dts):
    """The path of QEMU's PL011 in its own DTB: /chosen/stdout-path, else the first
    top-level pl011@ node."""
    m = re.search(r'stdout-path = "(/[^":]+)', host_dts)
    if m:
        return m.group(1)
    m = re.search(r"^\t(pl011@[0-9a-f]+) \{", host_dts, re.MULTILINE)
    if m:
        return "/" + m.group(1)
    raise SetupError("no pl011 node in QEMU's DTB")


def dump_qemu_dtb(args):
    """QEMU's own DTB for this machine (dumpdtb=), as (path, dts text)."""
    os.makedirs(args.workdir, exist_ok=True)
    host_dtb = os.path.join(args.workdir, "qemu.dtb")
    run_tool([qemu_binary(args)] + qemu_machine_args(args) + ["-nographic", "-nic", "none",
              "-machine", "dumpdtb=" + host_dtb], "dumping QEMU's DTB")
    host_dts = run_tool(["dtc", "-q", "-I", "dtb", "-O", "dts", host_dtb], "decompiling QEMU's DTB")
    return host_dtb, host_dts


def ram_base(host_dts):
    """Where QEMU's machine has its RAM: the unit address of its /memory@ node. QEMU writes
    that node's reg from -m itself (into a DTB given with -dtb too), so the guest's one bank
    is (this base, -m)."""
    m = re.search(r"^\tmemory@([0-9a-f]+) \{", host_dts, re.MULTILINE)
    if not m:
        raise SetupError("no memory node in QEMU's DTB")
    return int(m.group(1), 16)


def dts_string(s):
    """A Python string as a dts string literal."""
    return '"%s"' % s.replace("\\", "\\\\").replace('"', '\\"')


def build_boot_dtb(args, kernel_size):
    """Dump QEMU's DTB, add Xen's /chosen entries, compile it. Returns (dtb path,
    [(guest, load address)], Xen command line)."""
    host_dtb, host_dts = dump_qemu_dtb(args)

    # One boot module per guest, from 0x50000000 upward, each 2 MiB aligned.
    modules, addr = [], MODULE_BASE
    for guest in args.guests:
        modules.append((guest, addr))
        addr = (addr + kernel_size + MODULE_ALIGN - 1) // MODULE_ALIGN * MODULE_ALIGN

    xen_cmdline = ("console=dtuart dtuart=%s bootscrub=0 loglvl=all guest_loglvl=all"
                   % find_uart(host_dts))
    if "dom0" in args.guests:
        dom0_mem = args.mem if args.role == "dom0" else args.dom0_mem
        xen_cmdline += " dom0_mem=%dM" % (dom0_mem // MiB)
        # --cpus is dom0's vCPUs when dom0 is the guest under test (Xen gives dom0 one per
        # physical CPU up to dom0_max_vcpus, so -smp below is what bounds it).
        if args.role == "dom0" and args.cpus > 1:
            xen_cmdline += " dom0_max_vcpus=%d" % args.cpus
    if args.icount or (args.check_wallclock and "dom0" not in args.guests):
        xen_cmdline += " console_timestamps=boot"

    def module_node(addr, indent, bootargs=None):
        lines = ["%smodule@%x {" % (indent, addr),
                 '%s\tcompatible = "multiboot,kernel", "multiboot,module";' % indent,
                 "%s\treg = <0x0 0x%x 0x0 0x%x>;" % (indent, addr, kernel_size)]
        if bootargs is not None:
            lines.append("%s\tbootargs = %s;" % (indent, dts_string(bootargs)))
        return lines + [indent + "};"]

    # dtc merges this second root block into QEMU's /chosen. Inside a node, properties
    # must come before subnodes.
    chosen = ["", "/ {", "\tchosen {",
              "\t\t#address-cells = <2>;", "\t\t#size-cells = <2>;",
              "\t\txen,xen-bootargs = %s;" % dts_string(xen_cmdline)]
    if "dom0" in args.guests:
        chosen.append("\t\txen,dom0-bootargs = %s;" % dts_string(args.guest_bootargs))
    for guest, addr in modules:
        if guest == "dom0":
            chosen += module_node(addr, "\t\t")
        else:
            chosen += ["\t\tdomU1 {",
                       '\t\t\tcompatible = "xen,domain";',
                       "\t\t\t#address-cells = <2>;", "\t\t\t#size-cells = <2>;",
                       "\t\t\tmemory = <0x0 %d>;" % (args.mem // 1024),
                       "\t\t\tcpus = <%d>;" % args.cpus]
            if args.vpl011:
                chosen.append("\t\t\tvpl011;")
            if args.role == "pair":
                # A dom0less domU that also gets a hypervisor node, grant table and
                # xenstore; Xen 4.17 allows it only with a dom0 present.
                chosen.append('\t\t\txen,enhanced = "enabled";')
            chosen += module_node(addr, "\t\t\t", args.guest_bootargs)
            chosen.append("\t\t};")
    chosen += ["\t};", "};", ""]

    boot_dts = os.path.join(args.workdir, "boot.dts")
    boot_dtb = os.path.join(args.workdir, "boot.dtb")
    with open(boot_dts, "w") as f:
        f.write(host_dts + "\n".join(chosen))
    run_tool(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", boot_dtb, boot_dts],
             "compiling the boot DTB")
    return boot_dtb, modules, xen_cmdline


# ---------------------------------------------------------------------------------------
# Output: classifying lines and following each guest

# Xen's console_timestamps=boot puts "[    0.502188] " right after "(XEN) " and "(d1) ".
TIMESTAMP = re.compile(r"^\[\s*\d+\.\d+\] ?")
SELFTEST = re.compile(r"^selftest: (\d+) passed, (\d+) failed(?:, \d+ skipped)?$")
SELFTEST_MESSAGE = re.compile(r"^selftest:   (\S+:\d+: .*)$")
SELFTEST_END = re.compile(r"^selftest: (ok  |FAIL|skip) (\S+)")
HALT = re.compile(r"^arbor: halt: (\S+)$")
# The guest's self-test line with its wall clock, and Xen's boot-time stamp on a raw line.
WALLCLOCK = re.compile(r"^selftest:   xen: wall clock (\d+\.\d+) s since the epoch")
STAMP_IN_RAW = re.compile(r"^\((?:XEN|d1)\) \[\s*(\d+\.\d+)\]")
WALLCLOCK_TOLERANCE = 1.0   # seconds: the "within a second"
# Xen's RAM banks for a domain: "BANK[0] 0x...-0x... (128MB)" for a 1:1-mapped dom0,
# "d1 BANK[0] 0x...-0x... (3072MB)" for other domains. The end is exclusive.
XEN_BANK = re.compile(r"^(?:d(\d+) )?BANK\[(\d+)\] 0x([0-9a-fA-F]+)-0x([0-9a-fA-F]+)")
XEN_FATAL = re.compile(r"^Panic on CPU|Xen BUG")


def classify(line, has_dom0, bare=False):
    """Split one raw line into (source, text): source is 'xen', 'dom0', 'domU', 'bare' or
    'qemu', text the line without Xen's prefix and timestamp. In role bare the serial line
    is the guest's alone: every line but QEMU's own messages is 'bare'."""
    if bare:
        if line.startswith("qemu-system-"):
            return "qemu", line
        return "bare", line
    if line.startswith("(XEN) "):
        text = TIMESTAMP.sub("", line[6:], count=1)
        if text.startswith("DOM1: "):
            return "domU", text[6:]
        return "xen", text
    if line.startswith("(d1) "):
        return "domU", TIMESTAMP.sub("", line[5:], count=1)
    if line.startswith(QEMU + ":"):
        return "qemu", line
    # dom0's console_io output has no prefix (and no timestamp: Xen passes it through
    # as is); without a dom0 it can only be QEMU.
    return ("dom0" if has_dom0 else "qemu"), line


class Guest:
    """What one Arbor guest has said so far."""

    def __init__(self, name):
        self.name = name
        self.halt = None          # the word after "arbor: halt: "
        self.selftest = None      # (passed, failed)
        self.failures = []        # "name: first message" of each self-test that failed
        self.fail_message = None  # the first "selftest:   file:line: ..." of the running test
        self.probe_lines = None   # list while inside probe: begin/end
        self.probe_text = None    # the joined JSON text once probe: end was seen
        self.dtb_lines = None     # list while inside dtb: begin/end
        self.dtb = None           # the guest's DTB (bytes) once dtb: end was seen
        self.last = None          # last line printed (for timeout messages)
        self.halt_time = None     # seconds from QEMU's start to the halt line
        self.lines = []           # everything it printed, for --expect-output
        self.wallclock = None     # (guest's wall clock, host clock, Xen's stamp) when printed
        self.idle = []            # (QEMU's CPU seconds, host seconds) at "idle: begin" / "end"
        self.console = None       # what its "console: " line said (the backend it chose)
        self.channels = set()     # how its lines reached the serial line after that one

    def feed(self, raw, now, channel):
        text = raw.rstrip()
        self.last = text
        self.lines.append(text)
        if self.console is not None:
            self.channels.add(channel)
        elif text.startswith("console: "):
            self.console = text[len("console: "):]
        if self.halt is not None:
            return                # anything after the halt line is ignored
        if self.probe_lines is not None:
            if text == "probe: end":
                self.probe_text = "".join(self.probe_lines)
                self.probe_lines = None
            else:
                # Xen may split a long line (after 126 characters for vpl011, 254 for
                # console_io); the pieces join with no separator, so keep them whole:
                # a piece may end in a space that belongs inside a JSON string.
                self.probe_lines.append(raw)
            return
        if self.dtb_lines is not None:
            if text == "dtb: end":
                try:
                    self.dtb = bytes.fromhex("".join(self.dtb_lines))
                except ValueError:
                    self.dtb = b""
                self.dtb_lines = None
            else:
                self.dtb_lines.append(text)
            return
        if text == "probe: begin":
            self.probe_lines = []
            return
        if text == "dtb: begin":
            self.dtb_lines = []
            return
        m = SELFTEST.match(text)
        if m:
            self.selftest = (int(m.group(1)), int(m.group(2)))
        m = SELFTEST_MESSAGE.match(text)
        if m and self.fail_message is None:
            self.fail_message = m.group(1)
        m = SELFTEST_END.match(text)
        if m:
            if m.group(1) == "FAIL":
                self.failures.append("%s (%s)" % (m.group(2), self.fail_message or "no message"))
            self.fail_message = None
        m = HALT.match(text)
        if m:
            self.halt = m.group(1)
            self.halt_time = now


def xen_banks(xen_lines):
    """The memory oracle: {domid: sorted [(base, size)]} from Xen's BANK[] lines."""
    banks = {}
    for text in xen_lines:
        m = XEN_BANK.match(text)
        if m:
            domid = int(m.group(1) or 0)
            start, end = int(m.group(3), 16), int(m.group(4), 16)
            banks.setdefault(domid, []).append((start, end - start))
    return {d: sorted(b) for d, b in banks.items()}


def check_probe(guest, args, oracle):
    """Compare a guest's probe JSON with what was passed and with the memory oracle,
    {guest name: (sorted banks or None, who says so)}. Returns a list of problems (empty
    when it matches)."""
    if guest.probe_text is None:
        if guest.probe_lines is not None:
            return ["probe output started but never ended"]
        return ["no probe output (probe: begin ... probe: end)"]
    try:
        probe = json.loads(guest.probe_text)
    except ValueError as e:
        return ["probe output is not JSON (%s): %s" % (e, guest.probe_text)]
    if not isinstance(probe, dict):
        return ["probe output is not a JSON object: %s" % guest.probe_text]
    problems = []
    # bootargs: exactly the string passed; an empty string may also show up as null.
    got = probe.get("bootargs", "<missing>")
    if not (got == args.guest_bootargs or (got is None and args.guest_bootargs == "")):
        problems.append("bootargs: guest says %s, harness passed %s"
                        % (json.dumps(got), json.dumps(args.guest_bootargs)))
    # memory: the same set of banks Xen says it gave this domain.
    try:
        got_mem = sorted((int(b["base"]), int(b["size"])) for b in probe["memory"])
    except (KeyError, TypeError, ValueError):
        return problems + ["memory: missing or malformed: %s"
                           % json.dumps(probe.get("memory", "<missing>"))]
    want, who = oracle.get(guest.name, (None, "no memory oracle"))
    if want is None:
        problems.append("memory: %s, cannot check" % who)
    elif got_mem != want:
        problems.append("memory: guest says %s, %s says %s"
                        % (fmt_banks(got_mem), who, fmt_banks(want)))
    return problems + check_dtprobe(guest, args, probe)


def check_dtprobe(guest, args, probe):
    """The host's dtprobe, run on the very DTB the guest dumped (probe=dtb), must describe
    the platform exactly as the guest did: both are built from the same fdt/ and platform/
    sources, so any difference is a bug in one build or the other."""
    if guest.dtb is None:
        return ["no DTB dump (dtb: begin ... dtb: end)"]
    if not os.path.isfile(DTPROBE):
        return ["%s not built (make host), cannot compare with the guest" % DTPROBE]
    path = os.path.join(args.workdir, "%s.dtb" % guest.name)
    with open(path, "wb") as f:
        f.write(guest.dtb)
    r = subprocess.run([DTPROBE, "--json", "--arch", args.arch, path], capture_output=True,
                       text=True)
    if r.returncode != 0:
        return ["dtprobe failed on the guest's DTB %s: %s" % (path, r.stderr.strip())]
    try:
        host = json.loads(r.stdout)
    except ValueError as e:
        return ["dtprobe printed no JSON (%s)" % e]
    if host != probe:
        keys = sorted(k for k in set(host) | set(probe) if host.get(k) != probe.get(k))
        return ["dtprobe on %s differs from the guest in %s: guest %s, dtprobe %s"
                % (path, ", ".join(keys), json.dumps({k: probe.get(k) for k in keys}),
                   json.dumps({k: host.get(k) for k in keys}))]
    return []


def check_console(guest, args):
    """The console the guest chose (its "console: " line; none under quiet) must be the one
    the configuration offers -- a domU's vpl011 when it has one, else console_io (dom0 on
    QEMU has no UART: Xen keeps the PL011); bare, QEMU's PL011 -- and every later line must
    have come that way."""
    if guest.console is None:
        return []
    chose = guest.console.split()[0]
    if guest.name == "bare":
        want = "pl011"      # QEMU virt's stdout-path UART, with no Xen to keep it
    else:
        want = "sbsa-uart" if guest.name == "domU" and args.vpl011 else "console_io"
    if chose != want:
        return ["console: chose %r, the configuration offers %s" % (guest.console, want)]
    channel = "uart" if chose in ("sbsa-uart", "pl011") else "console_io"
    if guest.channels - {channel}:
        return ["console: chose %s, but lines after it also came through %s"
                % (chose, ", ".join(sorted(guest.channels - {channel})))]
    return []


def fmt_banks(banks):
    return "[" + ", ".join("0x%x+0x%x" % b for b in banks) + "]"


# ---------------------------------------------------------------------------------------
# Running QEMU

def stop(proc):
    """Terminate QEMU, then kill it if it does not go."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=2)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# Xen's log of where it put a guest's kernel: "Loading d1 kernel from boot module @ ...", then
# "Loading zImage from <module> to <start>-<end>" (its wording for an arm64 Image too).
XEN_LOADING_DOMAIN = re.compile(r"^\(XEN\) (?:\[[ 0-9.]+\] )?Loading d(\d+) kernel from boot module")
XEN_LOADING_IMAGE = re.compile(r"^\(XEN\) (?:\[[ 0-9.]+\] )?Loading zImage from [0-9a-fA-F]+ to "
                               r"([0-9a-fA-F]+)-")


def load_address(args, cmd, domid):
    """Boot once, without a debugger, until Xen says where it put domain domid's kernel.
    Arbor runs where it is put (a position-independent image with an identity map), so this
    is the address its symbols need; Xen puts it at the same place for the same
    configuration. Returns the address, or raises SetupError."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace")
    deadline = time.monotonic() + args.timeout
    domain = None
    try:
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if not sel.select(timeout=max(0.0, deadline - time.monotonic())):
                continue
            line = proc.stdout.readline()
            if not line:
                break
            m = XEN_LOADING_DOMAIN.match(line)
            if m:
                domain = int(m.group(1))
            m = XEN_LOADING_IMAGE.match(line)
            if m and domain == domid:
                return int(m.group(1), 16)
    finally:
        proc.kill()
        proc.wait()
    raise SetupError("the first boot did not show where Xen loads d%d's kernel "
                     "(no 'Loading zImage ... to' line within %g s)" % (domid, args.timeout))


def debug(args, cmd):
    """make debug: learn the image's address from a first boot, then boot again with QEMU
    waiting for gdb, and print the command that attaches. QEMU's console stays on this
    terminal (Ctrl-A X ends it)."""
    guest = args.debug_guest or ("dom0" if args.role == "dom0" else "domU")
    if guest not in args.guests:
        print("run: error: role %s has no Arbor %s" % (args.role, guest), file=sys.stderr)
        return 2
    domid = 0 if guest == "dom0" else 1
    elf = os.path.join(os.path.dirname(os.path.abspath(args.kernel)), "arbor.elf")
    if not os.path.isfile(elf):
        print("run: error: %s not found (built with the image)" % elf, file=sys.stderr)
        return 2
    try:
        base = load_address(args, cmd, domid)
    except (SetupError, FileNotFoundError) as e:
        print("run: error: %s" % e, file=sys.stderr)
        return 2
    gdb = ("gdb-multiarch -q -ex 'add-symbol-file %s -o 0x%x' -ex 'target remote localhost:%d'"
           % (os.path.relpath(elf), base, args.gdb_port))
    out("run: debug: Xen puts the %s's image at 0x%x (seen in a first boot of the same "
        "configuration); QEMU now waits for gdb on port %d" % (guest, base, args.gdb_port))
    out("run: debug: attach from another terminal, in this directory, with:")
    out("")
    out("  " + gdb)
    out("")
    out("run: debug: then e.g. 'break kernel_main', 'break trap_entry' (any exception), "
        "'continue'; QEMU's console follows here, Ctrl-A X ends it")
    sys.stdout.flush()
    try:
        return subprocess.run(cmd + ["-gdb", "tcp::%d" % args.gdb_port, "-S"]).returncode
    except KeyboardInterrupt:
        return 130


def boot(args, cmd, logs):
    """Run QEMU, follow its output until every guest has halted (or something went
    wrong). Returns (guests, xen_lines, raw_lines, problem or None, seconds)."""
    guests = {name: Guest(name) for name in args.guests}
    has_dom0 = "dom0" in guests
    bare = args.role == "bare"
    xen_lines, raw_lines = [], []
    problem = None
    start = time.monotonic()
    deadline = start + args.timeout
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    pending = b""
    eof = False
    finish_by = None          # once set: keep reading until then, then stop QEMU
    fatal = None              # Xen's panic / BUG message, line by line

    def handle(raw):
        nonlocal fatal, finish_by
        line = raw.decode("utf-8", errors="replace").rstrip("\r\n")
        raw_lines.append(line)
        for f in logs:
            f.write(line + "\n")
        source, text = classify(line, has_dom0, bare)
        if source == "xen":
            xen_lines.append(text)
            if args.verbose:
                out("xen | " + text)
            if fatal is not None and text.strip("* ") and not text.startswith("Reboot in"):
                fatal.append(text.strip())      # the lines that explain a panic
            if XEN_FATAL.search(text) and fatal is None:
                fatal = [text.strip()]
                finish_by = time.monotonic() + PANIC_GRACE
        elif source in guests:
            guest = guests[source]
            in_dtb = guest.dtb_lines is not None
            if text.startswith("idle: begin") or text == "idle: end":
                guest.idle.append((qemu_cpu_seconds(proc.pid), time.monotonic()))
            m = WALLCLOCK.match(text)
            if m:
                stamp = STAMP_IN_RAW.match(line)
                guest.wallclock = (float(m.group(1)), time.time(),
                                   float(stamp.group(1)) if stamp else None)
            # A guest's line came through its UART when Xen printed it as "(XEN) DOM1: ";
            # in role bare every line is the PL011's.
            guest.feed(text, time.monotonic() - start,
                       "uart" if bare or line.startswith("(XEN) ") else "console_io")
            # The hex of a DTB dump stays in the log; on the terminal its size stands for it.
            if not in_dtb:
                out("%s| %s" % (source, text))
            elif guest.dtb is not None:
                out("%s| (%d bytes of DTB, kept in the log)" % (source, len(guest.dtb)))
                out("%s| %s" % (source, text))
            if finish_by is None and all(g.halt is not None for g in guests.values()):
                # A dom0 poweroff makes Xen halt and QEMU exit by itself: give it a
                # moment so the log ends with Xen's last word. Without a dom0, Xen
                # keeps running, so stop QEMU at once. Bare, the guest's PSCI SYSTEM_OFF
                # must end QEMU: wait for that, and fail if it does not come.
                finish_by = time.monotonic() + (BARE_EXIT_GRACE if bare else
                                                STOP_GRACE if has_dom0 else 0)
        else:
            # QEMU's own messages (or a domU line when the role has no domU).
            out("%s| %s" % (source, text))

    try:
        while not eof:
            now = time.monotonic()
            if finish_by is not None and now >= finish_by:
                break
            if now >= deadline and finish_by is None:
                waiting = [g for g in guests.values() if g.halt is None]
                problem = "timeout after %g s: %s" % (args.timeout, "; ".join(
                    "%s never printed its halt line (last line: %s)"
                    % (g.name, json.dumps(g.last) if g.last is not None else "none")
                    for g in waiting))
                break
            limit = min(deadline, finish_by or deadline) - now
            if not sel.select(timeout=max(limit, 0.01)):
                continue
            chunk = os.read(proc.stdout.fileno(), 65536)
            if not chunk:
                eof = True
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for raw in lines:
                handle(raw)
    finally:
        stop(proc)
        sel.close()
        proc.stdout.close()
    if pending:
        handle(pending)       # a last line without its newline: keep it in the log
    seconds = time.monotonic() - start
    if fatal is not None:
        problem = "Xen: " + " ".join(fatal)
    elif problem is None and bare and not eof and finish_by is not None:
        problem = ("QEMU did not exit within %g s of the halt line: the guest's PSCI "
                   "SYSTEM_OFF did not end the machine (the harness stopped QEMU)"
                   % BARE_EXIT_GRACE)
    elif problem is None and eof and args.expect != "exit":
        waiting = [g.name for g in guests.values() if g.halt is None]
        if waiting:
            problem = "QEMU exited (status %s) before %s printed a halt line" % (
                proc.returncode, " and ".join(waiting))
            if guests.get("dom0") and guests["dom0"].halt is not None:
                problem += (" (dom0's shutdown halts Xen and the machine: in role pair"
                            " dom0 must wait for the domU to finish first)")
    return guests, xen_lines, raw_lines, problem, seconds


def qemu_cpu_seconds(pid):
    """User + system CPU time QEMU has used so far (Linux /proc), or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


IDLE_CPU_SHARE = 0.05   # an idle Arbor may cost the host at most this share of one CPU


def check_idle(guest):
    """While the guest sleeps with nothing to run, QEMU's CPU time must stay flat."""
    if len(guest.idle) != 2 or None in (guest.idle[0][0], guest.idle[1][0]):
        return ["no idle: begin / idle: end lines to measure between"]
    (cpu0, t0), (cpu1, t1) = guest.idle
    if t1 - t0 < 1:
        return ["idle lasted only %.2f s" % (t1 - t0)]
    if cpu1 - cpu0 > IDLE_CPU_SHARE * (t1 - t0):
        return ["QEMU used %.2f s of CPU in %.2f s of idle" % (cpu1 - cpu0, t1 - t0)]
    return []


def check_wallclock(guest, args):
    """The guest's wall clock against a clock outside it. With a dom0, which sets Xen's clock
    from the RTC QEMU runs on the host's clock, that is the host's own clock when the line
    arrived; for a lone domU nothing sets Xen's clock, which then counts from 1970 at Xen's
    boot, so it is Xen's boot-time stamp on that very line."""
    if guest.wallclock is None:
        return ["no wall-clock line (selftest:   xen: wall clock ...)"]
    value, host, stamp = guest.wallclock
    if "dom0" in args.guests:
        ref, what = host, "the host's clock"
    elif stamp is not None:
        ref, what = stamp, "Xen's clock (1970 + its uptime; nothing set it)"
    else:
        return ["no Xen timestamp on the wall-clock line"]
    if abs(value - ref) > WALLCLOCK_TOLERANCE:
        return ["wall clock %.3f s is %.3f s from %s (%.3f)" % (value, value - ref, what, ref)]
    return []


def failed_tests(guest):
    """The reason for a run whose self-tests failed: how many, which, and each one's first
    message, so that a failure in CI explains itself without the log."""
    text = "%d self-tests failed" % guest.selftest[1]
    if guest.failures:
        text += ": " + "; ".join(guest.failures)
    return text


def verdict(guest, args, oracle):
    """(passed, description) for one guest."""
    why = []
    if guest.halt is None:
        why.append("no halt line")
    elif guest.halt != args.expect:
        why.append("halted with %s, expected %s" % (guest.halt, args.expect))
    if args.app == SELFTEST_APP and args.expect == "poweroff":
        # A self-test image that powers off must say it ran its tests and none failed; one
        # that printed no summary, or ran none, is a run the harness cannot judge.
        if guest.selftest is None:
            why.append("no self-test summary line (selftest: N passed, M failed)")
        elif guest.selftest[1]:
            why.append(failed_tests(guest))
        elif guest.selftest[0] < 1:
            why.append("the self-test summary says no test passed")
    elif guest.selftest and guest.selftest[1]:
        why.append(failed_tests(guest))
    if args.check_probe and guest.halt is not None:
        why += check_probe(guest, args, oracle)
    why += check_console(guest, args)
    if args.check_wallclock and guest.halt is not None:
        why += check_wallclock(guest, args)
    if args.check_idle and guest.halt is not None:
        why += check_idle(guest)
    patterns = args.expect_output
    if args.expect == "poweroff":
        patterns = APP_OUTPUT.get(args.app, []) + patterns
    for pattern in patterns:
        if not any(re.search(pattern, line) for line in guest.lines):
            why.append("no line matches %r" % pattern)
    for pattern in args.forbid_output:
        for line in guest.lines:
            if re.search(pattern, line):
                why.append("a line matches %r, which must not appear: %s" % (pattern, line))
                break
    if why:
        return False, why
    notes = ["halt %s after %.2f s" % (guest.halt, guest.halt_time)]
    if guest.selftest:
        notes.append("selftest %d passed %d failed" % guest.selftest)
    if patterns:
        notes.append("%d expected line%s" % (len(patterns), "" if len(patterns) == 1 else "s"))
    elif args.app != SELFTEST_APP or args.expect != "poweroff":
        notes.append("output not checked: %s has no expected lines" % args.app)
    if args.check_probe:
        notes.append("probe ok")
    if args.check_idle:
        (cpu0, t0), (cpu1, t1) = guest.idle
        notes.append("idle %.1f s with %.2f s of QEMU CPU" % (t1 - t0, cpu1 - cpu0))
    if args.check_wallclock:
        value, host, stamp = guest.wallclock
        ref = host if "dom0" in args.guests else stamp
        notes.append("wall clock %+.3f s" % (value - ref))
    return True, notes


def main(argv=None):
    args = parse_args(argv)
    bare = args.role == "bare"
    try:
        needed = [(args.kernel, "Arbor image")] + ([(args.dtb, "DTB")] if args.dtb else []) + \
            ([] if bare else [(XEN, "Xen")])
        for path, what in needed:
            if not os.path.isfile(path):
                raise SetupError("%s not found: %s" % (what, path))
        kernel_size = os.path.getsize(args.kernel)
        if bare:
            _, host_dts = dump_qemu_dtb(args)
            bare_banks = [(ram_base(host_dts), args.mem)]
        else:
            boot_dtb, modules, xen_cmdline = build_boot_dtb(args, kernel_size)
        log_files = [open(args.run_log, "w")]
        if args.log:
            os.makedirs(os.path.dirname(os.path.abspath(args.log)), exist_ok=True)
            log_files.append(open(args.log, "w"))
    except (SetupError, OSError) as e:
        print("run: error: %s" % e, file=sys.stderr)
        return 2

    # -nic none: the default NIC wants an option ROM (efi-virtio.rom) that Debian ships
    # in another package, and QEMU refuses to start without it.
    if bare:
        # QEMU's own loader: the DTB in x0/r2, bootargs from -append, entered at EL1/SVC, or
        # EL2/HYP with virtualization=on. -no-reboot: a SYSTEM_RESET would end QEMU too.
        cmd = [qemu_binary(args)] + qemu_machine_args(args) + [
            "-nographic", "-no-reboot", "-nic", "none", "-kernel", os.path.abspath(args.kernel)]
        if args.dtb:
            cmd += ["-dtb", os.path.abspath(args.dtb)]
        if args.guest_bootargs:
            cmd += ["-append", args.guest_bootargs]
    else:
        cmd = [QEMU] + qemu_machine_args(args) + [
            "-nographic", "-no-reboot", "-nic", "none", "-kernel", XEN, "-dtb", boot_dtb]
        for guest, addr in modules:
            cmd += ["-device", "loader,file=%s,addr=0x%x" % (os.path.abspath(args.kernel), addr)]
    if args.icount:
        cmd += ["-icount", "shift=0,sleep=off"]
    if args.verbose:
        if not bare:
            out("run: xen: " + xen_cmdline)
        out("run: " + " ".join(cmd))
    if args.icount and args.role != "domU" and args.cpus > 1:
        out("run: note: --icount 1 runs one physical CPU, so dom0 gets 1 vCPU")

    if args.debug:
        for f in log_files:
            f.close()
        return debug(args, cmd)

    try:
        guests, xen_lines, raw_lines, problem, seconds = boot(args, cmd, log_files)
    except FileNotFoundError:
        print("run: error: %s not found (see tools/deps.sh)" % qemu_binary(args), file=sys.stderr)
        return 2
    finally:
        for f in log_files:
            f.close()

    if bare:
        oracle = {"bare": (bare_banks, "QEMU (-m %s at the RAM base of its own DTB)"
                           % fmt_size(args.mem))}
    else:
        banks = xen_banks(xen_lines)
        oracle = {name: (banks.get(DOMID[name]), "Xen" if DOMID[name] in banks else
                         "Xen logged no BANK[] lines for d%d" % DOMID[name])
                  for name in args.guests}
    if args.expect == "exit":
        # A machine with nothing to print on (no console in its DTB): the one thing the
        # harness can judge is that QEMU ended by itself (PSCI SYSTEM_OFF) in time. A
        # timeout, or QEMU still running after a halt line, is the problem boot() reports.
        results = {name: (True, ["QEMU exited by itself within %g s" % args.timeout])
                   for name in guests}
    else:
        results = {name: verdict(g, args, oracle) for name, g in guests.items()}
    ok = problem is None and all(passed for passed, _ in results.values())
    if not ok:
        out("--- last %d lines of %s ---" % (FAIL_TAIL, args.run_log))
        for line in raw_lines[-FAIL_TAIL:]:
            out(line)
        out("---")
        if problem:
            out("run: FAIL: " + problem)
        for name, (passed, why) in results.items():
            if not passed:
                for w in why:
                    out("run: FAIL: %s: %s" % (name, w))
    summary = "; ".join("%s %s (%s)" % (name, "PASS" if passed else "FAIL", ", ".join(why))
                        for name, (passed, why) in results.items())
    out("run: %s %s: %s [QEMU ran %.2f s; log %s]" % ("PASS" if ok else "FAIL", args.name,
                                                      summary, seconds,
                                                      os.path.relpath(args.run_log)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
