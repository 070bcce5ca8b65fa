#!/usr/bin/env bash
# test=irq: a LAPIC self-IPI on a vector from irq_alloc_vector() runs its
# handler once; the PIT routed through the I/O APIC (ISA IRQ 0 -> GSI 2 by
# the MADT override on q35) delivers interrupts; a software interrupt on a
# vector nobody owns is counted and logged as unexpected, and boot goes on.
set -u
. "$(dirname "$0")/lib.sh"

log=$TEST_OUT/irq.log
# shellcheck disable=SC2046
qemu_boot irq 120 'irq selftest: ' $(kernel_args "test=irq") ||
	fail "no 'irq selftest:' line (see $log)"
grep -q 'irq selftest: ok' "$log" || fail "$(grep -E '^\[.*\] irq' "$log")"
grep -qE 'madt: 1 cpu\(s\), 1 ioapic\(s\)' "$log" || fail "MADT not parsed"
grep -qE 'irq: self-IPI on vector 0x[0-9a-f]+: 1 handler run\(s\), 1 counted' "$log" ||
	fail "self-IPI not handled exactly once"
grep -qE 'irq: ISA IRQ 0 \(PIT\) -> gsi 2 -> vector' "$log" || fail "PIT not routed through the IOAPIC"
grep -q 'irq: unexpected vector 47 (seen 1 times)' "$log" || fail "unexpected vector not logged"
