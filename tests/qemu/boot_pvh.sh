#!/usr/bin/env bash
# PVH direct boot (qemu -kernel) reaches "synack: boot ok".
set -u
. "$(dirname "$0")/lib.sh"

# shellcheck disable=SC2046
qemu_boot boot_pvh 120 'synack: boot ok' $(kernel_args "loglevel=info") ||
	fail "no 'synack: boot ok' (see $TEST_OUT/boot_pvh.log)"
grep -q 'booting via pvh' "$TEST_OUT/boot_pvh.log" || fail "boot path not reported as pvh"
