# The HTTP load the issue names, at its full counts, for one NIC model
# (sourced by http_clients_load_e1000.sh and http_clients_load_virtio.sh,
# one script per model so each stays well inside tools/test's 900 s):
#   - ab -n 20000 -c 50, without and with -k: zero failed requests, no
#     non-2xx answers (and with -k, every request kept alive);
#   - wrk -t 1 -c 64 -d 10s, and -c 1 for the single-connection figure:
#     no socket errors, no non-2xx answers;
#   - afterwards the server still answers, and /metrics shows no HTTP
#     answer outside 2xx.
# Over a TAP link in a private namespace (host 198.18.0.1/24, synack
# 198.18.0.2/24); every client is bounded in time (timeout) and runs in
# the namespace; QEMU is ended by PID and the namespace deleted in the
# trap.  COM1 is the shell's console (qemu_boot_console): a failure
# prints synack's nonzero `netstat -s` counters, which tell a reset
# synack sent (OutRsts and what led to it) from a drop or a timeout.
# The figures go to $TEST_OUT/NAME.figures and the output.
set -u
. "$(dirname "$0")/echo_lib.bash"

LOAD_URL=http://$ECHO_IP/

# load_fail NAME MESSAGE: synack's counters that moved, then fail.
load_fail() {
	console_cmd "$1" "netstat -s" 30 | grep -vE ': 0$' | sed "s/^/$1: /"
	fail "$1: $2"
}

# load_boot NAME DEVICE: synack with DEVICE on the TAP and COM1 on a
# socket; returns once the HTTP server serves.
load_boot() {
	local name=$1 device=$2 oldpath=$PATH booted
	NIC_LOG=$TEST_OUT/$name.log
	nic_tap_setup
	PATH=$NIC_BIN:$PATH
	qemu_boot_console "$name" 120 'http: serving port 80' -nic none \
		-netdev tap,id=n0,ifname=tap0,script=no,downscript=no \
		-device "$device,netdev=n0,mac=$NIC_MAC,id=nic0" \
		-kernel "$BUILD/synack.elf" -append "loglevel=info ip=$ECHO_IP/24"
	booted=$?
	PATH=$oldpath
	[ $booted -eq 0 ] || fail "$name: the HTTP server did not start (see $NIC_LOG)"
}

# load_ab NAME FIGURES [-k]
load_ab() {
	local name=$1 figures=$2 k=${3:-} out failed rps secs kept
	out=$(nsx timeout 400 ab -q $k -n 20000 -c 50 -s 30 "$LOAD_URL" 2>&1) ||
		load_fail "$name" "ab $k -n 20000 -c 50: $out"
	failed=$(echo "$out" | sed -n 's/^Failed requests: *//p')
	[ "$failed" = 0 ] || load_fail "$name" "ab $k: $failed failed requests: $out"
	echo "$out" | grep -q '^Non-2xx' && load_fail "$name" "ab $k: non-2xx answers: $out"
	echo "$out" | grep -q '^Complete requests: *20000$' || load_fail "$name" "ab $k: $out"
	rps=$(echo "$out" | sed -n 's/^Requests per second: *\([0-9.]*\).*/\1/p')
	secs=$(echo "$out" | sed -n 's/^Time taken for tests: *\([0-9.]*\).*/\1/p')
	kept=
	if [ -n "$k" ]; then
		kept=$(echo "$out" | sed -n 's/^Keep-Alive requests: *//p')
		[ "$kept" = 20000 ] || load_fail "$name" "ab -k: $kept of 20000 kept alive"
		kept=", $kept keep-alive"
	fi
	echo "$name ab $k -n 20000 -c 50: $rps req/s in $secs s, 0 failed$kept" |
		sed 's/  */ /g' | tee -a "$figures"
}

# load_wrk NAME FIGURES CONNS
load_wrk() {
	local name=$1 figures=$2 conns=$3 out rps reqs
	out=$(nsx timeout 100 wrk -t 1 -c "$conns" -d 10s --timeout 10s "$LOAD_URL" 2>&1) ||
		load_fail "$name" "wrk -c $conns: $out"
	echo "$out" | grep -q 'Socket errors' && load_fail "$name" "wrk -c $conns: $out"
	echo "$out" | grep -q 'Non-2xx' && load_fail "$name" "wrk -c $conns: $out"
	reqs=$(echo "$out" | sed -n 's/^ *\([0-9]*\) requests in .*/\1/p')
	[ "${reqs:-0}" -gt 0 ] || load_fail "$name" "wrk -c $conns completed no request: $out"
	rps=$(echo "$out" | sed -n 's/^Requests\/sec: *//p')
	echo "$name wrk -c $conns -d 10s: $rps req/s ($reqs requests), no socket errors, no non-2xx" |
		tee -a "$figures"
}

# http_clients_load NAME DEVICE
http_clients_load() {
	local name=$1 device=$2 figures=$TEST_OUT/$1.figures start=$SECONDS bad
	: > "$figures"
	load_boot "$name" "$device"
	load_ab "$name" "$figures"
	load_ab "$name" "$figures" -k
	load_wrk "$name" "$figures" 64
	load_wrk "$name" "$figures" 1
	nsx timeout 60 curl -sS --max-time 50 -o /dev/null "$LOAD_URL" ||
		load_fail "$name" "the server does not answer after the load"
	bad=$(nsx timeout 60 curl -sS --max-time 50 "http://$ECHO_IP/metrics" |
		sed -nE 's/^synack_snmp\{family="Http",counter="Resp[345]xx"\} ([0-9]+)$/\1/p' |
		awk '{ s += $1 } END { print s + 0 }')
	[ "$bad" = 0 ] || load_fail "$name" "the server counted $bad answers outside 2xx"
	echo "$name: load done in $((SECONDS - start)) s"
	nic_cleanup
}
