#!/usr/bin/env bash
# TCP echo through an impaired link, for e1000 and virtio-net: QEMU's
# -netdev dgram goes to tools/impair, which relays to the TAP inside the
# namespace, dropping 5%, reordering 25% and duplicating 1% of the frames
# in each direction (seeded).  ECHO_IMPAIR_BYTES stream through the echo
# and must come back with the same sha256; the MB/s and the relay's
# counters are printed.  Bounded by ECHO_IMPAIR_TIMEOUT seconds per NIC.
#
# The default is 16 MiB per NIC: under TCG through this link the echo
# moves about 0.15-0.2 MB/s each way (synack's sender recovers slowly from
# the reordering), so the 100 MiB of the issue takes about ten minutes
# per NIC; run it with ECHO_IMPAIR_BYTES=$((100 << 20)) and
# ECHO_IMPAIR_NICS=e1000 (or virtio-net-pci) to fit tools/test's limit.
set -u
. "$(dirname "$0")/echo_lib.bash"

ECHO_IMPAIR_BYTES=${ECHO_IMPAIR_BYTES:-$((16 << 20))}
ECHO_IMPAIR_TIMEOUT=${ECHO_IMPAIR_TIMEOUT:-840}
ECHO_IMPAIR_NICS=${ECHO_IMPAIR_NICS:-e1000 virtio-net-pci}
IMPAIR=$(dirname "$0")/../../tools/impair
RELAY_PID=

relay_stop() {
	if [ -n "$RELAY_PID" ]; then
		kill "$RELAY_PID" 2>/dev/null
		wait "$RELAY_PID" 2>/dev/null
		RELAY_PID=
	fi
}

echo_impair_cleanup() {
	relay_stop
	nic_cleanup
}
trap echo_impair_cleanup EXIT

echo_impair_one() {
	local name=$1 device=$2 stats=$TEST_OUT/$1.impair
	nic_tap_setup
	# ip netns exec execs the relay: $! is its PID.
	ip netns exec "$NIC_NS" python3 "$IMPAIR" --tap tap0 --port 10001 --qemu-port 10000 \
		--loss 5 --reorder 25 --duplicate 1 --seed 1 --stats "$stats" \
		2> "$TEST_OUT/$name.impair.err" &
	RELAY_PID=$!
	echo_boot "$name" "$device" "dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=10000,remote.type=inet,remote.host=127.0.0.1,remote.port=10001"
	echo_py -t "$ECHO_IMPAIR_TIMEOUT" tcp "$ECHO_IP" 7 "$ECHO_IMPAIR_BYTES" |
		sed "s/^/$name: /"
	[ "${PIPESTATUS[0]}" -eq 0 ] || fail "$name: stream echo through the impaired link"
	relay_stop
	sed "s/^/$name: /" "$stats"
	! grep -qE "panic|BUG" "$NIC_LOG" || fail "$name: kernel complained (see $NIC_LOG)"
	nic_cleanup
}

for nic in $ECHO_IMPAIR_NICS; do
	echo_impair_one "echo_impair_${nic%%-*}" "$nic"
done
echo "echo_impair: ok"
