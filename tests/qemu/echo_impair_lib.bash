# TCP echo through an impaired link (sourced by echo_impair_e1000.sh and
# echo_impair_virtio.sh, one NIC each so each fits tools/test's 900 s):
# QEMU's -netdev dgram goes to tools/impair, which relays to the TAP
# inside the namespace, dropping 5%, reordering 25% and duplicating 1% of
# the frames in each direction (seeded).  ECHO_IMPAIR_BYTES (100 MiB) go
# through the echo and must come back with the same sha256, within
# ECHO_IMPAIR_TIMEOUT seconds.  Printed: the MB/s, the relay's counters,
# and synack's TCP counters from the shell's `netstat -s` (COM1 is the
# console) that tell where the time went (timeouts, fast retransmits,
# undos, tail loss probes, reordering).
set -u
. "$(dirname "${BASH_SOURCE[0]}")/echo_lib.bash"

ECHO_IMPAIR_BYTES=${ECHO_IMPAIR_BYTES:-$((100 << 20))}
ECHO_IMPAIR_TIMEOUT=${ECHO_IMPAIR_TIMEOUT:-780}
IMPAIR=$(dirname "${BASH_SOURCE[0]}")/../../tools/impair
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

# The Ip and Tcp counters that moved, one "name value" a line; with a
# second argument only those that explain an impaired transfer.
echo_impair_counters() {
	console_cmd "$1" "netstat -s" | awk '
		/^[^ ].*:$/ { fam = substr($0, 1, length($0) - 1); next }
		(fam ~ /^Tcp/ || fam == "Ip") && /^    [^ ]+: [0-9]+$/ && $2 != "0" { sub(/^ +/, ""); print }' |
		grep -E "${2:-.}"
}
ECHO_IMPAIR_KEY='^(FragFails|RetransSegs|OutSegs|InSegs|TCPTimeouts|TCP.*(Retrans|Recovery|Undo|Spurious|Reorder|DSACK|Loss|Probe|OFO|Prune)|PruneCalled|OfoPruned|DelayedACKLost)'


echo_impair_run() {
	local name=$1 device=$2 stats=$TEST_OUT/$1.impair oldpath=$PATH booted
	local netdev=dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=10000
	netdev=$netdev,remote.type=inet,remote.host=127.0.0.1,remote.port=10001
	NIC_LOG=$TEST_OUT/$name.log
	nic_tap_setup
	# ip netns exec execs the relay: $! is its PID.
	ip netns exec "$NIC_NS" python3 "$IMPAIR" --tap tap0 --port 10001 --qemu-port 10000 \
		--loss 5 --reorder 25 --duplicate 1 --seed 1 --stats "$stats" \
		2> "$TEST_OUT/$name.impair.err" &
	RELAY_PID=$!
	PATH=$NIC_BIN:$PATH
	qemu_boot_console "$name" 120 'echo: serving port 7' -nic none -netdev "$netdev" \
		-device "$device,netdev=n0,mac=$NIC_MAC,id=nic0" \
		-kernel "$BUILD/synack.elf" -append "loglevel=info ip=$ECHO_IP/24"
	booted=$?
	PATH=$oldpath
	[ $booted -eq 0 ] || fail "$name: the echo service did not start (see $NIC_LOG)"
	echo_py -t "$ECHO_IMPAIR_TIMEOUT" tcp "$ECHO_IP" 7 "$ECHO_IMPAIR_BYTES" |
		sed "s/^/$name: /"
	if [ "${PIPESTATUS[0]}" -ne 0 ]; then
		# what synack's side looks like where it stopped
		console_cmd "$name" "ss" | sed "s/^/$name: ss: /"
		console_cmd "$name" "ip link" | sed "s/^/$name: link: /"
		console_cmd "$name" "netstat -s" | grep -vE ': 0$' | sed "s/^/$name: /"
		fail "$name: stream echo through the impaired link"
	fi
	relay_stop
	sed "s/^/$name: /" "$stats"
	echo_impair_counters "$name" "$ECHO_IMPAIR_KEY" | sed "s/^/$name: tcp /"
	! grep -qE "panic|BUG" "$NIC_LOG" || fail "$name: kernel complained (see $NIC_LOG)"
	nic_cleanup
	echo "$name: ok"
}
