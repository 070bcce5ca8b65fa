#!/usr/bin/env bash
# A guest-side ping through a raw socket: synack (test=ping
# peer=198.18.0.1; apps/ping_test.c) sends ICMP echo requests with
# socket(AF_INET, SOCK_RAW, IPPROTO_ICMP) to the host side of the test's
# namespace and matches the replies by id and seq, for e1000 and
# virtio-net.  The namespace's own ICMP counters must show the requests.
set -u
. "$(dirname "$0")/echo_lib.bash"

trap 'nic_cleanup; qemu_stop' EXIT

# The namespace's Icmp InEchos (/proc/net/snmp is per network namespace).
ns_in_echos() {
	ip netns exec "$NIC_NS" awk '/^Icmp:/ { if (!h) { for (i = 1; i <= NF; i++) c[$i] = i; h = 1 }
		else print $c["InEchos"] }' /proc/net/snmp
}

guest_ping_one() {
	local name=$1 device=$2 before after
	nic_tap_setup
	before=$(ns_in_echos)
	echo_boot "$name" "$device" "" "test=ping peer=198.18.0.1"
	qemu_wait_for "$name" 90 'ping-test: (done|FAIL)' ||
		fail "$name: no ping-test result (see $NIC_LOG)"
	grep -o 'ping-test: .*' "$NIC_LOG"
	grep -qE 'ping-test: done peer=198\.18\.0\.1 sent=5 received=5 lost=0 rtt min/avg/max=[0-9.]+/[0-9.]+/[0-9.]+ ms' "$NIC_LOG" ||
		fail "$name: $(grep -o 'ping-test: done.*\|ping-test: FAIL.*' "$NIC_LOG")"
	[ "$(grep -cE 'ping-test: 64 bytes from 198\.18\.0\.1: icmp_seq=[1-5] ttl=64 time=' "$NIC_LOG")" -eq 5 ] ||
		fail "$name: expected 5 reply lines"
	after=$(ns_in_echos)
	[ $((after - before)) -ge 5 ] || fail "$name: the host saw $((after - before)) echo requests"
	nic_cleanup
}

guest_ping_one guest_ping_e1000 e1000
guest_ping_one guest_ping_virtio virtio-net-pci
echo "guest_ping: ok"
