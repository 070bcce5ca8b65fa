#!/usr/bin/env bash
# The same hybrid ISO under OVMF: GRUB's EFI build loads the kernel through
# multiboot2 and it reaches "synack: boot ok".
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../../tools/lib/ovmf.sh"

ovmf=$(ovmf_args "$TEST_OUT/boot_iso_uefi.vars.fd") || fail "no OVMF"
# shellcheck disable=SC2086
qemu_boot boot_iso_uefi 180 'synack: boot ok' $ovmf -cdrom "$BUILD/synack.iso" ||
	fail "no 'synack: boot ok' (see $TEST_OUT/boot_iso_uefi.log)"
grep -q 'booting via multiboot2' "$TEST_OUT/boot_iso_uefi.log" ||
	fail "boot path not reported as multiboot2"
