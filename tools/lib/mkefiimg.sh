#!/usr/bin/env bash
# Builds the FAT image the GNU-EFI loader boots from, with mtools (no root,
# no loop devices):
#
#   /EFI/BOOT/BOOTX64.EFI   the loader (the removable-media default path)
#   /synack.elf             the kernel
#   /cmdline.txt            the kernel command line
#
#   tools/lib/mkefiimg.sh OUT.img BOOTX64.EFI SYNACK.ELF [KERNEL ARGS...]
#
# The image is a whole-disk FAT file system (no partition table), which
# UEFI firmware mounts as removable media.
set -eu
out=$1 loader=$2 elf=$3
shift 3

# Room for both files twice over plus FAT overhead, at least 8 MiB.
bytes=$(( $(stat -c %s "$loader") + $(stat -c %s "$elf") ))
mib=$(( bytes * 2 / 1048576 + 2 ))
[ "$mib" -ge 8 ] || mib=8

tmp=$out.tmp
rm -f "$tmp"
truncate -s "${mib}M" "$tmp"
mformat -i "$tmp" -v SYNACK -T $((mib * 2048)) -h 64 -s 32 ::
mmd -i "$tmp" ::/EFI ::/EFI/BOOT
mcopy -i "$tmp" "$loader" ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$tmp" "$elf" ::/synack.elf
printf '%s\n' "$*" | mcopy -i "$tmp" - ::/cmdline.txt
mv "$tmp" "$out"
