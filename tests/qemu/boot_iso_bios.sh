#!/usr/bin/env bash
# GRUB from build/synack.iso under SeaBIOS (QEMU's default firmware) loads
# the kernel through its multiboot2 header and reaches "synack: boot ok";
# the VBE framebuffer GRUB sets up for the header's framebuffer tag reaches
# the kernel and gets the framebuffer console.
set -u
. "$(dirname "$0")/lib.sh"

qemu_boot boot_iso_bios 180 'synack: boot ok' -cdrom "$BUILD/synack.iso" ||
	fail "no 'synack: boot ok' (see $TEST_OUT/boot_iso_bios.log)"
grep -q 'booting via multiboot2' "$TEST_OUT/boot_iso_bios.log" ||
	fail "boot path not reported as multiboot2"
grep -qE 'fbcon: [0-9]+x[0-9]+' "$TEST_OUT/boot_iso_bios.log" ||
	fail "no framebuffer console: GRUB's framebuffer tag did not arrive"
