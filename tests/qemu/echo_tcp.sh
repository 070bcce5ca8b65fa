#!/usr/bin/env bash
# TCP echo (port 7) end to end over a TAP link, for e1000 and virtio-net:
# a line through socat, RST (ECONNREFUSED) from a closed port, 100 MiB
# streamed through the echo and compared by sha256 (the MB/s is printed),
# 1,000 concurrent connections each echoing a line, 500 connect-send-close
# in a row (connections/s), and the slab bytes each of 200 idle established
# connections holds (from /stats before and while they are open).
set -u
. "$(dirname "$0")/echo_lib.bash"

ECHO_BYTES=${ECHO_BYTES:-$((100 << 20))}

echo_tcp_one() {
	local name=$1 device=$2 out
	echo_boot "$name" "$device"
	out=$(echo "hello synack" | nsx socat -t 5 - "TCP:$ECHO_IP:7") ||
		fail "$name: socat failed"
	[ "$out" = "hello synack" ] || fail "$name: socat got '$out'"
	echo "$name: socat: '$out'"
	echo_py tcp-refused "$ECHO_IP" 8 | sed "s/^/$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "$name: no RST from a closed port"
	echo_py -t 600 tcp "$ECHO_IP" 7 "$ECHO_BYTES" | sed "s/^/$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "$name: stream echo"
	echo_py tcp-many "$ECHO_IP" 7 1000 | sed "s/^/$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "$name: 1000 connections"
	echo_py tcp-rate "$ECHO_IP" 7 500 | sed "s/^/$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "$name: connect-send-close"
	echo_py tcp-idle "$ECHO_IP" 7 200 | sed "s/^/$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "$name: idle connections"
	! grep -qE "panic|BUG" "$NIC_LOG" || fail "$name: kernel complained (see $NIC_LOG)"
	nic_cleanup
}

echo_tcp_one echo_tcp_e1000 e1000
echo_tcp_one echo_tcp_virtio virtio-net-pci
echo "echo_tcp: ok"
