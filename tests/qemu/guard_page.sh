#!/usr/bin/env bash
# test=guard: writing just below a kstack_alloc() stack hits its unmapped
# guard page, so the kernel must report a page fault (vector 14, not
# present) whose CR2 is the address the test announced beforehand.
set -u
. "$(dirname "$0")/lib.sh"

log=$TEST_OUT/guard_page.log
qemu_boot guard_page 120 'synack: halted' -kernel "$BUILD/synack.elf" -append "loglevel=info test=guard" ||
	fail "the kernel did not halt after touching the guard page (see $log)"
grep -q 'guard-test: FAIL' "$log" && fail "$(grep 'guard-test: FAIL' "$log")"
grep -q 'guard mapped=0, stack mapped=1' "$log" || fail "guard page mapped or stack unmapped"
addr=$(sed -nE 's/.*guard-test: writing to 0x([0-9a-f]+),.*/\1/p' "$log")
[ -n "$addr" ] || fail "no guard address announced"
cr2=$(printf '%016x' "0x$addr")
grep -q 'exception: vector 14' "$log" || fail "no page fault (vector 14) reported"
grep -q 'page fault: write not present' "$log" || fail "fault is not a not-present write"
grep -q "CR2: $cr2" "$log" || fail "CR2 is not the guard address $cr2"
