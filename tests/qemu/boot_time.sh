#!/usr/bin/env bash
# The ready line carries boot_us, the microseconds from the first
# instruction of the boot path (TSC read in boot/entry.S, or in the EFI
# loader) to the line, on every entry path: PVH with a static address and
# with DHCP, GRUB multiboot2 from the ISO under SeaBIOS and the GNU-EFI
# loader under OVMF (both with DHCP from slirp, as their images carry no
# ip=).  Plausible means: no more than the wall-clock time since QEMU
# started, and no less than the span of the kernel's own log stamps
# (nanoseconds of the same TSC) from its first stamped line to the last one
# before the ready line.
set -u
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/../../tools/lib/ovmf.sh"

READY='synack: ready ip=10\.0\.2\.15/24 .* boot_us=[0-9]+'

# stamp_us LINE: a "[    1.234567] ..." log stamp in microseconds
stamp_us() {
	sed -nE 's/^\[ *([0-9]+)\.([0-9]{6})\].*/\1\2/p' <<<"$1" | sed 's/^0*//;s/^$/0/'
}

# boot_time_one NAME PATH QEMU-ARGS...: boots, waits for the ready line,
# checks boot_us against the wall clock and the log stamps, and that the
# kernel names PATH as its boot path.
boot_time_one() {
	local name=$1 path=$2 log=$TEST_OUT/$1.log start_ns wall_us line us first last
	shift 2
	start_ns=$(date +%s%N)
	qemu_boot "$name" 300 "$READY" -nic user,model=e1000 "$@" ||
		fail "$name: no ready line with boot_us (see $log)"
	wall_us=$((($(date +%s%N) - start_ns) / 1000))
	line=$(grep -m1 -E "$READY" "$log")
	us=$(sed -nE 's/.* boot_us=([0-9]+).*/\1/p' <<<"$line")
	# Lines before the TSC is calibrated are stamped 0.000000: skip them.
	first=$(stamp_us "$(grep -E '^\[ *[0-9]+\.[0-9]{6}\]' "$log" | grep -vm1 -E '^\[ *0\.000000\]')")
	last=$(stamp_us "$(sed -n '/synack: ready ip=/q;p' "$log" | grep -E '^\[ *[0-9]+\.[0-9]{6}\]' | tail -1)")
	[ -n "$us" ] && [ -n "$first" ] && [ -n "$last" ] || fail "$name: cannot read '$line' (see $log)"
	[ "$us" -gt 0 ] && [ "$us" -le "$wall_us" ] ||
		fail "$name: boot_us=$us is not within the $wall_us us since QEMU started"
	[ "$us" -ge $((last - first)) ] ||
		fail "$name: boot_us=$us is less than the log's own span, $((last - first)) us"
	qemu_wait_for "$name" 30 "booting via $path" || fail "$name: boot path not reported as $path"
	echo "$name: boot_us=$us (log span $((last - first)) us, wall clock $wall_us us)"
	qemu_stop
}

boot_time_one boot_time_pvh pvh -kernel "$BUILD/synack.elf" -append "ip=10.0.2.15/24 loglevel=info"
boot_time_one boot_time_pvh_dhcp pvh -kernel "$BUILD/synack.elf" -append "loglevel=info"
grep -q 'net: eth0: no ip=, starting DHCP' "$TEST_OUT/boot_time_pvh_dhcp.log" ||
	fail "boot_time_pvh_dhcp: the kernel did not use DHCP"
boot_time_one boot_time_iso_bios multiboot2 -cdrom "$BUILD/synack.iso"
ovmf=$(ovmf_args "$TEST_OUT/boot_time_efi.vars.fd") || fail "no OVMF"
# shellcheck disable=SC2086
boot_time_one boot_time_efi efi $ovmf -drive "format=raw,snapshot=on,file=$BUILD/synack-efi.img"
echo "boot_time: ok"
