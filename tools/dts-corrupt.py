#!/usr/bin/env python3
"""Make malformed DTBs that a .dts cannot express, by damaging a good DTB at byte level.

    dts-corrupt.py NAME GOOD.dtb OUT.dtb    write GOOD.dtb damaged the way NAME says
    dts-corrupt.py --list                   print the NAMEs, one a line

`make host` runs it for every NAME, from a compiled Xen capture, into
build/host/dtb/malformed/NAME.dtb; tests/host/test_samples.c checks that dt_check() refuses
each one. Every corruption is one function below whose comment says what it breaks. Each
checks that it found what it meant to damage, so a change of the good DTB cannot silently
turn a corruption into a no-op.

The format is the Devicetree Specification's flattened form (v0.4, chapter 5): a 40-byte
header of big-endian 32-bit fields, then the memory reservation map, the structure block
(a stream of 32-bit tokens) and the strings block.
"""
import struct
import sys

FDT_MAGIC = 0xD00DFEED
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_NOP, FDT_END = 1, 2, 3, 4, 9

# Header fields in order (spec 5.2), each a big-endian u32 at offset 4 * index.
HEADER = ("magic", "totalsize", "off_dt_struct", "off_dt_strings", "off_mem_rsvmap",
          "version", "last_comp_version", "boot_cpuid_phys", "size_dt_strings",
          "size_dt_struct")


def get_u32(blob, off):
    return struct.unpack_from(">I", blob, off)[0]


def set_u32(blob, off, value):
    struct.pack_into(">I", blob, off, value)


def header(blob):
    return {name: get_u32(blob, 4 * i) for i, name in enumerate(HEADER)}


def set_header(blob, name, value):
    set_u32(blob, 4 * HEADER.index(name), value)


def tokens(blob):
    """Walk the (good) structure block: yield (offset, token, path, extra) for each token.

    extra is the property name for FDT_PROP (and the offsets of its len and nameoff
    fields), the node name for FDT_BEGIN_NODE, None otherwise.
    """
    h = header(blob)
    off = h["off_dt_struct"]
    end = off + h["size_dt_struct"]
    strings = h["off_dt_strings"]
    path = []
    while off < end:
        tag = get_u32(blob, off)
        if tag == FDT_BEGIN_NODE:
            name_end = blob.index(b"\0", off + 4)
            name = blob[off + 4:name_end].decode()
            path.append(name)
            yield off, tag, "/" + "/".join(path[1:]), name
            off = (name_end + 1 + 3) & ~3
        elif tag == FDT_END_NODE:
            yield off, tag, "/" + "/".join(path[1:]), None
            path.pop()
            off += 4
        elif tag == FDT_PROP:
            length = get_u32(blob, off + 4)
            nameoff = get_u32(blob, off + 8)
            name_end = blob.index(b"\0", strings + nameoff)
            name = blob[strings + nameoff:name_end].decode()
            yield off, tag, "/" + "/".join(path[1:]), (name, off + 4, off + 8)
            off = (off + 12 + length + 3) & ~3
        elif tag == FDT_NOP:
            off += 4
        elif tag == FDT_END:
            yield off, tag, "", None
            return
        else:
            sys.exit(f"dts-corrupt: unknown token {tag:#x} at {off:#x} in the good DTB")


def find(blob, want_tag, want_path, want_name=None):
    """The first token of that kind at that node path (and, for FDT_PROP, that name)."""
    for off, tag, path, extra in tokens(blob):
        if tag != want_tag or path != want_path:
            continue
        if want_name is None or (extra and extra[0] == want_name):
            return off, extra
    sys.exit(f"dts-corrupt: {want_path} {want_name or ''} not found in the good DTB")


# ---- the corruptions: each takes the good blob (a bytearray) and returns the bad one ----

def bad_magic(blob):
    """The magic number is 0xdeadbeef instead of 0xd00dfeed: not a DTB at all."""
    set_header(blob, "magic", 0xDEADBEEF)
    return blob


def truncated(blob):
    """The file stops halfway through; the header (intact) still says the full totalsize."""
    return blob[:len(blob) // 2]


def truncated_header(blob):
    """Only the first 20 bytes: less than the 40-byte header itself."""
    return blob[:20]


def totalsize_beyond_file(blob):
    """Every byte is there, but totalsize claims 4 KiB more than the file holds."""
    set_header(blob, "totalsize", len(blob) + 4096)
    return blob


def version_1(blob):
    """version = last_comp_version = 1: older than v2, the first version libfdt reads."""
    set_header(blob, "version", 1)
    set_header(blob, "last_comp_version", 1)
    return blob


def version_99(blob):
    """version = last_comp_version = 99: a future format a v17 reader must not read."""
    set_header(blob, "version", 99)
    set_header(blob, "last_comp_version", 99)
    return blob


def struct_bad_token(blob):
    """/timer's FDT_BEGIN_NODE token is 0x00000007, a token the format does not define."""
    off, _ = find(blob, FDT_BEGIN_NODE, "/timer")
    set_u32(blob, off, 7)
    return blob


def struct_prop_overrun(blob):
    """/timer's interrupts property says it is 1 MiB long: far past the end of the blob."""
    _, (_, len_off, _) = find(blob, FDT_PROP, "/timer", "interrupts")
    set_u32(blob, len_off, 0x100000)
    return blob


def struct_bad_nameoff(blob):
    """/timer's compatible property names a string 256 bytes past the strings block's end."""
    _, (_, _, nameoff_off) = find(blob, FDT_PROP, "/timer", "compatible")
    set_u32(blob, nameoff_off, header(blob)["size_dt_strings"] + 256)
    return blob


def struct_unbalanced(blob):
    """The root node's FDT_END_NODE is an FDT_NOP: the root is never closed before FDT_END."""
    root_end = None
    for off, tag, path, _ in tokens(blob):
        if tag == FDT_END_NODE and path == "/":
            root_end = off
    if root_end is None:
        sys.exit("dts-corrupt: no FDT_END_NODE for the root in the good DTB")
    set_u32(blob, root_end, FDT_NOP)
    return blob


CORRUPTIONS = {
    "bad-magic": bad_magic,
    "truncated": truncated,
    "truncated-header": truncated_header,
    "totalsize-beyond-file": totalsize_beyond_file,
    "version-1": version_1,
    "version-99": version_99,
    "struct-bad-token": struct_bad_token,
    "struct-prop-overrun": struct_prop_overrun,
    "struct-bad-nameoff": struct_bad_nameoff,
    "struct-unbalanced": struct_unbalanced,
}


def main(argv):
    if argv[1:] == ["--list"]:
        print("\n".join(CORRUPTIONS))
        return 0
    if len(argv) != 4 or argv[1] not in CORRUPTIONS:
        sys.stderr.write(__doc__.split("\n\n")[1] + "\n\nNAMEs: " + " ".join(CORRUPTIONS) + "\n")
        return 2
    name, good, out = argv[1:]
    with open(good, "rb") as f:
        blob = bytearray(f.read())
    h = header(blob)
    if h["magic"] != FDT_MAGIC or h["totalsize"] != len(blob):
        sys.exit(f"dts-corrupt: {good} is not a good DTB to start from")
    bad = CORRUPTIONS[name](blob)
    with open(out, "wb") as f:
        f.write(bad)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
