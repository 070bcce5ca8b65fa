#!/usr/bin/env python3
"""Turn `nm -n` of the first kernel link into the .ksyms table
(assembly) linked into the second: u64 count, {u32 addr - __text_start,
u32 name_off}[], then the NUL-terminated names.  Only text symbols are
kept.  32-bit fields: the table is 8 bytes a symbol smaller, and neither
the text nor the names come near 4 GiB."""
import subprocess
import sys


def main():
    nm, elf, out = sys.argv[1:4]
    syms = []
    listing = subprocess.run([nm, '-n', '--defined-only', elf], check=True,
                             capture_output=True, text=True).stdout
    for line in listing.splitlines():
        parts = line.split()
        if len(parts) != 3 or parts[1] not in 'tTwW':
            continue
        syms.append((int(parts[0], 16), parts[2]))
    syms.sort()
    base = next(addr for addr, name in syms if name == '__text_start')
    syms = [(addr, name) for addr, name in syms if addr >= base]
    lines = ['\t.section .ksyms, "a"', '\t.balign 8', f'\t.quad {len(syms)}']
    off = 0
    for addr, name in syms:
        lines.append(f'\t.long {addr - base:#x}, {off}')
        off += len(name) + 1
    for _, name in syms:
        lines.append(f'\t.asciz "{name}"')
    lines.append('\t.section .note.GNU-stack, "", @progbits')
    with open(out, 'w') as f:
        f.write('\n'.join(lines) + '\n')


if __name__ == '__main__':
    main()
