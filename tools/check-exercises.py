#!/usr/bin/env python3
"""Check the exercises of docs/exercises/ (make check-exercises, part of make test).

Each NN-name.dts there starts with a line "// explain: PATH". The check compiles it with dtc
(into build/host/exercises/), runs `dtprobe --explain PATH` on it and compares the output with
NN-name.expected, line for line. It then checks the claims the output makes about the blob
against independent readers, so that the expected files cannot quietly agree with a wrong
dtprobe: every "PROP: FDT_PROP token at 0xT, N bytes of value at 0xV" against `fdtdump -d`
(the token's tag, the property's name and the value's offset), and every byte line against
the file's bytes. How the expected files were made: docs/exercises/README.md.

Usage: tools/check-exercises.py [--dtprobe PATH] [--dir DIR]; prints
"exercises: N passed, M failed" and exits 1 on any failure.
"""
import argparse
import difflib
import glob
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PROP = re.compile(r"^  (\S+): FDT_PROP token at 0x([0-9a-f]+), (\d+) bytes of value at 0x([0-9a-f]+)$")
BYTES = re.compile(r"^    0x([0-9a-f]+):((?: [0-9a-f]{2})+)$")


def fdtdump_props(dtb):
    """{token offset: (name, value offset)} from fdtdump -d's comments."""
    text = subprocess.run(["fdtdump", "-d", dtb], capture_output=True, text=True,
                          check=True).stdout.splitlines()
    props = {}
    for i, line in enumerate(text):
        m = re.match(r"^\s*// ([0-9a-f]+): tag: 0x00000003 \(FDT_PROP\)", line)
        if not m or i + 2 >= len(text):
            continue
        name = re.match(r"^\s*// [0-9a-f]+: string: (.*)$", text[i + 1])
        value = re.match(r"^\s*// ([0-9a-f]+): value$", text[i + 2])
        if name and value:
            props[int(m.group(1), 16)] = (name.group(1), int(value.group(1), 16))
    return props


def cross_check(out, dtb):
    """Problems with what out says about dtb's bytes; [] when every claim holds."""
    problems = []
    props = fdtdump_props(dtb)
    blob = open(dtb, "rb").read()
    for line in out.splitlines():
        m = PROP.match(line)
        if m:
            name, token, length, value = m.group(1), int(m.group(2), 16), int(m.group(3)), \
                int(m.group(4), 16)
            if props.get(token) != (name, value):
                problems.append("fdtdump -d has no %s token at 0x%x with its value at 0x%x (it "
                                "has %s there)" % (name, token, value, props.get(token)))
            if int.from_bytes(blob[token + 4:token + 8], "big") != length:
                problems.append("the length cell at 0x%x is not %d" % (token + 4, length))
        m = BYTES.match(line)
        if m:
            offset, got = int(m.group(1), 16), bytes(int(b, 16) for b in m.group(2).split())
            if blob[offset:offset + len(got)] != got:
                problems.append("the file's bytes at 0x%x are not %s" % (offset, m.group(2).strip()))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dtprobe", default=os.path.join(REPO, "build/host/dtprobe"))
    ap.add_argument("--dir", default=os.path.join(REPO, "docs/exercises"))
    args = ap.parse_args()
    outdir = os.path.join(REPO, "build/host/exercises")
    os.makedirs(outdir, exist_ok=True)
    passed, failed = 0, 0
    for dts in sorted(glob.glob(os.path.join(args.dir, "[0-9]*.dts"))):
        name = os.path.basename(dts)[:-4]
        head = open(dts).readline()
        m = re.match(r"^// explain: (\S+)", head)
        problems = []
        if not m:
            problems.append("its first line is not '// explain: PATH'")
        expected_file = dts[:-4] + ".expected"
        if not os.path.exists(expected_file):
            problems.append("no %s" % os.path.relpath(expected_file, REPO))
        if not problems:
            dtb = os.path.join(outdir, name + ".dtb")
            subprocess.run(["dtc", "-q", "-I", "dts", "-O", "dtb", "-o", dtb, dts], check=True)
            run = subprocess.run([args.dtprobe, "--explain", m.group(1), dtb],
                                 capture_output=True, text=True)
            want = open(expected_file).read()
            if run.returncode != 0 or run.stdout != want:
                diff = difflib.unified_diff(want.splitlines(), run.stdout.splitlines(),
                                            "expected", "dtprobe", lineterm="")
                problems.append("dtprobe --explain (status %d) differs:\n%s%s" % (
                    run.returncode, "\n".join(diff), run.stderr))
            problems += cross_check(run.stdout, dtb)
        if problems:
            failed += 1
            print("exercise %s: FAIL\n  %s" % (name, "\n  ".join(problems)))
        else:
            passed += 1
    print("exercises: %d passed, %d failed" % (passed, failed))
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
