#!/usr/bin/env bash
# The idle memory footprint, as the appliance reports it, for e1000 and
# virtio-net: boot the default configuration (QEMU user networking, DHCP
# from slirp, -m 128), wait for the ready line and two quiet seconds, then
# read the shell's `stats`: the kernel image's pages, the page allocator's
# used and free pages, slab bytes in use and skbs alive.  Checks that each
# figure is there and plausible (image and used pages non-zero, used below
# total, the skbs alive no more than the RX rings and a few in flight:
# 1024); prints the figures and writes them to $TEST_OUT/mem_idle.figures.
# The same boot shows what DHCP holds: `ip addr` has the lease from slirp
# (server 10.0.2.2) and its DNS server 10.0.2.3, and `ss -u` the client's
# port-68 socket.  QEMU is ended by PID.
set -u
. "$(dirname "$0")/lib.sh"

FIGURES=$TEST_OUT/mem_idle.figures

# field REGEX: the first capture of REGEX (sed -E) in $OUT.
field() {
	printf '%s\n' "$OUT" | sed -nE "s/$1/\\1/p" | head -1
}

mem_idle_one() {
	local name=$1 model=$2 image used free total slab skbs kib
	qemu_boot_console "$name" 120 'synack: ready ip=' -nic user,model="$model" \
		-kernel "$BUILD/synack.elf" -append "loglevel=info" ||
		fail "$name: no ready line (see $TEST_OUT/$name.log)"
	sleep 2
	OUT=$(console_cmd "$name" "stats") || fail "$name: no answer to stats"
	image=$(field '^image: ([0-9]+) pages.*')
	total=$(field '^pages: total ([0-9]+) used .*')
	used=$(field '^pages: total [0-9]+ used ([0-9]+) free .*')
	free=$(field '^pages: total [0-9]+ used [0-9]+ free ([0-9]+) .*')
	slab=$(field '^slab: [0-9]+ objects, ([0-9]+) bytes.*')
	skbs=$(field '^skbs: alive ([0-9]+) .*')
	[ -n "$image" ] && [ -n "$total" ] && [ -n "$used" ] && [ -n "$free" ] && [ -n "$slab" ] &&
		[ -n "$skbs" ] || fail "$name: stats lacks a figure:
$OUT"
	[ "$image" -gt 0 ] && [ "$used" -gt 0 ] && [ "$used" -lt "$total" ] &&
		[ $((used + free)) -eq "$total" ] || fail "$name: implausible pages:
$OUT"
	[ "$skbs" -le 1024 ] || fail "$name: $skbs skbs alive at idle"
	OUT=$(console_cmd "$name" "ip addr show eth0") || fail "$name: no answer to ip addr"
	printf '%s\n' "$OUT" | grep -qE '^    dhcp BOUND server 10\.0\.2\.2 lease [0-9]+s valid_lft [0-9]+s t1 [0-9]+s t2 [0-9]+s$' ||
		fail "$name: ip addr shows no DHCP lease:
$OUT"
	printf '%s\n' "$OUT" | grep -qE '^    dns 10\.0\.2\.3$' || fail "$name: ip addr shows no DNS server:
$OUT"
	OUT=$(console_cmd "$name" "ss -u") || fail "$name: no answer to ss"
	printf '%s\n' "$OUT" | grep -qE '^udp +UNCONN +0 +0 +0\.0\.0\.0:68 ' ||
		fail "$name: ss -u does not list the DHCP client's port 68:
$OUT"
	kib=$(( (image + used) * 4 ))
	echo "$name: idle: image $image pages ($((image * 4)) KiB), page allocator used $used" \
		"pages ($((used * 4)) KiB) free $free of $total, slab $((slab / 1024)) KiB in use," \
		"skbs alive $skbs; image + used = $kib KiB" | tee -a "$FIGURES"
	qemu_stop
}

: > "$FIGURES"
mem_idle_one mem_idle_e1000 e1000
mem_idle_one mem_idle_virtio virtio-net-pci
echo "mem_idle: ok"
