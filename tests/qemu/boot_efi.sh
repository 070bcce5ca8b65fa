#!/usr/bin/env bash
# The GNU-EFI loader from build/synack-efi.img under OVMF: it reports its
# progress on the firmware console (mirrored to serial), exits boot
# services, and the kernel reaches "synack: boot ok" via the EFI path.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../../tools/lib/ovmf.sh"

log=$TEST_OUT/boot_efi.log
ovmf=$(ovmf_args "$TEST_OUT/boot_efi.vars.fd") || fail "no OVMF"
# snapshot=on: nothing the firmware writes reaches the build's image
# shellcheck disable=SC2086
qemu_boot boot_efi 180 'synack: boot ok' $ovmf \
	-drive "format=raw,snapshot=on,file=$BUILD/synack-efi.img" ||
	fail "no 'synack: boot ok' (see $log)"
grep -q 'synack-efi: exiting boot services' "$log" || fail "no loader progress on the console"
grep -q 'booting via efi' "$log" || fail "boot path not reported as efi"
grep -q 'cmdline "loglevel=info"' "$log" || fail "cmdline.txt not passed to the kernel"
