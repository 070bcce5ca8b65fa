#!/usr/bin/env bash
# A guest-side client: synack connect()s from an ephemeral port to a TCP
# echo server (socat) listening in the test's namespace on 198.18.0.1:9007,
# sends a line and reads it back (test=connect peer=198.18.0.1:9007;
# apps/connect_test.c), for e1000 and virtio-net.  socat is ended by PID.
set -u
. "$(dirname "$0")/echo_lib.bash"

SOCAT_PID=
socat_stop() {
	[ -n "$SOCAT_PID" ] && kill "$SOCAT_PID" 2>/dev/null
	[ -n "$SOCAT_PID" ] && wait "$SOCAT_PID" 2>/dev/null
	SOCAT_PID=
}
trap 'socat_stop; nic_cleanup; qemu_stop' EXIT

guest_connect_one() {
	local name=$1 device=$2
	nic_tap_setup
	timeout 300 ip netns exec "$NIC_NS" socat TCP-LISTEN:9007,bind=198.18.0.1,reuseaddr,fork EXEC:cat \
		> "$TEST_OUT/$name.socat" 2>&1 &
	SOCAT_PID=$!
	echo_boot "$name" "$device" "" "test=connect peer=198.18.0.1:9007"
	qemu_wait_for "$name" 60 'connect-test: (ok|FAIL)' ||
		fail "$name: no connect-test result (see $NIC_LOG)"
	grep -E 'connect-test: ok local=198\.18\.0\.2:[0-9]+ peer=198\.18\.0\.1:9007 bytes=31' "$NIC_LOG" ||
		fail "$name: $(grep -o 'connect-test: .*' "$NIC_LOG")"
	socat_stop
	nic_cleanup
}

guest_connect_one guest_connect_e1000 e1000
guest_connect_one guest_connect_virtio virtio-net-pci
echo "guest_connect: ok"
