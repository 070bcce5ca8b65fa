#!/usr/bin/env bash
# test=ticks: LAPIC timer interrupts arrive at HZ 1000.  The kernel prints
# jiffies, busy-waits (interrupts on) for 100 more, prints again; the two
# uptime stamps must be about 100 ms apart.  TCG timing is loose, so the
# window is wide; the measured gap is printed for the record.
set -u
. "$(dirname "$0")/lib.sh"

log=$TEST_OUT/ticks.log
# shellcheck disable=SC2046
qemu_boot ticks 120 'ticks: jiffies=[0-9]+' $(kernel_args "test=ticks") ||
	fail "no 'ticks:' line (see $log)"
deadline=$((SECONDS + 30))
while [ "$(grep -c 'ticks: jiffies=' "$log")" -lt 2 ] && [ $SECONDS -lt $deadline ]; do
	grep -q 'ticks: jiffies stuck' "$log" && fail "$(grep 'jiffies stuck' "$log")"
	sleep 0.2
done
grep -q 'lapic timer: ' "$log" || fail "LAPIC timer never started"

# "[    0.189981] ticks: jiffies=1" (CRLF) -> "0.189981 1"
read -r t1 j1 t2 j2 < <(tr -d '\r' < "$log" |
	sed -nE 's/^\[ *([0-9]+\.[0-9]+)\] ticks: jiffies=([0-9]+)$/\1 \2/p' | head -2 | tr '\n' ' ')
[ -n "${j2:-}" ] || fail "fewer than two 'ticks: jiffies=' lines"
echo "ticks: jiffies $j1 -> $j2 in $(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.1f", (b - a) * 1000 }') ms"
[ $((j2 - j1)) -ge 100 ] || fail "jiffies advanced by $((j2 - j1)), expected >= 100"
awk -v a="$t1" -v b="$t2" 'BEGIN { d = b - a; exit !(d >= 0.08 && d <= 2.0) }' ||
	fail "stamps $t1 and $t2 are not about 100 ms apart"
