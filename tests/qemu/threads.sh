#!/usr/bin/env bash
# test=sched: kernel threads, wait queues, timers and softirqs in the booted
# kernel (kernel/sched/selftest.h): a wait-queue ping-pong, a
# wait_event_timeout that must time out at its deadline, sleep_ns accuracy,
# timers in expiry order, the cooperative rule, and a self-re-raising
# softirq that the budget must hand to ksoftirqd.  The kernel checks and
# prints "sched-selftest: ok"; this script asserts it and the counters.
set -u
. "$(dirname "$0")/lib.sh"

log=$TEST_OUT/threads.log
qemu_boot threads 180 'sched-selftest: (ok|FAIL \()' \
	-kernel "$BUILD/synack.elf" -append "loglevel=info test=sched" ||
	fail "no sched-selftest result (see $log)"
tr -d '\r' < "$log" | grep -E 'sched-selftest:|softirq:' | sed -E 's/^\[ *[0-9.]+\] //'
if grep -q 'sched-selftest: FAIL' "$log"; then
	fail "$(grep 'sched-selftest: FAIL' "$log" | tr -d '\r' | head -5)"
fi
grep -q 'sched-selftest: ok' "$log" || fail "no 'sched-selftest: ok'"
grep -qE 'ping-pong 2000 handoffs' "$log" || fail "ping-pong did not complete"
grep -qE 'wait_event_timeout\(50 ms\) -> -110 ' "$log" || fail "wait_event_timeout did not time out"
grep -qE 'softirq: deferred [1-9][0-9]*, ksoftirqd rounds [1-9]' "$log" ||
	fail "softirq counters show no deferral to ksoftirqd"
