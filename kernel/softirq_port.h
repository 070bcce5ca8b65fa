/*
 * What softirq.c needs from its surroundings: the interrupt flag, a clock
 * for the time budget, and a way to wake ksoftirqd.  The kernel implements
 * it in kernel/ksoftirqd.c (cpu.h, now_ns, the ksoftirqd thread); the host
 * test implements it with a fake interrupt flag and a fake clock, so
 * softirq.c runs unchanged under ASan.
 */
#ifndef SYNACK_KERNEL_SOFTIRQ_PORT_H
#define SYNACK_KERNEL_SOFTIRQ_PORT_H

#include <stdbool.h>
#include <stdint.h>

/* Disables interrupts; returns whether they were enabled. */
bool softirq_port_irq_save(void);
/* Re-enables interrupts if `was_on`. */
void softirq_port_irq_restore(bool was_on);
void softirq_port_irq_enable(void);
void softirq_port_irq_disable(void);
uint64_t softirq_port_now_ns(void);
/* Makes ksoftirqd runnable (a no-op before it exists); any context. */
void softirq_port_wake_ksoftirqd(void);

/*
 * ksoftirqd's entry into softirq.c: runs every pending vector with the same
 * budget as irq_exit().  Thread context, bottom halves enabled, interrupts
 * enabled.  Returns true if work is left (ksoftirqd yields, then repeats).
 */
bool softirq_run_ksoftirqd(void);
bool softirq_pending_any(void);

#endif
