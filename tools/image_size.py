#!/usr/bin/env python3
"""Image sizes of apps/hello and apps/selftest, for the bench table and make check-size.

The size that matters is what Xen is given: the arm64 Image file (build/arm64/...), whose
header tells Xen the .bss beyond it, and the arm32 zImage file, which carries its .bss (Xen
puts the DTB right after the file). Each row prints bytes and KiB, and for apps/hello the
target beside it ("met" or "missed by N KiB").

  tools/image_size.py                 the rows (a markdown table); missing images are named
  tools/image_size.py --check         also fail (exit 1) if hello's ELF names a selftest_
                                      symbol or an image is over its --max-* ceiling
  tools/image_size.py --max-arm64 N --max-arm32 N   ceilings in bytes for --check (default:
                                      the targets)

Exit status: 0, 1 when --check found a problem (a missing hello image is one), 2 when an
image is missing without --check. Python 3
standard library only; nm is the cross toolchain's (boot/<arch>/arch.mk's CROSS_COMPILE).
"""
import argparse
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KIB = 1024
# The targets of issue 9 for apps/hello: the file Xen loads.
TARGETS = {"arm64": 64 * KIB, "arm32": 128 * KIB}
NM = {"arm64": "aarch64-linux-gnu-nm", "arm32": "arm-none-eabi-nm"}
FORMAT = {"arm64": "Image", "arm32": "zImage"}
APPS = ["apps/hello", "apps/selftest"]


def image_dir(arch, app):
    """Where make ARCH=<arch> APP=<app> puts its outputs (the Makefile's IMG)."""
    build = os.path.join(REPO, "build", arch)
    return build if app == "apps/selftest" else os.path.join(build, "apps", os.path.basename(app))


def kib(n):
    return "%.1f KiB" % (n / KIB)


def verdict(size, target):
    if size <= target:
        return "met"
    return "missed by %d KiB" % -(-(size - target) // KIB)


def selftest_symbols(arch, elf):
    out = subprocess.run([NM[arch], elf], check=True, capture_output=True, text=True).stdout
    return [line.split()[-1] for line in out.splitlines() if " selftest_" in line or
            line.split()[-1].startswith("selftest_")]


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--max-arm64", type=int, default=TARGETS["arm64"])
    ap.add_argument("--max-arm32", type=int, default=TARGETS["arm32"])
    args = ap.parse_args()
    ceiling = {"arm64": args.max_arm64, "arm32": args.max_arm32}

    print("| image | arch | file | bytes | KiB | target |")
    print("| --- | --- | --- | ---: | ---: | --- |")
    missing, problems = [], []
    for app in APPS:
        for arch in ("arm64", "arm32"):
            img = os.path.join(image_dir(arch, app), "arbor.img")
            if not os.path.isfile(img):
                what = "%s (make ARCH=%s APP=%s kernel)" % (img, arch, app)
                (problems if args.check and app == "apps/hello" else missing).append(
                    "missing " + what)
                continue
            size = os.path.getsize(img)
            target = ""
            if app == "apps/hello":
                target = "<= %d KiB: %s" % (TARGETS[arch] // KIB, verdict(size, TARGETS[arch]))
                if args.check and size > ceiling[arch]:
                    problems.append("%s %s is %d bytes, over %d" % (app, arch, size, ceiling[arch]))
                elf = os.path.join(image_dir(arch, app), "arbor.elf")
                if args.check and os.path.isfile(elf):
                    syms = selftest_symbols(arch, elf)
                    if syms:
                        problems.append("%s %s links self-test code: %s" %
                                        (app, arch, ", ".join(sorted(syms)[:5])))
            print("| %s | %s | %s | %d | %s | %s |" % (app, arch, FORMAT[arch], size, kib(size),
                                                     target))
    for m in missing:
        print("image_size: missing %s" % m, file=sys.stderr)
    for p in problems:
        print("image_size: FAIL %s" % p, file=sys.stderr)
    if problems:
        return 1
    return 2 if missing and not args.check else 0


if __name__ == "__main__":
    sys.exit(main())
