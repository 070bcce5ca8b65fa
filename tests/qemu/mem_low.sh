#!/usr/bin/env bash
# HTTP in little memory: synack booted with -m 4 (the issue's target) on
# e1000 and on virtio-net, over a TAP link in a private namespace (host
# 198.18.0.1/24, synack 198.18.0.2/24).  GET / must return index.html byte
# for byte, and a download of /bytes/$MEM_LOW_BYTES must complete with the
# right size and SHA-256 (the pattern is 63 printable bytes and a newline,
# repeated).  Allocation failures on the send path must stay few: when
# memory ran out, TCP used to retry at once, the writer spun and
# TCPOutNoMem counted into the millions while the download stalled.  The
# page allocator's figures before and after the download are printed and
# written to $TEST_OUT/mem_low.figures.  QEMU is ended by PID.
set -u
. "$(dirname "$0")/echo_lib.bash"

export MEM=${MEM_LOW_MEM:-4}
MEM_LOW_BYTES=${MEM_LOW_BYTES:-33554432}
MEM_LOW_MAX_NOMEM=1000
WWW=$(dirname "$0")/../../apps/www
URL=http://$ECHO_IP
FIGURES=$TEST_OUT/mem_low.figures

# The SHA-256 of the first N bytes of the /bytes/ pattern.
pattern_sha256() {
	python3 - "$1" <<'EOF'
import hashlib, sys
n = int(sys.argv[1])
line = b"0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-\n"
h, block = hashlib.sha256(), line * 16384
while n >= len(block):
    h.update(block)
    n -= len(block)
h.update((line * (n // len(line) + 1))[:n])
print(h.hexdigest())
EOF
}

# metric NAME COUNTER: a counter of the TcpExt family from /metrics.
tcpext_metric() {
	nsx timeout 30 curl -sS --max-time 20 "$URL/metrics" |
		sed -nE "s/^synack_snmp\\{family=\"TcpExt\",counter=\"$1\"\\} ([0-9]+)$/\\1/p"
}

# The page allocator's pages from /metrics: "total T used U free F".
pages_line() {
	nsx timeout 30 curl -sS --max-time 20 "$URL/metrics" |
		sed -nE 's/^synack_memory_pages\{state="(total|used|free)"\} ([0-9]+)$/\1 \2/p' |
		tr '\n' ' ' | sed 's/ $//'
}

mem_low_one() {
	local name=$1 device=$2 want got nomem before
	echo_boot "$name" "$device"
	qemu_wait_for "$name" 30 'http: serving port 80' ||
		fail "$name: the HTTP server did not start at -m $MEM (see $NIC_LOG)"
	nsx timeout 60 curl -sS --max-time 50 -o "$TEST_OUT/$name.index" "$URL/" ||
		fail "$name: curl GET / at -m $MEM"
	cmp -s "$TEST_OUT/$name.index" "$WWW/index.html" || fail "$name: / differs from index.html"
	before=$(pages_line)
	want=$(pattern_sha256 "$MEM_LOW_BYTES")
	got=$(nsx timeout 150 curl -sS --max-time 140 "$URL/bytes/$MEM_LOW_BYTES" |
		tee >(wc -c > "$TEST_OUT/$name.size") | sha256sum | cut -d' ' -f1)
	[ "$(cat "$TEST_OUT/$name.size")" = "$MEM_LOW_BYTES" ] ||
		fail "$name: /bytes/$MEM_LOW_BYTES at -m $MEM gave $(cat "$TEST_OUT/$name.size") bytes"
	[ "$got" = "$want" ] || fail "$name: /bytes/$MEM_LOW_BYTES: sha256 $got, expected $want"
	nomem=$(tcpext_metric TCPOutNoMem)
	[ -n "$nomem" ] || fail "$name: /metrics has no TCPOutNoMem"
	[ "$nomem" -le $MEM_LOW_MAX_NOMEM ] ||
		fail "$name: TCPOutNoMem $nomem after the download (at most $MEM_LOW_MAX_NOMEM)"
	echo "$name: -m $MEM: GET / ok, /bytes/$MEM_LOW_BYTES sha256 ok, TCPOutNoMem $nomem," \
		"TCPMemoryPressures $(tcpext_metric TCPMemoryPressures); before: $before;" \
		"after: $(pages_line)" | tee -a "$FIGURES"
	nic_cleanup
}

: > "$FIGURES"
mem_low_one mem_low_e1000 e1000
mem_low_one mem_low_virtio virtio-net-pci
echo "mem_low: ok"
