#!/usr/bin/env bash
# test=fault: a deliberate page fault produces the exception report (vector
# 14, CR2, every register, RIP and a backtrace with symbol names), then the
# panic leaves QEMU through isa-debug-exit (status 3) instead of hanging.
set -u
. "$(dirname "$0")/lib.sh"

log=$TEST_OUT/fault.log
# shellcheck disable=SC2046
qemu_boot fault 120 'synack: halted' $(kernel_args "test=fault") ||
	fail "no 'synack: halted' after the fault (see $log)"
rc=0
qemu_wait_exit 30 || rc=$?
[ "$rc" -eq 3 ] || fail "QEMU exit status $rc, expected 3 (panic via isa-debug-exit)"

# The serial console writes CRLF line ends.
tr -d '\r' < "$TEST_OUT/fault.log" > "$TEST_OUT/fault.txt"
log=$TEST_OUT/fault.txt
grep -q 'synack: boot ok' "$log" || fail "the fault came before boot ok"
grep -q 'exception: vector 14 (#PF page fault), error code 0x2' "$log" ||
	fail "no vector 14 line"
grep -q 'CR2: 00000badc0ffee00' "$log" || fail "CR2 missing or wrong"
grep -q 'page fault: write not present, kernel mode' "$log" ||
	fail "#PF error code not decoded"
for reg in RSP RFLAGS RAX RBX RCX RDX RSI RDI RBP R8 R9 R10 R11 R12 R13 R14 R15 CR0 CR3 CR4; do
	grep -qE "$reg: +[0-9a-f:]{16}" "$log" || fail "register $reg missing"
done
grep -qE 'RIP: 0008:[0-9a-f]{16} selftest_fault\+0x[0-9a-f]+' "$log" ||
	fail "RIP without its symbol"
trace=$(sed -n '/^backtrace:/,/panic:/p' "$log")
echo "$trace" | grep -qE '\[<[0-9a-f]{16}>\] arch_selftest\+0x' || fail "backtrace lacks arch_selftest"
echo "$trace" | grep -qE '\[<[0-9a-f]{16}>\] kernel_main\+0x' || fail "backtrace lacks kernel_main"
grep -q 'panic: fatal exception 14' "$log" || fail "no panic line"
