# dnsmasq on the TAP of nic_tap_setup (nic_e1000.sh), for the DHCP tests
# dhcp_dnsmasq.sh and dhcp_dnsmasq_nak.sh (sourced, bash).
#
#   dnsmasq_start NAME FIRST LAST ROUTER [ARGS...]
#       dnsmasq in the namespace on tap0 (198.18.0.1/24), leasing FIRST to
#       LAST in 198.18.0.0/24 for two minutes (its shortest) with router
#       ROUTER, DNS server 198.18.0.53 and T1 20 s / T2 40 s (options 58
#       and 59); ARGS are added to its command line.  A fresh lease file
#       ($TEST_OUT/leases); the log in $TEST_OUT/NAME.dnsmasq.log
#       ($DNSMASQ_LOG).  Returns once it serves the range.
#   dnsmasq_stop        ends it by PID (also done by dhcp_dnsmasq_cleanup,
#                       the EXIT trap, which then runs nic_cleanup).
#   dnsmasq_wait_count TIMEOUT PATTERN COUNT
#       waits until PATTERN occurs COUNT times in $DNSMASQ_LOG.
#   dhcp_ping NAME ADDR ping-args...   ping ADDR from the namespace, no loss.
#   metric NAME ADDR FAMILY COUNTER    a synack_snmp counter from /metrics.
. "$(dirname "${BASH_SOURCE[0]}")/nic_e1000.sh"

DNSMASQ_PID=
DNSMASQ_LOG=

dnsmasq_stop() {
	if [ -n "$DNSMASQ_PID" ] && kill -0 "$DNSMASQ_PID" 2>/dev/null; then
		kill "$DNSMASQ_PID"
		wait "$DNSMASQ_PID" 2>/dev/null
	fi
	DNSMASQ_PID=
}

dhcp_dnsmasq_cleanup() {
	dnsmasq_stop
	nic_cleanup
}
trap dhcp_dnsmasq_cleanup EXIT

dnsmasq_start() {
	local name=$1 first=$2 last=$3 router=$4
	shift 4
	DNSMASQ_LOG=$TEST_OUT/$name.dnsmasq.log
	rm -f "$TEST_OUT/leases"
	# ip netns exec execs dnsmasq, so $! is dnsmasq itself (nsx, a shell
	# function, would put a subshell in between).
	ip netns exec "$NIC_NS" dnsmasq --no-daemon --interface=tap0 --bind-interfaces \
		--dhcp-range="$first,$last,255.255.255.0,2m" \
		--dhcp-option=3,"$router" --dhcp-option=6,198.18.0.53 \
		--dhcp-option=option:T1,20 --dhcp-option=option:T2,40 --port=0 --no-resolv \
		--dhcp-leasefile="$TEST_OUT/leases" --log-facility=- --pid-file= "$@" \
		> "$DNSMASQ_LOG" 2>&1 &
	DNSMASQ_PID=$!
	for _ in $(seq 1 50); do
		grep -q 'DHCP, IP range' "$DNSMASQ_LOG" && return 0
		kill -0 "$DNSMASQ_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "$name: dnsmasq did not start: $(cat "$DNSMASQ_LOG")"
}

dnsmasq_wait_count() {
	local timeout=$1 pattern=$2 count=$3 deadline=$((SECONDS + $1))
	while [ $SECONDS -lt $deadline ]; do
		[ "$(grep -cE "$pattern" "$DNSMASQ_LOG")" -ge "$count" ] && return 0
		sleep 0.5
	done
	return 1
}

dhcp_ping() {
	local name=$1 addr=$2 out
	shift 2
	out=$(nsx ping -q "$@" "$addr" 2>&1)
	echo "$name: ping $addr: $(echo "$out" | grep -E 'transmitted' | tr '\n' ' ')"
	echo "$out" | grep -q ' 0% packet loss' || fail "$name: ping $addr $*: $out"
}

metric() {
	local name=$1 addr=$2 v
	v=$(nsx curl -s --max-time 20 "http://$addr/metrics" |
		sed -nE "s/^synack_snmp\{family=\"$3\",counter=\"$4\"\} ([0-9]+)$/\1/p")
	[ -n "$v" ] || fail "$name: no $3 $4 in /metrics"
	echo "$v"
}

command -v dnsmasq > /dev/null || fail "dnsmasq not installed (tools/lib/deps.sh: dnsmasq-base)"
