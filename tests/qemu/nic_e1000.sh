#!/usr/bin/env bash
# e1000 family end to end.  With QEMU user networking, for each model
# (82540EM, 82545EM, 82544GC, 82574L): the probe line names the model and
# the MAC given on the command line (read from the EEPROM), the link comes
# up, the stack comes up at 10.0.2.15, and a real exchange with slirp shows
# in the pcap=1 capture: synack's own frames (gratuitous ARP) and a UDP
# datagram slirp delivers through a host port forward.  For 82540EM and
# 82574L, QEMU monitor set_link off/on drives carrier down and up.  Then
# over a TAP link in a private network namespace (host 198.18.0.1, synack
# 198.18.0.2): arping, ping -c 20, ping -s 65000, a bounded flood, a
# preloaded burst to overrun the RX ring, link down/up and ping again.
#
# The nic_* helpers are shared with nic_virtio.sh, which sources this file
# (the main part only runs when it is executed).
set -u
. "$(dirname "$0")/lib.sh"

NIC_MAC=52:54:00:12:34:56
NIC_NS=
NIC_MON=
NIC_LOG=
NIC_BIN=

nic_cleanup() {
	qemu_stop
	if [ -n "$NIC_NS" ]; then
		ip -n "$NIC_NS" link del tap0 2>/dev/null
		ip netns del "$NIC_NS" 2>/dev/null
		rm -rf "$NIC_BIN"
		NIC_NS=
	fi
}
trap nic_cleanup EXIT

# One human-readable command to the QEMU monitor; waits for its prompt.
nic_monitor() {
	python3 - "$NIC_MON" "$1" <<'EOF'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(10)
s.connect(sys.argv[1])
buf = b''
while b'(qemu)' not in buf:
    buf += s.recv(4096)
s.sendall(sys.argv[2].encode() + b'\n')
buf = b''
while b'(qemu)' not in buf:
    buf += s.recv(4096)
EOF
}

# Waits (up to TIMEOUT s) until PATTERN occurs at least COUNT times in the log.
nic_wait_count() {
	local timeout=$1 pattern=$2 count=$3 deadline=$((SECONDS + $1))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(grep -cE "$pattern" "$NIC_LOG")" -ge "$count" ] && return 0
		sleep 0.2
	done
	return 1
}

# nic_boot NAME DEVICE NETDEV APPEND: boots with the NIC as nic0, a
# monitor socket and COM2 (pcap=1 output) in $TEST_OUT/NAME.com2; returns
# once the driver reports link up.
nic_boot() {
	local name=$1 device=$2 netdev=$3 append=$4
	NIC_LOG=$TEST_OUT/$name.log
	NIC_MON=$TEST_OUT/$name.mon
	rm -f "$NIC_MON"
	qemu_boot "$name" 120 'eth0: link up' -serial "file:$TEST_OUT/$name.com2" \
		-nic none -netdev "$netdev" -device "$device,netdev=n0,mac=$NIC_MAC,id=nic0" \
		-monitor "unix:$NIC_MON,server,nowait" \
		-kernel "$BUILD/synack.elf" -append "loglevel=info $append"
}

# Counts, in capture PCAP, frames sent from our MAC and UDP datagrams to
# port 7 that slirp (52:55:0a:00:02:02) delivered to it: "TX RX".
nic_pcap_count() {
	python3 - "$1" "$NIC_MAC" <<'EOF'
import struct, sys
data = open(sys.argv[1], 'rb').read()
mac = bytes.fromhex(sys.argv[2].replace(':', ''))
slirp = bytes.fromhex('52550a000202')
tx = rx = 0
off = 24
while off + 16 <= len(data):
    incl = struct.unpack_from('<IIII', data, off)[2]
    f = data[off + 16:off + 16 + incl]
    off += 16 + incl
    if len(f) < 34:
        continue
    if f[6:12] == mac:
        tx += 1
    ihl = (f[14] & 15) * 4
    if (f[0:6] == mac and f[6:12] == slirp and f[12:14] == b'\x08\x00' and
            f[23] == 17 and len(f) >= 14 + ihl + 4 and
            struct.unpack_from('>H', f, 14 + ihl + 2)[0] == 7):
        rx += 1
print(tx, rx)
EOF
}

