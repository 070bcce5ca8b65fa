#!/usr/bin/env bash
# The README's way: `tools/run` (QEMU user networking, host port 8080
# forwarded to synack's port 80, address by DHCP from slirp), then
# `curl http://localhost:8080/` on the host gets the index page, byte for
# byte, and /stats answers.  tools/run runs QEMU as its child with the
# console on stdio; the test logs that, and ends QEMU by its PID (the
# child of the tools/run PID it started) in a trap.  Needs host port 8080
# free (the test fails at once if it is taken).
set -u
. "$(dirname "$0")/lib.sh"

RUN_PID=
QEMU_CHILD=

http_user_cleanup() {
	if [ -n "$RUN_PID" ]; then
		QEMU_CHILD=${QEMU_CHILD:-$(pgrep -P "$RUN_PID" qemu-system 2>/dev/null)}
		[ -n "$QEMU_CHILD" ] && kill "$QEMU_CHILD" 2>/dev/null
		wait "$RUN_PID" 2>/dev/null
		RUN_PID=
	fi
}
trap http_user_cleanup EXIT

LOG=$TEST_OUT/http_user.log
WWW=$(dirname "$0")/../../apps/www
python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 8080))' 2>/dev/null ||
	fail "host port 8080 is in use; tools/run forwards it"
: > "$LOG"
BUILD=$BUILD tools/run --accel "$(qemu_accel)" < /dev/null > "$LOG" 2>&1 &
RUN_PID=$!
deadline=$((SECONDS + 180))
until grep -q 'http: serving port 80' "$LOG" && grep -q 'synack: ready' "$LOG"; do
	[ $SECONDS -lt $deadline ] || fail "no 'synack: ready' and 'http: serving port 80' (see $LOG)"
	kill -0 "$RUN_PID" 2>/dev/null || fail "tools/run ended (see $LOG)"
	sleep 0.5
done
QEMU_CHILD=$(pgrep -P "$RUN_PID" qemu-system)
grep 'synack: ready' "$LOG"
ok=
for _ in $(seq 1 20); do
	if curl -sS --max-time 20 -o "$TEST_OUT/http_user.index" http://localhost:8080/ 2>/dev/null; then
		ok=1
		break
	fi
	sleep 1
done
[ -n "$ok" ] || fail "curl http://localhost:8080/ failed"
cmp -s "$TEST_OUT/http_user.index" "$WWW/index.html" ||
	fail "http://localhost:8080/ is not apps/www/index.html"
curl -sS --max-time 20 http://localhost:8080/stats |
	python3 -c 'import json, sys; json.load(sys.stdin)' || fail "/stats through 8080"
echo "http_user: curl http://localhost:8080/ got the index page ($(stat -c %s "$WWW/index.html") bytes)"
echo "http_user: ok"
