#!/usr/bin/env python3
"""The size of a kernel image as its loaders see it.

synack's "kernel image" is the bytes a loader copies: the p_filesz of every
PT_LOAD segment of synack.elf (text, rodata with the .ksyms table and the
embedded web content, data, with the page padding inside them; .bss is
zeroed memory, not image).  For a Linux guest, the bzImage as booted
(vmlinuz, compressed) and the same PT_LOAD measure of the vmlinux inside
it.

    image_size.py ELF [--max BYTES] [--content FILE...]

prints the segments and their sum, and the bytes of the web content FILEs
(apps/www, part of the image, shown apart); exits 1 when the sum exceeds
--max.  tools/bench imports elf_segments and vmlinuz_sizes.
"""
import argparse
import lzma
import os
import struct
import sys

PT_LOAD = 1
PF_X, PF_W = 1, 2


def elf_segments(data):
    """[(kind, filesz, memsz)] of the PT_LOAD segments of a 64-bit
    little-endian ELF, kind "text" (executable), "data" (writable) or
    "rodata"."""
    if data[:4] != b"\x7fELF" or data[4] != 2 or data[5] != 1:
        raise ValueError("not a 64-bit little-endian ELF")
    phoff, = struct.unpack_from("<Q", data, 32)
    phentsize, phnum = struct.unpack_from("<HH", data, 54)
    segs = []
    for i in range(phnum):
        p_type, p_flags, _, _, _, filesz, memsz = struct.unpack_from(
            "<IIQQQQQ", data, phoff + i * phentsize)
        if p_type != PT_LOAD:
            continue
        kind = "text" if p_flags & PF_X else "data" if p_flags & PF_W else "rodata"
        segs.append((kind, filesz, memsz))
    return segs


def section_size(data, name):
    """sh_size of the named section of a 64-bit little-endian ELF, or None."""
    shoff, = struct.unpack_from("<Q", data, 40)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", data, 58)

    def header(i):
        return struct.unpack_from("<IIQQQQ", data, shoff + i * shentsize)
    strtab = header(shstrndx)[4]
    want = name.encode() + b"\0"
    for i in range(shnum):
        sh_name, _, _, _, _, size = header(i)
        if data[strtab + sh_name:strtab + sh_name + len(want)] == want:
            return size
    return None


def loaded_bytes(segs):
    return sum(filesz for _, filesz, _ in segs)


def vmlinuz_sizes(path):
    """(bzImage bytes, vmlinux .text bytes, vmlinux loaded bytes);
    the last two None when the payload is not xz (the only compression
    Python reads without extra packages; Debian's amd64 kernels use it)."""
    data = open(path, "rb").read()
    setup_sects = data[0x1f1] or 4
    payload_offset, payload_length = struct.unpack_from("<II", data, 0x248)
    start = (setup_sects + 1) * 512 + payload_offset
    payload = data[start:start + payload_length]
    if not payload.startswith(b"\xfd7zXZ\x00"):
        return len(data), None, None
    vmlinux = lzma.LZMADecompressor(format=lzma.FORMAT_XZ).decompress(payload)
    segs = elf_segments(vmlinux)
    return len(data), section_size(vmlinux, ".text"), loaded_bytes(segs)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("elf")
    ap.add_argument("--max", type=int)
    ap.add_argument("--content", nargs="*", default=[])
    args = ap.parse_args()
    segs = elf_segments(open(args.elf, "rb").read())
    total = loaded_bytes(segs)
    for kind, filesz, memsz in segs:
        extra = f" (+{memsz - filesz:,} zeroed, not in the image)" if memsz > filesz else ""
        print(f"{kind:7s} {filesz:9,d}{extra}")
    content = sum(os.path.getsize(f) for f in args.content)
    print(f"image   {total:9,d} bytes ({total / 1024:.1f} KiB)"
          + (f", of which web content (apps/www) {content:,d}" if args.content else ""))
    if args.max is not None:
        print(f"limit   {args.max:9,d} bytes: {args.max - total:,d} to spare")
        if total > args.max:
            print(f"FAIL: {args.elf} is {total - args.max:,d} bytes over the limit")
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
