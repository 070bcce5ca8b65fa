/*
 * Boot-time self tests selected by `test=` on the command line, run by
 * kernel_main() after "synack: boot ok"; other test= values are ignored:
 *   test=fault  writes to an unmapped address: the #PF report (vector 14,
 *               CR2, registers, backtrace), then panic exits QEMU
 *   test=ticks  prints "ticks: jiffies=N" twice, 100 ticks apart
 *   test=irq    self-IPI, I/O APIC and unexpected-vector paths; prints
 *               "irq selftest: ok" or "irq selftest: FAILED"
 */
#ifndef SYNACK_KERNEL_ARCH_X86_64_SELFTEST_H
#define SYNACK_KERNEL_ARCH_X86_64_SELFTEST_H

void arch_selftest(void);

#endif
