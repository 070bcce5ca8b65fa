#!/usr/bin/env bash
# test=console: the console is drained from the idle loop and, for output
# that has waited 100 ms, from the tick (kernel/printk.c).  The kernel
# floods 1000 lines with no idle in between (several times the 16 KiB
# ring: the writer must wait for the UART), so every line must arrive,
# whole and in order; then it prints a line and busy-waits 1.5 s with
# interrupts on before "console-test: done": the line must arrive during
# the spin, well before "done", or only the final flush sent it.
set -u
. "$(dirname "$0")/lib.sh"

log=$TEST_OUT/console.log
# shellcheck disable=SC2046
qemu_boot console 120 'console-test: spinning' $(kernel_args "test=console") ||
	fail "no 'console-test: spinning' line (see $log)"
spinning_at=$(date +%s%N)
qemu_wait_for console 30 'console-test: done' || fail "no 'console-test: done' (see $log)"
gap_ms=$((($(date +%s%N) - spinning_at) / 1000000))
qemu_stop

lines=$(tr -d '\r' < "$log" | sed -nE 's/^\[ *[0-9]+\.[0-9]+\] console-test: line ([0-9]+) of 1000, padded to be a longer line$/\1/p')
count=$(wc -l <<<"$lines")
[ "$count" -eq 1000 ] || fail "$count of 1000 flood lines arrived whole (see $log)"
[ "$lines" = "$(seq 1 1000)" ] || fail "the flood lines arrived out of order (see $log)"
echo "console: 1000 flood lines whole and in order; 'done' came $gap_ms ms after the line before the 1.5 s spin"
[ "$gap_ms" -ge 700 ] ||
	fail "the line before the spin arrived only $gap_ms ms before 'done': the tick did not drain it"
