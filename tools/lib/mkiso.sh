#!/usr/bin/env bash
# Builds the hybrid BIOS + UEFI GRUB ISO that boots synack via multiboot2.
#
#   tools/lib/mkiso.sh OUT.iso SYNACK.ELF GRUB.CFG.IN WORKDIR [KERNEL ARGS...]
#
# WORKDIR is scratch space (emptied); the kernel arguments replace
# @CMDLINE@ in the grub.cfg template.
set -eu
out=$1 elf=$2 cfg_in=$3 work=$4
shift 4

rm -rf "$work"
mkdir -p "$work/iso/boot/grub"
cp "$elf" "$work/iso/boot/synack.elf"
# Escape what sed treats specially in the replacement text.
args=$(printf '%s' "$*" | sed 's/[&|\\]/\\&/g')
sed "s|@CMDLINE@|$args|" "$cfg_in" > "$work/iso/boot/grub/grub.cfg"
# SOURCE_DATE_EPOCH keeps rebuilds of unchanged inputs byte-identical.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-0} \
	grub-mkrescue -o "$out.tmp" "$work/iso" > "$work/grub-mkrescue.log" 2>&1 || {
	cat "$work/grub-mkrescue.log" >&2
	exit 1
}
mv "$out.tmp" "$out"
