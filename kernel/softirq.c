/*
 * Softirqs: pending bits, the preempt-count style context word, and the
 * budgeted runner behind irq_exit(), local_bh_enable() and ksoftirqd.
 *
 * The context word (one CPU) has three fields:
 *   bits  0-7   local_bh_disable() depth
 *   bits  8-11  softirq handlers running (0 or 1: softirqs never nest)
 *   bits 16-23  hard-IRQ nesting
 * Updates are plain read-modify-writes: an interrupt that lands in the
 * middle of one restores the word before it returns, so no update is lost.
 *
 * Budget: one call runs at most SOFTIRQ_MAX_ROUNDS passes over the pending
 * vectors and stops starting new passes after SOFTIRQ_MAX_NS; what is left
 * is handed to ksoftirqd (counted in stats.deferred).  While ksoftirqd owns
 * a backlog, irq_exit() and local_bh_enable() run only the TIMER vector
 * (and wake ksoftirqd for the rest), so a network flood is processed at
 * thread priority and the application gets the CPU between ksoftirqd's
 * rounds, while timers keep their precision.  The backlog ends when a
 * ksoftirqd round leaves nothing.
 *
 * Handlers run with interrupts enabled; a nested interrupt's irq_exit()
 * sees the softirq bits and leaves the new work to the running loop.
 */
#include "kernel/softirq.h"

#include <stddef.h>

#include "kernel/softirq_port.h"

#define SOFTIRQ_MAX_ROUNDS	10
#define SOFTIRQ_MAX_NS		2000000ull	/* 2 ms */

#define BH_DISABLE_OFFSET	1u
#define SOFTIRQ_OFFSET		(1u << 8)
#define HARDIRQ_OFFSET		(1u << 16)
#define BH_MASK			0x000000ffu
#define SOFTIRQ_MASK		0x00000f00u
#define HARDIRQ_MASK		0x00ff0000u

#define ALL_VECTORS		((1u << NR_SOFTIRQS) - 1)
#define URGENT_VECTORS		(1u << TIMER_SOFTIRQ)

static volatile uint32_t preempt_count;
static volatile uint32_t pending;
static volatile bool ksoftirqd_backlog;	/* budget ran out; ksoftirqd is on it */
static softirq_action_t actions[NR_SOFTIRQS];
static struct softirq_stats stats;

static const char *const names[NR_SOFTIRQS] = {
	[TIMER_SOFTIRQ] = "TIMER",
	[NET_TX_SOFTIRQ] = "NET_TX",
	[NET_RX_SOFTIRQ] = "NET_RX",
};

bool in_irq(void)		{ return preempt_count & HARDIRQ_MASK; }
bool in_serving_softirq(void)	{ return preempt_count & SOFTIRQ_MASK; }
bool in_softirq(void)		{ return preempt_count & (SOFTIRQ_MASK | BH_MASK); }
bool in_interrupt(void)		{ return preempt_count; }

const char *softirq_name(enum softirq_nr nr)
{
	return (unsigned)nr < NR_SOFTIRQS ? names[nr] : "?";
}

const struct softirq_stats *softirq_get_stats(void)
{
	return &stats;
}

bool softirq_pending_any(void)
{
	return pending != 0;
}

softirq_action_t open_softirq(enum softirq_nr nr, softirq_action_t action)
{
	bool was_on = softirq_port_irq_save();
	softirq_action_t prev = actions[nr];

	actions[nr] = action;
	softirq_port_irq_restore(was_on);
	return prev;
}

void raise_softirq(enum softirq_nr nr)
{
	bool was_on = softirq_port_irq_save();

	pending |= 1u << nr;
	/* Nobody else is going to look: no irq_exit or bh enable is ahead. */
	if (!in_interrupt())
		softirq_port_wake_ksoftirqd();
	softirq_port_irq_restore(was_on);
}

/* One pass over the vectors in `todo`, in vector order, with stats. */
static void softirq_run_vectors(uint32_t todo)
{
	for (unsigned nr = 0; nr < NR_SOFTIRQS; nr++) {
		if (!(todo & (1u << nr)) || !actions[nr])
			continue;
		uint64_t t0 = softirq_port_now_ns();

		actions[nr]();
		stats.count[nr]++;
		stats.time_ns[nr] += softirq_port_now_ns() - t0;
	}
}

/*
 * Runs the pending vectors in `mask` within the budget.  Called and returns
 * with interrupts disabled, outside any interrupt or bh-disabled section;
 * enables interrupts around the handlers.  True if work in `mask` is left.
 */
static bool softirq_run(uint32_t mask)
{
	uint64_t start = softirq_port_now_ns();
	uint32_t todo;

	preempt_count += SOFTIRQ_OFFSET;
	for (int round = 0; round < SOFTIRQ_MAX_ROUNDS && (todo = pending & mask); round++) {
		pending &= ~todo;
		softirq_port_irq_enable();
		softirq_run_vectors(todo);
		softirq_port_irq_disable();
		if (softirq_port_now_ns() - start >= SOFTIRQ_MAX_NS)
			break;
	}
	preempt_count -= SOFTIRQ_OFFSET;
	return pending & mask;
}

/* Runs what may run now, from irq_exit or bh enable; defers the rest. */
static void softirq_run_now(void)
{
	uint32_t mask = ksoftirqd_backlog ? URGENT_VECTORS : ALL_VECTORS;

	/* What the backlog leaves to ksoftirqd needs ksoftirqd awake: it
	 * sleeps with the backlog still marked when an irq_exit ran the
	 * urgent vectors its last round left, and then only this wakes it. */
	if (pending & ~mask)
		softirq_port_wake_ksoftirqd();
	if (!(pending & mask))
		return;
	if (softirq_run(mask)) {
		stats.deferred++;
		ksoftirqd_backlog = true;
		softirq_port_wake_ksoftirqd();
	}
}

bool softirq_run_ksoftirqd(void)
{
	bool left;

	softirq_port_irq_disable();
	stats.ksoftirqd_runs++;
	left = softirq_run(ALL_VECTORS);
	if (!left)
		ksoftirqd_backlog = false;
	softirq_port_irq_enable();
	return left;
}

void irq_enter(void)
{
	preempt_count += HARDIRQ_OFFSET;
}

void irq_exit(void)
{
	preempt_count -= HARDIRQ_OFFSET;
	if (!in_interrupt() && pending)
		softirq_run_now();
}

void local_bh_disable(void)
{
	preempt_count += BH_DISABLE_OFFSET;
	__asm__ volatile("" ::: "memory");
}

void local_bh_enable(void)
{
	bool was_on = softirq_port_irq_save();

	preempt_count -= BH_DISABLE_OFFSET;
	if (!in_interrupt() && pending) {
		/* Handlers need interrupts on; with them off, ksoftirqd runs it. */
		if (was_on)
			softirq_run_now();
		else
			softirq_port_wake_ksoftirqd();
	}
	softirq_port_irq_restore(was_on);
}
