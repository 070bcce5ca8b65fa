#!/usr/bin/env bash
# UDP echo (port 7) end to end over a TAP link, for e1000 and virtio-net:
# a line through socat, 200 datagrams of 1 to 8000 bytes (fragmented ones
# too) compared byte for byte, and ECONNREFUSED on a connected socket to a
# closed port (ICMP port unreachable).
set -u
. "$(dirname "$0")/echo_lib.bash"

echo_udp_one() {
	local name=$1 device=$2 out
	echo_boot "$name" "$device"
	out=$(echo "hello synack" | nsx socat -t 5 - "UDP:$ECHO_IP:7") ||
		fail "$name: socat failed"
	[ "$out" = "hello synack" ] || fail "$name: socat got '$out'"
	echo "$name: socat: '$out'"
	echo_py udp "$ECHO_IP" 7 200 | sed "s/^/$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "$name: datagram echo"
	echo_py udp-refused "$ECHO_IP" 9 | sed "s/^/$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "$name: port unreachable"
	nic_cleanup
}

echo_udp_one echo_udp_e1000 e1000
echo_udp_one echo_udp_virtio virtio-net-pci
echo "echo_udp: ok"
