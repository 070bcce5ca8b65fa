#!/usr/bin/env bash
# The HTTP server (port 80) against more real clients over a TAP link in a
# private namespace (host 198.18.0.1/24, synack 198.18.0.2/24), for e1000
# and virtio-net; complements http_curl.sh (curl, ab, wrk, raw sockets):
#   - wget -r -np mirrors the static content from http://198.18.0.2/ into
#     $TEST_OUT/NAME.mirror, and every mirrored file matches apps/www/ byte
#     for byte (the image embeds apps/www at build time); the same set of
#     files, nothing missing and nothing extra (/stats, /metrics and
#     /bytes/ are dynamic and not mirrored);
#   - h2load --h1 -n $HTTP_H2LOAD_N -c 10: every request succeeds (0 failed,
#     0 errored, 0 timeout, all 2xx);
#   - headless Chromium loads the index page and saves a screenshot to
#     $TEST_OUT/NAME.index.png (a test artifact), which must be a
#     1024x768 PNG with more than a few distinct colours (not blank);
#   - nmap -sS -p 1-1024 shows exactly ports 7 and 80 open.
# Every client runs inside the namespace, never talks to anything but
# 198.18.0.2, is bounded in count and time, and is ended by PID (its own
# process group) on timeout or exit; QEMU too, and the namespace and TAP
# are deleted afterwards.
set -u
. "$(dirname "$0")/echo_lib.bash"

HTTP_H2LOAD_N=${HTTP_H2LOAD_N:-2000}
WWW=$(dirname "$0")/../../apps/www
URL=http://$ECHO_IP
CLIENT_PID=

# Ends the running client (and its children: it leads its own process group).
client_stop() {
	if [ -n "$CLIENT_PID" ]; then
		kill -- -"$CLIENT_PID" 2>/dev/null || kill "$CLIENT_PID" 2>/dev/null
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$CLIENT_PID" 2>/dev/null || break
			sleep 0.2
		done
		kill -9 -- -"$CLIENT_PID" 2>/dev/null
		kill -9 "$CLIENT_PID" 2>/dev/null
		wait "$CLIENT_PID" 2>/dev/null
		CLIENT_PID=
	fi
}
trap 'client_stop; nic_cleanup' EXIT

# client SECS OUT CMD...: runs CMD in the namespace in its own process
# group, output to OUT; ends it by PID after SECS.  Returns CMD's status,
# 124 on timeout.
client() {
	local secs=$1 out=$2 deadline=$((SECONDS + $1)) rc
	shift 2
	setsid ip netns exec "$NIC_NS" "$@" > "$out" 2>&1 &
	CLIENT_PID=$!
	while kill -0 "$CLIENT_PID" 2>/dev/null; do
		if [ $SECONDS -ge $deadline ]; then
			echo "client: $1 still running after ${secs}s, ended" >> "$out"
			client_stop
			return 124
		fi
		sleep 0.2
	done
	wait "$CLIENT_PID"
	rc=$?
	CLIENT_PID=
	return $rc
}

