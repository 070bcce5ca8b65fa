/*
 * Linux-style bottom halves.  Hard IRQ handlers raise a softirq; pending
 * softirqs run on IRQ exit (when not nested and bottom halves are enabled)
 * with a budget of 10 passes and about 2 ms, and whatever is left is
 * handed to the ksoftirqd thread.  While ksoftirqd has such a backlog, IRQ
 * exit runs only TIMER and leaves the network vectors to the thread, so a
 * flood cannot starve the application.  local_bh_disable() keeps softirqs
 * off the CPU while a thread touches state they share; local_bh_enable()
 * runs what became pending meanwhile.  Handlers run with interrupts
 * enabled, never nested, and must not sleep.
 *
 * Context tracking (one CPU): a preempt-count style word counts hard-IRQ
 * nesting, softirq execution and bh-disable depth (kernel/softirq.c).
 */
#ifndef SYNACK_KERNEL_SOFTIRQ_H
#define SYNACK_KERNEL_SOFTIRQ_H

#include <stdbool.h>
#include <stdint.h>

enum softirq_nr {
	TIMER_SOFTIRQ,
	NET_TX_SOFTIRQ,
	NET_RX_SOFTIRQ,
	NR_SOFTIRQS,
};

typedef void (*softirq_action_t)(void);

/* Installs the handler of `nr`; returns the previous one (NULL at first). */
softirq_action_t open_softirq(enum softirq_nr nr, softirq_action_t action);
/* Marks nr pending; from any context.  Outside interrupt and bh-disabled
 * context it also wakes ksoftirqd, since no irq_exit or bh enable is due. */
void raise_softirq(enum softirq_nr nr);

/* Called by the interrupt entry code around every hard-IRQ handler, with
 * interrupts disabled.  irq_exit() may run softirqs (enabling interrupts
 * meanwhile) and returns with interrupts disabled. */
void irq_enter(void);
void irq_exit(void);

void local_bh_disable(void);
void local_bh_enable(void);

bool in_irq(void);		/* inside a hard-IRQ handler */
bool in_serving_softirq(void);	/* running softirq handlers */
bool in_softirq(void);		/* running softirqs, or bottom halves disabled */
bool in_interrupt(void);	/* either of the above */

struct softirq_stats {
	uint64_t count[NR_SOFTIRQS];	/* handler runs */
	uint64_t time_ns[NR_SOFTIRQS];	/* time spent in each handler */
	uint64_t deferred;		/* times the budget ran out and ksoftirqd took over */
	uint64_t ksoftirqd_runs;	/* budgeted rounds run by ksoftirqd */
};
const struct softirq_stats *softirq_get_stats(void);
const char *softirq_name(enum softirq_nr nr);

void softirq_init(void);	/* starts ksoftirqd; needs sched_init() */

#endif
