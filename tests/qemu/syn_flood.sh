#!/usr/bin/env bash
# A bounded SYN burst (hping3: 20,000 SYNs to port 7 at ~10,000/s from the
# namespace's own address, so every SYN-ACK stays on the TAP link) while a
# normal client keeps connecting: every one of its echo exchanges must
# succeed during the burst, and the appliance must answer afterwards.
# e1000 and virtio-net.
set -u
. "$(dirname "$0")/echo_lib.bash"

HPING_PID=

hping_stop() {
	[ -n "$HPING_PID" ] && kill "$HPING_PID" 2>/dev/null
	[ -n "$HPING_PID" ] && wait "$HPING_PID" 2>/dev/null
	HPING_PID=
}
trap 'hping_stop; nic_cleanup; qemu_stop' EXIT

syn_flood_one() {
	local name=$1 device=$2 ok=0 i
	echo_boot "$name" "$device"
	timeout 60 ip netns exec "$NIC_NS" hping3 -q -S -p 7 -i u100 -c 20000 "$ECHO_IP" \
		> "$TEST_OUT/$name.hping" 2>&1 &
	HPING_PID=$!
	sleep 0.5
	for i in $(seq 1 10); do
		echo_py -t 30 tcp "$ECHO_IP" 7 65536 > /dev/null && ok=$((ok + 1))
	done
	kill -0 "$HPING_PID" 2>/dev/null || echo "$name: note: the burst ended before the last client exchange"
	hping_stop
	echo "$name: $ok/10 client exchanges during the SYN burst"
	[ "$ok" -eq 10 ] || fail "$name: a normal client failed during the SYN burst"
	echo_py -t 60 tcp "$ECHO_IP" 7 1048576 | sed "s/^/$name: after: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "$name: no echo after the burst"
	! grep -qE "panic|BUG" "$NIC_LOG" || fail "$name: kernel complained (see $NIC_LOG)"
	nic_cleanup
}

syn_flood_one syn_flood_e1000 e1000
syn_flood_one syn_flood_virtio virtio-net-pci
echo "syn_flood: ok"