# UDP datagrams from the host into the guest through slirp's port forward
# until the capture shows one arrived (slirp ARPs for the guest first if it
# has not learned its MAC yet).
nic_slirp_exchange() {
	local name=$1 port=$2 counts tx=0 rx=0
	for _ in $(seq 1 20); do
		python3 -c 'import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.sendto(b"synack nic test", ("127.0.0.1", int(sys.argv[1])))' "$port"
		sleep 0.5
		tools/pcap -o "$TEST_OUT/$name.pcap" "$TEST_OUT/$name.com2" 2>/dev/null || continue
		counts=$(nic_pcap_count "$TEST_OUT/$name.pcap")
		tx=${counts% *} rx=${counts#* }
		[ "$tx" -gt 0 ] && [ "$rx" -gt 0 ] && break
	done
	echo "$name: pcap: $tx frames sent by synack, $rx UDP datagrams received from slirp"
	[ "$tx" -gt 0 ] || fail "$name: no frame from $NIC_MAC in the capture"
	[ "$rx" -gt 0 ] || fail "$name: the UDP datagram from slirp never reached the guest"
}

# set_link off/on through the monitor: one carrier line each way.
nic_link_cycle() {
	local ups
	ups=$(grep -c 'eth0: link up' "$NIC_LOG")
	nic_monitor "set_link nic0 off" || fail "monitor: set_link off"
	nic_wait_count 30 'eth0: link down' 1 || fail "no carrier-down line after set_link off ($NIC_LOG)"
	nic_monitor "set_link nic0 on" || fail "monitor: set_link on"
	nic_wait_count 30 'eth0: link up' $((ups + 1)) ||
		fail "no carrier-up line after set_link on ($NIC_LOG)"
}

# nic_slirp NAME DEVICE PROBE_REGEX [cycle]: user networking, probe, link,
# the stack's ready line, an exchange with slirp, optionally a link cycle.
nic_slirp() {
	local name=$1 device=$2 probe=$3 cycle=${4:-} port=$((20000 + RANDOM % 20000))
	nic_boot "$name" "$device" "user,id=n0,hostfwd=udp:127.0.0.1:$port-:7" \
		"ip=10.0.2.15/24 gw=10.0.2.2 pcap=1" ||
		fail "$name: no 'eth0: link up' (see $NIC_LOG)"
	grep -E "eth0: $probe" "$NIC_LOG" | grep -q " mac $NIC_MAC" ||
		fail "$name: no probe line matching '$probe' with mac $NIC_MAC (see $NIC_LOG)"
	qemu_wait_for "$name" 60 "synack: ready ip=10\.0\.2\.15/24" ||
		fail "$name: no 'synack: ready ip=10.0.2.15/24' (see $NIC_LOG)"
	grep 'synack: ready' "$NIC_LOG" | grep -q "mac=$NIC_MAC" ||
		fail "$name: the ready line does not carry mac=$NIC_MAC"
	nic_slirp_exchange "$name" "$port"
	[ -n "$cycle" ] && nic_link_cycle
	grep -E "eth0: " "$NIC_LOG" | sed "s/^/$name: /"
	qemu_stop
}

nsx() {
	ip netns exec "$NIC_NS" "$@"
}

# A private namespace holding tap0 (198.18.0.1/24), and a qemu-system-x86_64
# wrapper early in PATH that execs QEMU inside it (same PID, so lib.sh still
# ends it by PID).
nic_tap_setup() {
	NIC_NS=synack-nic-$$
	ip netns add "$NIC_NS" || fail "ip netns add (needs root)"
	nsx ip link set lo up
	nsx ip tuntap add dev tap0 mode tap || fail "cannot create tap0"
	nsx ip addr add 198.18.0.1/24 dev tap0
	nsx ip link set tap0 up
	NIC_BIN=$TEST_OUT/$NIC_NS.bin
	mkdir -p "$NIC_BIN"
	printf '#!/bin/sh\nexec ip netns exec %s %s "$@"\n' "$NIC_NS" \
		"$(command -v qemu-system-x86_64)" > "$NIC_BIN/qemu-system-x86_64"
	chmod +x "$NIC_BIN/qemu-system-x86_64"
}

# nic_ping NAME MAXLOSS ping-args...: runs ping in the namespace, prints its
# summary, fails if more than MAXLOSS percent was lost.
nic_ping() {
	local name=$1 maxloss=$2 out loss
	shift 2
	out=$(nsx ping -q "$@" 198.18.0.2 2>&1)
	echo "$name: ping $*: $(echo "$out" | grep -E 'transmitted|rtt' | tr '\n' ' ')"
	loss=$(echo "$out" | sed -nE 's/.* ([0-9.]+)% packet loss.*/\1/p')
	[ -n "$loss" ] || fail "$name: ping $* gave no summary: $out"
	awk -v l="$loss" -v m="$maxloss" 'BEGIN { exit !(l <= m) }' ||
		fail "$name: ping $*: $loss% lost (at most $maxloss% allowed)"
}

# nic_tap NAME DEVICE: the TAP part of the test for one NIC model.
nic_tap() {
	local name=$1 device=$2 oldpath=$PATH
	nic_tap_setup
	PATH=$NIC_BIN:$PATH
	nic_boot "$name" "$device" tap,id=n0,ifname=tap0,script=no,downscript=no \
		"ip=198.18.0.2/24"
	local booted=$?
	PATH=$oldpath
	[ $booted -eq 0 ] || fail "$name: no 'eth0: link up' (see $NIC_LOG)"
	qemu_wait_for "$name" 60 'synack: ready ip=198\.18\.0\.2/24' ||
		fail "$name: no 'synack: ready ip=198.18.0.2/24' (see $NIC_LOG)"
	nsx arping -q -c 3 -w 20 -I tap0 198.18.0.2 || fail "$name: no ARP reply from 198.18.0.2"
	nic_ping "$name" 0 -c 20 -i 0.2 -W 5
	nic_ping "$name" 0 -c 3 -i 1 -W 10 -s 65000
	nic_ping "$name" 10 -f -c 500 -W 2
	# 300 echo requests in flight at once: more than the 256-entry RX ring.
	nsx ping -q -f -l 300 -c 1500 -s 1400 -W 2 198.18.0.2 > /dev/null 2>&1
	nic_ping "$name" 0 -c 5 -i 0.2 -W 5
	nic_link_cycle
	nic_ping "$name" 20 -c 5 -i 0.5 -W 5
	grep -E "eth0: " "$NIC_LOG" | sed "s/^/$name: /"
	nic_cleanup
}

nic_e1000_main() {
	nic_slirp nic_e1000 e1000 'e1000 82540 8086:100e' cycle
	nic_slirp nic_e1000_82545em e1000-82545em 'e1000 82545 8086:100f'
	nic_slirp nic_e1000_82544gc e1000-82544gc 'e1000 82544 8086:100c'
	nic_slirp nic_e1000e e1000e 'e1000 82574L 8086:10d3.*msi vector' cycle
	nic_tap nic_e1000_tap e1000
	nic_tap nic_e1000e_tap e1000e
	echo "nic_e1000: ok"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	nic_e1000_main
fi
