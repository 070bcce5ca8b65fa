/*
 * Linux-style bottom halves.  Hard IRQ handlers raise a softirq; pending
 * softirqs run on IRQ exit (when not nested and bottom halves are enabled)
 * with a budget of 10 restarts and about 2 ms, and whatever is left is
 * handed to the ksoftirqd thread.  local_bh_disable() keeps softirqs off
 * the CPU while a thread touches state they share; local_bh_enable() runs
 * what became pending meanwhile.
 *
 * Context tracking (one CPU): a preempt-count style word counts hard-IRQ
 * nesting, softirq execution and bh-disable depth.
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

void open_softirq(enum softirq_nr nr, void (*action)(void));
/* Marks nr pending; from any context.  Outside IRQ context it also wakes ksoftirqd. */
void raise_softirq(enum softirq_nr nr);

/* Called by the interrupt entry code around every hard-IRQ handler. */
void irq_enter(void);
void irq_exit(void);

void local_bh_disable(void);
void local_bh_enable(void);

bool in_irq(void);		/* inside a hard-IRQ handler */
bool in_softirq(void);		/* running softirqs, or bottom halves disabled */
bool in_interrupt(void);	/* either of the above */

struct softirq_stats {
	uint64_t count[NR_SOFTIRQS];	/* handler runs */
	uint64_t time_ns[NR_SOFTIRQS];	/* time spent in each handler */
	uint64_t deferred;		/* times the budget ran out and ksoftirqd took over */
};
const struct softirq_stats *softirq_get_stats(void);
const char *softirq_name(enum softirq_nr nr);

void softirq_init(void);	/* starts ksoftirqd; needs the scheduler */

#endif