http_wget_mirror() {
	local name=$1 dir=$TEST_OUT/$1.mirror log=$TEST_OUT/$1.wget.log f got want
	rm -rf "$dir"
	client 300 "$log" wget -r -l 5 -np -nH -P "$dir" --tries=1 --timeout=30 \
		--reject-regex '/(stats|metrics|bytes/.*)$' "$URL/" ||
		fail "$name: wget -r -np (see $log)"
	got=$(cd "$dir" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')
	want=$(cd "$WWW" && find . -type f | sed 's|^\./||' | sort | tr '\n' ' ')
	[ "$got" = "$want" ] || fail "$name: wget mirrored '$got', apps/www has '$want'"
	for f in $want; do
		cmp "$dir/$f" "$WWW/$f" || fail "$name: mirrored $f differs from apps/www/$f"
	done
	echo "$name: wget -r -np mirrored $got- identical to apps/www"
}

http_h2load() {
	local name=$1 log=$TEST_OUT/$1.h2load.log line
	client 300 "$log" h2load --h1 -n "$HTTP_H2LOAD_N" -c 10 -T 30 -N 30 "$URL/" ||
		fail "$name: h2load (see $log)"
	line=$(grep '^requests:' "$log")
	echo "$line" | grep -qE "^requests: $HTTP_H2LOAD_N total, $HTTP_H2LOAD_N started, $HTTP_H2LOAD_N done, $HTTP_H2LOAD_N succeeded, 0 failed, 0 errored, 0 timeout" ||
		fail "$name: h2load: $line (see $log)"
	grep -qE "^status codes: $HTTP_H2LOAD_N 2xx," "$log" ||
		fail "$name: h2load: $(grep '^status codes' "$log")"
	echo "$name: h2load --h1 -n $HTTP_H2LOAD_N -c 10: $line;" \
		"$(sed -n 's/^finished in //p' "$log")"
}

# Prints "WIDTH HEIGHT COLOURS" of a PNG (8-bit RGB/RGBA, non-interlaced).
png_info() {
	python3 - "$1" <<'EOF'
import struct, sys, zlib
data = open(sys.argv[1], 'rb').read()
assert data[:8] == b'\x89PNG\r\n\x1a\n', 'not a PNG'
off, idat, hdr = 8, b'', None
while off < len(data):
    n, kind = struct.unpack_from('>I4s', data, off)
    body = data[off + 8:off + 8 + n]
    off += 12 + n
    if kind == b'IHDR':
        hdr = struct.unpack('>IIBBBBB', body)
    elif kind == b'IDAT':
        idat += body
w, h, depth, ctype, _, _, interlace = hdr
assert depth == 8 and ctype in (2, 6) and interlace == 0, hdr
bpp = 3 if ctype == 2 else 4
raw, stride = zlib.decompress(idat), w * bpp
prev, colours, pos = bytearray(stride), set(), 0
for _ in range(h):
    ft, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
    pos += 1 + stride
    for i in range(stride):
        a = line[i - bpp] if i >= bpp else 0
        b = prev[i]
        c = prev[i - bpp] if i >= bpp else 0
        if ft == 1:
            line[i] = (line[i] + a) & 255
        elif ft == 2:
            line[i] = (line[i] + b) & 255
        elif ft == 3:
            line[i] = (line[i] + (a + b) // 2) & 255
        elif ft == 4:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    colours.update(bytes(line[i:i + 3]) for i in range(0, stride, bpp))
    prev = line
print(w, h, len(colours))
EOF
}

http_chromium() {
	local name=$1 png=$TEST_OUT/$1.index.png log=$TEST_OUT/$1.chromium.log profile info
	local width height colours
	rm -f "$png"
	profile=$(mktemp -d)
	client 180 "$log" chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking --disable-component-update \
		--disable-sync --user-data-dir="$profile" --screenshot="$png" \
		--window-size=1024,768 "$URL/"
	rm -rf "$profile"
	[ -s "$png" ] || fail "$name: chromium saved no screenshot (see $log)"
	info=$(png_info "$png") || fail "$name: $png is not a readable PNG"
	read -r width height colours <<< "$info"
	if [ "$width" != 1024 ] || [ "$height" != 768 ]; then
		fail "$name: screenshot is ${width}x$height, not 1024x768"
	fi
	[ "$colours" -gt 16 ] || fail "$name: screenshot has only $colours colours (blank?)"
	# The page's stylesheet and script were fetched again (wget had them once).
	for f in style.css app.js; do
		[ "$(grep -c "http: 198.18.0.1 \"GET /$f\" 200" "$NIC_LOG")" -ge 2 ] ||
			fail "$name: chromium did not fetch /$f (see $NIC_LOG)"
	done
	echo "$name: chromium screenshot $png: ${width}x$height, $colours colours," \
		"$(stat -c %s "$png") bytes"
}

http_nmap() {
	local name=$1 log=$TEST_OUT/$1.nmap.log open
	client 180 "$log" nmap -n -Pn -sS -p 1-1024 -T4 --max-retries 1 --host-timeout 120s \
		-oG - "$ECHO_IP" || fail "$name: nmap (see $log)"
	grep -q "^Host: $ECHO_IP .*Ports: " "$log" || fail "$name: nmap scanned nothing (see $log)"
	open=$(grep -oE '[0-9]+/open/tcp' "$log" | cut -d/ -f1 | sort -n | tr '\n' ' ')
	[ "$open" = "7 80 " ] || fail "$name: nmap open ports '$open', expected '7 80 ' (see $log)"
	echo "$name: nmap -sS -p 1-1024: open $open; $(grep -oE 'Ignored State: [^ ]+ \([0-9]+\)' "$log")"
}

http_clients_one() {
	local name=$1 device=$2
	echo_boot "$name" "$device"
	qemu_wait_for "$name" 30 'http: serving port 80' ||
		fail "$name: the HTTP server did not start (see $NIC_LOG)"
	http_wget_mirror "$name"
	http_h2load "$name"
	http_chromium "$name"
	http_nmap "$name"
	nic_cleanup
}

http_clients_one http_clients_e1000 e1000
http_clients_one http_clients_virtio virtio-net-pci
echo "http_clients: ok"
