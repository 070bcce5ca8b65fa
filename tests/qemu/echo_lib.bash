# Shared part of the echo QEMU tests (sourced, bash): boots synack with one
# NIC on a TAP link in a private namespace (host 198.18.0.1/24, synack
# 198.18.0.2/24; nic_e1000.sh's helpers create and delete it) and waits
# until the stack is ready and the echo service serves port 7.
#
#   echo_boot NAME DEVICE [NETDEV [APPEND]]
#       NETDEV defaults to the TAP itself; a test that puts a relay in
#       between (tools/impair) passes its own -netdev spec.
#   ECHO_CLIENT   the Python client (tests/qemu/echo_client.py)
#   echo_py [-t SECS] ARGS
#                 runs it inside the namespace, bounded by SECS (default 300)

. "$(dirname "${BASH_SOURCE[0]}")/nic_e1000.sh"

ECHO_CLIENT=$(dirname "${BASH_SOURCE[0]}")/echo_client.py
ECHO_IP=198.18.0.2

echo_boot() {
	local name=$1 device=$2 netdev=${3:-tap,id=n0,ifname=tap0,script=no,downscript=no}
	local append=${4:-} oldpath=$PATH booted
	[ -n "$NIC_NS" ] || nic_tap_setup
	PATH=$NIC_BIN:$PATH
	nic_boot "$name" "$device" "$netdev" "ip=$ECHO_IP/24 $append"
	booted=$?
	PATH=$oldpath
	[ $booted -eq 0 ] || fail "$name: no 'eth0: link up' (see $NIC_LOG)"
	qemu_wait_for "$name" 60 'synack: ready ip=198\.18\.0\.2/24' ||
		fail "$name: no 'synack: ready ip=198.18.0.2/24' (see $NIC_LOG)"
	qemu_wait_for "$name" 30 'echo: serving port 7' ||
		fail "$name: the echo service did not start (see $NIC_LOG)"
}

echo_py() {
	local secs=300
	if [ "$1" = -t ]; then
		secs=$2
		shift 2
	fi
	timeout "$secs" ip netns exec "$NIC_NS" python3 "$ECHO_CLIENT" "$@"
}
